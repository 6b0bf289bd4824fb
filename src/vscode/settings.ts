/** Typed reader of the `mcpHost.*` settings (STYLE rule 14): the one place that knows their names and defaults. */
import * as vscode from 'vscode';
import { defaultHostSettings, type HostSettings } from '../core/host/types';
import { withinLimits } from '../core/server/deps';
import { requestTimeouts, type RequestTimeouts } from '../core/server/timeouts';
import type { ServerEntry } from '../core/config/types';
import type { AutoApproveSetting } from '../core/trust/toolPin';

const MiB = 1024 * 1024;

function positive(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}

function bool(value: unknown, fallback: boolean): boolean {
  return typeof value === 'boolean' ? value : fallback;
}

/** Reads the host settings now; invalid values fall back to the defaults (the schema also constrains them). */
export function readHostSettings(): HostSettings {
  const c = vscode.workspace.getConfiguration('mcpHost');
  const d = defaultHostSettings;
  return withinLimits({
    autoStart: bool(c.get('autoStart'), d.autoStart),
    initializeTimeoutMs: positive(c.get('initializeTimeoutSeconds'), d.initializeTimeoutMs / 1000) * 1000,
    requestTimeoutMs: positive(c.get('requestTimeoutSeconds'), d.requestTimeoutMs / 1000) * 1000,
    maxTotalTimeoutMs: positive(c.get('maxRequestTimeoutSeconds'), d.maxTotalTimeoutMs / 1000) * 1000,
    maxMessageBytes: Math.round(positive(c.get('maxMessageSizeMB'), d.maxMessageBytes / MiB) * MiB),
    restartOnCrash: bool(c.get('restartOnCrash'), d.restartOnCrash),
  });
}

/**
 * Host settings cached until a `mcpHost.*` setting changes (the registry reads them on every launch and request).
 * Returns the getter and the disposable of the change listener.
 */
export function watchHostSettings(): { get: () => HostSettings; disposable: vscode.Disposable } {
  let cached: HostSettings | undefined;
  const disposable = vscode.workspace.onDidChangeConfiguration((e) => {
    if (e.affectsConfiguration('mcpHost')) cached = undefined;
  });
  return { get: () => (cached ??= readHostSettings()), disposable };
}

/** Timeouts of one request to a server: its own `requestTimeoutSeconds`, else the host settings (core rule). */
export function requestTimeoutsFor(entry: Pick<ServerEntry, 'requestTimeoutSeconds'>): RequestTimeouts {
  return requestTimeouts(entry, readHostSettings());
}

/** `mcpHost.insertConfirmSizeMB`: insertions larger than this ask first (negative: never ask). */
export function insertConfirmSizeMB(): number {
  return vscode.workspace.getConfiguration('mcpHost').get<number>('insertConfirmSizeMB', 5);
}

/**
 * `mcpHost.autoApproveTools` from user settings only (`inspect().globalValue`, never the merged value): it
 * approves the user's own servers, so no workspace may add to it. Entries of the wrong shape are left out.
 */
export function readAutoApproveTools(): AutoApproveSetting {
  const value = vscode.workspace.getConfiguration('mcpHost').inspect<unknown>('autoApproveTools')?.globalValue;
  const out: Record<string, boolean | readonly string[]> = {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return out;
  for (const [server, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v === 'boolean') out[server] = v;
    else if (Array.isArray(v)) out[server] = v.filter((t): t is string => typeof t === 'string');
  }
  return out;
}

/** Rewrites the user-level `mcpHost.autoApproveTools` from its current user value. */
export async function updateUserAutoApproveTools(change: (current: AutoApproveSetting | undefined) => AutoApproveSetting): Promise<void> {
  const config = vscode.workspace.getConfiguration('mcpHost');
  const current = config.inspect<AutoApproveSetting>('autoApproveTools')?.globalValue;
  await config.update('autoApproveTools', change(current), vscode.ConfigurationTarget.Global);
}

/**
 * `mcpHost.oauth.clientMetadataUrl` from user settings only: the https URL of a Client ID Metadata Document an
 * organisation publishes for MCP Host (its URL is the client id). Null (off) when unset or not https.
 */
export function readClientMetadataUrl(): string | null {
  const v = vscode.workspace.getConfiguration('mcpHost').inspect<unknown>('oauth.clientMetadataUrl')?.globalValue;
  if (typeof v !== 'string' || !v.trim()) return null;
  try {
    return new URL(v.trim()).protocol === 'https:' ? new URL(v.trim()).href : null;
  } catch {
    return null;
  }
}

/** `mcpHost.servers` by level: user, workspace, and (in a multi-root window) a folder's. */
export function inspectServersSetting(folder?: vscode.Uri): { globalValue?: unknown; workspaceValue?: unknown; workspaceFolderValue?: unknown } | undefined {
  return vscode.workspace.getConfiguration('mcpHost', folder).inspect<unknown>('servers');
}

/** Rewrites the user-level `mcpHost.servers` from its current user value. */
export async function updateUserServers(change: (current: Record<string, unknown>) => Record<string, unknown>): Promise<void> {
  const config = vscode.workspace.getConfiguration('mcpHost');
  const current = config.inspect<Record<string, unknown>>('servers')?.globalValue ?? {};
  await config.update('servers', change(current), vscode.ConfigurationTarget.Global);
}

/**
 * `mcpHost.sampling.allowedModels`: per server name, the models it may use for sampling (model id, `vendor/family`,
 * family or name; `"*"` any). A server without an entry uses the `"*"` entry, else any model.
 */
export function samplingAllowedModels(serverName: string): readonly string[] | undefined {
  const map = vscode.workspace.getConfiguration('mcpHost').get<Record<string, unknown>>('sampling.allowedModels') ?? {};
  const list = map[serverName] ?? map['*'];
  return Array.isArray(list) ? list.filter((x): x is string => typeof x === 'string') : undefined;
}

/** `mcpHost.agent.maxRounds`: model requests per question of Ask a Model with Tools (1–100, default 10). */
export function agentMaxRounds(): number {
  const v = vscode.workspace.getConfiguration('mcpHost').get<number>('agent.maxRounds', 10);
  return typeof v === 'number' && Number.isFinite(v) ? Math.min(100, Math.max(1, Math.floor(v))) : 10;
}

/**
 * `mcpHost.chat.offerServers`: offer the approved servers to VS Code's own chat (src/vscode/chat). Off by default; in
 * a restricted workspace only the user's value counts (restrictedConfigurations in package.json).
 */
export function chatOfferServers(): boolean {
  return vscode.workspace.getConfiguration('mcpHost').get<boolean>('chat.offerServers', false) === true;
}
