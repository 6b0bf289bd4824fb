/** `mcp-host` against the reference server-everything over stdio: commands, formats, arguments, exit codes. */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { cliSandbox, everything, type CliSandbox } from './helpers';

void describe('mcp-host against server-everything (-- node ...)', () => {
  let sb: CliSandbox;
  const server = (): string[] => ['--', process.execPath, everything()];
  before(() => (sb = cliSandbox()));
  after(() => sb.close());

  void it('tools lists every tool, one per line, and exits 0 with no process left', async () => {
    const r = await sb.run(['tools', ...server()]);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^echo\s+Echo Tool — Echoes back the input string$/m);
    assert.match(r.stdout, /^get-sum\s/m);
    assert.equal(r.stderr, '', 'nothing on stderr without --verbose (stderr is not a terminal: no progress)');
    assert.deepEqual(sb.alive(), []);
  });

  void it('--format json prints the list as received: { tools: [...] } with each tool\'s schema', async () => {
    const r = await sb.run(['tools', '--format', 'json', ...server()]);
    assert.equal(r.code, 0, r.stderr);
    const parsed = JSON.parse(r.stdout) as { tools: { name: string; inputSchema: { properties?: Record<string, unknown> } }[] };
    const sum = parsed.tools.find((t) => t.name === 'get-sum');
    assert.ok(sum, 'get-sum listed');
    assert.deepEqual(Object.keys(sum.inputSchema.properties ?? {}).sort(), ['a', 'b']);
  });

  void it('call coerces key=value with the tool schema (numbers stay numbers) and prints the text', async () => {
    const r = await sb.run(['call', 'get-sum', 'a=2', 'b=3.5', ...server()]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'The sum of 2 and 3.5 is 5.5.\n');
  });

  void it('call --format json prints exactly the MCP result (content blocks, nothing added)', async () => {
    const r = await sb.run(['call', 'echo', '--args', '{"message":"hi \\u001b[31mthere"}', '--format', 'json', ...server()]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { content: [{ type: 'text', text: 'Echo: hi \u001b[31mthere' }] });
    assert.ok(!r.stdout.includes('\u001b'), 'the escape is written as \\u001b, never raw');
  });

  void it('text output removes terminal escapes a server sends', async () => {
    const r = await sb.run(['call', 'echo', 'message=a\u001b]0;pwned\u0007b\u001b[2Jc', ...server()]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'Echo: abc\n');
  });

  void it('arguments that do not fit the schema: exit 1 naming the argument, the tool is not called', async () => {
    const r = await sb.run(['call', 'get-sum', 'a=two', 'b=3', ...server()]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^mcp-host: a: Enter a number\.$/m);
    assert.equal(r.stdout, '');
    const missing = await sb.run(['call', 'get-sum', 'a=1', ...server()]);
    assert.equal(missing.code, 1);
    assert.match(missing.stderr, /do not fit the input schema of tool "get-sum"/);
    assert.match(missing.stderr, /b/);
  });

  void it('an unknown tool: exit 1 listing the tools', async () => {
    const r = await sb.run(['call', 'nope', ...server()]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /has no tool "nope"/);
    assert.match(r.stderr, /its tools: echo, /);
  });

  void it('a tool that returns isError: the text on stdout, exit 5', async () => {
    const r = await sb.run(['call', 'gzip-file-as-resource', 'name=x', 'data=file:///etc/hostname', ...server()]);
    assert.equal(r.code, 5, r.stderr);
    assert.match(r.stdout, /Unsupported URL protocol/);
    assert.match(r.stderr, /tool "gzip-file-as-resource" returned an error \(isError\)/);
  });

  void it('resources, templates, prompts, read, prompt and ping', async () => {
    const res = await sb.run(['resources', ...server()]);
    assert.equal(res.code, 0, res.stderr);
    assert.match(res.stdout, /^demo:\/\/resource\/static\/document\/architecture\.md\s/m);
    const tpl = await sb.run(['templates', ...server()]);
    assert.match(tpl.stdout, /^demo:\/\/resource\/dynamic\/text\/\{resourceId\}\s/m);
    const prompts = await sb.run(['prompts', ...server()]);
    assert.match(prompts.stdout, /^args-prompt\s.*\(city, state\?\)/m);
    const read = await sb.run(['read', 'demo://resource/dynamic/text/7', '--format', 'json', ...server()]);
    assert.equal(read.code, 0, read.stderr);
    assert.equal((JSON.parse(read.stdout) as { contents: { uri: string }[] }).contents[0]?.uri, 'demo://resource/dynamic/text/7');
    const prompt = await sb.run(['prompt', 'args-prompt', 'city=Paris', ...server()]);
    assert.equal(prompt.code, 0, prompt.stderr);
    assert.match(prompt.stdout, /Paris/);
    const ping = await sb.run(['ping', ...server()]);
    assert.equal(ping.code, 0, ping.stderr);
    assert.match(ping.stdout, /answered ping in \d/);
  });

  void it('an unknown prompt: exit 1; a resource the server does not have: exit 2 (JSON-RPC error)', async () => {
    const p = await sb.run(['prompt', 'nope', ...server()]);
    assert.equal(p.code, 1);
    assert.match(p.stderr, /has no prompt "nope"/);
    const r = await sb.run(['read', 'demo://no/such/thing', ...server()]);
    assert.equal(r.code, 2, r.stderr);
    assert.match(r.stderr, /JSON-RPC error -?\d+/);
    assert.deepEqual(sb.alive(), []);
  });

  void it('--verbose traces the JSON-RPC traffic on stderr, the result stays alone on stdout', async () => {
    const r = await sb.run(['ping', '--verbose', '--format', 'json', ...server()]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, '{}\n');
    assert.match(r.stderr, /trace: → \{"method":"initialize"/);
    assert.match(r.stderr, /trace: ← \{"result":\{"protocolVersion"/);
  });
});

void describe('mcp-host usage', () => {
  let sb: CliSandbox;
  before(() => (sb = cliSandbox()));
  after(() => sb.close());

  void it('usage errors exit 1 with the problem and a hint', async () => {
    for (const args of [['frobnicate'], ['tools'], ['--format', 'yaml', 'servers'], ['--timeout', '0', 'servers'], ['call'], ['--bogus']]) {
      const r = await sb.run(args);
      assert.equal(r.code, 1, `${args.join(' ')}: ${r.stderr}`);
      assert.match(r.stderr, /^mcp-host: .+\nrun mcp-host --help for the usage\n$/, args.join(' '));
    }
  });

  void it('conformance: the scenario comes from MCP_CONFORMANCE_SCENARIO; without it or for an unknown one, exit 1', async () => {
    const none = await sb.run(['conformance', 'http://127.0.0.1:9/mcp']);
    assert.equal(none.code, 1);
    assert.match(none.stderr, /MCP_CONFORMANCE_SCENARIO is not set/);
    const unknown = await sb.run(['conformance', 'http://127.0.0.1:9/mcp'], { env: { MCP_CONFORMANCE_SCENARIO: 'no-such-scenario' } });
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /unknown conformance scenario "no-such-scenario"/);
  });

  void it('--help lists the commands and the exit codes; --version prints the package version', async () => {
    const h = await sb.run(['--help']);
    assert.equal(h.code, 0);
    assert.match(h.stdout, /call SERVER TOOL/);
    assert.match(h.stdout, /Exit codes: 0 ok, 1 usage/);
    const v = await sb.run(['--version']);
    assert.match(v.stdout, /^\d+\.\d+\.\d+\n$/);
  });
});
