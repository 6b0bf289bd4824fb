/**
 * ajv behind the schema checker: compiles a tool's input schema and validates arguments against it. Runs only in
 * the schema worker (schemaWorker.ts), never on the extension host's thread: compiling a server's schema can take
 * seconds and validating can take exponential time, and only a worker can be stopped when it does.
 */
import type { default as Ajv, ErrorObject, Options, ValidateFunction } from 'ajv';
import { isObject, setOwn } from './jsonSchema';
import { ajvRegExpEngine, safeRegExp } from './safeRegExp';

import { MAX_ERRORS } from './schemaProtocol';
import type { ArgumentValidation } from './validate';

// 2019-09 is rare in MCP and close to 2020-12 (only `$recursiveRef` differs): it shares the 2020 validator,
// which saves ~25 KB of bundle.
type Dialect = 'draft-07' | '2020-12';
/** A compiled schema, or why it cannot be used. */
export type Compiled = { validate: ValidateFunction; skippedPatterns: string[] } | { schemaError: string };
const instances = new Map<string, Ajv>();

function ajvFor(dialect: Dialect, unicode: boolean): Ajv {
  const key = `${dialect}:${unicode}`;
  let ajv = instances.get(key);
  if (!ajv) {
    const options: Options = {
      strict: false,
      allErrors: true,
      // Two tools (or two servers) may use the same `$id`: never register schemas globally.
      addUsedSchema: false,
      // Checking schemas against the meta-schema costs 100-350 ms on first use; ajv's keyword definitions still
      // reject wrong keyword types (`type: 'strin'`, `required: 'x'`) at compile time, which is what we need.
      validateSchema: false,
      unicodeRegExp: unicode,
      code: { regExp: ajvRegExpEngine },
      // Do not let a server's `default`s mutate the user's arguments.
      useDefaults: false,
      coerceTypes: false,
      loopRequired: 200,
      loopEnum: 200,
      messages: true,
    };
    // ajv and ajv-formats load on the first validation, not with the extension: evaluating them (and compiling
    // ajv-formats' regexps) is activation time spent for a feature most sessions use late or never.
    /* eslint-disable @typescript-eslint/no-require-imports -- deliberate lazy loads */
    const AjvClass = dialect === '2020-12' ? (require('ajv/dist/2020') as typeof import('ajv/dist/2020')).default : (require('ajv') as typeof import('ajv')).default;
    const addFormats = (require('ajv-formats') as typeof import('ajv-formats')).default;
    /* eslint-enable @typescript-eslint/no-require-imports */
    ajv = new AjvClass(options);
    addFormats(ajv);
    instances.set(key, ajv);
  }
  return ajv;
}

/** The dialect a schema declares; MCP (2025-11-25) makes 2020-12 the default when `$schema` is absent. */
function declaredDialect(schema: object): Dialect | undefined {
  const s = (schema as Record<string, unknown>)['$schema'];
  if (typeof s !== 'string') return undefined;
  if (s.includes('2020-12') || s.includes('2019-09')) return '2020-12';
  if (/draft-0[4-7]/.test(s)) return 'draft-07';
  return undefined;
}

/**
 * Draft-04 spelled exclusive bounds as booleans next to `minimum`/`maximum` and ids as `id`; rewrites them the
 * draft-06+ way (a copy; depth-bounded) so the draft-07 validator accepts old servers' schemas.
 */
export function fromDraft04(schema: unknown, depth = 0): unknown {
  if (depth > 64) return schema;
  if (Array.isArray(schema)) return schema.map((s) => fromDraft04(s, depth + 1));
  if (!isObject(schema)) return schema;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(schema)) {
    // Values of these keywords are data, not schemas.
    setOwn(out, key, key === 'enum' || key === 'const' || key === 'default' || key === 'examples' ? value : fromDraft04(value, depth + 1));
  }
  for (const [flag, bound] of [
    ['exclusiveMinimum', 'minimum'],
    ['exclusiveMaximum', 'maximum'],
  ] as const) {
    if (typeof out[flag] === 'boolean') {
      if (out[flag] === true && typeof out[bound] === 'number') {
        out[flag] = out[bound];
        delete out[bound];
      } else {
        delete out[flag];
      }
    }
  }
  if (typeof out['id'] === 'string' && out['$id'] === undefined) {
    out['$id'] = out['id'];
    delete out['id'];
  }
  return out;
}

let schemaSeq = 0;

function compileWith(dialect: Dialect, unicode: boolean, schema: object, dropId: boolean, draft04: boolean): ValidateFunction {
  const ajv = ajvFor(dialect, unicode);
  // Ajv picks the meta-schema by `$schema`; a draft-04/06 URI it does not know would fail to compile, so compile
  // a copy without it (the dialect is chosen above). A root `$id` ajv cannot parse (`urn:x`) is dropped on retry.
  const { $schema: _s, ...rest } = (draft04 ? fromDraft04(schema) : schema) as Record<string, unknown>;
  if (dropId) delete rest['$id'];
  // Without an `$id`, ajv (addUsedSchema: false) cannot resolve `$ref: '#'` (a recursive schema failed to
  // compile): give the root a private one.
  if (typeof rest['$id'] !== 'string') rest['$id'] = `urn:mcp-host:tool-schema:${++schemaSeq}`;
  const source = rest;
  try {
    return ajv.compile(source);
  } finally {
    // compile() caches by object identity forever; tools come and go, so do not keep them alive.
    ajv.removeSchema(source);
  }
}

