import type { ReadResourceResult } from '../protocol/sdk';
import { formatBytes, languageFromMimeType } from './language';
import { decodeBase64, suggestFileName, type ResourcePart } from './parts';
import { DEFAULT_MAX_DISPLAY_BYTES, describePart, type RenderOptions } from './toolResult';
import { BoundedDocumentBuilder, fenceFor, inlineCode, type BoundedDocument } from './text';

/** A `resources/read` result prepared for the editor. */
export interface RenderedResource {
  /**
   * One text content: its text exactly, in the language of its MIME type (or URI extension). One blob: a
   * description. Several contents: markdown, one heading per content, texts fenced. Bounded.
   */
  document: BoundedDocument;
  /**
   * For "insert resource at cursor": exactly the resource's text (several text contents joined with `\n`;
   * blobs are not included). Not bounded.
   */
  text: string;
  /** Every content (`embedded: true`), with `text` or decoded `data`, for Save As and per-content actions. */
  items: ResourcePart[];
}

type Contents = { uri?: unknown; mimeType?: unknown; text?: unknown; blob?: unknown; [key: string]: unknown };

/** Prepares resource contents for the editor; never throws on odd contents. */
export function renderResourceContents(result: ReadResourceResult, options: RenderOptions = {}): RenderedResource {
  const max = Math.max(0, options.maxDisplayBytes ?? DEFAULT_MAX_DISPLAY_BYTES);
  const contents = Array.isArray(result.contents) ? (result.contents as unknown[]) : [];
  const items: ResourcePart[] = [];
  let blobIndex = 0;
  for (const raw of contents) {
    const c = (typeof raw === 'object' && raw !== null ? raw : {}) as Contents;
    const uri = typeof c.uri === 'string' ? c.uri : '';
    const item: ResourcePart = { kind: 'resource', embedded: true, uri };
    if (typeof c.mimeType === 'string') item.mimeType = c.mimeType;
    if (typeof c['name'] === 'string') item.name = c['name'];
    if (typeof c['title'] === 'string') item.title = c['title'];
    if (typeof c.text === 'string') {
      item.text = c.text;
      item.language = languageFromMimeType(item.mimeType, uri);
      item.size = Buffer.byteLength(c.text, 'utf8');
    } else if (typeof c.blob === 'string') {
      item.data = decodeBase64(c.blob);
      item.size = item.data.length;
      item.suggestedFileName = suggestFileName(item.mimeType, ++blobIndex, options.baseName ?? 'resource', uri);
    } else {
      item.text = '';
      item.language = 'plaintext';
      item.size = 0;
    }
    items.push(item);
  }

  const texts = items.flatMap((i) => (i.text !== undefined ? [i.text] : []));
  const text = texts.length === 1 ? texts[0]! : texts.join('\n');
  const builder = new BoundedDocumentBuilder(max);
  let language: string;
  const only = items.length === 1 ? items[0]! : undefined;
  if (items.length === 0) {
    builder.frame('The resource has no contents.\n');
    language = 'plaintext';
  } else if (only?.text !== undefined) {
    builder.content(only.text);
    language = only.language ?? 'plaintext';
  } else if (only?.data !== undefined) {
    builder.frame(`Binary resource ${only.uri} (${only.mimeType ?? 'unknown type'}, ${formatBytes(only.size ?? 0)}). Use Save As to get its bytes as ${only.suggestedFileName ?? 'a file'}.\n`);
    language = 'plaintext';
  } else {
    language = 'markdown';
    items.forEach((item, index) => {
      builder.frame(`${index > 0 ? '\n' : ''}## ${index + 1}/${items.length} ${inlineCode(item.uri)}\n\n`);
      const meta = [item.mimeType, item.size !== undefined ? formatBytes(item.size) : undefined].filter((x): x is string => !!x);
      if (item.text !== undefined) {
        if (meta.length > 0) builder.frame(`${inlineCode(meta.join(', '), 200)}\n\n`);
        const fence = fenceFor(item.text);
        const lang = item.language && item.language !== 'plaintext' ? item.language : 'text';
        builder.frame(`${fence}${lang}\n`).content(item.text).frame(`${item.text.endsWith('\n') || item.text === '' ? '' : '\n'}${fence}\n`);
      } else {
        builder.frame(`${describePart(item)}\n`);
      }
    });
  }
  return { document: builder.build(language), text, items };
}
