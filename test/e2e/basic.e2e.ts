/**
 * The basic flow a person sees: the MCP Host icon in the activity bar opens the Servers view, which lists
 * server-everything (configured in user settings) with its tools; commands run from the palette and put
 * text in an editor and in the output panel.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openWorkbench, referenceServers, type Workbench } from './harness';

void describe('basic flow in the browser', { timeout: 300_000 }, () => {
  let wb: Workbench;
  before(async () => {
    wb = await openWorkbench({
      name: 'basic',
      userSettings: { 'mcpHost.servers': referenceServers(['everything']) },
      files: { 'README.md': '# demo workspace\n' },
    });
    await wb.shot('workbench-loaded');
  });
  after(async () => {
    await wb?.close();
  });

  void it('the activity bar icon opens the Servers view, which lists the configured server', async () => {
    await wb.openServersView();
    await wb.treeRow('everything').first().waitFor({ timeout: 60_000 });
    await wb.shot('servers-view');
  });

  void it("expanding the server shows server-everything's tools", async () => {
    const row = wb.treeRow('everything').first();
    // Expand the server (starts it on first use), then its Tools group if the tree has one.
    if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
    const echo = wb.treeRow(/\becho\b/).first();
    const tools = wb.treeRow(/^Tools/).first();
    await Promise.race([echo.waitFor({ timeout: 60_000 }), tools.waitFor({ timeout: 60_000 })]);
    if (!(await echo.isVisible()) && (await tools.getAttribute('aria-expanded')) !== 'true') await tools.click();
    await echo.waitFor({ timeout: 60_000 });
    await wb.shot('server-tools');
  });

  void it('MCP Host: Open Configuration from the palette opens the user settings with mcpHost.servers', async () => {
    await wb.runCommand('MCP Host: Open Configuration');
    await wb.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'User Settings (JSON)' }).first().waitFor();
    await wb.shot('open-configuration-picker');
    await wb.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'User Settings (JSON)' }).first().click();
    await wb.page.locator('.editor-group-container .monaco-editor .view-lines', { hasText: 'mcpHost.servers' }).first().waitFor();
    assert.match(await wb.editorText(), /mcpHost\.servers/);
    await wb.shot('settings-editor');
  });

  void it('MCP Host: Show Host Log from the palette shows the host log in the panel', async () => {
    await wb.runCommand('MCP Host: Show Host Log');
    const panel = wb.page.locator('.part.panel');
    await panel.locator('.view-lines', { hasText: /MCP Host .* activated/ }).first().waitFor({ timeout: 30_000 });
    await wb.shot('host-log');
  });
});
