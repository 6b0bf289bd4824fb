/**
 * MCP results and resource contents -> what the editor shows (text + language) and what "insert" inserts.
 * Server text is untrusted: documents get `sanitizeText` (escape sequences and invisible characters removed).
 */
import type { CallToolResult, ContentBlock, GetPromptResult, ReadResourceResult, ResourceContents } from '../../core/mcp/sdk';
import { sanitizeText } from '../../core/trust/sanitize';

export interface RenderedResource {
  /** The document text: the contents, or a summary for binary contents. */
  readonly text: string;
  /** VS Code language id for the document, if one fits. */
  readonly language: string | undefined;
  /** Every part is binary (blob): nothing to insert as text. */
  readonly binary: boolean;
  /** The text parts joined (what Insert puts at the cursor); undefined when binary. */
  readonly insertText: string | undefined;
}

export interface BinaryPart {
  readonly kind: 'image' | 'audio' | 'blob';
  readonly mimeType: string;
  /** base64 */
  readonly data: string;
  /** A file name for it (from the resource URI or the kind). */
  readonly name: string;
}

export interface ResultLink {
  readonly uri: string;
  readonly name: string;
  readonly mimeType?: string;
  /** For embedded resources: the contents came with the result, no read needed. */
  readonly embedded?: ReadResourceResult['contents'][number];
}

export interface RenderedToolResult {
  readonly text: string;
  readonly language: 'json' | 'markdown';
  /** The result's own text (text blocks joined, else the structured content as JSON). */
  readonly insertText: string;
  readonly isError: boolean;
  readonly binaries: readonly BinaryPart[];
  readonly links: readonly ResultLink[];
}

const MIME_LANGUAGES: Record<string, string> = {
  'application/json': 'json',
  'application/ld+json': 'json',
  'application/schema+json': 'json',
  'application/x-ndjson': 'json',
  'application/javascript': 'javascript',
  'text/javascript': 'javascript',
  'application/typescript': 'typescript',
  'text/typescript': 'typescript',
  'text/markdown': 'markdown',
  'text/x-markdown': 'markdown',
  'text/html': 'html',
  'application/xhtml+xml': 'html',
  'text/css': 'css',
  'text/csv': 'csv',
  'application/xml': 'xml',
  'text/xml': 'xml',
  'image/svg+xml': 'xml',
  'application/yaml': 'yaml',
  'application/x-yaml': 'yaml',
  'text/yaml': 'yaml',
  'text/x-yaml': 'yaml',
  'application/toml': 'toml',
  'text/x-python': 'python',
  'application/x-python': 'python',
  'text/x-shellscript': 'shellscript',
  'application/x-sh': 'shellscript',
  'application/sql': 'sql',
  'text/x-sql': 'sql',
  'text/x-java': 'java',
  'text/x-c': 'c',
  'text/x-c++': 'cpp',
  'text/x-go': 'go',
  'text/x-rust': 'rust',
  'text/plain': 'plaintext',
};

/** A VS Code language id for a MIME type (`text/markdown; charset=utf-8` -> `markdown`). */
export function languageForMimeType(mimeType: string | undefined): string | undefined {
  if (!mimeType) return undefined;
  const base = mimeType.split(';')[0]?.trim().toLowerCase() ?? '';
  const known = MIME_LANGUAGES[base];
  if (known) return known;
  if (base.endsWith('+json')) return 'json';
  if (base.endsWith('+xml')) return 'xml';
  if (base.endsWith('+yaml')) return 'yaml';
  return undefined;
}

export function isTextContents(c: ResourceContents): c is ResourceContents & { text: string } {
  return typeof (c as { text?: unknown }).text === 'string';
}

export function base64Size(data: string): number {
  const clean = data.replace(/[^A-Za-z0-9+/]/g, '');
  return Math.floor((clean.length * 3) / 4);
}

