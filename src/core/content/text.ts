/**
 * Text helpers for result documents: JSON detection and re-indentation that keeps every token exact (a number
 * like 12345678901234567890 is not rounded through `JSON.parse`), markdown detection, code fences that cannot be
 * broken by the text inside them, and a document builder bounded to a byte budget.
 */
import { formatBytes } from './language';

/** JSON texts up to this size are checked with `JSON.parse`; bigger ones by their first and last characters. */
export const JSON_PARSE_LIMIT = 8 * 1024 * 1024;

/** Characters of our own headings and descriptions a document shows at most. */
const FRAME_BUDGET = 256 * 1024;

/** Indentation stops growing here, so pathological nesting cannot blow the output up quadratically. */
const MAX_INDENT_DEPTH = 64;

function firstNonSpace(text: string): number {
  let i = 0;
  while (i < text.length && isSpace(text.charCodeAt(i))) i++;
  return i;
}

function lastNonSpace(text: string): number {
  let i = text.length - 1;
  while (i >= 0 && isSpace(text.charCodeAt(i))) i--;
  return i;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

/**
 * Whether the whole text is a JSON object or array (scalars like `42` or `"x"` are not worth a JSON view).
 * Big texts are judged by their outer brackets only, to stay O(1) in memory.
 */
export function isJsonDocument(text: string): boolean {
  const start = firstNonSpace(text);
  const end = lastNonSpace(text);
  if (start >= end) return false;
  const open = text[start];
  const close = text[end];
  if (!((open === '{' && close === '}') || (open === '[' && close === ']'))) return false;
  if (text.length > JSON_PARSE_LIMIT) return true;
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Re-indents JSON text with two spaces, copying strings, numbers and literals exactly. Stops once the output
 * reaches `maxLength` characters (returns `complete: false`). Assumes valid JSON; on anything else it still
 * terminates and copies what it does not understand.
 */
export function reindentJson(text: string, maxLength = Infinity): { text: string; complete: boolean } {
  // String concatenation (V8 ropes) with per-depth separators computed once: ~2x faster than an array of
  // small pieces, and the output is flattened once at the end.
  let out = '';
  let depth = 0;
  const newline: string[] = ['\n'];
  const nl = (d: number): string => {
    const level = Math.min(d, MAX_INDENT_DEPTH);
    while (newline.length <= level) newline.push(`${newline[newline.length - 1]}  `);
    return newline[level]!;
  };
  let i = firstNonSpace(text);
  const n = text.length;
  while (i < n) {
    if (out.length >= maxLength) return { text: flatten(out), complete: false };
    const c = text.charCodeAt(i);
    if (c === 0x22 /* " */) {
      // Find the closing quote, skipping escaped ones; copy the string token verbatim.
      let j = i + 1;
      for (;;) {
        const q = text.indexOf('"', j);
        if (q < 0) {
          j = n;
          break;
        }
        let backslashes = 0;
        for (let k = q - 1; k > i && text.charCodeAt(k) === 0x5c; k--) backslashes++;
        j = q + 1;
        if (backslashes % 2 === 0) break;
      }
      out += text.slice(i, j);
      i = j;
      continue;
    }
    if (c === 0x7b /* { */ || c === 0x5b /* [ */) {
      // Empty containers stay on one line.
      let k = i + 1;
      while (k < n && isSpace(text.charCodeAt(k))) k++;
      if (text.charCodeAt(k) === (c === 0x7b ? 0x7d : 0x5d)) {
        out += c === 0x7b ? '{}' : '[]';
        i = k + 1;
        continue;
      }
      depth++;
      out += (c === 0x7b ? '{' : '[') + nl(depth);
      i++;
      continue;
    }
    if (c === 0x7d /* } */ || c === 0x5d /* ] */) {
      depth = Math.max(0, depth - 1);
      out += nl(depth) + (c === 0x7d ? '}' : ']');
      i++;
      continue;
    }
    if (c === 0x2c /* , */) {
      out += ',' + nl(depth);
      i++;
      continue;
    }
    if (c === 0x3a /* : */) {
      out += ': ';
      i++;
      continue;
    }
    if (isSpace(c)) {
      i++;
      continue;
    }
    // Number or literal: copy up to the next structural character or space.
    let j = i + 1;
    while (j < n) {
      const d = text.charCodeAt(j);
      if (d === 0x2c || d === 0x7d || d === 0x5d || d === 0x3a || d === 0x22 || isSpace(d)) break;
      j++;
    }
    out += text.slice(i, j);
    i = j;
  }
  return { text: flatten(out), complete: true };
}

/** Makes V8 flatten a rope now (cheap to index later) rather than on first use in the editor. */
function flatten(s: string): string {
  if (s.length > 0) s.charCodeAt(0);
  return s;
}

/** A backtick fence longer than any backtick run in `text`, so the text cannot close it. */
export function fenceFor(text: string): string {
  let longest = 0;
  const re = /`{3,}/g;
  for (let m = re.exec(text); m; m = re.exec(text)) longest = Math.max(longest, m[0].length);
  return '`'.repeat(Math.max(3, longest + 1));
}

/** Text inside inline code in our own markdown lines (URIs, names): one line, no backtick can escape. */
export function inlineCode(text: string, maxLength = 500): string {
  let one = text.replace(/[\r\n\u0000-\u001f\u007f\u2028\u2029]+/g, ' ');
  if (one.length > maxLength) one = `${one.slice(0, maxLength - 1)}…`;
  let longest = 0;
  for (const m of one.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  const ticks = '`'.repeat(longest + 1);
  const pad = one.startsWith('`') || one.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${one}${pad}${ticks}`;
}

/** UTF-8 byte length without copying (native). */
export function byteLength(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** The longest prefix of `text` whose UTF-8 form fits in `maxBytes`, preferring to end at a line break. */
export function cutToBytes(text: string, maxBytes: number): string {
  if (maxBytes <= 0) return '';
  let end = Math.min(text.length, maxBytes);
  let bytes = byteLength(text.slice(0, end));
  while (bytes > maxBytes && end > 0) {
    // Each UTF-16 unit is at most 3 UTF-8 bytes: shrink by at least the overshoot / 3.
    end -= Math.max(1, Math.ceil((bytes - maxBytes) / 3));
    bytes = byteLength(text.slice(0, end));
  }
  const c = text.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--; // do not split a surrogate pair
  const newline = text.lastIndexOf('\n', end - 1);
  if (newline >= 0 && end - newline < 4096 && end < text.length) end = newline + 1;
  return text.slice(0, end);
}

/** The marker a truncated document ends with. */
export function truncationMarker(shownBytes: number, totalBytes: number): string {
  return `… truncated: showing ${formatBytes(shownBytes)} of ${formatBytes(totalBytes)}; use the Save As button in the editor title to get everything`;
}

/** A document that may be too big to show: what to show, and the whole of it on demand. */
export interface BoundedDocument {
  /** At most `maxDisplayBytes` of content (plus short headings and truncation markers). */
  readonly content: string;
  /** VS Code language id. */
  readonly language: string;
  /** Set when `content` is not everything. */
  readonly truncated?: { shownBytes: number; totalBytes: number };
  /** The complete document, built on demand (may be very large: use it for Save As, not for display). */
  full(): string;
}

type Piece = { kind: 'text'; text: string } | { kind: 'lazy'; full: () => string };


/**
 * Builds a document from pieces under a byte budget. Content pieces consume the budget and are cut with a
 * marker when it runs out; `frame` pieces (our own short headings and descriptions) are always shown so that,
 * say, an image listed after a huge text is still visible.
 */
export class BoundedDocumentBuilder {
  private readonly pieces: Piece[] = [];
  private readonly shown: string[] = [];
  private remaining: number;
  private shownBytes = 0;
  private totalBytes = 0;
  private truncated = false;
  private frameRemaining = FRAME_BUDGET;
  private framesCut = false;

  constructor(readonly maxBytes: number) {
    this.remaining = maxBytes;
  }

  /**
   * Our own text (headings, descriptions of images and links): shown even after the content budget is spent,
   * within a budget of its own so a result of a million links cannot make a huge document.
   */
  frame(text: string): this {
    this.pieces.push({ kind: 'text', text });
    if (this.frameRemaining >= text.length) {
      this.frameRemaining -= text.length;
      this.shown.push(text);
    } else if (!this.framesCut) {
      this.framesCut = true;
      this.truncated = true;
      this.shown.push('\n… more items not shown; use the Save As button in the editor title to get everything\n');
    }
    return this;
  }

  /** Server content: shown within the budget, cut with a marker otherwise. */
  content(text: string): this {
    this.pieces.push({ kind: 'text', text });
    this.show(text, byteLength(text));
    return this;
  }

  /**
   * Server JSON, re-indented with every token kept exact. Only the part that fits is formatted now; `full()`
   * formats the whole. The truncation marker reports the raw text's size.
   */
  json(raw: string): this {
    const rawBytes = byteLength(raw);
    const r = reindentJson(raw, this.remaining + 1);
    if (r.complete) {
      this.pieces.push({ kind: 'text', text: r.text });
      this.show(r.text, byteLength(r.text));
    } else {
      this.pieces.push({ kind: 'lazy', full: () => reindentJson(raw).text });
      this.show(r.text, Math.max(rawBytes, byteLength(r.text) + 1));
    }
    return this;
  }

  private show(text: string, totalBytes: number): void {
    this.totalBytes += totalBytes;
    if (totalBytes <= this.remaining) {
      this.shown.push(text);
      this.remaining -= totalBytes;
      this.shownBytes += totalBytes;
      return;
    }
    const head = cutToBytes(text, this.remaining);
    const headBytes = byteLength(head);
    this.shownBytes += headBytes;
    this.remaining = 0;
    this.truncated = true;
    this.shown.push(head, head.endsWith('\n') || head.length === 0 ? '' : '\n', `\n${truncationMarker(headBytes, totalBytes)}\n`);
  }

  get isTruncated(): boolean {
    return this.truncated;
  }

  build(language: string): BoundedDocument {
    const pieces = this.pieces;
    const content = this.shown.length === 1 ? this.shown[0]! : this.shown.join('');
    // Not cached: the whole document can be huge and is needed once, for Save As.
    const full = this.truncated ? (): string => pieces.map((p) => (p.kind === 'text' ? p.text : p.full())).join('') : (): string => content;
    return this.truncated
      ? { content, language, truncated: { shownBytes: this.shownBytes, totalBytes: this.totalBytes }, full }
      : { content, language, full };
  }
}
