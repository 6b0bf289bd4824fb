/**
 * A server asks for input and a person answers it in the browser: server-everything's elicitation tool opens the
 * "asks for input" step with the server's message, then the same step-by-step form as tool arguments; the typed
 * name and the schema defaults for the rest reach the server. Screenshots per step in test-results/e2e/asks/.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { openWorkbench, referenceServers, type Workbench } from './harness';

const FIELDS = 13; // the properties of server-everything's elicitation form

void describe('elicitation in the browser: a form typed through the quick input', { timeout: 400_000 }, () => {
  let wb: Workbench;
  const quickRow = (text: string | RegExp) => wb.page.locator('.quick-input-widget .monaco-list-row', { hasText: text });
  const quickInput = () => wb.page.locator('.quick-input-widget input');
  const widget = (text: string | RegExp) => wb.page.locator('.quick-input-widget', { hasText: text }).first();

  before(async () => {
    wb = await openWorkbench({
      name: 'asks',
      userSettings: { 'mcpHost.servers': referenceServers(['everything']), 'mcpHost.autoApproveTools': { everything: true } },
    });
  });
  after(async () => {
    await wb?.close();
  });

  void it('the server starts from the sidebar', async () => {
    await wb.openServersView();
    const server = wb.treeRow('everything').first();
    await server.waitFor({ timeout: 60_000 });
    if ((await server.getAttribute('aria-expanded')) !== 'true') await server.click();
    await wb.treeRow(/^Tools/).first().waitFor({ timeout: 60_000 });
    await wb.shot('server-started');
  });

  void it('Fill in, type the required name, accept the defaults: the server gets the name and the defaults', async () => {
    await wb.runCommand('MCP Host: Run Tool...');
    await quickInput().fill('trigger-elicitation-request');
    await quickRow(/trigger-elicitation-request/).first().waitFor({ timeout: 60_000 });
    await wb.page.keyboard.press('Enter');
    await widget(/asks for input/).waitFor({ timeout: 60_000 });
    assert.match((await quickInput().getAttribute('placeholder')) ?? '', /Please provide inputs for the following fields/, "the server's message is shown");
    await wb.shot('elicitation-first-step');
    await wb.page.keyboard.press('Enter'); // Fill in
    await widget(/name \(required\)/).waitFor();
    await widget(new RegExp(`1/${FIELDS}`)).waitFor();
    await quickInput().fill('Grace Hopper');
    await wb.shot('elicitation-name');
    await wb.page.keyboard.press('Enter');
    for (let step = 2; step <= FIELDS; step++) {
      await widget(new RegExp(`${step}/${FIELDS}`)).waitFor();
      if (step === 3) assert.equal(await quickInput().inputValue(), 'It was a dark and stormy night.', 'the default is pre-filled');
      await wb.page.keyboard.press('Enter');
    }
    await wb.page.locator('.editor-group-container .monaco-editor .view-lines', { hasText: /Name:\sGrace\sHopper/ }).first().waitFor({ timeout: 60_000 });
    const text = await wb.editorText();
    assert.match(text, /User\sprovided\sthe\srequested\sinformation/);
    await wb.shot('elicitation-result');
  });
});
