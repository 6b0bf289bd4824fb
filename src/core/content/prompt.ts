import type { GetPromptResult } from '../protocol/sdk';
import type { RenderedPart } from './parts';
import { DEFAULT_MAX_DISPLAY_BYTES, describePart, partsFromBlocks, type RenderOptions } from './toolResult';
import { BoundedDocumentBuilder, fenceFor } from './text';

/** A `prompts/get` result prepared for the editor. */
export interface RenderedPrompt {
  /**
   * The description, then one `## Role` heading per message with its text as sent; images, audio and
   * resources described, embedded resource text fenced. Server content bounded by `maxDisplayBytes`.
   */
  markdown: string;
  /** Set when `markdown` does not show everything (a huge embedded resource). */
  truncated?: { shownBytes: number; totalBytes: number };
  /**
   * For inserting: the messages' text exactly, separated by blank lines; prefixed with `User:`/`Assistant:`
   * lines only when the messages have more than one role. Not bounded.
   */
  text: string;
  /** Every content part of every message, in order (images and audio decoded). */
  parts: RenderedPart[];
}

function roleName(role: unknown): string {
  if (role === 'user') return 'User';
  if (role === 'assistant') return 'Assistant';
  const r = typeof role === 'string' && role.length > 0 ? role.replace(/[\r\n]+/g, ' ').slice(0, 50) : 'Message';
  return r.charAt(0).toUpperCase() + r.slice(1);
}

/** Prepares prompt messages for the editor; never throws on odd messages. */
export function renderPromptMessages(result: GetPromptResult, options: RenderOptions = {}): RenderedPrompt {
  const messages = Array.isArray(result.messages) ? (result.messages as unknown[]) : [];
  const md = new BoundedDocumentBuilder(Math.max(0, options.maxDisplayBytes ?? DEFAULT_MAX_DISPLAY_BYTES));
  const plain: { role: string; text: string }[] = [];
  const parts: RenderedPart[] = [];
  if (typeof result.description === 'string' && result.description.trim() !== '') md.content(result.description.trim()).frame('\n\n');
  messages.forEach((raw, index) => {
    const m = (typeof raw === 'object' && raw !== null ? raw : {}) as { role?: unknown; content?: unknown };
    const role = roleName(m.role);
    const blocks = Array.isArray(m.content) ? (m.content as unknown[]) : m.content === undefined ? [] : [m.content];
    const own = partsFromBlocks(blocks, options.baseName ?? 'prompt');
    parts.push(...own);
    md.frame(`${index > 0 ? '\n' : ''}## ${role}\n\n`);
    for (const part of own) {
      if (part.kind === 'text') {
        md.content(part.text).frame('\n');
        plain.push({ role, text: part.text });
      } else if (part.kind === 'resource' && part.text !== undefined) {
        const fence = fenceFor(part.text);
        const lang = part.language && part.language !== 'plaintext' ? part.language : 'text';
        md.frame(`${describePart(part)}\n\n${fence}${lang}\n`).content(part.text).frame(`${part.text.endsWith('\n') ? '' : '\n'}${fence}\n`);
        plain.push({ role, text: part.text });
      } else {
        md.frame(`${describePart(part)}\n`);
      }
    }
  });
  if (messages.length === 0) md.frame('The prompt has no messages.\n');
  const doc = md.build('markdown');
  const roles = new Set(plain.map((p) => p.role));
  const text = roles.size > 1 ? plain.map((p) => `${p.role}:\n${p.text}`).join('\n\n') : plain.map((p) => p.text).join('\n\n');
  const rendered: RenderedPrompt = { markdown: doc.content, text, parts };
  if (doc.truncated) rendered.truncated = doc.truncated;
  return rendered;
}
