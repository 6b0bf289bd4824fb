/**
 * What a person does with server-everything's content in the browser: the sidebar shows its tools and
 * resources; "MCP Host: Run Tool..." from the palette with the argument typed into the quick input shows the
 * result; "MCP Host: Insert Resource at Cursor..." puts a resource into an open file. Screenshots per step in
 * test-results/e2e/content/.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openWorkbench, referenceServers, type Workbench } from './harness';

void describe('content flow in the browser: tools and resources of server-everything', { timeout: 400_000 }, () => {
  let wb: Workbench;
  const quickRow = (text: string | RegExp) => wb.page.locator('.quick-input-widget .monaco-list-row', { hasText: text });
  const quickInput = () => wb.page.locator('.quick-input-widget input');

  before(async () => {
    wb = await openWorkbench({
      name: 'content',
      userSettings: {
        'mcpHost.servers': referenceServers(['everything']),
        // No confirmation dialog in this scenario: the trust suite covers it.
        'mcpHost.autoApproveTools': { everything: true },
      },
      files: { 'notes.txt': 'Notes\n\n' },
    });
    await wb.shot('workbench-loaded');
  });
  after(async () => {
    await wb?.close();
  });

  void it("the sidebar shows server-everything's tools and resources", async () => {
    await wb.openServersView();
    const server = wb.treeRow('everything').first();
    await server.waitFor({ timeout: 60_000 });
    if ((await server.getAttribute('aria-expanded')) !== 'true') await server.click();
    for (const [group, item] of [
      // Row text runs label and description together ("echoEcho Tool"): no word boundaries to rely on.
      ['Tools', /echo/i],
      ['Resources', /architecture\.md/],
    ] as const) {
      const row = wb.treeRow(new RegExp(`^${group}`)).first();
      await row.waitFor({ timeout: 60_000 });
      if ((await row.getAttribute('aria-expanded')) !== 'true') await row.click();
      await wb.treeRow(item).first().waitFor({ timeout: 60_000 });
    }
    await wb.shot('sidebar-tools-and-resources');
  });

  void it('Run Tool... from the palette asks for the argument in a quick input and shows the result', async () => {
    await wb.runCommand('MCP Host: Run Tool...');
    await quickInput().fill('echo');
    await quickRow(/echo/i).first().waitFor();
    await wb.shot('run-tool-picker');
    await wb.page.keyboard.press('Enter');
    // The guided input: one step for `message`, marked required.
    await wb.page.locator('.quick-input-widget', { hasText: /message \(required\)/ }).first().waitFor();
    await quickInput().fill('hello from the browser');
    await wb.shot('run-tool-argument');
    await wb.page.keyboard.press('Enter');
    await wb.page.locator('.editor-group-container .monaco-editor .view-lines', { hasText: /Echo:\shello\sfrom\sthe\sbrowser/ }).first().waitFor({ timeout: 60_000 });
    assert.match(await wb.editorText(), /Echo:\shello\sfrom\sthe\sbrowser/);
    await wb.page.locator('.tabs-container .tab', { hasText: /echo-\d+/ }).first().waitFor();
    await wb.shot('run-tool-result');
  });

  void it('Insert Resource at Cursor... puts the resource into the open file', async () => {
    await wb.page.keyboard.press('Control+P');
    await quickInput().fill('notes.txt');
    await quickRow('notes.txt').first().waitFor();
    await wb.page.keyboard.press('Enter');
    const editor = wb.page.locator('.editor-group-container .monaco-editor', { hasText: 'Notes' }).first();
    await editor.waitFor();
    await editor.locator('.view-lines').click();
    await wb.page.keyboard.press('Control+End');
    await wb.runCommand('MCP Host: Insert Resource at Cursor...');
    await quickInput().fill('architecture');
    await quickRow(/architecture/).first().waitFor();
    await wb.shot('insert-resource-picker');
    await wb.page.keyboard.press('Enter');
    await wb.page.locator('.editor-group-container .monaco-editor .view-lines', { hasText: /Everything\sServer/ }).first().waitFor({ timeout: 60_000 });
    const text = await wb.editorText();
    assert.match(text, /Notes/);
    assert.match(text, /Everything\sServer/, 'the editor shows non-breaking spaces');
    await wb.shot('insert-resource-done');
  });
});
