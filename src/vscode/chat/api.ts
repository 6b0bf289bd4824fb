/**
 * VS Code's MCP server definition provider API (final in VS Code 1.101), declared here: @types/vscode is pinned
 * to the minimum engine (1.100), which does not have it. `mcpApi()` feature-detects it at run time; on 1.100 it is
 * undefined and nothing is registered.
 */
import * as vscode from 'vscode';
import type { ChatServerDefinition } from '../../core/chat/offer';

/** `vscode.McpStdioServerDefinition` (the fields MCP Host sets). */
export interface EditorStdioDefinition {
  readonly label: string;
  command: string;
  args: string[];
  env: Record<string, string | number | null>;
  cwd?: vscode.Uri;
  version?: string;
}

/** `vscode.McpHttpServerDefinition` (Streamable HTTP, falling back to SSE). */
export interface EditorHttpDefinition {
  readonly label: string;
  uri: vscode.Uri;
  headers: Record<string, string>;
  version?: string;
}

export type EditorMcpDefinition = EditorStdioDefinition | EditorHttpDefinition;

/** `vscode.McpServerDefinitionProvider`. */
export interface EditorMcpProvider {
  readonly onDidChangeMcpServerDefinitions?: vscode.Event<void>;
  provideMcpServerDefinitions(token: vscode.CancellationToken): vscode.ProviderResult<EditorMcpDefinition[]>;
  resolveMcpServerDefinition?(server: EditorMcpDefinition, token: vscode.CancellationToken): vscode.ProviderResult<EditorMcpDefinition>;
}

/** The parts of the API MCP Host uses. */
export interface EditorMcpApi {
  readonly McpStdioServerDefinition: new (label: string, command: string, args?: string[], env?: Record<string, string | number | null>, version?: string) => EditorStdioDefinition;
  readonly McpHttpServerDefinition: new (label: string, uri: vscode.Uri, headers?: Record<string, string>, version?: string) => EditorHttpDefinition;
  registerMcpServerDefinitionProvider(id: string, provider: EditorMcpProvider): vscode.Disposable;
}

/** The id in `contributes.mcpServerDefinitionProviders` (package.json); the editor refuses any other. */
export const CHAT_PROVIDER_ID = 'mcpHost.servers';

/** VS Code `major.minor` is at least 1.101 (`version`: `vscode.version`, e.g. `1.139.1`). */
export function isFinalMcpApiEngine(version: string): boolean {
  const m = /^(\d+)\.(\d+)/.exec(version);
  if (!m) return false;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  return major > 1 || (major === 1 && minor >= 101);
}

/**
 * The API when this editor has it, else undefined. VS Code 1.100 already has a function of that name, but as the
 * proposal before it became final: it wants another manifest contribution (`modelContextServerCollections`) and
 * throws for ours, so the engine version counts too (the API is final since 1.101).
 */
export function mcpApi(): EditorMcpApi | undefined {
  if (!isFinalMcpApiEngine(vscode.version)) return undefined;
  const ns = vscode as unknown as Partial<Pick<EditorMcpApi, 'McpStdioServerDefinition' | 'McpHttpServerDefinition'>>;
  const lm = vscode.lm as unknown as Partial<Pick<EditorMcpApi, 'registerMcpServerDefinitionProvider'>>;
  if (!('registerMcpServerDefinitionProvider' in vscode.lm) || typeof lm.registerMcpServerDefinitionProvider !== 'function') return undefined;
  if (typeof ns.McpStdioServerDefinition !== 'function' || typeof ns.McpHttpServerDefinition !== 'function') return undefined;
  const register = lm.registerMcpServerDefinitionProvider.bind(vscode.lm);
  return { McpStdioServerDefinition: ns.McpStdioServerDefinition, McpHttpServerDefinition: ns.McpHttpServerDefinition, registerMcpServerDefinitionProvider: register };
}

/** The editor's definition object of a mapped definition. */
export function toEditorDefinition(api: EditorMcpApi, d: ChatServerDefinition): EditorMcpDefinition {
  if (d.kind === 'http') return new api.McpHttpServerDefinition(d.label, vscode.Uri.parse(d.uri, true), { ...d.headers }, d.version);
  const def = new api.McpStdioServerDefinition(d.label, d.command, [...d.args], { ...d.env }, d.version);
  def.cwd = vscode.Uri.file(d.cwd);
  return def;
}
