/**
 * The basic flow a person sees: the MCP Host icon in the activity bar opens the Servers view, which lists
 * server-everything (configured in user settings) with its tools; commands run from the palette and put
 * text in an editor and in the output panel. Screenshots: test-results/e2e/basic/.
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
    await wb.step('servers-view', async () => {
      await wb.openServersView();
      await wb.treeRow('everything').first().waitFor({ timeout: 60_000 });
    });
  });

  void it("expanding the server starts it and shows server-everything's tools", async () => {
    await wb.step('server-tools', async () => {
      const server = wb.treeRow('everything').first();
      if ((await server.getAttribute('aria-expanded')) !== 'true') await server.click();
      // The server's children are groups (Tools, Resources, ...); open Tools if it is not open already.
      const tools = wb.treeRow(/^\s*Tools/).first();
      await tools.waitFor({ timeout: 90_000 });
      if ((await tools.getAttribute('aria-expanded')) !== 'true') await tools.click();
      await wb.treeRow(/^\s*echo/).first().waitFor({ timeout: 30_000 });
      // The server row's description reports its state.
      await wb.treeRow(/everything[\s\S]*running/).first().waitFor({ timeout: 30_000 });
    });
  });

  void it('MCP Host: Open Configuration from the palette opens the user settings with mcpHost.servers', async () => {
    const userSettings = wb.page.locator('.quick-input-widget .monaco-list-row', { hasText: 'User Settings (JSON)' }).first();
    await wb.step('open-configuration-picker', async () => {
      await wb.runCommand('MCP Host: Open Configuration');
      await userSettings.waitFor();
    });
    await wb.step('settings-editor', async () => {
      await userSettings.click();
      await wb.page.locator('.editor-group-container .monaco-editor .view-lines', { hasText: 'mcpHost.servers' }).first().waitFor();
      assert.match(await wb.editorText(), /mcpHost\.servers/);
    });
  });

  void it('MCP Host: Show Host Log from the palette shows the host log in the panel', async () => {
    await wb.step('host-log', async () => {
      await wb.runCommand('MCP Host: Show Host Log');
      // Monaco renders spaces as U+00A0, which \s matches.
      await wb.page.locator('.part.panel .view-lines', { hasText: /MCP\sHost\s[\d.]+\sactivated/ }).first().waitFor({ timeout: 30_000 });
    });
  });
});
