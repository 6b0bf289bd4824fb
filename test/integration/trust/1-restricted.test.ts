/**
 * Workspace trust in a real VS Code with trust enabled: the suite's workspace opens restricted, and it defines
 * servers in .vscode/mcp.json, .mcp.json and workspace settings (all with autoStart) whose command lines carry a
 * marker. No process with that marker may ever exist; the servers show "needs workspace trust".
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as vscode from 'vscode';
import { extension, waitFor } from '../helpers';
import { children, labelOf, processesWith, serverNode, setUserServers, treeItem, trustApi, waitForServer, workspaceFolder, type TrustApi } from './trustHelpers';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('Trust: a restricted workspace', () => {
  let api: TrustApi;

  before(async () => {
    api = await trustApi();
  });

  after(async () => {
    await setUserServers(undefined);
  });

  it('opens restricted (workspace trust is on and the folder is not trusted)', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  it('the manifest declares limited support for untrusted workspaces and restricts the settings that run code', () => {
    const caps = (extension().packageJSON as { capabilities?: { untrustedWorkspaces?: { supported?: unknown; restrictedConfigurations?: string[] } } }).capabilities;
    assert.equal(caps?.untrustedWorkspaces?.supported, 'limited');
    for (const s of ['mcpHost.servers', 'mcpHost.autoStart', 'mcpHost.autoApproveTools']) {
      assert.ok(caps?.untrustedWorkspaces?.restrictedConfigurations?.includes(s), `${s} is a restricted configuration`);
    }
  });

  it('servers from .vscode/mcp.json and .mcp.json are never spawned and show "needs workspace trust"', async () => {
    for (const name of ['ws-mcp-json', 'ws-root-mcp-json']) {
      const h = await waitForServer(api, name);
      assert.deepEqual(h.state, { kind: 'stopped', reason: 'needsWorkspaceTrust' }, name);
      assert.equal(api.trust.gate.blockedReason(h.definition), 'needsWorkspaceTrust');
      const node = serverNode(api, name);
      assert.ok(node, `${name} has a tree node`);
      assert.match(String(treeItem(api, node).description), /needs workspace trust/);
      // Starting it on purpose does not run it either (start, the command, expanding the node).
      await assert.rejects(h.start());
      // The command explains restricted mode in a notification that waits for a click: do not await it.
      void vscode.commands.executeCommand('mcpHost.startServer', node).then(undefined, () => undefined);
      children(api, node);
      await sleep(500);
      assert.deepEqual(h.state, { kind: 'stopped', reason: 'needsWorkspaceTrust' }, `${name} after start attempts`);
      assert.equal(h.pid, undefined);
    }
    // The workspace-settings server: VS Code may hide restricted workspace settings entirely; if it is listed, it is blocked.
    const ws = api.registry.getByName('ws-settings');
    if (ws) assert.deepEqual(ws.state, { kind: 'stopped', reason: 'needsWorkspaceTrust' });

    // autoStart is on for all of them (suite settings): give a spawn time to happen, then look for the process.
    await sleep(3000);
    assert.deepEqual(processesWith('mcp-host-trust-marker'), [], 'no process with the marker exists');
  });

  it('the process scan does see a server the user defined (control: the same command from user settings runs)', async () => {
    const marker = 'mcp-host-trust-control-marker';
    await setUserServers({ control: { command: 'node', args: ['-e', 'setInterval(() => {}, 1e9)', marker] } });
    await api.reloadConfig();
    const h = await waitForServer(api, 'control');
    assert.equal(api.trust.gate.blockedReason(h.definition), undefined, "the user's own server needs no consent");
    h.start().catch(() => undefined); // it never answers initialize; we only look for its process
    const found = await waitFor(() => (processesWith(marker).length > 0 ? processesWith(marker) : undefined), 15_000, 'the control process');
    assert.ok(found.length >= 1);
    await h.stop();
    await waitFor(() => processesWith(marker).length === 0, 15_000, 'the control process to exit');
    assert.deepEqual(processesWith('mcp-host-trust-marker'), [], 'still no workspace server process');
  });

  it("a user server starts in the home folder, not the restricted folder (npx, python -m would run the folder's code)", async () => {
    const marker = 'mcp-host-trust-cwd-marker';
    await setUserServers({ homeCwd: { command: 'node', args: ['-e', 'setInterval(() => {}, 1e9)', marker] } });
    await api.reloadConfig();
    const h = await waitForServer(api, 'homeCwd');
    h.start().catch(() => undefined); // it never answers initialize; we only look at its process
    const [proc] = await waitFor(() => (processesWith(marker).length > 0 ? processesWith(marker) : undefined), 15_000, 'the user server process');
    assert.ok(proc);
    const cwd = fs.readlinkSync(`/proc/${proc.pid}/cwd`);
    assert.equal(cwd, fs.realpathSync(os.homedir()));
    assert.notEqual(cwd, fs.realpathSync(workspaceFolder().uri.fsPath));
    await h.stop();
    await waitFor(() => processesWith(marker).length === 0, 15_000, 'the user server process to exit');
  });

  it('a user server whose cwd is ${workspaceFolder} is refused in the restricted workspace, and says why', async () => {
    const marker = 'mcp-host-trust-ws-cwd-marker';
    await setUserServers({ wsCwd: { command: 'node', args: ['-e', 'setInterval(() => {}, 1e9)', marker], cwd: '${workspaceFolder}' } });
    await api.reloadConfig();
    const h = await waitForServer(api, 'wsCwd');
    await waitFor(() => h.state.kind === 'stopped' && h.state.reason === 'needsWorkspaceTrust', 10_000, 'wsCwd blocked');
    assert.equal(api.trust.gate.blockedReason(h.definition), 'needsWorkspaceTrust');
    await assert.rejects(h.start());
    const node = serverNode(api, 'wsCwd');
    assert.ok(node);
    assert.match(String(treeItem(api, node).description), /needs workspace trust/);
    const tip = treeItem(api, node).tooltip;
    assert.match(typeof tip === 'string' ? tip : (tip?.value ?? ''), /Working directory:.*workspaceFolder/);
    const info = children(api, node).find((n) => n.kind === 'info' && n.key === 'needsWorkspaceTrust');
    assert.ok(info, 'an explanation row under the server');
    const infoItem = treeItem(api, info);
    assert.match(labelOf(infoItem), /restricted and this server takes its cwd/);
    const infoTip = infoItem.tooltip;
    assert.match(typeof infoTip === 'string' ? infoTip : (infoTip?.value ?? ''), /remove "cwd"/);
    // autoStart is on: give a spawn time to happen.
    await sleep(2000);
    assert.deepEqual(processesWith(marker), [], 'the server never ran in the restricted folder');
    assert.equal(h.pid, undefined);
  });

  it('the tree says why a workspace server does not run', async () => {
    const node = serverNode(api, 'ws-mcp-json');
    assert.ok(node);
    const item = treeItem(api, node);
    assert.equal(labelOf(item), 'ws-mcp-json');
    assert.match(String(item.description), /needs workspace trust/);
  });
});
