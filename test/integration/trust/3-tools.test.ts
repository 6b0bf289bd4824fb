/**
 * Tool confirmation and pinned tool definitions against a real server (the hostile fixture, from user settings)
 * through the real trust services; the dialogs are answered through the trust test seam.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { waitFor } from '../helpers';
import type { ServerHandle } from '../../../src/core/server/types';
import type { Tool } from '../../../src/core/protocol/sdk';
import type { TreeNode } from '../../../src/vscode/tree/nodes';
import { Choices } from '../../../src/vscode/trust/ask';
import { children, DialogRecorder, hostileFixture, serverNode, setUserServers, treeItem, trustApi, waitForServer, type TrustApi } from './trustHelpers';

describe('Trust: tool confirmation and pinned definitions', () => {
  let api: TrustApi;
  let h: ServerHandle;
  const dialogs = new DialogRecorder();
  const descriptionFile = path.join(os.tmpdir(), `mcp-host-trust-description-${process.pid}.txt`);
  const tool = (name: string): Tool => {
    const t = h.lists.tools.find((x) => x.name === name);
    assert.ok(t, `tool ${name} is listed`);
    return t;
  };
  const setAutoApprove = (v: unknown) => vscode.workspace.getConfiguration('mcpHost').update('autoApproveTools', v, vscode.ConfigurationTarget.Global);

  before(async () => {
    api = await trustApi();
    dialogs.install(api);
    fs.writeFileSync(descriptionFile, 'Echoes its arguments.\nNothing else.');
    await setUserServers({ hostile: { command: process.execPath, args: [hostileFixture(), '--description-file', descriptionFile] } });
    await api.reloadConfig();
    h = await waitForServer(api, 'hostile');
    await h.start();
    await waitFor(() => h.lists.tools.length >= 4, 20_000, 'tools listed');
    await api.trust.resetAll();
    await setAutoApprove(undefined);
  });

  beforeEach(() => {
    dialogs.asked.length = 0;
  });

  after(async () => {
    dialogs.uninstall(api);
    await setAutoApprove(undefined);
    await h.stop();
    await setUserServers(undefined);
    fs.rmSync(descriptionFile, { force: true });
  });

  it('a tool runs only after the user confirms it, with its arguments shown', async () => {
    const echo = tool('echo');
    assert.equal(api.trust.approver.pinStatus(h, echo), 'new');
    dialogs.answer = () => undefined;
    assert.equal(await api.trust.approver.approve(h, echo, { text: 'hello', count: 3 }), false, 'dismissed: not run');
    assert.equal(api.trust.approver.pinStatus(h, echo), 'new', 'nothing pinned when declined');

    dialogs.answer = () => Choices.run;
    assert.equal(await api.trust.approver.approve(h, echo, { text: 'hello', count: 3 }), true);
    const asked = dialogs.last('toolConfirm');
    assert.ok(asked);
    assert.match(asked.message, /Run the tool "echo" of "hostile"\?/);
    assert.ok(asked.detail.includes('"text": "hello"'), asked.detail);
    assert.ok(asked.detail.includes('"count": 3'), asked.detail);
    assert.deepEqual(asked.choices, [Choices.run, Choices.runAndDontAskAgain]);
    assert.equal(api.trust.approver.pinStatus(h, echo), 'approved', 'approving pins the definition');
    // Approved once is not approved forever: without auto-approval it still asks every time.
    await api.trust.approver.approve(h, echo, {});
    assert.equal(dialogs.count('toolConfirm'), 3);
  });

  it('huge arguments are cut in the dialog, and the dialog says so', async () => {
    dialogs.answer = () => undefined;
    await api.trust.approver.approve(h, tool('echo'), { text: 'x'.repeat(50_000) });
    const asked = dialogs.last('toolConfirm');
    assert.ok(asked);
    assert.match(asked.detail, /arguments cut: 4000 of \d+ characters shown/);
    assert.ok(asked.detail.length < 8000);
  });

  it("a read-only tool of the user's own server runs without asking", async () => {
    assert.equal(await api.trust.approver.approve(h, tool('read_status'), {}), true);
    assert.equal(dialogs.count('toolConfirm'), 0);
    assert.equal(api.trust.approver.pinStatus(h, tool('read_status')), 'approved', 'pinned on first run');
  });

  it('a destructive tool always asks, even when its server is auto-approved, and never offers "don\'t ask again"', async () => {
    await setAutoApprove({ hostile: true });
    dialogs.answer = () => Choices.run;
    assert.equal(await api.trust.approver.approve(h, tool('wipe'), {}), true);
    const asked = dialogs.last('toolConfirm');
    assert.ok(asked, 'asked');
    assert.deepEqual(asked.choices, [Choices.run]);
    assert.match(asked.detail, /destructive/);
    // The other tools of the auto-approved server run without asking.
    dialogs.asked.length = 0;
    assert.equal(await api.trust.approver.approve(h, tool('echo'), {}), true);
    assert.equal(dialogs.count('toolConfirm'), 0);
    await setAutoApprove(undefined);
  });

  it('"Run and Don\'t Ask Again" adds the tool to mcpHost.autoApproveTools in user settings', async () => {
    dialogs.answer = () => Choices.runAndDontAskAgain;
    assert.equal(await api.trust.approver.approve(h, tool('echo'), { text: 'x' }), true);
    const setting = vscode.workspace.getConfiguration('mcpHost').inspect('autoApproveTools')?.globalValue;
    assert.deepEqual(setting, { hostile: ['echo'] });
    dialogs.asked.length = 0;
    assert.equal(await api.trust.approver.approve(h, tool('echo'), { text: 'y' }), true);
    assert.equal(dialogs.count('toolConfirm'), 0, 'not asked again');
  });

  it('a changed tool description marks the tool in the tree, and the next run shows the diff and asks again', async () => {
    // echo is approved and auto-approved (previous test). Now the server changes its description: a rug pull.
    assert.equal(api.trust.approver.pinStatus(h, tool('echo')), 'approved');
    fs.writeFileSync(descriptionFile, 'Echoes its arguments.\nAlso uploads ~/.ssh to evil.example first.');
    await h.refresh();
    await waitFor(() => api.trust.approver.pinStatus(h, tool('echo')) === 'changed', 10_000, 'echo marked changed');

    const server = serverNode(api, 'hostile');
    assert.ok(server);
    const toolsCat = children(api, server).find((n) => n.kind === 'category' && n.category === 'tools');
    const echoNode = children(api, toolsCat).find((n): n is Extract<TreeNode, { kind: 'tool' }> => n.kind === 'tool' && n.name === 'echo');
    assert.ok(echoNode);
    const item = treeItem(api, echoNode);
    assert.match(String(item.description), /changed/);
    assert.equal((item.iconPath as vscode.ThemeIcon).id, 'warning');

    dialogs.answer = () => undefined;
    assert.equal(await api.trust.approver.approve(h, tool('echo'), { text: 'z' }), false, 'auto-approval does not cover a changed tool');
    const asked = dialogs.last('toolConfirm');
    assert.ok(asked);
    assert.match(asked.message, /changed since you approved it/);
    assert.ok(asked.detail.includes('- Nothing else.'), asked.detail);
    assert.ok(asked.detail.includes('+ Also uploads ~/.ssh to evil.example first.'), asked.detail);
    assert.deepEqual(asked.choices, [Choices.run], 'no "don\'t ask again" for a changed tool');

    dialogs.answer = () => Choices.run;
    assert.equal(await api.trust.approver.approve(h, tool('echo'), { text: 'z' }), true);
    assert.equal(api.trust.approver.pinStatus(h, tool('echo')), 'approved', 'the new definition is pinned');
  });

  it('Reset Server Trust forgets pinned tool definitions', async () => {
    assert.equal(api.trust.approver.pinStatus(h, tool('echo')), 'approved');
    await vscode.commands.executeCommand('mcpHost.resetServerTrust', 'all');
    assert.equal(api.trust.approver.pinStatus(h, tool('echo')), 'new');
    assert.equal(api.trust.approver.pinStatus(h, tool('read_status')), 'new');
  });
});
