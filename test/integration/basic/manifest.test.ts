import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activate, extension } from '../helpers';
import { CommandIds } from '../../../src/vscode/commands/ids';

interface Manifest {
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    viewsContainers: { activitybar: { id: string; title: string }[] };
    views: Record<string, { id: string; name: string }[]>;
  };
}

describe('MCP Host in a real extension host', () => {
  it('activates and hands tests its API object', async () => {
    const api = await activate<Record<string, unknown> | undefined>();
    assert.equal(extension().isActive, true);
    assert.ok(api && typeof api === 'object', 'activate() should return an API object');
    assert.ok('registry' in api, `the API object should expose registry (has: ${Object.keys(api).join(', ')})`);
  });

  it('runs as a workspace extension, where the servers run', () => {
    assert.equal(extension().extensionKind, vscode.ExtensionKind.Workspace);
  });

  it('contributes the MCP Host view container with the Servers tree, and the workbench opens it', async () => {
    const manifest = extension().packageJSON as Manifest;
    const container = manifest.contributes.viewsContainers.activitybar.find((c) => c.id === 'mcpHost');
    assert.equal(container?.title, 'MCP Host');
    assert.deepEqual(
      manifest.contributes.views.mcpHost?.map((v) => [v.id, v.name]),
      [['mcpHost.servers', 'Servers']],
    );
    const all = await vscode.commands.getCommands(false);
    assert.ok(all.includes('mcpHost.servers.focus'), 'the workbench should have registered the Servers view (mcpHost.servers.focus)');
    await vscode.commands.executeCommand('workbench.view.extension.mcpHost');
    await vscode.commands.executeCommand('mcpHost.servers.focus');
  });

  it('registers every contributed command, and contributes every registered mcpHost command', async () => {
    await activate();
    const contributed = (extension().packageJSON as Manifest).contributes.commands.map((c) => c.command).sort();
    const registered = (await vscode.commands.getCommands(true)).filter((c) => c.startsWith('mcpHost.') && !c.startsWith('mcpHost.servers.')).sort();
    const missing = contributed.filter((c) => !registered.includes(c));
    const extra = registered.filter((c) => !contributed.includes(c));
    assert.deepEqual(missing, [], `contributed in package.json but not registered: ${missing.join(', ')}`);
    assert.deepEqual(extra, [], `registered but not contributed in package.json: ${extra.join(', ')}`);
    assert.deepEqual(Object.values(CommandIds).sort(), contributed, 'src/vscode/commands/ids.ts should list exactly the contributed commands');
  });

  it('puts every command in the MCP Host category', () => {
    const bad = (extension().packageJSON as Manifest).contributes.commands.filter((c) => c.category !== 'MCP Host').map((c) => c.command);
    assert.deepEqual(bad, []);
  });
});
