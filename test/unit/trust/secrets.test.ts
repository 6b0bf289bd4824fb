import { test } from 'node:test';
import assert from 'node:assert/strict';
import { findLiteralSecrets, findSecretsInString, looksLikeSecret, moveSecretToEnvReference, moveSecretToInput, shannonEntropy, suggestInputId } from '../../../src/core/trust/secrets';

const TOKENS: Record<string, string> = {
  ghp: 'ghp_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8',
  gho: 'gho_' + 'a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8',
  pat: 'github_pat_' + '11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyz',
  openai: 'sk-' + 'proj-Abc123Def456Ghi789Jkl012Mno345',
  anthropic: 'sk-ant-' + 'api03-Abc123Def456Ghi789Jkl012Mno345',
  slackBot: 'xoxb-' + '123456789012-1234567890123-AbCdEfGhIjKl',
  slackUser: 'xoxp-' + '123456789012-1234567890123-AbCdEfGhIjKl',
  aws: 'AKIA' + 'IOSFODNN7EXAMPLE',
  google: 'AIza' + 'SyA1234567890abcdefghijklmnopqrstuv',
  gitlab: 'glpat-' + 'xxxxxxxxxxxxxxxxxxxx1234',
  npm: 'npm_' + 'abcdefghijklmnopqrstuvwxyz0123456789',
  hf: 'hf_' + 'abcdefghijklmnopqrstuvwxyzABCDEFGH',
};

void test('known token formats are found anywhere in a value', () => {
  for (const [name, token] of Object.entries(TOKENS)) {
    const m = findSecretsInString(`Bearer ${token}`);
    assert.equal(m.length, 1, name);
    assert.equal(`Bearer ${token}`.slice(m[0]?.start, m[0]?.end), token, name);
  }
});

void test('ordinary values are not secrets', () => {
  for (const v of [
    'debug',
    '/home/user/projects/my-repository/node_modules/.bin/server',
    '@modelcontextprotocol/server-filesystem',
    'https://api.example.com/v1/endpoint?x=1',
    '123e4567-e89b-12d3-a456-426614174000',
    'task-runner-for-the-whole-team-here',
    'my_really_long_configuration_value_name',
    '${input:github-token}',
    'Bearer ${input:tok}',
    '${env:GITHUB_TOKEN}',
    'mcp-server-everything-1.2.3',
  ]) {
    assert.deepEqual(findSecretsInString(v, 'SOME_VALUE'), [], v);
  }
});

void test('long high-entropy strings are found, a secret-sounding name lowers the bar', () => {
  const random = 'Zq8vN3kT1pW7xR4mB9cY2hL6dF0sJ5aG'; // 32 chars, mixed
  assert.ok(shannonEntropy(random) > 4.5);
  assert.equal(findSecretsInString(random)[0]?.label, 'high-entropy string');
  const short = 'a8Fk2PqZ9xW3mT7c'; // 16 chars
  assert.deepEqual(findSecretsInString(short, 'MODE'), []);
  assert.equal(findSecretsInString(short, 'API_KEY').length, 1);
  assert.ok(looksLikeSecret(short, 'DB_PASSWORD'));
});

void test('literal secrets in mcp.json are located by path and offset, comments tolerated', () => {
  const token = TOKENS.ghp as string;
  const text = `{
  // a comment
  "inputs": [],
  "servers": {
    "github": {
      "command": "npx",
      "args": ["-y", "server", "--token=${token}"],
      "env": { "GITHUB_TOKEN": "${token}", "FROM_INPUT": "\${input:tok}", "MODE": "debug" },
    },
  },
}`;
  const found = findLiteralSecrets(text);
  assert.equal(found.length, 2);
  const env = found.find((f) => f.field === 'env');
  assert.deepEqual(env?.path, ['servers', 'github', 'env', 'GITHUB_TOKEN']);
  assert.equal(env?.serverName, 'github');
  assert.equal(text.slice(env?.offset, (env?.offset ?? 0) + (env?.length ?? 0)), token);
  const arg = found.find((f) => f.field === 'args');
  assert.deepEqual(arg?.path, ['servers', 'github', 'args', 2]);
  assert.equal(text.slice(arg?.offset, (arg?.offset ?? 0) + (arg?.length ?? 0)), token);
  assert.equal(arg?.value.slice(arg.start, arg.end), token);
});

