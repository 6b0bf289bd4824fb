/**
 * The cross-server pickers with a dozen servers, as a new user meets them: six servers offer a tool named
 * `echo` (filtering must still tell them apart), two are stopped and one uses a transport MCP Host does not
 * support (their rows must not win over a match), and tools carry the annotations their server claims.
 * Screenshots per step in test-results/e2e/pickers/.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openWorkbench, repoRoot, type Workbench } from './harness';

const SIX = ['alpha', 'bravo', 'charlie', 'delta', 'foxtrot', 'fastmcp'];

function servers(): Record<string, unknown> {
  const fixture = path.join(repoRoot(), 'test/fixtures/servers/papercuts-server.mjs');
  const entry = (extra: Record<string, unknown> = {}, args: string[] = []) => ({ command: process.execPath, args: [fixture, ...args], ...extra });
  return {
    // Listed first: in the old picker their "Start" rows came first and were the active item.
    'dbhub-node20': entry(),
    'another-stopped': entry(),
    // A transport MCP Host has no client for (http, sse and ws all run since #12).
    'remote-grpc': { type: 'grpc', url: 'http://127.0.0.1:9/grpc' },
    ...Object.fromEntries(SIX.map((n) => [n, entry({ autoStart: true }, n === 'fastmcp' ? ['--resources'] : [])])),
  };
}

void describe('cross-server pickers in the browser', { timeout: 400_000 }, () => {
  let wb: Workbench;
  const quickRow = (text: string | RegExp) => wb.page.locator('.quick-input-widget .monaco-list-row', { hasText: text });
  const quickInput = () => wb.page.locator('.quick-input-widget input');
  // Row texts as shown (a reused row may keep hidden text of an earlier item, which `hasText` would see).
  const shownRows = async (text: RegExp) => (await quickRow(/./).allInnerTexts()).filter((t) => text.test(t));
  const editorLines = (text: RegExp) => wb.page.locator('.editor-group-container .monaco-editor .view-lines', { hasText: text }).first();

  before(async () => {
    wb = await openWorkbench({ name: 'pickers', userSettings: { 'mcpHost.servers': servers(), 'mcpHost.autoApproveTools': Object.fromEntries(SIX.map((n) => [n, true])) } });
    await wb.openServersView();
    // The six auto-started servers are running once their rows say so.
    for (const n of SIX) await wb.treeRow(new RegExp(`^\\s*${n}[\\s\\S]*running`)).first().waitFor({ timeout: 90_000 });
    await wb.shot('servers');
  });
  after(async () => {
    await wb?.close();
  });

  void it('filtering six same-named tools shows six server names, and "server tool" narrows to one', async () => {
    await wb.runCommand('MCP Host: Run Tool...');
    await quickInput().fill('echo');
    await quickRow(/fastmcp/).first().waitFor();
    await wb.shot('run-tool-filter-echo');
    const rows = await shownRows(/Returns its text/);
    assert.equal(rows.length, 6, `six echo rows: ${JSON.stringify(rows)}`);
    for (const n of SIX) assert.equal(rows.filter((r) => r.includes(n)).length, 1, `one row names ${n}: ${JSON.stringify(rows)}`);
    await quickInput().fill('charlie echo');
    await wb.page.waitForTimeout(300);
    const narrowed = await shownRows(/Returns its text/);
    assert.equal(narrowed.length, 1, `only charlie's echo: ${JSON.stringify(narrowed)}`);
    assert.match(narrowed[0] ?? '', /charlie/);
    await wb.shot('run-tool-filter-server-and-tool');
    await wb.page.keyboard.press('Escape');
  });

  void it('typing an exact URI with stopped servers present opens the resource', async () => {
    await wb.runCommand('MCP Host: Open Resource...');
    await quickRow(/Start/).first().waitFor();
    await quickInput().fill('fastmcp://hello.txt');
    await quickRow(/hello\.txt/).first().waitFor();
    // The active row is the match, not a "Start" row.
    await wb.page.waitForTimeout(300);
    const active = await wb.page.locator('.quick-input-widget .monaco-list-row.focused').first().innerText();
    assert.match(active, /hello\.txt/, `the active row: ${active}`);
    await wb.shot('open-resource-exact-uri');
    await wb.page.keyboard.press('Enter');
    await editorLines(/Hello\sfrom\sthe\sfixture/).waitFor({ timeout: 60_000 });
    await wb.shot('open-resource-opened');
  });

  void it("a URI that matches a server's template is offered as such and opens", async () => {
    await wb.runCommand('MCP Host: Open Resource...');
    await quickInput().fill('notes://today');
    await quickRow(/notes:\/\/today/).first().waitFor();
    await wb.page.waitForTimeout(300);
    const active = await wb.page.locator('.quick-input-widget .monaco-list-row.focused').first().innerText();
    assert.match(active, /notes:\/\/today/, `the active row: ${active}`);
    await wb.shot('open-resource-template-uri');
    await wb.page.keyboard.press('Enter');
    await editorLines(/Note\stoday/).waitFor({ timeout: 60_000 });
  });

  void it('a stopped server whose transport is not supported says why instead of offering Start', async () => {
    await wb.runCommand('MCP Host: Run Tool...');
    await quickInput().fill('remote-grpc');
    const row = quickRow(/remote-grpc/).first();
    await row.waitFor();
    const text = await row.innerText();
    assert.doesNotMatch(text, /Start/, text);
    assert.match(text, /not support/, text);
    await wb.shot('run-tool-unsupported-row');
    await wb.page.keyboard.press('Escape');
  });

  void it('a destructive and a read-only tool look different in the tree and the picker', async () => {
    const server = wb.treeRow(/^\s*alpha/).first();
    if ((await server.getAttribute('aria-expanded')) !== 'true') await server.click();
    const tools = wb.treeRow(/^\s*Tools/).first();
    await tools.waitFor({ timeout: 30_000 });
    if ((await tools.getAttribute('aria-expanded')) !== 'true') await tools.click();
    const destructive = wb.treeRow(/delete_everything/).first();
    const readOnly = wb.treeRow(/greet/).first();
    await destructive.waitFor();
    await readOnly.waitFor();
    assert.match(await destructive.innerText(), /destructive/);
    assert.match(await readOnly.innerText(), /read-only/);
    const icon = async (row: typeof destructive) => (await row.locator('.custom-view-tree-node-item-icon, .codicon').first().getAttribute('class')) ?? '';
    assert.notEqual(await icon(destructive), await icon(readOnly), 'different icons');
    await wb.shot('tree-annotations');

    await wb.runCommand('MCP Host: Run Tool...');
    await quickInput().fill('alpha delete');
    await quickRow(/delete_everything/).first().waitFor();
    assert.match(await quickRow(/delete_everything/).first().innerText(), /destructive/);
    await quickInput().fill('alpha greet');
    await quickRow(/greet/).first().waitFor();
    assert.match(await quickRow(/greet/).first().innerText(), /read-only/);
    await wb.shot('run-tool-annotations');
    await wb.page.keyboard.press('Escape');
  });
});
