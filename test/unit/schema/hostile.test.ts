/**
 * Tool schemas built to freeze the extension host (issue 10, finding 5). Each call is timed on its own and must
 * finish far below what it took before (each of these blocked for more than 10 s), and the outcome must say that
 * the schema was too costly to check, never pass silently.
 */
import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  MAX_SKELETON_NODES,
  prepareArgumentsCheck,
  safeRegExp,
  schemaToFields,
  skeletonFromSchema,
  summarizeArguments,
  unsafePatternReason,
  validateArguments,
  validateArgumentsAsync,
  validateFieldInput,
} from '../../../src/core/schema';
import { anyOfChain, selfRefFanOut, slowPatterns, wideObject } from './hostileSchemas';

/** Generous: each of these took more than 10 s before; a loaded 2-core machine still does them in ~0.2 s. */
const LIMIT_MS = 1000;

function timed<T>(what: string, f: () => T): T {
  const t0 = performance.now();
  const r = f();
  const ms = performance.now() - t0;
  assert.ok(ms < LIMIT_MS, `${what} took ${ms.toFixed(0)} ms`);
  return r;
}

async function timedAsync<T>(what: string, f: () => Promise<T>, limit = LIMIT_MS * 3): Promise<T> {
  const t0 = performance.now();
  const r = await f();
  const ms = performance.now() - t0;
  assert.ok(ms < limit, `${what} took ${ms.toFixed(0)} ms`);
  return r;
}

const TOO_COSTLY = /too costly to check/;

void describe('hostile tool schemas do not freeze the host', () => {
  void test('a 26-level anyOf chain of $refs: validation stops at its budget and says the schema was too costly', async () => {
    const schema = anyOfChain();
    assert.ok(JSON.stringify(schema).length < 2000);
    await prepareArgumentsCheck(schema);
    // The quick input's check on a keystroke (synchronous): bounded, and it does not block typing.
    const field = timed('fields', () => schemaToFields(schema)).fields[0]!;
    const sync = timed('a synchronous check', () => validateArguments(schema, { x: 1 }));
    assert.equal(sync.unchecked, 'tooCostly');
    assert.match(sync.schemaError ?? '', TOO_COSTLY);
    assert.equal(sync.valid, false, 'not reported as valid');
    assert.equal(timed('a keystroke', () => validateFieldInput(field, '1')), undefined);
    // Remembered: the next check answers at once.
    const again = timed('the next check', () => validateArguments(schema, { x: 'a' }));
    assert.equal(again.unchecked, 'tooCostly');
    // The JSON editor's Run (asynchronous) says the same, and a fresh copy of the schema is caught by time.
    const run = await timedAsync('Run', () => validateArgumentsAsync(anyOfChain(), { x: 1 }));
    assert.equal(run.unchecked, 'tooCostly');
    assert.match(run.schemaError ?? '', TOO_COSTLY);
    timed('skeleton', () => skeletonFromSchema(schema));
    timed('summary', () => summarizeArguments(schema));
    // The checker recovers for the next tool.
    const next = await validateArgumentsAsync({ type: 'object', properties: { n: { type: 'integer' } } }, { n: 'x' });
    assert.deepEqual(next.errors, [{ path: '/n', message: 'must be integer' }]);
  });

  void test('12 required self-$ref properties: the skeleton stops at its node budget and says it is incomplete', async () => {
    const schema = selfRefFanOut();
    assert.ok(JSON.stringify(schema).length < 500);
    const warnings: string[] = [];
    const skeleton = timed('skeleton', () => skeletonFromSchema(schema, undefined, { warnings }));
    assert.match(warnings.join('\n'), /too large to fill in completely/);
    const size = JSON.stringify(skeleton).length;
    assert.ok(size < MAX_SKELETON_NODES * 20, `skeleton of ${size} characters`);
    assert.deepEqual(Object.keys(skeleton as object), 'abcdefghijkl'.split(''));
    timed('fields', () => schemaToFields(schema));
    timed('summary', () => summarizeArguments(schema));
    // A recursive schema compiles ($ref '#'): the skeleton's deepest placeholders are checked.
    const r = await timedAsync('Run', () => validateArgumentsAsync(schema, { a: {} }));
    assert.equal(r.schemaError, undefined);
    assert.ok(r.errors.some((e) => e.path === '/a' && /"b" is required/.test(e.message)), JSON.stringify(r.errors.slice(0, 3)));
  });

  void test('patterns with large counts or a counted group of quantifiers are refused and reported as not enforced', async () => {
    for (const pattern of slowPatterns) {
      assert.ok(unsafePatternReason(pattern), pattern);
      const schema = { type: 'object', properties: { s: { type: 'string', pattern } } };
      const field = schemaToFields(schema).fields[0]!;
      const input = pattern.includes('a+') ? 'a'.repeat(40) : `${'1'.repeat(6000)}y`;
      assert.equal(timed(`a keystroke against ${pattern}`, () => validateFieldInput(field, input)), undefined);
      const r = await timedAsync('Run', () => validateArgumentsAsync(schema, { s: input }));
      assert.equal(r.valid, true);
      assert.equal(r.skippedPatterns?.length, 1, 'the pattern is reported as not enforced');
      assert.match(r.skippedPatterns?.[0] ?? '', /slow backtracking|nests quantifiers/);
    }
    assert.ok(unsafePatternReason('^\\d{0,50}\\d{0,50}\\d{0,50}$'), 'a product of counts');
    assert.ok(unsafePatternReason('^(?:ab){2,}$') === undefined, 'a counted group without a quantifier inside');
    assert.equal(unsafePatternReason('^[0-9]{4}-[0-9]{2}-[0-9]{2}$'), undefined);
    assert.equal(unsafePatternReason('^[a-f0-9]{128}$'), undefined, 'a large fixed count does not backtrack');
    assert.equal(safeRegExp('^[a-z]{1,64}$').test('abc'), true);
  });

  void test('an object with 40,000 properties is not compiled: too costly, and the form sends the user to JSON', async () => {
    const schema = wideObject();
    const sync = timed('a synchronous check', () => validateArguments(schema, {}));
    assert.equal(sync.unchecked, 'tooCostly');
    assert.match(sync.schemaError ?? '', TOO_COSTLY);
    const run = await timedAsync('Run', () => validateArgumentsAsync(wideObject(), { p1: 'x' }), LIMIT_MS);
    assert.equal(run.unchecked, 'tooCostly');
    const fields = timed('fields', () => schemaToFields(schema));
    assert.equal(fields.needsJsonEditor, true);
    assert.match(fields.warnings.join('\n'), /40000 properties/);
    timed('skeleton', () => skeletonFromSchema(schema, undefined, { includeOptional: true }));
    timed('summary', () => summarizeArguments(schema));
  });

  void test('compiling a big schema happens in the worker: a keystroke check meanwhile answers "pending" at once', async () => {
    const schema = wideObject(3000);
    const sync = timed('a check during the compile', () => validateArguments(schema, { p1: 1 }));
    assert.equal(sync.unchecked, 'pending');
    assert.equal(sync.valid, true, 'typing is not blocked');
    const run = await validateArgumentsAsync(schema, { p1: 1 });
    assert.deepEqual(run.errors, [{ path: '/p1', message: 'must be string' }]);
    // ajv never ran on this thread.
    assert.deepEqual(Object.keys(require.cache).filter((f) => /[\\/]node_modules[\\/]ajv/.test(f)), []);
  });
});
