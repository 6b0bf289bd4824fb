/**
 * `mcp-host` on a real terminal (a pseudo-terminal from util-linux `script`): a password input is asked for and
 * read without echo, the value reaches the server and never the screen; progress shows on the terminal only.
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { cliSandbox, everything, onTerminal, waitUntil, type CliSandbox, type TerminalRun } from './helpers';

const hasScript = process.platform === 'linux' && spawnSync('script', ['--version']).status === 0;

void describe('mcp-host on a terminal', { skip: hasScript ? false : 'needs util-linux script (a pseudo-terminal)' }, () => {
  let sb: CliSandbox;
  const secret = 'tty-Secret-9876';
  let seenFile: string;
  before(() => {
    sb = cliSandbox();
    seenFile = path.join(sb.dir, 'seen-token');
    const server = sb.write(
      'server.mjs',
      `import fs from 'node:fs';\nfs.writeFileSync(${JSON.stringify(seenFile)}, process.env.API_TOKEN ?? '(unset)');\nawait import(${JSON.stringify(pathToFileURL(everything()).href)});\n`,
    );
    sb.write(
      '.vscode/mcp.json',
      JSON.stringify({
        inputs: [{ type: 'promptString', id: 'api-token', description: 'API token', password: true }],
        servers: { env: { command: process.execPath, args: [server], env: { API_TOKEN: '${input:api-token}' } } },
      }),
    );
  });
  after(() => sb.close());

  const run = (args: string[]): TerminalRun => onTerminal(sb, args);

  void it('Ctrl+C at the password prompt: exit 130, the server never starts', async () => {
    fs.rmSync(seenFile, { force: true });
    const t = run(['ping', 'env', '--trust-workspace']);
    await waitUntil('the prompt', () => t.screen().includes('API token: '));
    t.child.stdin?.write('abc\u0003');
    assert.equal(await t.done, 130, t.screen());
    assert.match(t.screen(), /mcp-host: interrupted/);
    assert.equal(fs.existsSync(seenFile), false, 'the server was not started');
  });

  void it('asks for a password input without echoing it; the server gets it; progress shows on the terminal', async () => {
    const t = run(['ping', 'env', '--trust-workspace']);
    await waitUntil('the prompt', () => t.screen().includes('API token: '));
    t.child.stdin?.write(`${secret}\r`);
    const code = await t.done;
    const screen = t.screen();
    assert.equal(code, 0, screen);
    assert.equal(fs.readFileSync(seenFile, 'utf8'), secret, 'the server got the value typed');
    assert.ok(!screen.includes(secret), `the value was never shown:\n${screen}`);
    assert.match(screen, /env: API token: /);
    assert.match(screen, /starting env…/, 'the progress line is shown on a terminal');
    assert.match(screen, /env answered ping in/);
  });
});