function collectSkippedPatterns(schema: unknown, out: Set<string>, depth = 0): void {
  if (depth > 64) return;
  if (Array.isArray(schema)) {
    for (const s of schema) collectSkippedPatterns(s, out, depth + 1);
    return;
  }
  if (!isObject(schema)) return;
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'pattern' && typeof value === 'string') {
      try {
        const rx = safeRegExp(value);
        if (rx.skipped) out.add(`${value}: ${rx.skipped}`);
      } catch {
        // invalid patterns make compile fail and are reported there
      }
    } else if (key === 'patternProperties' && isObject(value)) {
      for (const p of Object.keys(value)) {
        const rx = (() => {
          try {
            return safeRegExp(p);
          } catch {
            return undefined;
          }
        })();
        if (rx?.skipped) out.add(`${p}: ${rx.skipped}`);
      }
      collectSkippedPatterns(value, out, depth + 1);
    } else if (typeof value === 'object' && value !== null && key !== 'enum' && key !== 'const' && key !== 'default' && key !== 'examples') {
      collectSkippedPatterns(value, out, depth + 1);
    }
  }
}

/** Compiles a tool's input schema (trying the dialects and fixes a retry can help with). Never throws. */
export function compileSchema(schema: object): Compiled {
  const declared = declaredDialect(schema);
  // Servers often send draft-07 keywords without `$schema` (e.g. array-form `items`): fall back between dialects.
  const order: Dialect[] = declared ? [declared, ...(['2020-12', 'draft-07'] as const).filter((d) => d !== declared)] : ['2020-12', 'draft-07'];
  // Retry only for the failures a retry can fix: another dialect, patterns without the `u` flag (`[\w-]` and
  // friends are errors in unicode mode), a root `$id` ajv cannot parse. Each compile of a huge schema is costly.
  let firstError: unknown;
  const s = (schema as Record<string, unknown>)['$schema'];
  const declared04 = typeof s === 'string' && /draft-0[34]/.test(s);
  type Attempt = { dialect: Dialect; unicode: boolean; dropId: boolean; draft04: boolean };
  const attempts: Attempt[] = order.map((dialect) => ({ dialect, unicode: true, dropId: false, draft04: declared04 }));
  const retried = new Set<string>();
  for (let i = 0; i < attempts.length && i < 8; i++) {
    const attempt = attempts[i]!;
    try {
      const validate = compileWith(attempt.dialect, attempt.unicode, schema, attempt.dropId, attempt.draft04);
      const skipped = new Set<string>();
      collectSkippedPatterns(schema, skipped);
      return { validate, skippedPatterns: [...skipped] };
    } catch (err) {
      firstError ??= err;
      const message = errorText(err);
      const retry = (reason: string, change: Partial<Attempt>): void => {
        if (retried.has(reason)) return;
        retried.add(reason);
        attempts.push(...order.map((dialect) => ({ ...attempt, dialect, ...change })));
      };
      if (attempt.unicode && /regular expression|pattern/i.test(message)) retry('unicode', { unicode: false });
      if (!attempt.dropId && '$id' in schema && /uri|urn|\bid\b|resolve/i.test(message)) retry('id', { dropId: true });
      if (!attempt.draft04 && /exclusiveM/.test(message)) retry('draft04', { draft04: true });
    }
  }
  return { schemaError: `The tool's input schema is invalid: ${errorText(firstError)}` };
}

function errorText(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.length > 500 ? `${text.slice(0, 500)}…` : text;
}

function messageFor(e: ErrorObject): string {
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'required':
      return `"${String(p['missingProperty'])}" is required`;
    case 'additionalProperties':
      return `unknown property "${String(p['additionalProperty'])}"`;
    case 'enum': {
      const allowed = Array.isArray(p['allowedValues']) ? (p['allowedValues'] as unknown[]) : [];
      const shown = allowed.slice(0, 10).map((v) => JSON.stringify(v)).join(', ');
      return `must be one of ${shown}${allowed.length > 10 ? ', …' : ''}`;
    }
    case 'const':
      return `must be ${JSON.stringify(p['allowedValue'])}`;
    case 'type':
      return `must be ${String(p['type']).replace(/,/g, ' or ')}`;
    default:
      return e.message ?? `fails "${e.keyword}"`;
  }
}

/** Validates arguments against a compiled schema. Never throws. */
export function validateCompiled(entry: Compiled, value: unknown): ArgumentValidation {
  if ('schemaError' in entry) return { valid: false, errors: [{ path: '', message: entry.schemaError }], schemaError: entry.schemaError };
  let ok: boolean;
  try {
    ok = entry.validate(value) as boolean;
  } catch (err) {
    // e.g. a stack overflow on a deeply recursive schema/value
    return { valid: false, errors: [{ path: '', message: `could not be checked: ${errorText(err)}` }] };
  }
  const result: ArgumentValidation = { valid: ok, errors: [] };
  if (entry.skippedPatterns.length > 0) result.skippedPatterns = entry.skippedPatterns;
  if (ok) return result;
  const seen = new Set<string>();
  for (const e of entry.validate.errors ?? []) {
    // anyOf/oneOf report every branch's failure and then their own; keep it readable.
    if (e.keyword === 'if') continue;
    const error = { path: e.instancePath, message: messageFor(e) };
    const key = `${error.path}\u0000${error.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    result.errors.push(error);
    if (result.errors.length >= MAX_ERRORS) break;
  }
  if (result.errors.length === 0) result.errors.push({ path: '', message: 'does not match the schema' });
  return result;
}
