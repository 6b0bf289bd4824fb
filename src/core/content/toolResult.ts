import type { CallToolResult } from '../protocol/sdk';
import { formatBytes, languageFromMimeType } from './language';
import { decodeBase64, suggestFileName, type BinaryPart, type RenderedPart, type ResourcePart } from './parts';
import { BoundedDocumentBuilder, fenceFor, inlineCode, isJsonDocument, JSON_PARSE_LIMIT, type BoundedDocument } from './text';

/**
 * The first line of the document of a result flagged `isError: true` (then a blank line and the content), so
 * the document itself says the tool failed, not only the notification.
 */
export const TOOL_ERROR_HEADING = '**The tool reported an error** (`isError: true`). Its answer:\n\n';

/** Documents show at most this much server content by default (VS Code slows down well before 50 MB). */
export const DEFAULT_MAX_DISPLAY_BYTES = 5 * 1024 * 1024;

export interface RenderOptions {
  /** Server content shown in `document.content` at most (UTF-8 bytes). Default `DEFAULT_MAX_DISPLAY_BYTES`. */
  maxDisplayBytes?: number;
  /** Prefix for suggested file names, e.g. the tool name (made safe). */
  baseName?: string;
}

/** A tool result prepared for the editor. All text is raw server text: nothing escaped, nothing dropped. */
export interface RenderedResult {
  /** The server flagged the result as an error (`isError: true`). */
  isError: boolean;
  /** For error results: the text blocks joined, to show in a notification (raw; sanitize before showing). */
  errorText?: string;
  /**
   * One document with everything: JSON (`json`) when the text is a JSON object/array, `markdown` otherwise (the
   * document is read-only text: markdown only colours it, nothing is rendered); `plaintext` only for our own
   * "no content" line. Bounded.
   */
  document: BoundedDocument;
  /**
   * For "insert result at cursor" (and the cheapest Save As): the text blocks exactly as sent, joined with `\n`;
   * if there are none, the structured content as JSON; if none either, the texts of embedded text resources.
   * Not bounded: check its length before inserting. `document.full()` is the formatted whole (JSON re-indented),
   * built on demand.
   */
  text: string;
  /** Every block in order, then `structuredContent`: for actions (open image, save blob, open resource). */
  parts: RenderedPart[];
}

type Block = { type?: unknown; [key: string]: unknown };

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function prettyJson(value: unknown): string {
  try {
    return JSON.stringify(value, null, 2) ?? 'null';
  } catch (err) {
    return `/* could not be shown as JSON: ${err instanceof Error ? err.message : String(err)} */`;
  }
}

/** Parts from the content blocks of a tool result (or a prompt message), in order. */
export function partsFromBlocks(blocks: readonly unknown[], baseName: string | undefined): RenderedPart[] {
  const parts: RenderedPart[] = [];
  const counters = { image: 0, audio: 0, resource: 0 };
  const stem = (kind: string): string => (baseName ? `${baseName}-${kind}` : kind);
  for (const raw of blocks) {
    const block = (typeof raw === 'object' && raw !== null ? raw : { type: typeof raw }) as Block;
    switch (block.type) {
      case 'text':
        parts.push({ kind: 'text', text: str(block['text']) ?? '' });
        break;
      case 'image':
      case 'audio': {
        const source = block.type;
        const mimeType = str(block['mimeType']) ?? 'application/octet-stream';
        const data = decodeBase64(str(block['data']) ?? '');
        const part: BinaryPart = {
          kind: 'binary',
          source,
          mimeType,
          data,
          size: data.length,
          suggestedFileName: suggestFileName(mimeType, ++counters[source], stem(source)),
        };
        parts.push(part);
        break;
      }
      case 'resource_link': {
        const uri = str(block['uri']) ?? '';
        const part: ResourcePart = { kind: 'resource', embedded: false, uri };
        copyResourceMeta(block, part);
        parts.push(part);
        break;
      }
      case 'resource': {
        const r = (typeof block['resource'] === 'object' && block['resource'] !== null ? block['resource'] : {}) as Block;
        const uri = str(r['uri']) ?? '';
        const part: ResourcePart = { kind: 'resource', embedded: true, uri };
        copyResourceMeta(r, part);
        const text = str(r['text']);
        const blob = str(r['blob']);
        if (text !== undefined) {
          part.text = text;
          part.language = languageFromMimeType(part.mimeType, uri);
          part.size = Buffer.byteLength(text, 'utf8');
        } else if (blob !== undefined) {
          part.data = decodeBase64(blob);
          part.size = part.data.length;
          part.suggestedFileName = suggestFileName(part.mimeType, ++counters.resource, stem('resource'), uri);
        }
        parts.push(part);
        break;
      }
      default:
        parts.push({ kind: 'unknown', type: typeof block.type === 'string' ? block.type : 'unknown', json: prettyJson(raw) });
    }
  }
  return parts;
}

function copyResourceMeta(from: Block, to: ResourcePart): void {
  const name = str(from['name']);
  const title = str(from['title']);
  const description = str(from['description']);
  const mimeType = str(from['mimeType']);
  if (name !== undefined) to.name = name;
  if (title !== undefined) to.title = title;
  if (description !== undefined) to.description = description;
  if (mimeType !== undefined) to.mimeType = mimeType;
  if (typeof from['size'] === 'number' && Number.isFinite(from['size'])) to.size = from['size'];
}

