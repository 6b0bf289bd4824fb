/**
 * The editor's view of MCP content, on top of src/core/content (which decides languages, bounds documents and
 * keeps exact text for inserting). Here: server text shown in documents is made inert (`sanitizeText`: escape
 * sequences and invisible/bidi characters removed; `safeDocument`: no link whose target is not http(s)); inserted
 * text stays exactly as sent.
 */
import type { CallToolResult, GetPromptResult, ReadResourceResult } from '../../core/protocol/sdk';
import {
  renderPromptMessages,
  renderResourceContents,
  renderToolResult,
  safeFileName,
  type BinaryPart,
  type ResourcePart,
} from '../../core/content';
import { sanitizeText } from '../../core/base/sanitize';
import { safeDocument } from '../../core/trust/safeDocument';

export type { BinaryPart, ResourcePart };

export interface ShownResource {
  /** The document text (bounded; a description for binary contents). */
  readonly text: string;
  /** VS Code language id. */
  readonly language: string;
  /** Every content is binary (blob): nothing to insert as text. */
  readonly binary: boolean;
  /** Exactly the resource's text (what Insert puts at the cursor); undefined when binary. */
  readonly insertText: string | undefined;
  readonly items: readonly ResourcePart[];
}

export interface ShownToolResult {
  readonly text: string;
  readonly language: string;
  /** The result's own text (what "Insert Result at Cursor" inserts). */
  readonly insertText: string;
  /** The whole document, not truncated and as the server sent it (for "Save Result As…"); built on demand. */
  readonly full: () => string;
  /** Set when `text` does not show everything. */
  readonly truncated: boolean;
  readonly isError: boolean;
  readonly errorText: string | undefined;
  /** Images and audio (decoded): saved to temporary files and opened. */
  readonly binaries: readonly BinaryPart[];
  /** Embedded resources and resource links: offered in "Open Linked Resource…". */
  readonly links: readonly ResourcePart[];
}

export interface ShownPrompt {
  readonly markdown: string;
  readonly insertText: string;
  /** `markdown` does not show everything (a huge embedded resource): "Save Result As…" saves `insertText`. */
  readonly truncated: boolean;
}

export function resourceDocument(result: ReadResourceResult, requestedUri: string): ShownResource {
  const r = renderResourceContents(result, { baseName: safeFileName(requestedUri.split(/[/\\?#]/).filter(Boolean).pop(), 'resource') });
  const binary = r.items.length > 0 && r.items.every((i) => i.data !== undefined);
  const shown = safeDocument(sanitizeText(r.document.content), r.document.language);
  return { text: shown.text, language: shown.language, binary, insertText: binary ? undefined : r.text, items: r.items };
}

export function toolResultDocument(result: CallToolResult, toolName: string): ShownToolResult {
  const r = renderToolResult(result, { baseName: safeFileName(toolName, 'result') });
  const shown = safeDocument(sanitizeText(r.document.content), r.document.language);
  return {
    text: shown.text,
    language: shown.language,
    insertText: r.text,
    full: () => r.document.full(),
    truncated: r.document.truncated !== undefined,
    isError: r.isError,
    errorText: r.errorText,
    binaries: r.parts.filter((p): p is BinaryPart => p.kind === 'binary'),
    links: r.parts.filter((p): p is ResourcePart => p.kind === 'resource'),
  };
}

export function promptDocument(result: GetPromptResult): ShownPrompt {
  const r = renderPromptMessages(result);
  return { markdown: safeDocument(sanitizeText(r.markdown), 'markdown').text, insertText: r.text, truncated: r.truncated !== undefined };
}

/** The contents of an embedded resource part as a read result (to show it without reading it again). */
export function embeddedAsReadResult(part: ResourcePart): ReadResourceResult | undefined {
  if (!part.embedded) return undefined;
  const base = { uri: part.uri, ...(part.mimeType ? { mimeType: part.mimeType } : {}) };
  if (part.data !== undefined) return { contents: [{ ...base, blob: part.data.toString('base64') }] };
  return { contents: [{ ...base, text: part.text ?? '' }] };
}

/** The decoded size of base64 data. */
export function base64Size(data: string): number {
  const clean = data.replace(/[^A-Za-z0-9+/]/g, '');
  return Math.floor((clean.length * 3) / 4);
}
