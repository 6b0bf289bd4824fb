import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ArgumentMemory, looksSecret, withoutSecrets } from '../../../../src/vscode/input/argumentMemory';

void test('names that look like secrets are recognised in any casing style', () => {
  for (const name of ['token', 'apiKey', 'api_key', 'GITHUB_TOKEN', 'x-auth-token', 'password', 'clientSecret', 'Authorization', 'apikey', 'sessionId']) {
    assert.equal(looksSecret(name), true, name);
  }
  for (const name of ['keyword', 'monkey', 'message', 'path', 'count', 'tokenizer', 'location']) {
    assert.equal(looksSecret(name), false, name);
  }
});

void test('secret-looking fields are dropped at every depth, everything else is kept', () => {
  assert.deepEqual(withoutSecrets({ query: 'q', apiKey: 'k', nested: { password: 'p', page: 2, items: [{ token: 't', id: 1 }] } }), {
    query: 'q',
    nested: { page: 2, items: [{ id: 1 }] },
  });
});

void test('remembered arguments come back per server and tool, without secrets', async () => {
  const store = new Map<string, unknown>();
  const memento = {
    keys: () => [...store.keys()],
    get: <T>(key: string, fallback?: T) => (store.has(key) ? (store.get(key) as T) : fallback),
    update: async (key: string, value: unknown) => void store.set(key, value),
  };
  const memory = new ArgumentMemory(memento as never);
  await memory.remember('tool', 'github', 'search', { q: 'mcp', token: 'ghp_secret' });
  assert.deepEqual(memory.get('tool', 'github', 'search'), { q: 'mcp' });
  assert.equal(memory.get('tool', 'github', 'other'), undefined);
  assert.equal(memory.get('tool', 'gitlab', 'search'), undefined);
  assert.ok(![...store.values()].some((v) => JSON.stringify(v).includes('ghp_secret')), 'the secret is stored nowhere');
});

const ghp = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';

void test('token-like values are not kept whatever the field name, at any depth and in arrays', () => {
  assert.deepEqual(
    withoutSecrets({
      query: ghp,
      dsn: 'postgres://admin:pw@db.internal/app',
      text: 'find the bug',
      nested: { url: 'https://example.com/x?access_token=abc', page: 2 },
      words: ['mcp', ghp, 'host'],
    }),
    { text: 'find the bug', nested: { page: 2 }, words: ['mcp', 'host'] },
  );
});

void test('fields the schema marks writeOnly or format password are never kept, also behind a local $ref', () => {
  const schema = {
    type: 'object',
    properties: {
      user: { type: 'string' },
      pin: { type: 'string', format: 'password' },
      code: { type: 'string', writeOnly: true },
      login: { $ref: '#/$defs/Login' },
      maybe: { anyOf: [{ type: 'string', format: 'password' }, { type: 'null' }] },
    },
    $defs: { Login: { type: 'object', properties: { name: { type: 'string' }, word: { type: 'string', writeOnly: true } } } },
  };
  assert.deepEqual(withoutSecrets({ user: 'ann', pin: '1234', code: 'abc', login: { name: 'ann', word: 'open' }, maybe: 'x' }, schema), {
    user: 'ann',
    login: { name: 'ann' },
  });
});

void test('remember drops schema-marked and token-like values; values stored before are filtered when read', async () => {
  const store = new Map<string, unknown>();
  const memento = {
    keys: () => [...store.keys()],
    get: <T>(key: string, fallback?: T) => (store.has(key) ? (store.get(key) as T) : fallback),
    update: async (key: string, value: unknown) => void store.set(key, value),
  };
  const memory = new ArgumentMemory(memento as never);
  const schema = { type: 'object', properties: { q: { type: 'string' }, otp: { type: 'string', format: 'password' }, note: { type: 'string' } } };
  await memory.remember('tool', 'db', 'query', { q: 'select 1', otp: '123456', note: ghp }, schema);
  assert.deepEqual(memory.get('tool', 'db', 'query'), { q: 'select 1' });
  assert.ok(![...store.values()].some((v) => JSON.stringify(v).includes('123456') || JSON.stringify(v).includes(ghp)), 'stored nowhere');
  // What an older version stored is not offered again.
  store.set([...store.keys()][0]!, { q: 'select 2', note: ghp });
  assert.deepEqual(memory.get('tool', 'db', 'query'), { q: 'select 2' });
});
