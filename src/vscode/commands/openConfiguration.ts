/** Opens one of the places servers are defined: user settings, or a folder's mcp.json (created if missing). */
import * as vscode from 'vscode';
import { ensureMcpJson, fileExists } from '../config/mcpJsonFile';
import { mcpFileUri } from '../config/sources';

type Choice = vscode.QuickPickItem & { open: () => Promise<unknown> };

const openSettingsJson = (command: string) => () =>
  Promise.resolve(vscode.commands.executeCommand(command, { revealSetting: { key: 'mcpHost.servers', edit: true } }));

export function openConfigurationCommand() {
  return async (): Promise<void> => {
    const choices: Choice[] = [
      { label: 'User Settings (JSON)', description: 'mcpHost.servers', open: openSettingsJson('workbench.action.openSettingsJson') },
    ];
    if (vscode.workspace.workspaceFolders?.length)
      choices.push({ label: 'Workspace Settings (JSON)', description: 'mcpHost.servers', open: openSettingsJson('workbench.action.openWorkspaceSettingsFile') });
    for (const folder of vscode.workspace.workspaceFolders ?? []) {
      const mcpJson = mcpFileUri(folder, 'folderMcpJson');
      const has = await fileExists(mcpJson);
      choices.push({
        label: `${folder.name}: .vscode/mcp.json`,
        description: has ? undefined : 'create it',
        open: async () => vscode.window.showTextDocument(await ensureMcpJson(folder), { preview: false }),
      });
      const dotMcp = mcpFileUri(folder, 'rootMcpJson');
      if (await fileExists(dotMcp)) choices.push({ label: `${folder.name}: .mcp.json`, open: () => Promise.resolve(vscode.window.showTextDocument(dotMcp, { preview: false })) });
    }
    const picked = await vscode.window.showQuickPick(choices, { placeHolder: 'Open the MCP server configuration' });
    if (picked) await picked.open();
  };
}
