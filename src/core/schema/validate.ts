/**
 * Validation of tool arguments against a server's input schema. The schema is untrusted: it is measured here
 * first (size, nodes, depth: a walk with a budget), and ajv runs only in a worker thread with deadlines
 * (schemaChecker.ts). When a schema is too costly to check, the answer says so (`unchecked: 'tooCostly'` and a
 * message for the user): the arguments were not checked, which is never reported as "valid".
 */
import { checkAsync, checkSync, prepareCheck, type CheckOutcome } from './schemaChecker';
import { isObject } from './jsonSchema';

/** One problem with the arguments. `path` is a JSON Pointer into the arguments (`''` = the whole object). */
export interface ArgumentError {
  path: string;
  message: string;
}

export interface ArgumentValidation {
  valid: boolean;
  errors: ArgumentError[];
  /**
   * Set when the *schema* could not be used (invalid, too big, too costly, remote `$ref`): the arguments were
   * not checked. The UI says so and may offer to send anyway; the server validates them too.
   */
  schemaError?: string;
  /**
   * Why the arguments were not checked: `tooCostly` (the schema is too large, too deep, or compiling or checking
   * it ran over its time budget), `unavailable` (the checker could not run), `pending` (a synchronous check
   * while the schema is still compiling: not known yet, ask again or use validateArgumentsAsync).
   */
  unchecked?: 'tooCostly' | 'unavailable' | 'pending';
  /** Patterns that were not enforced because they could hang the editor (see safeRegExp). */
  skippedPatterns?: string[];
}

/** Schemas bigger than this (as JSON) are not compiled. */
export const MAX_SCHEMA_JSON_LENGTH = 2 * 1024 * 1024;
/** Schemas with more nodes (objects, arrays and values) than this are not compiled: ajv needs seconds. */
export const MAX_SCHEMA_NODES = 20_000;
/** Schemas nested deeper than this are not compiled (real ones are a few levels deep). */
export const MAX_SCHEMA_DEPTH = 100;

export { MAX_ERRORS } from './schemaProtocol';

/** The text shown when a schema was too costly to check. */
export function tooCostlyMessage(why: string): string {
  return `The tool's input schema is too costly to check (${why}); the arguments were not checked here (the server checks them).`;
}

/** Why a schema is too big to compile at all, from a walk that stops at the budget; undefined when it is not. */
export function schemaSizeProblem(schema: object): string | undefined {
  let nodes = 0;
  let chars = 0;
  const stack: [unknown, number][] = [[schema, 1]];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [v, depth] = top;
    if (++nodes > MAX_SCHEMA_NODES) return `more than ${MAX_SCHEMA_NODES.toLocaleString('en-US')} nodes`;
    if (typeof v === 'string') chars += v.length;
    if (chars > MAX_SCHEMA_JSON_LENGTH) return `more than ${MAX_SCHEMA_JSON_LENGTH / 1024 / 1024} MiB of text`;
    if (v === null || typeof v !== 'object') continue;
    if (depth > MAX_SCHEMA_DEPTH) return `nested more than ${MAX_SCHEMA_DEPTH} levels deep, or it refers to itself`;
    for (const [k, child] of Object.entries(v)) {
      chars += k.length;
      stack.push([child, depth + 1]);
    }
  }
  return undefined;
}

type Prechecked = { answer: ArgumentValidation } | { schema: object };

function precheck(schema: unknown): Prechecked {
  if (schema === undefined || schema === true) return { answer: { valid: true, errors: [] } };
  if (schema === false) return { answer: { valid: false, errors: [{ path: '', message: 'the schema accepts no value' }] } };
  if (!isObject(schema)) {
    const schemaError = "The tool's input schema is not a JSON Schema object.";
    return { answer: { valid: false, errors: [{ path: '', message: schemaError }], schemaError } };
  }
  const size = sizeProblems.has(schema) ? sizeProblems.get(schema) : schemaSizeProblem(schema);
  sizeProblems.set(schema, size);
  if (size !== undefined) return { answer: unchecked('tooCostly', tooCostlyMessage(size)) };
  return { schema };
}

const sizeProblems = new WeakMap<object, string | undefined>();

function unchecked(kind: 'tooCostly' | 'unavailable', schemaError: string): ArgumentValidation {
  return { valid: false, errors: [{ path: '', message: schemaError }], schemaError, unchecked: kind };
}

function fromOutcome(outcome: CheckOutcome): ArgumentValidation {
  switch (outcome.kind) {
    case 'result': {
      const r = { ...outcome.result };
      if (outcome.skippedPatterns.length > 0) r.skippedPatterns = [...outcome.skippedPatterns];
      return r;
    }
    case 'schemaError':
      return { valid: false, errors: [{ path: '', message: outcome.message }], schemaError: outcome.message };
    case 'tooCostly':
      return unchecked('tooCostly', tooCostlyMessage(outcome.why));
    case 'unavailable':
      return unchecked('unavailable', `The arguments could not be checked against the tool's input schema (${outcome.why}).`);
    case 'pending':
      return { valid: true, errors: [], unchecked: 'pending' };
  }
}

/**
 * Validates a tool's arguments against its input schema, blocking for at most ~100 ms per step (quick input
 * checks on each keystroke). While the schema is still compiling the answer is `unchecked: 'pending'`
 * (`valid: true`: do not block typing); final checks use validateArgumentsAsync. Never throws.
 */
export function validateArguments(schema: unknown, value: unknown): ArgumentValidation {
  const pre = precheck(schema);
  return 'answer' in pre ? pre.answer : fromOutcome(checkSync(pre.schema, value));
}

/**
 * Validates a tool's arguments without blocking the host (the JSON editor's Run, the end of a form): waits
 * for the compile, bounded by deadlines after which the schema is reported too costly. Never rejects.
 */
export async function validateArgumentsAsync(schema: unknown, value: unknown): Promise<ArgumentValidation> {
  const pre = precheck(schema);
  return 'answer' in pre ? pre.answer : fromOutcome(await checkAsync(pre.schema, value));
}

/** Starts compiling a tool's schema in the background (when its arguments are about to be asked for). */
export function prepareArgumentsCheck(schema: unknown): Promise<void> {
  const pre = precheck(schema);
  return 'answer' in pre ? Promise.resolve() : prepareCheck(pre.schema);
}
