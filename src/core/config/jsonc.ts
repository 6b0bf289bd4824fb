/**
 * JSONC parsing into a small located tree, so that validation works the same on file text (with offsets for
 * diagnostics) and on settings values (plain objects, no offsets), plus the problem sink used while reading.
 */
import * as jsonc from 'jsonc-parser';
import type { ConfigProblem, ConfigSource } from './types';

export type JsonPath = (string | number)[];

/** A range in the file text. */
export interface Loc {
  readonly offset: number;
  readonly length: number;
}

export type JNode =
  | { readonly kind: 'object'; readonly props: readonly JProp[]; readonly loc?: Loc }
  | { readonly kind: 'array'; readonly items: readonly JNode[]; readonly loc?: Loc }
  | { readonly kind: 'string'; readonly value: string; readonly loc?: Loc }
  | { readonly kind: 'number'; readonly value: number; readonly loc?: Loc }
  | { readonly kind: 'boolean'; readonly value: boolean; readonly loc?: Loc }
  | { readonly kind: 'null'; readonly loc?: Loc }
  /** Something JSON cannot hold (only from settings values), or a value missing in a broken file. */
  | { readonly kind: 'other'; readonly loc?: Loc };

export interface JProp {
  readonly key: string;
  readonly keyLoc?: Loc;
  readonly value: JNode;
}

export interface SyntaxProblem {
  readonly message: string;
  readonly offset: number;
  readonly length: number;
  /** Problem code: 'syntax', or 'too-deep' when the text nests deeper than `maxConfigDepth`. */
  readonly code: 'syntax' | 'too-deep';
}

/**
 * Deepest nesting of objects and arrays read from a configuration source. Real files nest a handful of levels;
 * the parser and the tree conversion recurse, so a hostile file nested 200,000 deep would overflow the stack.
 */
export const maxConfigDepth = 100;

/** A value in settings nests deeper than `maxConfigDepth` (the file case is a `SyntaxProblem` instead). */
export class ConfigTooDeepError extends Error {
  readonly code = 'too-deep';
  constructor() {
    super(tooDeepMessage);
    this.name = 'ConfigTooDeepError';
  }
}

const tooDeepMessage = `The configuration is nested more than ${maxConfigDepth} levels deep; it is not read.`;

/** Longest key or value quoted whole in a problem message; longer ones are cut (a hostile key can be megabytes). */
const maxQuoted = 80;

/** A key or value for a problem message: cut to `maxQuoted` characters, with an ellipsis when cut. */
export function quoted(text: string): string {
  return `"${text.length > maxQuoted ? `${text.slice(0, maxQuoted)}…` : text}"`;
}

const syntaxMessages: Record<string, string> = {
  InvalidSymbol: 'unexpected character',
  InvalidNumberFormat: 'invalid number',
  PropertyNameExpected: 'a property name in double quotes was expected',
  ValueExpected: 'a value was expected',
  ColonExpected: 'a colon (:) was expected',
  CommaExpected: 'a comma (,) was expected',
  CloseBraceExpected: 'a closing brace (}) was expected',
  CloseBracketExpected: 'a closing bracket (]) was expected',
  EndOfFileExpected: 'the end of the file was expected (extra text after the top-level value)',
  InvalidCommentToken: 'invalid comment',
  UnexpectedEndOfComment: 'a comment is not closed (missing */)',
  UnexpectedEndOfString: 'a string is not closed (missing ")',
  UnexpectedEndOfNumber: 'a number is cut off',
  InvalidUnicode: 'invalid unicode escape',
  InvalidEscapeCharacter: 'invalid escape character in a string',
  InvalidCharacter: 'invalid character in a string',
};

/**
 * Parses JSON with comments and trailing commas. Error tolerant: returns the tree it could recover along with
 * every syntax error (offset/length in `text`).
 */
export function parseJsonc(text: string): { root: JNode | undefined; errors: SyntaxProblem[] } {
  // Measured first, without recursion: the parser itself recurses once per level.
  const deep = tooDeepAt(text);
  if (deep !== undefined) return { root: undefined, errors: [{ message: tooDeepMessage, offset: deep, length: 1, code: 'too-deep' }] };
  const errors: jsonc.ParseError[] = [];
  const tree = jsonc.parseTree(text, errors, { allowTrailingComma: true, disallowComments: false, allowEmptyContent: true });
  return {
    root: tree ? fromTree(tree) : undefined,
    errors: errors.map((e) => {
      const code = jsonc.printParseErrorCode(e.error);
      return { message: `Syntax error: ${syntaxMessages[code] ?? code}.`, offset: e.offset, length: e.length, code: 'syntax' as const };
    }),
  };
}

// jsonc.SyntaxKind is a const enum (not importable under isolatedModules): its values for the tokens used below.
const openBrace = 1 as jsonc.SyntaxKind;
const closeBrace = 2 as jsonc.SyntaxKind;
const openBracket = 3 as jsonc.SyntaxKind;
const closeBracket = 4 as jsonc.SyntaxKind;
const endOfFile = 17 as jsonc.SyntaxKind;

/** Offset of the first bracket that opens a level deeper than `maxConfigDepth`, if any (strings and comments skipped). */
function tooDeepAt(text: string): number | undefined {
  const scanner = jsonc.createScanner(text, true);
  let depth = 0;
  for (let token = scanner.scan(); token !== endOfFile; token = scanner.scan()) {
    if (token === openBrace || token === openBracket) {
      if (++depth > maxConfigDepth) return scanner.getTokenOffset();
    } else if (token === closeBrace || token === closeBracket) {
      depth = Math.max(0, depth - 1);
    }
  }
  return undefined;
}

