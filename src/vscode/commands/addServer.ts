/** Guided "Add Server": name, command line, where to save it. What the user typed survives a failure. */
import * as vscode from 'vscode';
import { updateUserServers } from '../settings';
import { addServerToMcpJson } from '../config/mcpJsonFile';
import type { ServerCommandDeps } from './deps';
import { errorText } from './errors';
import { splitCommandLine } from './splitCommandLine';
import { showMessage } from '../messages';

interface Draft {
  name: string;
  commandLine: string;
}

type Target = { readonly kind: 'user' } | { readonly kind: 'folder'; readonly folder: vscode.WorkspaceFolder };

// Kept across invocations so a cancelled or failed attempt can be resumed without retyping.
let draft: Draft = { name: '', commandLine: '' };

export function addServerCommand(deps: ServerCommandDeps & { readonly reloadConfig: () => Promise<void> }) {
  return async (): Promise<void> => {
    const title = 'Add MCP Server';
    const name = await vscode.window.showInputBox({
      title: `${title} (1/3)`,
      prompt: 'A name for the server',
      placeHolder: 'e.g. memory',
      value: draft.name,
      ignoreFocusOut: true,
      validateInput: (v) => {
        const n = v.trim();
        if (!n) return 'Enter a name.';
        if (/[\u0000-\u001f]/.test(n)) return 'The name cannot contain control characters.';
        if (deps.registry.getByName(n)) return `A server named '${n}' already exists.`;
        return undefined;
      },
    });
    if (name === undefined) return;
    draft = { ...draft, name: name.trim() };

    const line = await vscode.window.showInputBox({
      title: `${title} (2/3)`,
      prompt: 'The command that starts it (run without a shell; quote arguments with spaces)',
      placeHolder: 'e.g. npx -y @modelcontextprotocol/server-memory',
      value: draft.commandLine,
      ignoreFocusOut: true,
      validateInput: (v) => {
        const r = splitCommandLine(v);
        if ('error' in r) return `Cannot read the command line: ${r.error}.`;
        return r.words.length === 0 ? 'Enter a command.' : undefined;
      },
    });
    if (line === undefined) return;
    draft = { ...draft, commandLine: line };
    const split = splitCommandLine(line);
    if ('error' in split || split.words.length === 0) return;
    const [command, ...args] = split.words as [string, ...string[]];

    const targets: (vscode.QuickPickItem & { target: Target })[] = [
      { label: 'User Settings', description: 'mcpHost.servers: yours, in every workspace', target: { kind: 'user' } },
      ...(vscode.workspace.workspaceFolders ?? []).map((folder) => ({
        label: `${folder.name}: .vscode/mcp.json`,
        description: 'shared with everyone who opens this folder',
        target: { kind: 'folder', folder } as const,
      })),
    ];
    const picked = await vscode.window.showQuickPick(targets, { title: `${title} (3/3)`, placeHolder: 'Where to save it', ignoreFocusOut: true });
    if (!picked) return;

    const entry = { type: 'stdio', command, args };
    try {
      if (picked.target.kind === 'user') {
        await updateUserServers((current) => {
          if (Object.prototype.hasOwnProperty.call(current, draft.name)) throw new Error(`a server named '${draft.name}' already exists in your user settings`);
          return { ...current, [draft.name]: entry };
        });
      } else {
        const doc = await addServerToMcpJson(picked.target.folder, draft.name, entry);
        await vscode.window.showTextDocument(doc, { preview: false });
      }
    } catch (err) {
      const json = JSON.stringify({ [draft.name]: entry }, null, 2);
      deps.logs.host.error(`Adding server '${draft.name}' failed: ${errorText(err)}`);
      const choice = await showMessage('error', 
        `Could not add MCP server '${draft.name}': ${errorText(err)}. Your entry is kept: run Add Server again, or copy it and paste it yourself.`,
        'Copy Entry',
        'Show Log',
      );
      if (choice === 'Copy Entry') await vscode.env.clipboard.writeText(json);
      if (choice === 'Show Log') deps.logs.host.show(true);
      return;
    }
    const added = draft.name;
    draft = { name: '', commandLine: '' };
    await deps.reloadConfig();
    const server = deps.registry.getByName(added);
    const choice = await showMessage('info', `Added MCP server '${added}'.`, ...(server ? ['Start Server'] : []));
    if (choice && server) void vscode.commands.executeCommand('mcpHost.startServer', { kind: 'server', serverId: server.id });
  };
}