void test('literal secrets in .mcp.json (mcpServers) and settings.json (mcpHost.servers) are found too', () => {
  const token = TOKENS.openai as string;
  assert.equal(findLiteralSecrets(`{"mcpServers":{"a":{"command":"x","env":{"OPENAI_API_KEY":"${token}"}}}}`).length, 1);
  assert.equal(findLiteralSecrets(`{"mcpHost.servers":{"a":{"command":"x","env":{"K":"${token}"}}}}`).length, 1);
  assert.deepEqual(findLiteralSecrets('{"servers": {'), []);
});

void test('input ids are derived from the env name and kept unique', () => {
  assert.equal(suggestInputId('GITHUB_TOKEN', 'github', new Set()), 'github-token');
  assert.equal(suggestInputId('GITHUB_TOKEN', 'github', new Set(['github-token'])), 'github-github-token');
  assert.equal(suggestInputId('GITHUB_TOKEN', 'github', new Set(['github-token', 'github-github-token'])), 'github-github-token-2');
  assert.equal(suggestInputId('2', 'My Server', new Set()), 'my-server-secret');
});

void test('moving a literal secret into a password input keeps comments and only replaces the token', () => {
  const token = TOKENS.ghp as string;
  const text = `{
  // servers for this repo
  "servers": {
    "github": {
      "command": "npx", // runs the server
      "env": { "GITHUB_TOKEN": "${token}", "AUTH_HEADER": "Bearer ${token}" }
    }
  }
}`;
  const [first] = findLiteralSecrets(text);
  assert.ok(first);
  const moved = moveSecretToInput(text, first);
  assert.equal(moved.inputId, 'github-token');
  assert.ok(moved.text.includes('// servers for this repo'));
  assert.ok(moved.text.includes('// runs the server'));
  assert.ok(moved.text.includes('"GITHUB_TOKEN": "${input:github-token}"'), moved.text);
  assert.deepEqual(JSON.parse(moved.text.replace(/\/\/.*$/gm, '')).inputs, [
    { type: 'promptString', id: 'github-token', description: 'GITHUB_TOKEN for MCP server github', password: true },
  ]);
  // The second one goes into the existing inputs array with its own id, keeping "Bearer ".
  const [second] = findLiteralSecrets(moved.text);
  assert.ok(second);
  const again = moveSecretToInput(moved.text, second);
  assert.equal(again.inputId, 'auth-header');
  assert.ok(again.text.includes('"AUTH_HEADER": "Bearer ${input:auth-header}"'), again.text);
  const parsed = JSON.parse(again.text.replace(/\/\/.*$/gm, '')) as { inputs: { id: string }[] };
  assert.deepEqual(parsed.inputs.map((i) => i.id), ['github-token', 'auth-header']);
  assert.deepEqual(findLiteralSecrets(again.text), []);
  assert.ok(!again.text.includes(token));
});

void test('in .mcp.json a literal secret becomes an environment variable reference', () => {
  const token = TOKENS.anthropic as string;
  const text = `{ "mcpServers": { "claude-ish": { "command": "x", "args": ["--key", "${token}"], "env": { "ANTHROPIC_API_KEY": "${token}" } } } }`;
  const found = findLiteralSecrets(text);
  assert.equal(found.length, 2);
  const env = found.find((f) => f.field === 'env');
  assert.ok(env);
  const r = moveSecretToEnvReference(text, env);
  assert.equal(r.variable, 'ANTHROPIC_API_KEY');
  assert.ok(r.text.includes('"ANTHROPIC_API_KEY": "${ANTHROPIC_API_KEY}"'), r.text);
  const arg = findLiteralSecrets(r.text).find((f) => f.field === 'args');
  assert.ok(arg);
  const r2 = moveSecretToEnvReference(r.text, arg);
  assert.equal(r2.variable, 'CLAUDE_ISH_SECRET');
  assert.deepEqual(findLiteralSecrets(r2.text), []);
});
