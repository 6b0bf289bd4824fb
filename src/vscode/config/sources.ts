/**
 * Reads every configuration source MCP Host knows: `mcpHost.servers` in user and workspace settings, and each
 * workspace folder's `.vscode/mcp.json` and `.mcp.json`. Only reading; parsing and validation live in core/config.
 */
import * as vscode from 'vscode';
import { CONFIG_FILES, type ConfigFileKind } from '../../core/config/files';
import { inspectServersSetting } from '../settings';

export type McpFileKind = ConfigFileKind;

/** Where each kind of file lives, relative to its workspace folder (the core's one list). */
export const MCP_FILES = CONFIG_FILES;

export interface SourceTexts {
  /** `mcpHost.servers` from user settings (globalValue). */
  readonly userSettings: unknown;
  /** `mcpHost.servers` from workspace (.code-workspace / single-folder) and folder settings. */
  readonly workspaceSettings: { readonly value: unknown; readonly folder?: string }[];
  readonly files: { readonly kind: McpFileKind; readonly path: string; readonly folder: string; readonly text: string }[];
  /** Paths of the open workspace folders. */
  readonly workspaceFolders: string[];
}

export function mcpFileUri(folder: vscode.WorkspaceFolder, kind: McpFileKind): vscode.Uri {
  const segments = MCP_FILES.find((f) => f.kind === kind)?.segments ?? [];
  return vscode.Uri.joinPath(folder.uri, ...segments);
}

async function readText(uri: vscode.Uri): Promise<string | undefined> {
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch (err) {
    if (err instanceof vscode.FileSystemError && err.code === 'FileNotFound') return undefined;
    // A directory named mcp.json or an unreadable file: report it as a load failure of that source.
    throw err;
  }
}

/** Reads settings and files now. A file that cannot be read is returned in `unreadable` with the reason. */
export async function readSources(): Promise<{ texts: SourceTexts; unreadable: { path: string; message: string }[] }> {
  const folders = vscode.workspace.workspaceFolders ?? [];
  const inspected = inspectServersSetting();
  const workspaceSettings: { value: unknown; folder?: string }[] = [];
  const single = vscode.workspace.workspaceFile === undefined;
  if (inspected?.workspaceValue !== undefined) {
    // In a single-folder window the workspace settings are that folder's settings.
    workspaceSettings.push({ value: inspected.workspaceValue, folder: single ? folders[0]?.uri.fsPath : undefined });
  }
  if (!single) {
    for (const f of folders) {
      const v = inspectServersSetting(f.uri)?.workspaceFolderValue;
      if (v !== undefined) workspaceSettings.push({ value: v, folder: f.uri.fsPath });
    }
  }

  // Slots in folder order, then mcp.json before .mcp.json, so "the later duplicate is dropped" is predictable.
  const slots: (SourceTexts['files'][number] | undefined)[] = [];
  const unreadable: { path: string; message: string }[] = [];
  await Promise.all(
    folders.flatMap((folder, fi) =>
      MCP_FILES.map(async ({ kind }, ki) => {
        const uri = mcpFileUri(folder, kind);
        try {
          const text = await readText(uri);
          if (text !== undefined) slots[fi * MCP_FILES.length + ki] = { kind, path: uri.fsPath, folder: folder.uri.fsPath, text };
        } catch (err) {
          unreadable.push({ path: uri.fsPath, message: err instanceof Error ? err.message : String(err) });
        }
      }),
    ),
  );
  const files = slots.filter((f): f is SourceTexts['files'][number] => f !== undefined);
  return {
    texts: { userSettings: inspected?.globalValue, workspaceSettings, files, workspaceFolders: folders.map((f) => f.uri.fsPath) },
    unreadable,
  };
}