function formatSize(n: number): string {
  if (n < 1024) return `${n} bytes`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB (${n} bytes)`;
  return `${(n / (1024 * 1024)).toFixed(1)} MiB (${n} bytes)`;
}

function binarySummary(c: ResourceContents): string {
  const blob = (c as { blob?: unknown }).blob;
  const size = typeof blob === 'string' ? base64Size(blob) : 0;
  return [
    'Binary resource (not shown as text)',
    `URI:  ${sanitizeText(c.uri)}`,
    `Type: ${sanitizeText(c.mimeType ?? 'unknown')}`,
    `Size: ${formatSize(size)}`,
    '',
    'Use "Save Resource As..." (the save button in the editor title) to save it to a file.',
  ].join('\n');
}

/** A resource read for a document: one part as is; several parts each under a header. */
export function resourceDocument(result: ReadResourceResult, requestedUri: string): RenderedResource {
  const contents = result.contents ?? [];
  if (contents.length === 0) return { text: `${requestedUri}: the server returned no contents.`, language: undefined, binary: false, insertText: '' };
  const texts = contents.filter(isTextContents);
  const binary = texts.length === 0;
  const insertText = binary ? undefined : texts.map((c) => c.text).join('\n');
  if (contents.length === 1) {
    const only = contents[0]!;
    if (isTextContents(only)) return { text: sanitizeText(only.text), language: languageForMimeType(only.mimeType), binary, insertText };
    return { text: binarySummary(only), language: 'plaintext', binary, insertText };
  }
  const languages = new Set(texts.map((c) => languageForMimeType(c.mimeType)));
  const parts = contents.map((c) => {
    const header = `──── ${sanitizeText(c.uri)}${c.mimeType ? ` (${sanitizeText(c.mimeType)})` : ''} ────`;
    return `${header}\n${isTextContents(c) ? sanitizeText(c.text) : binarySummary(c)}`;
  });
  const language = !binary && texts.length === contents.length && languages.size === 1 ? [...languages][0] : 'plaintext';
  return { text: parts.join('\n\n'), language, binary, insertText };
}

function tryJson(text: string): unknown {
  const t = text.trim();
  if (!(t.startsWith('{') || t.startsWith('['))) return undefined;
  try {
    return JSON.parse(t) as unknown;
  } catch {
    return undefined;
  }
}

function fileNameFor(kind: string, mimeType: string, i: number, uri?: string): string {
  if (uri) {
    const last = uri.split(/[/\\?#]/).filter((s) => s.length > 0).pop();
    if (last && /\.[A-Za-z0-9]{1,8}$/.test(last)) return last;
  }
  const sub = (mimeType.split('/')[1] ?? 'bin').split(/[;+]/)[0] ?? 'bin';
  const ext = sub === 'jpeg' ? 'jpg' : sub === 'mpeg' ? 'mp3' : sub === 'svg' ? 'svg' : /^[a-z0-9]{1,8}$/.test(sub) ? sub : 'bin';
  return `${kind}-${i + 1}.${ext}`;
}

/**
 * A tool result as one document: a single JSON text (or only structured content) is pretty JSON; everything
 * else is markdown with each block in order (images/audio as references to the saved files).
 */
export function toolResultDocument(result: CallToolResult): RenderedToolResult {
  const blocks: ContentBlock[] = Array.isArray(result.content) ? result.content : [];
  const isError = result.isError === true;
  const binaries: BinaryPart[] = [];
  const links: ResultLink[] = [];
  const texts: string[] = [];
  const sections: string[] = [];
  blocks.forEach((b, i) => {
    switch (b.type) {
      case 'text':
        texts.push(b.text);
        sections.push(sanitizeText(b.text));
        break;
      case 'image':
      case 'audio': {
        const name = fileNameFor(b.type, b.mimeType, i);
        binaries.push({ kind: b.type, mimeType: b.mimeType, data: b.data, name });
        sections.push(`*[${b.type}: ${sanitizeText(b.mimeType)}, ${formatSize(base64Size(b.data))} — opened as ${name}]*`);
        break;
      }
      case 'resource': {
        const r = b.resource;
        links.push({ uri: r.uri, name: r.uri, ...(r.mimeType ? { mimeType: r.mimeType } : {}), embedded: r });
        if (isTextContents(r)) {
          texts.push(r.text);
          const lang = languageForMimeType(r.mimeType) ?? '';
          sections.push(`**Resource** \`${sanitizeText(r.uri)}\`\n\n\`\`\`\`${lang}\n${sanitizeText(r.text)}\n\`\`\`\``);
        } else {
          const blob = (r as { blob?: unknown }).blob;
          if (typeof blob === 'string') binaries.push({ kind: 'blob', mimeType: r.mimeType ?? 'application/octet-stream', data: blob, name: fileNameFor('resource', r.mimeType ?? '', i, r.uri) });
          sections.push(`**Resource** \`${sanitizeText(r.uri)}\` (binary${r.mimeType ? `, ${sanitizeText(r.mimeType)}` : ''})`);
        }
        break;
      }
      case 'resource_link':
        links.push({ uri: b.uri, name: b.title ?? b.name, ...(b.mimeType ? { mimeType: b.mimeType } : {}) });
        sections.push(`**Resource link** ${sanitizeText(b.title ?? b.name)}: \`${sanitizeText(b.uri)}\`${b.description ? ` — ${sanitizeText(b.description)}` : ''}`);
        break;
      default:
        sections.push(`\`\`\`json\n${sanitizeText(JSON.stringify(b, null, 2))}\n\`\`\``);
    }
  });
  const structured = result.structuredContent;
  const structuredJson = structured !== undefined ? JSON.stringify(structured, null, 2) : undefined;
  const insertText = texts.length > 0 ? texts.join('\n') : (structuredJson ?? '');

  // One JSON text (maybe repeating the structured content), or only structured content: a JSON document.
  if (binaries.length === 0 && links.length === 0) {
    if (blocks.length === 0 && structuredJson !== undefined) return { text: sanitizeText(structuredJson), language: 'json', insertText, isError, binaries, links };
    if (blocks.length === 1 && texts.length === 1) {
      const parsed = tryJson(texts[0]!);
      const sameAsStructured = structured === undefined || JSON.stringify(parsed) === JSON.stringify(structured);
      if (parsed !== undefined && sameAsStructured) return { text: sanitizeText(JSON.stringify(parsed, null, 2)), language: 'json', insertText, isError, binaries, links };
    }
  }
  if (structuredJson !== undefined) sections.push(`**Structured content**\n\n\`\`\`json\n${sanitizeText(structuredJson)}\n\`\`\``);
  if (sections.length === 0) sections.push(isError ? '*The tool failed without a message.*' : '*The tool returned no content.*');
  const header = isError ? '**The tool reported an error.**\n\n' : '';
  return { text: header + sections.join('\n\n---\n\n'), language: 'markdown', insertText, isError, binaries, links };
}

