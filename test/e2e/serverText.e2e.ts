/**
 * Server text in the browser is never a live link or an icon (issue #10 finding 1, #18 item 4): the Run Tool
 * form's prompt line shows an argument description holding `[open a new file](command:...)` as words, a property
 * name with control characters shows none of them, and the progress and error notifications of a tool whose
 * progress message and isError text hold command links render no link. Screenshots in test-results/e2e/server-text/.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openWorkbench, repoRoot, type Workbench } from './harness';

void describe('server text in the browser: no live links, no icons, no control characters', { timeout: 300_000 }, () => {
  let wb: Workbench;
  const widget = (text: string | RegExp) => wb.page.locator('.quick-input-widget', { hasText: text }).first();
  const quickInput = () => wb.page.locator('.quick-input-widget input');

  before(async () => {
    wb = await openWorkbench({
      name: 'server-text',
      userSettings: {
        'mcpHost.servers': { hostile: { command: process.execPath, args: [path.join(repoRoot(), 'test/fixtures/hostile/hostile-descriptions.mjs'), '--links'] } },
        'mcpHost.autoApproveTools': { hostile: true },
      },
    });
  });
  after(async () => {
    await wb?.close();
  });

  void it('the Run Tool form, the progress and the error notification show server links as words only', async () => {
    await wb.openServersView();
    const server = wb.treeRow('hostile').first();
    await server.waitFor({ timeout: 60_000 });
    // Expanding the server starts it; the Tools group appears once it is listed.
    if ((await server.getAttribute('aria-expanded')) !== 'true') await server.click();
    await wb.treeRow(/^Tools/).first().waitFor({ timeout: 60_000 });
    await wb.runCommand('MCP Host: Run Tool...');
    await quickInput().fill('trap');
    await wb.page.locator('.quick-input-widget .monaco-list-row', { hasText: /trap/ }).first().waitFor({ timeout: 60_000 });
    await wb.page.keyboard.press('Enter');

    const first = widget(/query \(required\)/);
    await first.waitFor({ timeout: 60_000 });
    await wb.shot('form-prompt-with-hostile-description');
    assert.match((await first.textContent()) ?? '', /open a new file/, 'the words of the description are shown');
    assert.equal(await first.locator('a', { hasText: /open a new file/ }).count(), 0, 'the description is no link');
    assert.equal(await first.locator('.codicon-zap').count(), 0, 'no icon drawn from server text');

    await quickInput().fill('x');
    await wb.page.keyboard.press('Enter');
    const second = widget(/col.*\(optional\)/);
    await second.waitFor({ timeout: 30_000 });
    await wb.shot('form-prompt-with-hostile-property-name');
    // innerText: what is rendered (no <style> text); line breaks and tabs come from the layout itself.
    const shown = await second.innerText();
    assert.match(shown, /col.*or/, 'the field name is shown');
    assert.doesNotMatch(shown, /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e]/, `the field name shows no control characters: ${JSON.stringify(shown)}`);
    assert.equal(await second.locator('a', { hasText: /open a new file/ }).count(), 0, 'the field name is no link');
    await wb.page.keyboard.press('Enter');

    // The notification center lists every notification (toasts may stay hidden while a quick input had focus).
    await wb.runCommand('Notifications: Show Notifications');
    const item = (text: RegExp) => wb.page.locator('.notifications-center .notification-list-item', { hasText: text }).first();
    const progress = item(/Working/);
    await wb.step('progress-with-hostile-message', () => progress.waitFor({ timeout: 30_000 }));
    assert.equal(await progress.locator('a', { hasText: /open a new file/ }).count(), 0, 'the progress message is no link');

    // The result opens in an editor (closing the center), then the error is shown: open the center again.
    await wb.page.locator('.tabs-container .tab', { hasText: /trap-\d+/ }).first().waitFor({ timeout: 30_000 });
    await wb.runCommand('Notifications: Show Notifications');
    const error = item(/Session expired/);
    await wb.step('error-with-hostile-text', () => error.waitFor({ timeout: 30_000 }));
    assert.match(await error.innerText(), /Sign in again/, 'the words of the error are shown');
    assert.equal(await error.locator('a', { hasText: /Sign in again/ }).count(), 0, 'the error text is no link');
    assert.equal(await error.locator('.codicon-zap').count(), 0, 'no icon drawn from server text');
  });
});
