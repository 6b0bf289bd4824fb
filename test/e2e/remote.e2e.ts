/**
 * A remote server in the browser: server-everything in its Streamable HTTP mode on 127.0.0.1 (started and stopped
 * here), configured as { "type": "http", "url" }: the sidebar shows it with its tools, and "MCP Host: Run Tool..."
 * runs one over HTTP. Screenshots per step in test-results/e2e/remote/.
 */
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as path from 'node:path';
import { freePort } from '../support/remoteFixtures';
import { after, before, describe, it } from 'node:test';
import { openWorkbench, repoRoot, type Workbench } from './harness';

void describe('remote server in the browser: server-everything over Streamable HTTP', { timeout: 300_000 }, () => {
  let wb: Workbench;
  let child: ChildProcess | undefined;
  const quickInput = () => wb.page.locator('.quick-input-widget input');

  before(async () => {
    const port = await freePort();
    const entry = path.join(repoRoot(), 'node_modules/@modelcontextprotocol/server-everything/dist/index.js');
    const proc = spawn(process.execPath, [entry, 'streamableHttp'], { env: { PATH: process.env.PATH, PORT: String(port) }, stdio: ['ignore', 'ignore', 'pipe'] });
    child = proc;
    await new Promise<void>((resolve, reject) => {
      let err = '';
      proc.stderr?.on('data', (d: Buffer) => /listening on port/i.test((err += d.toString('utf8'))) && resolve());
      proc.once('exit', (code) => reject(new Error(`server-everything exited with ${code}: ${err}`)));
    });
    wb = await openWorkbench({
      name: 'remote',
      userSettings: {
        'mcpHost.servers': { 'everything-remote': { type: 'http', url: `http://127.0.0.1:${port}/mcp` } },
        'mcpHost.autoApproveTools': { 'everything-remote': true },
      },
    });
  });
  after(async () => {
    await wb?.close();
    child?.kill('SIGKILL');
  });

  void it('the sidebar lists the remote server and its tools once expanded', async () => {
    await wb.openServersView();
    const server = wb.treeRow('everything-remote').first();
    await server.waitFor({ timeout: 60_000 });
    if ((await server.getAttribute('aria-expanded')) !== 'true') await server.click();
    const tools = wb.treeRow(/^Tools/).first();
    await tools.waitFor({ timeout: 60_000 });
    if ((await tools.getAttribute('aria-expanded')) !== 'true') await tools.click();
    await wb.treeRow(/echo/i).first().waitFor({ timeout: 60_000 });
    await wb.shot('remote-server-tools');
  });

  void it('Run Tool... runs echo over HTTP and shows the result', async () => {
    await wb.runCommand('MCP Host: Run Tool...');
    await quickInput().fill('echo');
    await wb.page.locator('.quick-input-widget .monaco-list-row', { hasText: /echo/i }).first().waitFor();
    await wb.page.keyboard.press('Enter');
    await wb.page.locator('.quick-input-widget', { hasText: /message \(required\)/ }).first().waitFor();
    await quickInput().fill('hello over http');
    await wb.page.keyboard.press('Enter');
    await wb.page.locator('.editor-group-container .monaco-editor .view-lines', { hasText: /Echo:\shello\sover\shttp/ }).first().waitFor({ timeout: 60_000 });
    assert.match(await wb.editorText(), /Echo:\shello\sover\shttp/);
    await wb.shot('remote-run-tool-result');
  });
});
