import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { MAX_ERRORS, maxInputLength, safeRegExp, schemaToFields, unsafePatternReason, validateArgumentsAsync, validateFieldInput } from '../../../src/core/schema';

void describe('validating JSON-editor arguments against a tool schema', () => {
  void test('a 2020-12 schema uses prefixItems and $defs; a draft-07 one uses array items and definitions', async () => {
    const modern = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      properties: { point: { type: 'array', prefixItems: [{ type: 'number' }, { type: 'number' }], items: false }, tag: { $ref: '#/$defs/Tag' } },
      $defs: { Tag: { type: 'string', minLength: 1 } },
    };
    assert.equal((await validateArgumentsAsync(modern, { point: [1, 2], tag: 'x' })).valid, true);
    assert.deepEqual(
      (await validateArgumentsAsync(modern, { point: [1, 2, 3], tag: '' })).errors.map((e) => e.path),
      ['/point', '/tag'],
    );
    const legacy = {
      $schema: 'http://json-schema.org/draft-07/schema#',
      type: 'object',
      properties: { pair: { type: 'array', items: [{ type: 'string' }, { type: 'integer' }] }, t: { $ref: '#/definitions/T' } },
      definitions: { T: { type: 'boolean' } },
    };
    assert.equal((await validateArgumentsAsync(legacy, { pair: ['a', 1], t: true })).valid, true);
    assert.deepEqual((await validateArgumentsAsync(legacy, { pair: ['a', 'b'] })).errors, [{ path: '/pair/1', message: 'must be integer' }]);
  });

  void test('a draft-07 schema sent without $schema still compiles (array-form items)', async () => {
    const schema = { type: 'object', properties: { pair: { type: 'array', items: [{ type: 'string' }] } } };
    const r = (await validateArgumentsAsync(schema, { pair: [1] }));
    assert.equal(r.schemaError, undefined);
    assert.deepEqual(r.errors, [{ path: '/pair/0', message: 'must be string' }]);
  });

  void test('two tools with the same $id do not clash', async () => {
    const a = { $id: 'https://example.com/args.json', type: 'object', properties: { x: { type: 'string' } } };
    const b = { $id: 'https://example.com/args.json', type: 'object', properties: { x: { type: 'number' } } };
    assert.equal((await validateArgumentsAsync(a, { x: 's' })).valid, true);
    assert.equal((await validateArgumentsAsync(b, { x: 1 })).valid, true);
    assert.equal((await validateArgumentsAsync(b, { x: 's' })).valid, false);
  });

  void test('a root $id ajv cannot parse and a pattern invalid in unicode mode still compile', async () => {
    assert.equal((await validateArgumentsAsync({ $id: 'urn:tool', type: 'object', properties: { x: { type: 'string' } } }, { x: 1 })).errors[0]?.path, '/x');
    // `\_` is an identity escape: fine without the `u` flag, a syntax error with it.
    const underscored = { type: 'object', properties: { slug: { type: 'string', pattern: '^[a-z\\_]+$' } } };
    assert.equal((await validateArgumentsAsync(underscored, { slug: 'a_b' })).valid, true);
    assert.equal((await validateArgumentsAsync(underscored, { slug: 'a b' })).valid, false);
    const f = schemaToFields(underscored).fields[0]!;
    assert.equal(validateFieldInput(f, 'a b'), 'Must match the pattern ^[a-z\\_]+$');
  });

  void test('a draft-04 schema with boolean exclusive bounds is understood, declared or not', async () => {
    for (const $schema of ['http://json-schema.org/draft-04/schema#', undefined]) {
      const schema = { ...($schema ? { $schema } : {}), type: 'object', properties: { n: { type: 'number', minimum: 0, exclusiveMinimum: true } } };
      const r = (await validateArgumentsAsync(schema, { n: 0 }));
      assert.equal(r.schemaError, undefined, String($schema));
      assert.deepEqual(r.errors, [{ path: '/n', message: 'must be > 0' }]);
      assert.equal((await validateArgumentsAsync(schema, { n: 0.1 })).valid, true);
    }
  });

  void test("a server's invalid schema yields a schemaError entry instead of throwing", async () => {
    for (const bad of [{ type: 'strin' }, { type: 'object', properties: { a: { $ref: 'https://example.com/x.json' } } }, { type: 'object', properties: { a: { type: 'string', pattern: '(' } } }, 'nope', []]) {
      const r = (await validateArgumentsAsync(bad, {}));
      assert.equal(r.valid, false, JSON.stringify(bad));
      assert.ok(r.schemaError, JSON.stringify(bad));
      assert.equal(r.errors.length, 1);
      assert.equal(r.errors[0]!.path, '');
    }
    const cyclic: Record<string, unknown> = { type: 'object' };
    cyclic['self'] = cyclic;
    assert.match((await validateArgumentsAsync(cyclic, {})).schemaError ?? '', /refers to itself/);
  });

  void test('a schema over the size cap is not compiled', async () => {
    const properties = Object.fromEntries(Array.from({ length: 40_000 }, (_, i) => [`property_number_${i}`, { type: 'string', description: 'x'.repeat(40) }]));
    const r = (await validateArgumentsAsync({ type: 'object', properties }, {}));
    assert.match(r.schemaError ?? '', /too costly to check \(more than 20,000 nodes\)/);
    assert.equal(r.unchecked, 'tooCostly');
  });

  void test('a catastrophic-backtracking pattern is skipped and reported, and validation stays fast', async () => {
    const schema = { type: 'object', properties: { a: { type: 'string', pattern: '^(a+)+$' }, b: { type: 'string', pattern: '^(\\w*\\s?)*$' } } };
    const started = Date.now();
    const r = (await validateArgumentsAsync(schema, { a: `${'a'.repeat(40)}!`, b: `${'word '.repeat(30)}!` }));
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
    assert.equal(r.valid, true);
    assert.equal(r.skippedPatterns?.length, 2);
    assert.equal(unsafePatternReason('^[a-z0-9_-]{3,16}$'), undefined, 'ordinary patterns are enforced');
    assert.equal(safeRegExp('^[a-z]+$').test('Abc'), false);
    assert.match(unsafePatternReason('(a)\\1') ?? '', /back-references/);
    assert.match(unsafePatternReason('x'.repeat(2000)) ?? '', /longer than/);
  });

  void test('overlapping repeated alternatives are refused, distinct words are not, and long inputs meet no polynomial blow-up', async () => {
    assert.match(unsafePatternReason('^(\\w|\\d)+$') ?? '', /alternatives that may overlap/);
    assert.equal(unsafePatternReason('^(get|put|delete)+$'), undefined);
    assert.equal(unsafePatternReason('^(?:[+-]?\\d+)$'), undefined);
    assert.equal(maxInputLength('^[+-]?[a-z]+$'), 100_000, 'a + in a character class is not a quantifier');
    assert.equal(maxInputLength('^\\d*\\d*\\d*x$'), 464);
    const started = Date.now();
    const cubic = safeRegExp('^\\d*\\d*\\d*x$');
    assert.equal(cubic.test('1'.repeat(400)), false);
    assert.equal(cubic.test('1'.repeat(5000)), true, 'too long to test: passes unchecked');
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
  });

  void test('a long list of problems is capped', async () => {
    const schema = { type: 'object', properties: { list: { type: 'array', items: { type: 'string' } } } };
    const r = (await validateArgumentsAsync(schema, { list: Array.from({ length: 500 }, (_, i) => i) }));
    assert.equal(r.errors.length, MAX_ERRORS);
  });

  void test('validation never fills in defaults or changes the arguments', async () => {
    const args = { a: '1' };
    (await validateArgumentsAsync({ type: 'object', properties: { a: { type: 'string' }, b: { type: 'number', default: 3 } } }, args));
    assert.deepEqual(args, { a: '1' });
  });

  void test('the same schema object is compiled once and then validated in microseconds', async () => {
    const schema = { type: 'object', properties: Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`p${i}`, { type: 'string', format: 'date-time' }])) };
    const t0 = process.hrtime.bigint();
    (await validateArgumentsAsync(schema, {}));
    const first = Number(process.hrtime.bigint() - t0) / 1e6;
    const t1 = process.hrtime.bigint();
    for (let i = 0; i < 100; i++) (await validateArgumentsAsync(schema, { p1: '2025-01-01T00:00:00Z' }));
    const again = Number(process.hrtime.bigint() - t1) / 1e6 / 100;
    assert.ok(again * 5 < first, `compile ${first.toFixed(2)} ms, then ${again.toFixed(3)} ms per validation`);
  });

  void test('no schema and `true` accept anything; `false` accepts nothing', async () => {
    assert.equal((await validateArgumentsAsync(undefined, { any: 1 })).valid, true);
    assert.equal((await validateArgumentsAsync(true, 5)).valid, true);
    assert.equal((await validateArgumentsAsync(false, {})).valid, false);
  });
});
