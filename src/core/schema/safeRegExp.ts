/**
 * Server schemas are untrusted, and a `pattern` like `^(a+)+$` makes JavaScript's backtracking engine run for
 * minutes on a 30-character input. We cannot prove a pattern safe, so we refuse the classic shapes of
 * catastrophic backtracking (a quantified group that contains a quantifier, back-references, huge patterns)
 * and never test a pattern against very long inputs. A refused pattern is skipped, not enforced: the server
 * validates its own arguments anyway.
 */

/** Patterns longer than this are not compiled. */
export const MAX_PATTERN_LENGTH = 1000;
/** Inputs longer than this are not tested against a pattern (polynomial backtracking grows with length). */
export const MAX_PATTERN_INPUT_LENGTH = 10_000;

/** Why a pattern is not used, or undefined when it looks safe to run. */
export function unsafePatternReason(pattern: string): string | undefined {
  if (pattern.length > MAX_PATTERN_LENGTH) return `the pattern is longer than ${MAX_PATTERN_LENGTH} characters`;
  if (/\\[1-9]|\\k</.test(pattern)) return 'the pattern uses back-references';
  // Walk the pattern tracking groups; a group that contains a quantifier and is itself quantified
  // (star height > 1: `(a+)+`, `(\w*\s?)*`, `(?:x{2,})+`) is the shape that backtracks exponentially.
  const stack: { quantified: boolean }[] = [];
  let inClass = false;
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
      stack.push({ quantified: false });
      continue;
    }
    if (c === ')') {
      const group = stack.pop();
      const next = pattern[i + 1];
      const repeated = next === '*' || next === '+' || (next === '{' && /^\{\d*,\d*\}|^\{\d{2,}\}/.test(pattern.slice(i + 1)));
      if (group?.quantified && repeated) return 'the pattern nests quantifiers (catastrophic backtracking)';
      // The group, as a unit, counts as quantified content for the group around it.
      const parent = stack[stack.length - 1];
      if (parent && (group?.quantified || repeated)) parent.quantified = true;
      continue;
    }
    if (c === '*' || c === '+' || (c === '{' && /^\{\d*,?\d*\}/.test(pattern.slice(i)))) {
      const top = stack[stack.length - 1];
      if (top) top.quantified = true;
    }
  }
  return undefined;
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
    made = {
      test: (input: string) => input.length > MAX_PATTERN_INPUT_LENGTH || rx.test(input),
      toString: () => rx.toString(),
    };
  }
  if (cache.size > 500) cache.clear();
  cache.set(key, made);
  return made;
}

/** For ajv's `code.regExp` option (`code` only matters for standalone code generation, which we do not use). */
export const ajvRegExpEngine = Object.assign((pattern: string, u: string) => safeRegExp(pattern, u), { code: 'mcpHostSafeRegExp' });
