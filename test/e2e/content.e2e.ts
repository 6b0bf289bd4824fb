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

  void it('Run Tool... validates a number as it is typed, and Back returns to the previous field with its value', async () => {
    const widget = (text: string | RegExp) => wb.page.locator('.quick-input-widget', { hasText: text }).first();
    await wb.runCommand('MCP Host: Run Tool...');
    await quickInput().fill('get-sum');
    await quickRow(/get-sum/).first().waitFor();
    await wb.page.keyboard.press('Enter');
    await widget(/1\/2/).waitFor();
    await quickInput().fill('abc');
    await widget(/Enter a number/).waitFor();
    await wb.shot('run-tool-validation');
    await quickInput().fill('2');
    await wb.page.keyboard.press('Enter');
    await widget(/2\/2/).waitFor();
    await wb.page.locator('.quick-input-widget [aria-label="Back"], .quick-input-widget .codicon-quick-input-back').first().click();
    await widget(/1\/2/).waitFor();
    assert.equal(await quickInput().inputValue(), '2', 'the value entered before is still there');
    await wb.shot('run-tool-back');
    await wb.page.keyboard.press('Enter');
    await widget(/2\/2/).waitFor();
    await quickInput().fill('3');
    await wb.page.keyboard.press('Enter');
    await wb.page.locator('.editor-group-container .monaco-editor .view-lines', { hasText: /The\ssum\sof\s2\sand\s3\sis\s5/ }).first().waitFor({ timeout: 60_000 });
    await wb.shot('run-tool-sum-result');
  });

  void it('Run Tool... remembers the last arguments; Edit as JSON opens them as a document and saving it runs the tool', async () => {
    const resultTabs = wb.page.locator('.tabs-container .tab', { hasText: /echo-\d+/ });
    const before = await resultTabs.count();
    await wb.runCommand('MCP Host: Run Tool...');
    await quickInput().fill('echo');
    await quickRow(/echo/i).first().waitFor();
    await wb.page.keyboard.press('Enter');
    await wb.page.locator('.quick-input-widget', { hasText: /message \(required\)/ }).first().waitFor();
    assert.equal(await quickInput().inputValue(), 'hello from the browser', 'the last value is offered');
    await wb.page.locator('.quick-input-widget [aria-label="Edit as JSON"]').first().click();
    await wb.page.locator('.tabs-container .tab', { hasText: 'echo.arguments.json' }).first().waitFor();
    await wb.page.locator('.editor-group-container .monaco-editor .view-lines', { hasText: /\$schema/ }).first().waitFor();
    assert.match(await wb.editorText(), /"message":\s*"hello\sfrom\sthe\sbrowser"/);
    // The go-ahead sits on the document itself: "▷ Run tool "echo" | Cancel" code lenses.
    await wb.page.locator('.codelens-decoration', { hasText: /Run\stool\s"echo"/ }).first().waitFor({ timeout: 15_000 });
    await wb.shot('run-tool-json-arguments');
    await wb.page.keyboard.press('Control+S');
    for (const end = Date.now() + 60_000; (await resultTabs.count()) <= before; await wb.page.waitForTimeout(200)) {
      if (Date.now() > end) throw new Error('saving the arguments did not open a new result');
    }
    await wb.shot('run-tool-json-result');
  });

  void it('a long-running tool shows its progress in a notification and Cancel stops it', async () => {
    await wb.runCommand('MCP Host: Run Tool...');
    await quickInput().fill('trigger-long');
    await quickRow(/trigger-long-running-operation/).first().waitFor();
    await wb.page.keyboard.press('Enter');
    await wb.page.locator('.quick-input-widget', { hasText: /1\/2/ }).first().waitFor();
    await quickInput().fill('30');
    await wb.page.keyboard.press('Enter');
    await wb.page.locator('.quick-input-widget', { hasText: /2\/2/ }).first().waitFor();
    await quickInput().fill('30');
    await wb.page.keyboard.press('Enter');
    // Progress notifications may stay in the notification center instead of a toast (the headless window has
    // no OS focus): look in both, opening the center when no toast shows.
    const item = (text: RegExp) => wb.page.locator('.notification-list-item', { hasText: text }).first();
    const running = item(/Running/);
    if (!(await running.isVisible().catch(() => false))) {
      await running.waitFor({ timeout: 3000 }).catch(() => undefined);
      if (!(await running.isVisible().catch(() => false))) await wb.runCommand('Notifications: Show Notifications');
    }
    await running.waitFor({ timeout: 30_000 });
    await item(/\d+\/30/).waitFor({ timeout: 30_000 });
    await wb.shot('long-running-progress');
    await running.locator('.monaco-button', { hasText: 'Cancel' }).first().click();
    await running.waitFor({ state: 'hidden', timeout: 15_000 });
    const cancelled = item(/Cancelled/);
    await cancelled.waitFor({ timeout: 3000 }).catch(() => undefined);
    if (!(await cancelled.isVisible().catch(() => false))) await wb.runCommand('Notifications: Show Notifications');
    await cancelled.waitFor({ timeout: 15_000 });
    assert.equal(await wb.page.locator('.tabs-container .tab', { hasText: /trigger-long/ }).count(), 0, 'no result opened');
    await wb.shot('long-running-cancelled');
  });

  void it("Use Prompt... offers the server's completions, the second narrowed by the first answer", async () => {
    await wb.runCommand('MCP Host: Use Prompt...');
    await quickInput().fill('Team');
    await quickRow(/Team Management/).first().waitFor();
    await wb.page.keyboard.press('Enter');
    await quickRow(/Engineering.*suggested/).first().waitFor({ timeout: 30_000 });
    await quickInput().fill('Sa');
    await quickRow(/Sales.*suggested/).first().waitFor({ timeout: 30_000 });
    // The server's answer for "Sa" replaces the list (debounced): wait for it before clicking.
    await quickRow(/Engineering/).first().waitFor({ state: 'detached', timeout: 30_000 });
    await wb.shot('prompt-completions-department');
    await quickRow(/Sales.*suggested/).first().click();
    await quickRow(/Eve.*suggested/).first().waitFor({ timeout: 30_000 });
    await quickRow(/Alice/).first().waitFor({ state: 'detached', timeout: 30_000 }).catch(() => undefined);
    assert.equal(await quickRow(/Alice/).count(), 0, 'only the Sales team is suggested');
    await wb.shot('prompt-completions-name');
    await quickRow(/Eve.*suggested/).first().click();
    await quickRow(/Open as Document/).first().waitFor();
    await quickRow(/Open as Document/).first().click();
    await wb.page.locator('.editor-group-container .monaco-editor .view-lines', { hasText: /promote\sEve\sto\sthe\shead\sof\sthe\sSales\steam/ }).first().waitFor({ timeout: 60_000 });
    await wb.shot('prompt-document');
  });

  void it('a result with resource links offers Open Linked Resource…, which opens the picked one read-only', async () => {
    await wb.runCommand('MCP Host: Run Tool...');
    await quickInput().fill('get-resource-links');
    await quickRow(/get-resource-links/).first().waitFor();
    await wb.page.keyboard.press('Enter');
    await wb.page.locator('.quick-input-widget', { hasText: /count \(optional\)/ }).first().waitFor();
    assert.equal(await quickInput().inputValue(), '3', 'the default is pre-filled');
    await wb.page.keyboard.press('Enter');
    await wb.page.locator('.tabs-container .tab', { hasText: /get-resource-links-\d+/ }).first().waitFor({ timeout: 60_000 });
    const offer = wb.page.locator('.notification-list-item', { hasText: /links 3 resources/ }).first();
    await offer.waitFor({ timeout: 3000 }).catch(() => undefined);
    if (!(await offer.isVisible().catch(() => false))) await wb.runCommand('Notifications: Show Notifications');
    await offer.waitFor({ timeout: 15_000 });
    await wb.shot('resource-links-offer');
    await offer.locator('.monaco-button', { hasText: /Open Linked Resource/ }).first().click();
    await quickRow(/Text Resource 2/).first().waitFor();
    await wb.shot('resource-links-picker');
    await quickRow(/Text Resource 2/).first().click();
    await wb.page.locator('.tabs-container .tab', { hasText: 'text-2' }).first().waitFor({ timeout: 60_000 });
    await wb.page.locator('.editor-group-container .monaco-editor .view-lines', { hasText: /Resource\s2/ }).first().waitFor({ timeout: 60_000 });
    await wb.shot('resource-link-opened');
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
