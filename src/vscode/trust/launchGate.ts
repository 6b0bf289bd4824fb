/**
 * The LaunchGate: workspace trust and per-server consent for servers the workspace defines
 * (.vscode/mcp.json, .mcp.json, workspace settings). User-settings servers are the user's own and pass.
 *
 * Decisions are kept per workspace in `workspaceState` as fingerprints of the resolved launch plus a summary
 * with secrets masked (to show what changed); never a secret value.
 */
import { createHash } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as vscode from 'vscode';
import { isWorkspaceDefined, type ResolvedLaunch, type ServerDefinition } from '../../core/config/types';
import type { StoppedReason } from '../../core/server/state';
import type { LaunchGate } from '../../core/host/types';
import {
  analyzeEnvFileRisks,
  analyzeLaunchRisks,
  canonicalJson,
  describeLaunchChange,
  formatCommandLine,
  launchFingerprint,
  quoteArg,
  envFileVariables,
  summarizeLaunch,
  type EnvFileSnapshot,
  type LaunchSummary,
  type RemoteSummary,
} from '../../core/trust/launch';
import { makeInvisibleVisible, sanitizeLabel } from '../../core/base/sanitize';
import { Choices, type AskFn } from './ask';

export interface LaunchRecord {
  readonly decision: 'approved' | 'denied';
  /** sha256 of the resolved launch (passwords masked): the exact launch decided on. */
  readonly fingerprint: string;
  /** sha256 of the unexpanded definition, so the sync `blockedReason` can tell whether a denial still applies. */
  readonly entryHash: string;
  readonly serverName: string;
  readonly summary: LaunchSummary;
  readonly at: number;
}

const RECORDS_KEY = 'mcpHost.trust.launches';

/** Hash of what the definition says before expansion (autoStart does not change what runs). */
export function entryHash(def: ServerDefinition): string {
  const { autoStart: _autoStart, ...entry } = def.entry;
  return createHash('sha256')
    .update(canonicalJson({ entry, inputs: def.inputs, kind: def.source.kind, file: def.source.file ?? null, folder: def.source.folder ?? null }))
    .digest('hex');
}

function sourceLabel(def: ServerDefinition): string {
  switch (def.source.kind) {
    case 'folderMcpJson':
      return vscode.workspace.asRelativePath(def.source.file ?? '.vscode/mcp.json');
    case 'rootMcpJson':
      return vscode.workspace.asRelativePath(def.source.file ?? '.mcp.json');
    case 'workspaceSettings':
      return 'workspace settings';
    case 'userSettings':
      return 'user settings';
  }
}

/** The modal's text: the full command line, cwd, env (secrets masked), envFile, risks and changes. */
export function consentDetail(def: ServerDefinition, launch: ResolvedLaunch, previous: LaunchRecord | undefined, envFile?: EnvFileSnapshot): string {
  const s = summarizeLaunch(launch, envFile);
  if (s.remote) return remoteConsentDetail(def, s.remote, launch, previous);
  const lines: string[] = [
    `Defined in ${sourceLabel(def)}. It runs this program on your computer with your permissions. Run it only if you trust the authors of this workspace.`,
    '',
    'Command line:',
    formatCommandLine(s.command, s.args),
    '',
    `Working directory: ${quoteArg(s.cwd)}`,
  ];
  const envKeys = Object.keys(s.env);
  if (envKeys.length) {
    lines.push('Environment:');
    for (const k of envKeys) {
      const v = s.env[k];
      lines.push(`  ${makeInvisibleVisible(k)}=${v === null || v === undefined ? '(unset)' : quoteArg(v)}`);
    }
  } else lines.push('Environment: (nothing added)');
  if (s.envFile !== undefined) {
    const names = Object.keys(envFileVariables(envFile)).map(makeInvisibleVisible);
    const what = envFile?.kind === 'missing' ? 'cannot be read now' : names.length ? `sets ${names.join(', ')} (values not shown)` : 'sets no variables';
    lines.push(`Env file: ${quoteArg(s.envFile)} — ${what}`);
  }
  const risks = [...analyzeLaunchRisks(launch), ...analyzeEnvFileRisks(envFile)];
  if (risks.length) {
    lines.push('', '⚠ Risky:');
    for (const r of risks) lines.push(`  • ${r.message}`);
  }
  if (previous) {
    const changes = describeLaunchChange(previous.summary, launch, envFile);
    lines.push('', `Changed since you ${previous.decision === 'approved' ? 'approved' : 'declined'} it:`);
    if (changes.length) for (const c of changes) lines.push(`  • ${c}`);
    else lines.push('  • a value that is not shown (a masked secret or token) changed');
  }
  return lines.join('\n');
}

