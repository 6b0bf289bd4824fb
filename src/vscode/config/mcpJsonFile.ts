/** Creating and editing a folder's .vscode/mcp.json (comments and formatting are preserved). */
import { findNodeAtLocation, modify, parseTree } from 'jsonc-parser';
import * as vscode from 'vscode';
import { mcpFileUri } from './sources';

export const MCP_JSON_TEMPLATE = `{
  // MCP servers for this folder (VS Code's mcp.json format). Variables such as \${workspaceFolder},
  // \${env:NAME} and \${input:id} work in command, args, env and cwd.
  "servers": {
    // "memory": { "type": "stdio", "command": "npx", "args": ["-y", "@modelcontextprotocol/server-memory"] }
  },
  "inputs": []
}
`;

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

/** The folder's .vscode/mcp.json, created from the template when missing. */
export async function ensureMcpJson(folder: vscode.WorkspaceFolder): Promise<vscode.Uri> {
  const uri = mcpFileUri(folder, 'folderMcpJson');
  if (!(await exists(uri))) {
    await vscode.workspace.fs.createDirectory(vscode.Uri.joinPath(folder.uri, '.vscode'));
    await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(MCP_JSON_TEMPLATE));
  }
  return uri;
}

export { exists as fileExists };

/**
 * Adds `servers.<name>` to the folder's mcp.json through the document (so unsaved edits in an open editor are
 * kept), saves it, and returns the document. Throws when the name exists or the file cannot be edited.
 */
export async function addServerToMcpJson(folder: vscode.WorkspaceFolder, name: string, entry: object): Promise<vscode.TextDocument> {
  const uri = await ensureMcpJson(folder);
  const doc = await vscode.workspace.openTextDocument(uri);
  const text = doc.getText();
  const root = parseTree(text);
  if (root && root.type !== 'object') throw new Error(`${vscode.workspace.asRelativePath(uri)} does not contain a JSON object`);
  if (root && findNodeAtLocation(root, ['servers', name])) throw new Error(`a server named '${name}' already exists in ${vscode.workspace.asRelativePath(uri)}`);
  const edits = modify(text, ['servers', name], entry, { formattingOptions: { insertSpaces: true, tabSize: 2, eol: '\n' } });
  const we = new vscode.WorkspaceEdit();
  for (const e of edits) we.replace(uri, new vscode.Range(doc.positionAt(e.offset), doc.positionAt(e.offset + e.length)), e.content);
  if (!(await vscode.workspace.applyEdit(we))) throw new Error(`the editor refused the edit of ${vscode.workspace.asRelativePath(uri)}`);
  if (!(await doc.save())) throw new Error(`${vscode.workspace.asRelativePath(uri)} could not be saved`);
  return doc;
}
