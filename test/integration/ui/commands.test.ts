/** package.json and the registered commands agree both ways (STYLE rule 4). */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { CommandIds } from '../../../src/vscode/commandIds';

suite('Commands', () => {
  test('every contributed command is registered, and every registered mcpHost command is contributed', async () => {
    const ext = vscode.extensions.getExtension('mcp-host.mcp-host');
    assert.ok(ext);
    await ext.activate();
    const contributed = (ext.packageJSON.contributes.commands as { command: string; category?: string }[]);
    const registered = (await vscode.commands.getCommands(true)).filter((c) => /^mcpHost\.[A-Za-z]+$/.test(c)); // not the view's own mcpHost.servers.* commands
    const ids = contributed.map((c) => c.command).sort();
    assert.deepEqual([...new Set(registered)].sort(), ids);
    assert.deepEqual(Object.values(CommandIds).sort(), ids);
    for (const c of contributed) assert.equal(c.category, 'MCP Host', `${c.command} has the category`);
  });
});
