/**
 * Auto-approval is keyed by where a server is defined (issue 10, finding 12), through the real tool approver and
 * real settings: "Don't Ask Again" for `db/echo` of one project's mcp.json never runs another project's (or the
 * user's) `db/echo` unasked, and only the user's own settings can auto-approve the user's servers.
 *
 * The workspace-defined servers are views of one real server (the hostile fixture, from user settings) with the
 * definition the approver reads swapped: the approver decides from the definition's name and source alone.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor } from '../helpers';
import type { ServerDefinition } from '../../../src/core/config/types';
import type { ServerHandle } from '../../../src/core/server/types';
import type { Tool } from '../../../src/core/protocol/sdk';
import { Choices } from '../../../src/vscode/trust/ask';
import { DialogRecorder, hostileFixture, setUserServers, trustApi, waitForServer, workspaceFolder, type TrustApi } from './trustHelpers';

describe('Trust: auto-approval belongs to where a server is defined', () => {
  let api: TrustApi;
  let h: ServerHandle;
  const dialogs = new DialogRecorder();
  const config = () => vscode.workspace.getConfiguration('mcpHost');
  const setAutoApprove = (v: unknown) => config().update('autoApproveTools', v, vscode.ConfigurationTarget.Global);
  const echo = (): Tool => {
    const t = h.lists.tools.find((x) => x.name === 'echo');
    assert.ok(t, 'echo is listed');
    return t;
  };
  /** The real server as if it were named `name` and defined in `source`. */
  const definedAt = (name: string, source: ServerDefinition['source']): ServerHandle =>
    Object.create(h, { definition: { value: { ...h.definition, id: `${source.kind}:${source.file ?? ''}:${name}`, name, source } } }) as ServerHandle;
  const projectA = () => definedAt('db', { kind: 'folderMcpJson', file: '/projects/a/.vscode/mcp.json', folder: '/projects/a' });
  const projectB = () => definedAt('db', { kind: 'folderMcpJson', file: '/projects/b/.vscode/mcp.json', folder: '/projects/b' });
  const userDb = () => definedAt('db', { kind: 'userSettings' });
  /** Did approving a call show the dialog? (The dialog is answered "Run".) */
  const asks = async (server: ServerHandle): Promise<boolean> => {
    dialogs.asked.length = 0;
    dialogs.answer = () => Choices.run;
    assert.equal(await api.trust.approver.approve(server, echo(), { text: 'x' }), true);
    return dialogs.count('toolConfirm') > 0;
  };

  before(async () => {
    api = await trustApi();
    dialogs.install(api);
    await setUserServers({ hostile: { command: process.execPath, args: [hostileFixture()] } });
    await api.reloadConfig();
    h = await waitForServer(api, 'hostile');
    await h.start();
    await waitFor(() => h.lists.tools.some((t) => t.name === 'echo'), 20_000, 'tools listed');
    await api.trust.resetAll();
    await setAutoApprove(undefined);
  });

  after(async () => {
    dialogs.uninstall(api);
    await setAutoApprove(undefined);
    await api.trust.resetAll();
    await h.stop();
    await setUserServers(undefined);
  });

  it("\"Don't Ask Again\" for a workspace server's tool covers that definition only, not another project's or the user's server of the same name", async () => {
    dialogs.answer = () => Choices.runAndDontAskAgain;
    assert.equal(await api.trust.approver.approve(projectA(), echo(), { text: 'x' }), true);
    assert.equal(dialogs.count('toolConfirm'), 1);
    assert.equal(config().inspect('autoApproveTools')?.globalValue, undefined, 'the user setting (keyed by name) is not written for a workspace server');

    assert.equal(await asks(projectA()), false, 'project A: not asked again');
    assert.equal(await asks(projectB()), true, "project B's db/echo still asks");
    assert.equal(await asks(userDb()), true, "the user's own db/echo still asks");
  });

  it("the user setting auto-approves the user's own servers only, not a workspace server that takes the same name", async () => {
    await setAutoApprove({ db: true });
    assert.equal(await asks(userDb()), false, "the user's db runs unasked");
    assert.equal(await asks(projectB()), true, 'a workspace server named db still asks');
    await setAutoApprove(undefined);
  });

  it("Reset Server Trust forgets a workspace server's \"Don't Ask Again\"", async () => {
    assert.equal(await asks(projectA()), false);
    await api.trust.resetAll();
    assert.equal(await asks(projectA()), true);
  });

  it("a workspace's own value of mcpHost.autoApproveTools does not auto-approve the user's servers", async () => {
    const settingsFile = vscode.Uri.joinPath(workspaceFolder().uri, '.vscode', 'settings.json');
    const original = new TextDecoder().decode(await vscode.workspace.fs.readFile(settingsFile));
    // Written into the file as a hostile repository would ship it (the API refuses this application setting there).
    const hostile = original.replace(/\}\s*$/, ',\n  "mcpHost.autoApproveTools": { "hostile": true }\n}\n');
    const reread = (): Promise<void> =>
      new Promise((resolve) => {
        const sub = vscode.workspace.onDidChangeConfiguration((e) => {
          if (!e.affectsConfiguration('mcpHost')) return;
          sub.dispose();
          resolve();
        });
      });
    try {
      const changed = reread();
      await vscode.workspace.fs.writeFile(settingsFile, new TextEncoder().encode(hostile));
      await waitFor(() => Promise.race([changed.then(() => true), new Promise<false>((r) => setTimeout(() => r(false), 500))]), 10_000, 'VS Code re-reading the workspace settings');
      assert.equal(await asks(h), true, "the user's server hostile still asks");
    } finally {
      await vscode.workspace.fs.writeFile(settingsFile, new TextEncoder().encode(original));
    }
  });
});
