import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { skeletonFromSchema, validateArgumentsAsync } from '../../../src/core/schema';

const schema = {
  type: 'object',
  properties: {
    query: { type: 'string' },
    limit: { type: 'integer', minimum: 1, default: 10 },
    mode: { enum: ['fast', 'exact'] },
    when: { type: 'string', examples: ['2025-01-01'] },
    filters: { type: 'object', properties: { lang: { type: 'string', default: 'en' }, tags: { type: 'array', items: { type: 'string' } } }, required: ['tags'] },
    verbose: { type: 'boolean' },
    level: { anyOf: [{ type: 'integer', minimum: 2 }, { type: 'null' }] },
  },
  required: ['query', 'mode', 'filters', 'level'],
};

void describe('skeleton documents for the JSON editor', () => {
  void test('defaults and examples are filled in, required properties get typed placeholders, optional ones without a default are left out', async () => {
    assert.deepEqual(skeletonFromSchema(schema), {
      query: '',
      limit: 10,
      mode: 'fast',
      when: '2025-01-01',
      filters: { lang: 'en', tags: [] },
      level: 2,
    });
  });

  void test('includeOptional adds placeholders for every property', async () => {
    const s = skeletonFromSchema(schema, undefined, { includeOptional: true }) as Record<string, unknown>;
    assert.equal(s['verbose'], false);
  });

  void test('previous arguments win, nested ones merge with the schema, and keys the schema no longer has are kept', async () => {
    const previous = { query: 'cats', filters: { tags: ['a'] }, old: 1 };
    assert.deepEqual(skeletonFromSchema(schema, previous), {
      query: 'cats',
      limit: 10,
      mode: 'fast',
      when: '2025-01-01',
      filters: { lang: 'en', tags: ['a'] },
      level: 2,
      old: 1,
    });
  });

  void test('a recursive schema stops at a bounded depth and the skeleton is still JSON', async () => {
    const recursive = { type: 'object', properties: { node: { $ref: '#/$defs/Node' } }, required: ['node'], $defs: { Node: { type: 'object', properties: { next: { $ref: '#/$defs/Node' } }, required: ['next'] } } };
    const s = skeletonFromSchema(recursive);
    const text = JSON.stringify(s);
    assert.ok(text.length < 1000, text);
    assert.match(text, /^\{"node":\{"next":\{"next":/);
  });

  void test('the skeleton of a schema with a required object of required fields validates', async () => {
    const s = skeletonFromSchema(schema);
    assert.equal((await validateArgumentsAsync(schema, s)).valid, true, JSON.stringify((await validateArgumentsAsync(schema, s)).errors));
  });

  void test('property names like __proto__ and toString are ordinary keys', async () => {
    const hostile = JSON.parse('{"type":"object","properties":{"__proto__":{"type":"string","default":"p"},"toString":{"type":"integer"}},"required":["toString"]}') as unknown;
    const s = skeletonFromSchema(hostile, JSON.parse('{"constructor":1}'));
    assert.equal(JSON.stringify(s), '{"__proto__":"p","toString":0,"constructor":1}');
    assert.equal(Object.getPrototypeOf(s), Object.prototype);
    assert.equal((await validateArgumentsAsync(hostile, s)).valid, true);
  });

  void test('odd schemas give an empty object rather than throwing', async () => {
    assert.deepEqual(skeletonFromSchema(undefined), {});
    assert.deepEqual(skeletonFromSchema('x'), {});
    assert.deepEqual(skeletonFromSchema({ type: 'object' }), {});
    assert.deepEqual(skeletonFromSchema(null, { a: 1 }), { a: 1 });
  });
});
