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