/** One line describing a non-text part, in our own markdown (server strings inside inline code). */
export function describePart(part: RenderedPart): string {
  switch (part.kind) {
    case 'binary':
      return `**${part.source === 'image' ? 'Image' : part.source === 'audio' ? 'Audio' : 'Binary'}** ${inlineCode(part.mimeType, 100)}, ${formatBytes(part.size)}: ${inlineCode(part.suggestedFileName)}`;
    case 'resource': {
      const label = part.embedded ? (part.data ? '**Resource** (binary)' : '**Resource**') : '**Resource link**';
      const bits = [`${label} ${inlineCode(part.uri)}`];
      const name = part.title ?? part.name;
      if (name !== undefined && name !== part.uri) bits.push(inlineCode(name, 200));
      const meta = [part.mimeType, part.size !== undefined ? formatBytes(part.size) : undefined].filter((x): x is string => !!x);
      if (meta.length > 0) bits.push(`(${meta.join(', ')})`.replace(/[\r\n]+/g, ' '));
      if (part.description) bits.push(`— ${inlineCode(part.description, 300)}`);
      return bits.join(' ');
    }
    case 'unknown':
      return `**Unknown content** ${inlineCode(part.type, 100)}`;
    case 'text':
      return '**Text**';
    case 'structured':
      return '**Structured content**';
  }
}

function sameJson(text: string, value: unknown): boolean {
  if (text.length > JSON_PARSE_LIMIT) return false;
  try {
    return JSON.stringify(JSON.parse(text)) === JSON.stringify(value);
  } catch {
    return false;
  }
}

/**
 * Prepares a `tools/call` result for the editor: one bounded document, the text for inserting, and every part
 * (images and audio decoded, resources listed) for the UI's actions. Never throws on odd blocks.
 */
export function renderToolResult(result: CallToolResult, options: RenderOptions = {}): RenderedResult {
  const max = Math.max(0, options.maxDisplayBytes ?? DEFAULT_MAX_DISPLAY_BYTES);
  const r = result as unknown as Record<string, unknown>;
  const blocks = Array.isArray(r['content']) ? (r['content'] as unknown[]) : [];
  const parts = partsFromBlocks(blocks, options.baseName);
  // Old (2024-10-07) servers answer `{ toolResult }`; the SDK passes it through.
  const structuredValue = r['structuredContent'] !== undefined ? r['structuredContent'] : 'toolResult' in r && !Array.isArray(r['content']) ? r['toolResult'] : undefined;
  const texts = parts.filter((p) => p.kind === 'text').map((p) => p.text);
  const joined = texts.length === 1 ? texts[0]! : texts.join('\n');
  const isError = r['isError'] === true;

  let structuredJson: string | undefined;
  if (structuredValue !== undefined) {
    structuredJson = prettyJson(structuredValue);
    parts.push({ kind: 'structured', value: structuredValue, json: structuredJson });
  }

  const builder = new BoundedDocumentBuilder(max);
  let language: string;
  const onlyText = texts.length > 0 && texts.length === blocks.length;
  const joinedIsJson = onlyText && isJsonDocument(joined);
  if (isError && (blocks.length > 0 || structuredJson !== undefined)) {
    // A markdown document whatever the content, so the heading never breaks a JSON view; JSON is fenced.
    builder.frame(TOOL_ERROR_HEADING);
    language = 'markdown';
    renderMixed(builder, parts);
  } else if (onlyText && (structuredJson === undefined || (texts.length === 1 && joinedIsJson && sameJson(joined, structuredValue)))) {
    if (joinedIsJson) {
      builder.json(joined);
      language = 'json';
    } else {
      builder.content(joined);
      language = 'markdown';
    }
  } else if (blocks.length === 0 && structuredJson !== undefined) {
    builder.content(structuredJson);
    language = 'json';
  } else if (blocks.length === 0) {
    builder.frame(isError ? 'The tool reported an error without any text.\n' : 'The tool returned no content.\n');
    language = 'plaintext';
  } else {
    language = 'markdown';
    renderMixed(builder, parts);
  }

  const rendered: RenderedResult = {
    isError,
    document: builder.build(language),
    text: texts.length > 0 ? joined : (structuredJson ?? parts.flatMap((p) => (p.kind === 'resource' && p.text !== undefined ? [p.text] : [])).join('\n')),
    parts,
  };
  if (isError) rendered.errorText = texts.length > 0 ? joined : 'The tool reported an error without any text.';
  return rendered;
}

/** Blocks of different kinds: a markdown document, server text as is, JSON and embedded texts fenced. */
function renderMixed(builder: BoundedDocumentBuilder, parts: readonly RenderedPart[]): void {
  let first = true;
  const gap = (): void => {
    if (!first) builder.frame('\n\n');
    first = false;
  };
  for (const part of parts) {
    gap();
    switch (part.kind) {
      case 'text':
        if (isJsonDocument(part.text)) {
          const fence = fenceFor(part.text);
          builder.frame(`${fence}json\n`).json(part.text).frame(`\n${fence}`);
        } else {
          builder.content(part.text);
        }
        break;
      case 'structured': {
        const fence = fenceFor(part.json);
        builder.frame(`**Structured content**\n\n${fence}json\n`).content(part.json).frame(`\n${fence}`);
        break;
      }
      case 'resource':
        builder.frame(describePart(part));
        if (part.text !== undefined) {
          const fence = fenceFor(part.text);
          builder.frame(`\n\n${fence}${part.language && part.language !== 'plaintext' ? part.language : 'text'}\n`).content(part.text).frame(`${part.text.endsWith('\n') ? '' : '\n'}${fence}`);
        }
        break;
      case 'unknown': {
        const fence = fenceFor(part.json);
        builder.frame(`${describePart(part)}\n\n${fence}json\n`).content(part.json).frame(`\n${fence}`);
        break;
      }
      default:
        builder.frame(describePart(part));
    }
  }
  builder.frame('\n');
}