/** A remote server: the URL it connects to and the headers it sends (secrets masked), and what changed. */
function remoteConsentDetail(def: ServerDefinition, r: RemoteSummary, launch: ResolvedLaunch, previous: LaunchRecord | undefined): string {
  const lines: string[] = [
    `Defined in ${sourceLabel(def)}. MCP Host connects to this remote server (${r.type}) and sends it the headers below; its tools may act on your behalf there. Connect only if you trust the authors of this workspace and the server.`,
    '',
    `URL: ${quoteArg(r.url)}`,
  ];
  const keys = Object.keys(r.headers);
  if (keys.length) {
    lines.push('Headers:');
    for (const k of keys) lines.push(`  ${makeInvisibleVisible(k)}: ${quoteArg(r.headers[k] ?? '')}`);
  } else lines.push('Headers: (none)');
  if (previous) {
    const changes = describeLaunchChange(previous.summary, launch);
    lines.push('', `Changed since you ${previous.decision === 'approved' ? 'approved' : 'declined'} it:`);
    if (changes.length) for (const c of changes) lines.push(`  • ${c}`);
    else lines.push('  • a value that is not shown (a masked secret or token) changed');
  }
  return lines.join('\n');
}

/** The env file's contents are part of the launch the user approves (the server gets its variables). */
async function readEnvFile(launch: ResolvedLaunch): Promise<EnvFileSnapshot | undefined> {
  if (launch.envFile === undefined) return undefined;
  try {
    return { kind: 'read', text: await fsp.readFile(launch.envFile, 'utf8') };
  } catch {
    return { kind: 'missing' };
  }
}

