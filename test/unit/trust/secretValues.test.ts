import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isSecretSchema, looksLikeSecretValue } from '../../../src/core/trust/secretValues';

// Built at run time so no scanner mistakes this file for a leak.
const ghp = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
const jwt = ['eyJhbGciOiJIUzI1NiJ9', 'eyJzdWIiOiIxMjM0NTY3ODkwIn0', 'dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'].join('.');

void test('token-like values are secrets whatever the field is called', () => {
  for (const v of [
    ghp,
    `search ${ghp} please`,
    jwt,
    'postgres://admin:pw@db.internal:5432/app',
    'mysql://root:hunter2@localhost/db',
    'https://api.example.com/v1/items?limit=5&access_token=abc123',
    'https://example.com/cb?sig=deadbeef',
    'q8Zr2LmX0vN4tY7wB1cK9pE3sD6fH5jA', // 32 random characters
    'x'.repeat(70_000), // too long to examine: never kept
  ]) {
    assert.equal(looksLikeSecretValue(v), true, v.slice(0, 80));
  }
});

void test('ordinary values are not secrets', () => {
  for (const v of [
    'hello world',
    'SELECT * FROM users WHERE id = 42',
    'postgres://db.internal:5432/app',
    'postgres://admin@db.internal/app',
    'https://example.com/search?q=mcp&page=2',
    '/home/me/projects/mcp-host/src/core/trust/secretValues.ts',
    '@modelcontextprotocol/server-everything',
    '123e4567-e89b-12d3-a456-426614174000',
    'mcp-server-everything-1.2.3',
    'The quick brown fox jumps over the lazy dog 12 times',
  ]) {
    assert.equal(looksLikeSecretValue(v), false, v);
  }
});

void test('a schema marks a secret with writeOnly or format password, also as an optional (anyOf with null)', () => {
  assert.equal(isSecretSchema({ type: 'string', writeOnly: true }), true);
  assert.equal(isSecretSchema({ type: 'string', format: 'password' }), true);
  assert.equal(isSecretSchema({ anyOf: [{ type: 'string', format: 'password', writeOnly: true }, { type: 'null' }] }), true);
  assert.equal(isSecretSchema({ type: 'string', format: 'email' }), false);
  assert.equal(isSecretSchema({ type: 'string', readOnly: true }), false);
  assert.equal(isSecretSchema(undefined), false);
  assert.equal(isSecretSchema(true), false);
});
