/**
 * Tool arguments and secrets (issue 10, finding 14), in the real extension host: remembered arguments (plain
 * workspace state) keep no token-like value whatever the field is called, and no field the schema marks
 * `writeOnly` or `format: "password"`; those fields are typed into a password box.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { McpHostApi } from '../../../src/extension';
import type { ServerHandle } from '../../../src/core/server/types';
import { schemaToFields } from '../../../src/core/schema';
import { CommandIds } from '../../../src/vscode/commands/ids';
import type { RunToolOutcome } from '../../../src/vscode/commands/content';
import { toFormField } from '../../../src/vscode/input/toolArguments';
import { Choices } from '../../../src/vscode/trust/ask';
import type { TreeNode } from '../../../src/vscode/tree/nodes';
import { activate, repoRoot, waitFor } from '../helpers';

const SERVER = 'secret-fields';
// Built at run time so no scanner mistakes this file for a leak; unique per run so the search means something.
const ghp = `ghp_${'A1b2C3d4E5f6G7h8I9j0K1l2M3n4'}${process.pid}`;

function textOf(result: { content?: unknown }): string {
  const blocks = Array.isArray(result.content) ? (result.content as { type: string; text?: string }[]) : [];
  return blocks.map((b) => b.text ?? '').join('\n');
}

describe('content: tool arguments and secrets', function () {
  this.timeout(120_000);
  let api: McpHostApi;
  let server: ServerHandle;
  const login = (): TreeNode => ({ kind: 'tool', serverId: server.id, name: 'login' });
  const run = (args: Record<string, unknown>) => vscode.commands.executeCommand<RunToolOutcome | undefined>(CommandIds.runTool, login(), { arguments: args });

  before(async () => {
    api = await activate<McpHostApi>();
    api.trust.setAsk(() => Promise.resolve(Choices.run));
    const script = path.join(repoRoot(), 'test/fixtures/protocol/scripted-server.mjs');
    await vscode.workspace
      .getConfiguration('mcpHost')
      .update('servers', { [SERVER]: { command: process.execPath, args: [script, 'normal'], env: { SECRET_TOOL: '1' } } }, vscode.ConfigurationTarget.Global);
    await api.reloadConfig();
    server = await waitFor(() => api.registry.getByName(SERVER), 30_000, `server ${SERVER} in the registry`);
    await server.start();
    await waitFor(() => server.lists.tools.some((t) => t.name === 'login'), 30_000, 'the login tool listed');
  });

  after(async () => {
    api.trust.setAsk(undefined);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.getConfiguration('mcpHost').update('servers', undefined, vscode.ConfigurationTarget.Global);
    await api.reloadConfig();
  });

  it('a token in an innocent field, a URL with a password, and password / writeOnly fields are not remembered', async () => {
    const user = `ann-${process.pid}`;
    const outcome = await run({ user, password: `pw-${process.pid}-x`, code: `code-${process.pid}-y`, query: `find ${ghp}` });
    assert.equal(outcome && textOf(outcome.result), `login ${user}`);
    let state = await waitFor(() => {
      const s = api.trust.dumpState();
      return s.includes(user) ? s : undefined;
    }, 10_000, 'the innocent argument remembered');
    for (const secret of [`pw-${process.pid}-x`, `code-${process.pid}-y`, ghp]) assert.ok(!state.includes(secret), `${secret.slice(0, 8)}… is not in the extension state`);

    const dsn = `postgres://admin:pw${process.pid}@db.internal/app`;
    const second = await run({ user: `${user}-2`, query: dsn });
    assert.equal(second && textOf(second.result), `login ${user}-2`);
    state = await waitFor(() => {
      const s = api.trust.dumpState();
      return s.includes(`${user}-2`) ? s : undefined;
    }, 10_000, 'the second arguments remembered');
    assert.ok(!state.includes(`pw${process.pid}@`), 'the URL with a password is not in the extension state');
  });

  it('fields marked format password or writeOnly are typed into a password box; the others are not', () => {
    const tool = server.lists.tools.find((t) => t.name === 'login');
    assert.ok(tool);
    const fields = schemaToFields(tool.inputSchema).fields.map(toFormField);
    assert.deepEqual(
      fields.map((f) => [f.name, f.password === true]),
      [
        ['user', false],
        ['password', true],
        ['code', true],
        ['query', false],
      ],
    );
  });
});
