/**
 * Server schemas are untrusted, and a `pattern` like `^(a+)+$` makes JavaScript's backtracking engine run for
 * minutes on a 30-character input. We cannot prove a pattern safe, so we refuse the classic shapes of
 * catastrophic backtracking (a quantified group that contains a quantifier, back-references, huge patterns)
 * and never test a pattern against very long inputs. A refused pattern is skipped, not enforced: the server
 * validates its own arguments anyway.
 */

/** Patterns longer than this are not compiled. */
export const MAX_PATTERN_LENGTH = 1000;
/** Inputs longer than this are not tested against a pattern with two unbounded quantifiers (see maxInputLength). */
export const MAX_PATTERN_INPUT_LENGTH = 10_000;
/** A range count `{n,m}` above this is refused: `\d{0,2000}\d{0,2000}x` backtracks through m^k splits. */
export const MAX_PATTERN_RANGE = 100;
/** A fixed count `{n}` above this is refused. */
export const MAX_PATTERN_COUNT = 1000;
/** The product of the range counts of a pattern above this is refused (`\d{0,50}\d{0,50}\d{0,50}`). */
export const MAX_PATTERN_RANGE_PRODUCT = 10_000;

/** `{n}`, `{n,}`, `{n,m}` at the start of `text`: its bounds (hi = Infinity when open). */
function braceCount(text: string): { lo: number; hi: number; length: number } | undefined {
  const m = /^\{(\d+)(,(\d*))?\}/.exec(text);
  if (!m) return undefined;
  const lo = Number(m[1]);
  const hi = m[2] === undefined ? lo : m[3] === '' ? Infinity : Number(m[3]);
  return { lo, hi, length: m[0].length };
}

/** Why a pattern is not used, or undefined when it looks safe to run. */
export function unsafePatternReason(pattern: string): string | undefined {
  if (pattern.length > MAX_PATTERN_LENGTH) return `the pattern is longer than ${MAX_PATTERN_LENGTH} characters`;
  if (/\\[1-9]|\\k</.test(pattern)) return 'the pattern uses back-references';
  // Walk the pattern tracking groups. A repeated group that contains a quantifier (star height > 1: `(a+)+`,
  // `(\w*\s?)*`, `(?:x{2,})+`) or alternatives that may overlap (`(\w|\d)+`) is the shape that backtracks
  // exponentially. Alternatives that are distinct plain words (`(get|put)+`) are fine.
  const stack: { start: number; quantified: boolean; alternation: boolean }[] = [];
  let inClass = false;
  let rangeProduct = 1;
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') {
      inClass = true;
      continue;
    }
    if (c === '(') {
      stack.push({ start: i + 1, quantified: false, alternation: false });
      continue;
    }
    if (c === '|') {
      const top = stack[stack.length - 1];
      if (top) top.alternation = true;
      continue;
    }
    if (c === ')') {
      const group = stack.pop();
      const next = pattern[i + 1];
      // Any count that can repeat the group (`(?:a+){9}` backtracks like `(a+)+`), not `?`, `{0,1}` or `{1}`.
      const count = next === '{' ? braceCount(pattern.slice(i + 1)) : undefined;
      const repeated = next === '*' || next === '+' || (count !== undefined && count.hi > 1);
      if (group && repeated) {
        if (group.quantified) return 'the pattern nests quantifiers (catastrophic backtracking)';
        if (group.alternation && !distinctWords(pattern.slice(group.start, i))) return 'the pattern repeats alternatives that may overlap (catastrophic backtracking)';
      }
      // The group, as a unit, counts as quantified content for the group around it.
      const parent = stack[stack.length - 1];
      if (parent && (group?.quantified || repeated)) parent.quantified = true;
      continue;
    }
    const count = c === '{' ? braceCount(pattern.slice(i)) : undefined;
    if (count) {
      if (count.hi === count.lo ? count.lo > MAX_PATTERN_COUNT : count.hi > MAX_PATTERN_RANGE && count.hi !== Infinity) {
        return `the pattern repeats a part up to ${count.hi} times (slow backtracking)`;
      }
      if (count.lo > MAX_PATTERN_COUNT) return `the pattern repeats a part at least ${count.lo} times`;
      if (count.hi !== count.lo && count.hi !== Infinity) {
        rangeProduct *= count.hi + 1;
        if (rangeProduct > MAX_PATTERN_RANGE_PRODUCT) return 'the pattern combines counted repetitions whose product is too large (slow backtracking)';
      }
    }
    if (c === '*' || c === '+' || (count !== undefined && count.hi > 1)) {
      const top = stack[stack.length - 1];
      if (top) top.quantified = true;
    }
  }
  return undefined;
}

/** `get|put|delete` (after an optional `?:`): plain words whose first characters differ cannot overlap. */
function distinctWords(body: string): boolean {
  const words = body.replace(/^\?:/, '').split('|');
  if (!words.every((w) => /^[A-Za-z0-9_ -]+$/.test(w))) return false;
  return new Set(words.map((w) => w[0])).size === words.length;
}

/**
 * Even without nesting, k unbounded quantifiers in a row can take O(n^k) steps (`^\\d*\\d*\\d*x$`). Inputs are
 * tested only up to the length where n^k stays near 1e8 steps (100 ms or so); longer ones pass unchecked.
 */
export function maxInputLength(pattern: string): number {
  const bare = pattern.replace(/\[(?:\\.|[^\]\\])*\]/g, 'x').replace(/\\./g, 'x');
  // Ranges (`{0,90}`) split the input like `*` does.
  const unbounded = (bare.match(/[*+]|\{\d+,\d*\}/g) ?? []).length;
  if (unbounded <= 1) return MAX_PATTERN_INPUT_LENGTH * 10;
  return Math.min(MAX_PATTERN_INPUT_LENGTH, Math.floor(Math.pow(1e8, 1 / unbounded)));
}

/** What ajv calls to build a pattern (its `code.regExp` option); also used for quick-input validation. */
export interface SafeRegExp {
  test(input: string): boolean;
  /** Why the pattern is not enforced (unsafe or invalid), if it is not. */
  readonly skipped?: string;
  toString(): string;
}

const cache = new Map<string, SafeRegExp>();

/** A regular expression that refuses to run when running could hang. Invalid patterns throw (as `new RegExp`). */
export function safeRegExp(pattern: string, flags = 'u'): SafeRegExp {
  const key = `${flags}/${pattern}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const reason = unsafePatternReason(pattern);
  let made: SafeRegExp;
  if (reason) {
    made = { test: () => true, skipped: reason, toString: () => `/${pattern}/${flags} (skipped)` };
  } else {
    const rx = new RegExp(pattern, flags);
    const maxInput = maxInputLength(pattern);
    made = {
      test: (input: string) => input.length > maxInput || rx.test(input),
      toString: () => rx.toString(),
    };
  }
  if (cache.size > 500) cache.clear();
  cache.set(key, made);
  return made;
}

/** For ajv's `code.regExp` option (`code` only matters for standalone code generation, which we do not use). */
export const ajvRegExpEngine = Object.assign((pattern: string, u: string) => safeRegExp(pattern, u), { code: 'mcpHostSafeRegExp' });