function fromTree(node: jsonc.Node): JNode {
  const loc = { offset: node.offset, length: node.length };
  switch (node.type) {
    case 'object': {
      const props: JProp[] = [];
      for (const p of node.children ?? []) {
        const [k, v] = p.children ?? [];
        if (!k || typeof k.value !== 'string') continue;
        props.push({
          key: k.value,
          keyLoc: { offset: k.offset, length: k.length },
          value: v ? fromTree(v) : { kind: 'other', loc: { offset: k.offset, length: k.length } },
        });
      }
      return { kind: 'object', props, loc };
    }
    case 'array':
      return { kind: 'array', items: (node.children ?? []).map(fromTree), loc };
    case 'string':
      return { kind: 'string', value: String(node.value), loc };
    case 'number':
      return { kind: 'number', value: Number(node.value), loc };
    case 'boolean':
      return { kind: 'boolean', value: node.value === true, loc };
    case 'null':
      return { kind: 'null', loc };
    default:
      return { kind: 'other', loc };
  }
}

/**
 * The same tree for a value that came from settings (no text, so no offsets).
 * @throws ConfigTooDeepError when the value nests deeper than `maxConfigDepth`.
 */
export function fromValue(value: unknown, depth = 0): JNode {
  if (value === null) return { kind: 'null' };
  if ((Array.isArray(value) || typeof value === 'object') && depth >= maxConfigDepth) throw new ConfigTooDeepError();
  if (Array.isArray(value)) return { kind: 'array', items: value.map((v) => fromValue(v, depth + 1)) };
  switch (typeof value) {
    case 'string':
      return { kind: 'string', value };
    case 'number':
      return Number.isFinite(value) ? { kind: 'number', value } : { kind: 'other' };
    case 'boolean':
      return { kind: 'boolean', value };
    case 'object':
      return { kind: 'object', props: Object.entries(value as object).map(([key, v]) => ({ key, value: fromValue(v, depth + 1) })) };
    default:
      return { kind: 'other' };
  }
}

/** Plain value of a node (for `headers` and the like). */
export function toValue(node: JNode): unknown {
  switch (node.kind) {
    case 'object':
      return Object.fromEntries(node.props.map((p) => [p.key, toValue(p.value)]));
    case 'array':
      return node.items.map(toValue);
    case 'null':
      return null;
    case 'other':
      return undefined;
    default:
      return node.value;
  }
}

/** How a node's type is called in messages: "a string", "an array", ... */
export function describeKind(node: JNode): string {
  switch (node.kind) {
    case 'object':
      return 'an object';
    case 'array':
      return 'an array';
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'boolean':
      return 'a boolean';
    case 'null':
      return 'null';
    default:
      return 'an invalid value';
  }
}

/**
 * The properties of an object, last one winning for a repeated key (like JSON.parse), with a warning on each
 * ignored earlier occurrence.
 */
export function objectProps(node: JNode & { kind: 'object' }, sink: ProblemSink, path: JsonPath, serverName?: string): JProp[] {
  const last = new Map<string, JProp>();
  for (const p of node.props) {
    const earlier = last.get(p.key);
    if (earlier) {
      sink.add('warning', [...path, p.key], `${quoted(p.key)} is defined more than once here; only the last one is used.`, earlier.keyLoc, serverName, 'duplicate-key');
    }
    last.set(p.key, p);
  }
  return [...last.values()];
}

/** Collects problems for one source; remembers the first error of each server (it keeps the server from starting). */
export class ProblemSink {
  readonly problems: ConfigProblem[] = [];
  private readonly firstError = new Map<string, string>();

  constructor(readonly source: ConfigSource) {}

  add(
    severity: ConfigProblem['severity'],
    path: readonly (string | number)[],
    message: string,
    loc?: Loc,
    serverName?: string,
    code?: string,
  ): void {
    const p: { -readonly [K in keyof ConfigProblem]: ConfigProblem[K] } = { severity, source: this.source, path: [...path], message };
    if (loc) {
      p.offset = loc.offset;
      p.length = loc.length;
    }
    if (serverName !== undefined) p.serverName = serverName;
    if (code !== undefined) p.code = code;
    this.problems.push(p);
    if (severity === 'error' && serverName !== undefined && !this.firstError.has(serverName)) {
      this.firstError.set(serverName, message);
    }
  }

  /** The first error reported for a server, if any. */
  errorOf(serverName: string): string | undefined {
    return this.firstError.get(serverName);
  }
}

/** Longest word and most candidates "did you mean" looks at: the distance costs length x length per candidate. */
const maxSuggestedWord = 64;
const maxCandidates = 64;

/**
 * The candidate closest to `word` by edit distance, if close enough to suggest ("did you mean"). Bounded: a word
 * longer than 64 characters gets no suggestion, only the first 64 candidates are compared, and a candidate whose
 * length alone puts it out of reach is skipped without computing the distance.
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  if (word.length > maxSuggestedWord) return undefined;
  const reach = Math.max(1, Math.min(3, Math.floor(word.length / 3)));
  let best: string | undefined;
  let bestScore = Infinity;
  const w = word.toLowerCase();
  for (const c of candidates.slice(0, maxCandidates)) {
    if (Math.abs(c.length - word.length) > reach) continue;
    const score = c.toLowerCase() === w ? 0 : distance(w, c.toLowerCase());
    if (score < bestScore) {
      best = c;
      bestScore = score;
    }
  }
  return best !== undefined && bestScore <= reach ? best : undefined;
}

/** Optimal string alignment distance: edits plus swaps of neighbours ("stdoi" -> "stdio" is 1). */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  const at = (i: number, j: number) => d[i]?.[j] ?? Infinity;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = v;
    }
  }
  return at(a.length, b.length);
}