/** The text of an error result, for the error message (first lines). */
export function errorTextOf(result: CallToolResult): string {
  const blocks: ContentBlock[] = Array.isArray(result.content) ? result.content : [];
  const text = blocks
    .filter((b): b is Extract<ContentBlock, { type: 'text' }> => b.type === 'text')
    .map((b) => b.text)
    .join('\n')
    .trim();
  return text === '' ? 'the tool failed without a message' : text;
}

export interface RenderedPrompt {
  /** Markdown: each message under a `## role` heading. */
  readonly markdown: string;
  /** The messages' text only (what Insert puts at the cursor), separated by blank lines. */
  readonly insertText: string;
}

/** A prompts/get result as a markdown document and as plain text. */
export function promptDocument(result: GetPromptResult, promptName: string): RenderedPrompt {
  const sections: string[] = [`# ${sanitizeText(promptName)}`];
  if (result.description) sections.push(`*${sanitizeText(result.description)}*`);
  const texts: string[] = [];
  for (const m of result.messages ?? []) {
    const c = m.content;
    let body: string;
    switch (c.type) {
      case 'text':
        texts.push(c.text);
        body = sanitizeText(c.text);
        break;
      case 'image':
      case 'audio':
        body = `*[${c.type}: ${sanitizeText(c.mimeType)}, ${formatSize(base64Size(c.data))}]*`;
        break;
      case 'resource': {
        const r = c.resource;
        if (isTextContents(r)) {
          texts.push(r.text);
          body = `**Resource** \`${sanitizeText(r.uri)}\`\n\n\`\`\`\`${languageForMimeType(r.mimeType) ?? ''}\n${sanitizeText(r.text)}\n\`\`\`\``;
        } else body = `**Resource** \`${sanitizeText(r.uri)}\` (binary${r.mimeType ? `, ${sanitizeText(r.mimeType)}` : ''})`;
        break;
      }
      case 'resource_link':
        body = `**Resource link** ${sanitizeText(c.title ?? c.name)}: \`${sanitizeText(c.uri)}\``;
        break;
      default:
        body = `\`\`\`json\n${sanitizeText(JSON.stringify(c, null, 2))}\n\`\`\``;
    }
    sections.push(`## ${m.role}\n\n${body}`);
  }
  if ((result.messages ?? []).length === 0) sections.push('*The prompt has no messages.*');
  return { markdown: sections.join('\n\n'), insertText: texts.join('\n\n') };
}
