import type { GetPromptResult } from '../mcp/sdk';
import type { RenderedPart } from './parts';
import { describePart, partsFromBlocks } from './toolResult';
import { fenceFor } from './text';

/** A `prompts/get` result prepared for the editor. */
export interface RenderedPrompt {
  /** Description, then one `## Role` heading per message with its text as sent; other content described. */
  markdown: string;
  /**
   * For inserting: the messages' text exactly, separated by blank lines; prefixed with `User:`/`Assistant:`
   * lines only when the messages have more than one role.
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
export function renderPromptMessages(result: GetPromptResult): RenderedPrompt {
  const messages = Array.isArray(result.messages) ? (result.messages as unknown[]) : [];
  const md: string[] = [];
  const plain: { role: string; text: string }[] = [];
  const parts: RenderedPart[] = [];
  if (typeof result.description === 'string' && result.description.trim() !== '') md.push(result.description.trim(), '');
  for (const raw of messages) {
    const m = (typeof raw === 'object' && raw !== null ? raw : {}) as { role?: unknown; content?: unknown };
    const role = roleName(m.role);
    const blocks = Array.isArray(m.content) ? (m.content as unknown[]) : m.content === undefined ? [] : [m.content];
    const own = partsFromBlocks(blocks, 'prompt');
    parts.push(...own);
    md.push(`## ${role}`, '');
    for (const part of own) {
      if (part.kind === 'text') {
        md.push(part.text, '');
        plain.push({ role, text: part.text });
      } else if (part.kind === 'resource' && part.text !== undefined) {
        const fence = fenceFor(part.text);
        md.push(describePart(part), '', `${fence}${part.language && part.language !== 'plaintext' ? part.language : 'text'}`, part.text.replace(/\n$/, ''), fence, '');
        plain.push({ role, text: part.text });
      } else {
        md.push(describePart(part), '');
      }
    }
  }
  if (messages.length === 0) md.push('The prompt has no messages.', '');
  const roles = new Set(plain.map((p) => p.role));
  const text = roles.size > 1 ? plain.map((p) => `${p.role}:\n${p.text}`).join('\n\n') : plain.map((p) => p.text).join('\n\n');
  return { markdown: md.join('\n'), text, parts };
}
