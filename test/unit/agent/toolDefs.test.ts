/** MCP tools -> model tool definitions (valid, unique names mapped back; bounded schemas), the context cost table. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { contextCost, costMarkdown, definitionBytes, modelToolsFor, serverDefinitionBytes, transcriptMarkdown, MAX_SCHEMA_BYTES } from '../../../src/core/agent';

const VALID = /^[a-zA-Z0-9_-]{1,64}$/;
const obj = { type: 'object', properties: { q: { type: 'string' } } };

void describe('model tool definitions', () => {
  void it('names are made valid and unique, and map back to their server and tool', () => {
    const set = modelToolsFor([
      { serverId: 'a', serverName: 'alpha', tools: [{ name: 'search', inputSchema: obj }, { name: 'files.read', inputSchema: obj }, { name: 'x'.repeat(100), inputSchema: obj }, { name: '', inputSchema: obj }] },
      { serverId: 'b', serverName: 'beta one', tools: [{ name: 'search', inputSchema: obj }, { name: 'files_read', inputSchema: obj }] },
    ]);
    const names = set.tools.map((t) => t.name);
    assert.ok(names.every((n) => VALID.test(n)), names.join(','));
    assert.equal(new Set(names).size, names.length);
    assert.deepEqual(names.slice(0, 2), ['alpha_search', 'alpha_files_read']);
    assert.equal(set.targets.get('beta_one_search')?.toolName, 'search');
    assert.equal(set.targets.get('beta_one_search')?.serverId, 'b');
    assert.equal(set.targets.get('alpha_files_read')?.toolName, 'files.read');
    // 'files.read' and 'files_read' both make 'files_read': neither keeps the bare name.
    assert.equal(set.targets.get('beta_one_files_read')?.toolName, 'files_read');
  });

  void it('a unique valid name is kept; descriptions are sanitised; a missing schema becomes an empty object schema', () => {
    const set = modelToolsFor([{ serverId: 'a', serverName: 'a', tools: [{ name: 'echo', description: 'Echo\u202e it\u001b[31m' }] }]);
    assert.deepEqual(set.tools[0], { name: 'echo', description: 'Echo it', inputSchema: { type: 'object', properties: {} } });
    assert.equal(set.bytes.get('echo'), definitionBytes(set.tools[0]!));
  });

  void it('an oversized schema is replaced by a bare object schema, with a warning and a note to the model', () => {
    const big = { type: 'object', properties: Object.fromEntries(Array.from({ length: 2000 }, (_, i) => [`p${i}`, { type: 'string', description: 'x'.repeat(20) }])) };
    const set = modelToolsFor([{ serverId: 'a', serverName: 'a', tools: [{ name: 'huge', inputSchema: big }] }]);
    assert.deepEqual(set.tools[0]!.inputSchema, { type: 'object' });
    assert.match(set.tools[0]!.description, /too big to send/);
    assert.match(set.warnings[0]!, new RegExp(`over ${MAX_SCHEMA_BYTES}`));
  });

  void it('at most maxTools tools are offered, and the rest is reported', () => {
    const set = modelToolsFor([{ serverId: 'a', serverName: 'a', tools: Array.from({ length: 5 }, (_, i) => ({ name: `t${i}` })) }], 3);
    assert.equal(set.tools.length, 3);
    assert.match(set.warnings[0]!, /2 tool\(s\) left out/);
  });
});

void describe('context cost', () => {
  const servers = [
    { serverId: 'a', serverName: 'small', tools: [{ name: 'one', description: 'd', inputSchema: obj }] },
    { serverId: 'b', serverName: 'big', tools: [{ name: 'two', description: 'x'.repeat(400), inputSchema: obj }, { name: 'three|pipe', inputSchema: obj }] },
  ];

  void it('measures each tool in bytes and tokens of the counter, per server and in total', async () => {
    const counted: string[] = [];
    const cost = await contextCost(servers, { modelName: 'm', count: (t) => (counted.push(t), Promise.resolve(Math.ceil(t.length / 4))) });
    assert.equal(counted.length, 3);
    const big = cost.servers[1]!;
    assert.equal(big.bytes, big.tools[0]!.bytes + big.tools[1]!.bytes);
    assert.equal(big.tokens, big.tools[0]!.tokens! + big.tools[1]!.tokens!);
    assert.equal(cost.tokens, cost.servers[0]!.tokens! + big.tokens!);
    assert.equal(cost.bytes, serverDefinitionBytes(servers[0]!) + serverDefinitionBytes(servers[1]!));
    assert.ok(big.tools[0]!.tokens! > 100);
  });

  void it('the table is sorted as asked and a pipe in a name does not break it', async () => {
    const cost = await contextCost(servers, { modelName: 'm', count: (t) => Promise.resolve(t.length) });
    const md = costMarkdown(cost, 'tokens');
    const toolRows = md.split('## Tools')[1]!.split('\n').filter((l) => l.startsWith('| `'));
    assert.deepEqual(toolRows.map((r) => r.split('` |')[0]), ['| `two', '| `three\\|pipe', '| `one']);
    const byName = costMarkdown(cost, 'name').split('## Tools')[1]!.split('\n').filter((l) => l.startsWith('| `'));
    assert.match(byName[0]!, /^\| `one`/);
    assert.match(md, /\*\*Total:\*\* 3 tools, \d+ tokens/);
  });

  void it('without a model the table has bytes only', async () => {
    const cost = await contextCost(servers);
    assert.equal(cost.tokens, undefined);
    assert.match(costMarkdown(cost, 'bytes'), /no model \(none available\): bytes only[\s\S]*\| `big` \| 2 \| – \|/);
  });
});

void describe('transcript document', () => {
  void it('model and server text cannot break out of their fences', () => {
    const md = transcriptMarkdown({
      question: 'q',
      modelName: 'm',
      tools: [],
      toolBytes: 0,
      rounds: [{ text: '```\n[click](command:evil)\n```', calls: [] }],
      end: { kind: 'answered' },
    });
    assert.match(md, /````text\n```\n\[click\]\(command:evil\)\n```\n````/);
  });
});