export class WorkspaceLaunchGate implements LaunchGate, vscode.Disposable {
  private readonly _onDidChange = new vscode.EventEmitter<void>();
  readonly onDidChange: vscode.Event<void> = this._onDidChange.event;
  private readonly pending = new Map<string, Promise<StoppedReason | undefined>>();
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly state: vscode.Memento,
    private readonly ask: () => AskFn,
    private readonly log: vscode.LogOutputChannel,
  ) {
    this.subscriptions.push(vscode.workspace.onDidGrantWorkspaceTrust(() => this._onDidChange.fire()));
  }

  private records(): Record<string, LaunchRecord> {
    return this.state.get<Record<string, LaunchRecord>>(RECORDS_KEY) ?? {};
  }

  /** Every remembered decision of this workspace, by server id. */
  listRecords(): ReadonlyMap<string, LaunchRecord> {
    return new Map(Object.entries(this.records()));
  }

  blockedReason(def: ServerDefinition): StoppedReason | undefined {
    if (!isWorkspaceDefined(def.source)) return undefined;
    if (!vscode.workspace.isTrusted) return 'needsWorkspaceTrust';
    const rec = this.records()[def.id];
    if (rec?.decision === 'denied' && rec.entryHash === entryHash(def)) return 'denied';
    // Not 'needsConsent': the registry must still call approveLaunch (which asks) when the user starts it.
    return undefined;
  }

  /** For the tree: has the user approved this definition (as last resolved)? */
  consentState(def: ServerDefinition): 'notNeeded' | 'approved' | 'denied' | 'unknown' | 'changed' {
    if (!isWorkspaceDefined(def.source)) return 'notNeeded';
    const rec = this.records()[def.id];
    if (!rec) return 'unknown';
    if (rec.entryHash !== entryHash(def)) return 'changed';
    return rec.decision;
  }

  /** A workspace server whose current definition the user approved: its annotations count (read-only tools run). */
  isApproved(def: ServerDefinition): boolean {
    const c = this.consentState(def);
    return c === 'notNeeded' || c === 'approved';
  }

  async approveLaunch(def: ServerDefinition, launch: ResolvedLaunch): Promise<StoppedReason | undefined> {
    if (!isWorkspaceDefined(def.source)) return undefined;
    if (!vscode.workspace.isTrusted) return 'needsWorkspaceTrust';
    const envFile = await readEnvFile(launch);
    const fingerprint = launchFingerprint(launch, envFile);
    const rec = this.records()[def.id];
    if (rec?.fingerprint === fingerprint) {
      if (rec.decision === 'approved') return undefined;
      return 'denied';
    }
    // Two starts at once (tree + command) show one dialog.
    const key = `${def.id}\u0000${fingerprint}`;
    let p = this.pending.get(key);
    if (!p) {
      p = this.askConsent(def, launch, fingerprint, rec, envFile).finally(() => this.pending.delete(key));
      this.pending.set(key, p);
    }
    return p;
  }

  private async askConsent(
    def: ServerDefinition,
    launch: ResolvedLaunch,
    fingerprint: string,
    previous: LaunchRecord | undefined,
    envFile: EnvFileSnapshot | undefined,
  ): Promise<StoppedReason | undefined> {
    const name = sanitizeLabel(def.name, 80);
    const message = previous
      ? `The MCP server "${name}" changed since you ${previous.decision === 'approved' ? 'approved' : 'declined'} it. Run it?`
      : `Run the MCP server "${name}" defined by this workspace?`;
    const detail = consentDetail(def, launch, previous, envFile);
    const answer = await this.ask()({
      kind: 'launchConsent',
      serverName: def.name,
      message,
      detail,
      choices: [Choices.trustAndRun, Choices.doNotTrust],
    });
    if (answer === Choices.trustAndRun || answer === Choices.doNotTrust) {
      const decision = answer === Choices.trustAndRun ? 'approved' : 'denied';
      await this.store(def, { decision, fingerprint, entryHash: entryHash(def), serverName: def.name, summary: summarizeLaunch(launch, envFile), at: Date.now() });
      this.log.info(`Trust: ${decision} launch of server "${name}" (fingerprint ${fingerprint.slice(0, 12)}).`);
      return decision === 'approved' ? undefined : 'denied';
    }
    this.log.info(`Trust: launch of server "${name}" not approved (dialog dismissed).`);
    return 'needsConsent';
  }

  private async store(def: ServerDefinition, record: LaunchRecord): Promise<void> {
    // No onDidChange here: the caller gets the decision directly, and firing would make the registry
    // re-evaluate the server that is starting right now.
    await this.state.update(RECORDS_KEY, { ...this.records(), [def.id]: record });
  }

  /** Forgets decisions (all, or those of the given server ids); the next start asks again. */
  async reset(serverIds?: readonly string[]): Promise<number> {
    const all = this.records();
    const keep: Record<string, LaunchRecord> = {};
    let removed = 0;
    for (const [id, rec] of Object.entries(all)) {
      if (serverIds === undefined || serverIds.includes(id)) removed++;
      else keep[id] = rec;
    }
    await this.state.update(RECORDS_KEY, Object.keys(keep).length ? keep : undefined);
    this._onDidChange.fire();
    return removed;
  }

  dispose(): void {
    for (const d of this.subscriptions) d.dispose();
    this._onDidChange.dispose();
  }
}
