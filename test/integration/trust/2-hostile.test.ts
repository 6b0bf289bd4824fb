/**
 * Untrusted text: a server whose tool names, descriptions, resources and prompts carry ANSI escapes, bidi
 * overrides, zero-width characters, markdown command links and HTML renders as inert text in the tree and in
 * the trust dialogs. The server comes from user settings (the user's own, so it runs in a restricted workspace).
 */
import * as assert from 'node:assert/strict';
import type * as vscode from 'vscode';
import { waitFor } from '../helpers';
import type { TreeNode } from '../../../src/vscode/tree/nodes';
import {
  assertInertMarkdown,
  children,
  DialogRecorder,
  HIDDEN,
  hostileFixture,
  labelOf,
  serverNode,
  setUserServers,
  treeItem,
  trustApi,
  waitForServer,
  type TrustApi,
} from './trustHelpers';

describe('Trust: hostile server text renders inert', () => {
  let api: TrustApi;
  const dialogs = new DialogRecorder();

  before(async () => {
    api = await trustApi();
    dialogs.install(api);
    await setUserServers({ hostile: { command: process.execPath, args: [hostileFixture()] } });
    await api.reloadConfig();
    const h = await waitForServer(api, 'hostile');
    await h.start();
    await waitFor(() => h.lists.tools.length >= 4 && h.lists.resources.length >= 1, 20_000, 'hostile lists');
  });

  after(async () => {
    dialogs.uninstall(api);
    await api.registry.getByName('hostile')?.stop();
    await setUserServers(undefined);
  });

  function assertInertItem(item: vscode.TreeItem, what: string): void {
    const label = labelOf(item);
    assert.ok(!HIDDEN.test(label), `${what}: label ${JSON.stringify(label)} has hidden characters`);
    if (typeof item.description === 'string') assert.ok(!HIDDEN.test(item.description), `${what}: description ${JSON.stringify(item.description)}`);
    assertInertMarkdown(item.tooltip, what);
    if (item.command) assert.ok(!/^command:|javascript:/i.test(item.command.command), `${what}: runs ${item.command.command}`);
  }

  it('tool, resource and prompt rows have clean labels and untrusted, HTML-free tooltips', () => {
    const server = serverNode(api, 'hostile');
    assert.ok(server);
    let checked = 0;
    for (const cat of children(api, server).filter((n): n is Extract<TreeNode, { kind: 'category' }> => n.kind === 'category')) {
      for (const node of children(api, cat)) {
        assertInertItem(treeItem(api, node), `${cat.category} ${JSON.stringify(node)}`);
        checked++;
      }
    }
    assert.ok(checked >= 6, `checked ${checked} rows`);
  });

  it('the tool whose name holds escapes and bidi overrides shows its visible characters only', () => {
    const server = serverNode(api, 'hostile');
    assert.ok(server);
    const tools = children(api, children(api, server).find((n) => n.kind === 'category' && n.category === 'tools'));
    const evil = tools.find((n) => n.kind === 'tool' && n.name.startsWith('evil'));
    assert.ok(evil, 'the hostile tool is listed');
    assert.equal(labelOf(treeItem(api, evil)), 'evil_loot');
  });

  it('the server tooltip with the hostile server info is inert', () => {
    const server = serverNode(api, 'hostile');
    assert.ok(server);
    assertInertItem(treeItem(api, server), 'server row');
  });

  it('the tool confirmation shows hostile arguments and descriptions with hidden characters made visible', async () => {
    const h = api.registry.getByName('hostile');
    assert.ok(h);
    const evil = h.lists.tools.find((t) => t.name.startsWith('evil'));
    assert.ok(evil);
    dialogs.answer = () => undefined; // dismiss
    const ok = await api.trust.approver.approve(h, evil, { text: 'a\u202Eb\u001b[2J' });
    assert.equal(ok, false, 'dismissed = not run');
    const asked = dialogs.last('toolConfirm');
    assert.ok(asked);
    for (const [k, v] of [['message', asked.message], ['detail', asked.detail]] as const) {
      assert.ok(!HIDDEN.test(v), `${k} has hidden characters: ${JSON.stringify(v)}`);
    }
    assert.ok(asked.detail.includes('a\\u202Eb\\u001b[2J'), asked.detail);
  });
});
