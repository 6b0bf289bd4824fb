/**
 * The launch gate's policy (the adapter, src/vscode/trust/launchGate.ts, adds the dialogs and the editor's
 * workspace trust): workspace trust and per-server consent for servers the workspace defines (.vscode/mcp.json,
 * .mcp.json, workspace settings). User-settings servers are the user's own and pass, unless they make the
 * workspace folder supply their program, cwd or env file (`${workspaceFolder}`): then the workspace must be trusted.
 *
 * Decisions are kept per workspace (the adapter passes its `workspaceState`) as fingerprints of the resolved
 * launch plus a summary with secrets masked (to show what changed); never a secret value.
 */
import { createHash } from 'node:crypto';
import type { Logger } from '../base/logger';
import { workspaceFolderFields } from '../config/resolve';
import { isWorkspaceDefined, type Memento, type ResolvedLaunch, type SecretStore, type ServerDefinition } from '../config/types';
import type { StoppedReason } from '../server/state';
import { consentRiskLines } from './consentRisks';
import {
  canonicalJson,
  describeLaunchChange,
  formatCommandLine,
  launchFingerprint,
  MASK,
  quoteArg,
  envFileSnapshot,
  envFileVariables,
  summarizeLaunch,
  type EnvFileSnapshot,
  type LaunchSummary,
} from './launch';
import { FINGERPRINT_KEY_NAME, fingerprintKey } from './passwords';
import { remoteConsentDetail } from './remoteConsent';
import type { ProgramContext } from './risks';
import { makeInvisibleVisible, sanitizeLabel } from '../base/sanitize';

export interface LaunchRecord {
  readonly decision: 'approved' | 'denied';
  /** The exact launch decided on: sha256, or HMAC-SHA256 keyed from SecretStorage when it holds password values. */
  readonly fingerprint: string;
  /** sha256 of the unexpanded definition, so the sync `blockedReason` can tell whether a denial still applies. */
  readonly entryHash: string;
  readonly serverName: string;
  readonly summary: LaunchSummary;
  readonly at: number;
}

const RECORDS_KEY = 'mcpHost.trust.launches';

/** What the user is asked to allow: run a local program, or connect to a remote server. */
export type ConsentAction = 'run' | 'connect';

/** Hash of what the definition says before expansion (autoStart does not change what runs). */
export function entryHash(def: ServerDefinition): string {
  const { autoStart: _autoStart, ...entry } = def.entry;
  return createHash('sha256')
    .update(canonicalJson({ entry, inputs: def.inputs, kind: def.source.kind, file: def.source.file ?? null, folder: def.source.folder ?? null }))
    .digest('hex');
}

/** Where a definition comes from, for people; `relativePath` shows a file relative to the workspace. */
export function sourceLabel(def: ServerDefinition, relativePath: (file: string) => string): string {
  switch (def.source.kind) {
    case 'folderMcpJson':
      return relativePath(def.source.file ?? '.vscode/mcp.json');
    case 'rootMcpJson':
      return relativePath(def.source.file ?? '.mcp.json');
    case 'workspaceSettings':
      return 'workspace settings';
    case 'userSettings':
      return 'user settings';
  }
}

/** The modal's text: the full command line, cwd, env (secrets masked), envFile, risks and changes. */
export function consentDetail(
  def: ServerDefinition,
  launch: ResolvedLaunch,
  previous: LaunchRecord | undefined,
  envFile: EnvFileSnapshot | undefined,
  relativePath: (file: string) => string,
  programContext: Omit<ProgramContext, 'envFile'>,
): string {
  const s = summarizeLaunch(launch, envFile);
  if (s.remote) return remoteConsentDetail(sourceLabel(def, relativePath), s.remote, launch, previous);
  const risky = consentRiskLines(def, launch, envFile, programContext);
  const lines: string[] = [
    `Defined in ${sourceLabel(def, relativePath)}. It runs this program on your computer with your permissions. Run it only if you trust the authors of this workspace.`,
    '',
    'Command line:',
    formatCommandLine(s.command, s.args),
    ...risky.program,
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
  if (launch.secrets.length) lines.push(`${MASK}(input:ID) stands for the value of password input ID; it is not shown.`);
  lines.push(...risky.risks);
  if (previous) {
    const changes = describeLaunchChange(previous.summary, launch, envFile);
    lines.push('', `Changed since you ${previous.decision === 'approved' ? 'approved' : 'declined'} it:`);
    if (changes.length) for (const c of changes) lines.push(`  • ${c}`);
    else lines.push('  • a value that is not shown (a masked secret or token) changed');
  }
  return lines.join('\n');
}

/**
 * What the policy needs from its editor: workspace trust, the consent dialog, file labels, where programs are
 * looked up, the secret store (fingerprint key), a log.
 */
export interface LaunchConsentHost {
  /** The editor trusts the workspace (Restricted Mode otherwise). */
  isWorkspaceTrusted(): boolean;
  /** The editor's environment and open folders: which program a launch's PATH picks, shown in the dialog. */
  programContext(): Omit<ProgramContext, 'envFile'>;
  /** Keeps the key of the fingerprints of launches with password values (never leaves the store). */
  readonly secrets: SecretStore;
  /**
   * Shows the consent dialog: 'approved' (Trust and Run / Trust and Connect), 'denied' (Do Not Trust), undefined
   * (dismissed). `action`: 'run' for a local program, 'connect' for a remote server (the buttons say so).
   */
  askConsent(def: ServerDefinition, message: string, detail: string, action: ConsentAction): Promise<'approved' | 'denied' | undefined>;
  /** A file path relative to the workspace, for the dialog. */
  relativePath(file: string): string;
  readonly log: Pick<Logger, 'info'>;
}

/** The consent policy: remembered decisions, what blocks a server now, and when to ask. */
export class LaunchConsent {
  private readonly pending = new Map<string, Promise<StoppedReason | undefined>>();

  constructor(
    private readonly state: Memento,
    private readonly host: LaunchConsentHost,
  ) {}

  private records(): Record<string, LaunchRecord> {
    return this.state.get<Record<string, LaunchRecord>>(RECORDS_KEY) ?? {};
  }

  /** Every remembered decision of this workspace, by server id. */
  listRecords(): ReadonlyMap<string, LaunchRecord> {
    return new Map(Object.entries(this.records()));
  }

  blockedReason(def: ServerDefinition): StoppedReason | undefined {
    // The user's own server needs no trust, unless it makes the workspace folder supply its program, cwd or env.
    if (!isWorkspaceDefined(def.source)) return !this.host.isWorkspaceTrusted() && workspaceFolderFields(def).length > 0 ? 'needsWorkspaceTrust' : undefined;
    if (!this.host.isWorkspaceTrusted()) return 'needsWorkspaceTrust';
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

  /**
   * Did the user approve exactly this launch of a workspace server (the same fingerprint as the stored approval)?
   * Never asks and never makes a fingerprint key: without a stored key no launch with password values was approved.
   * A user server needs no approval (true). Used to offer servers to the editor's own chat (src/core/chat).
   */
  async isLaunchApproved(def: ServerDefinition, launch: ResolvedLaunch): Promise<boolean> {
    if (!isWorkspaceDefined(def.source)) return true;
    if (!this.host.isWorkspaceTrusted()) return false;
    const rec = this.records()[def.id];
    if (rec?.decision !== 'approved' || rec.entryHash !== entryHash(def)) return false;
    let secretKey: string | undefined;
    if (launch.secrets.some((v) => v.length > 0)) {
      secretKey = await this.host.secrets.get(FINGERPRINT_KEY_NAME);
      if (secretKey === undefined) return false;
    }
    return launchFingerprint(launch, envFileSnapshot(launch), secretKey) === rec.fingerprint;
  }

  async approveLaunch(def: ServerDefinition, launch: ResolvedLaunch): Promise<StoppedReason | undefined> {
    if (!isWorkspaceDefined(def.source)) return undefined;
    if (!this.host.isWorkspaceTrusted()) return 'needsWorkspaceTrust';
    // Read once before asking (loadEnvFile, src/core/server/prepare.ts): the process gets exactly these variables.
    const envFile = envFileSnapshot(launch);
    // Password values change the fingerprint through a keyed hash (the key never leaves the secret store).
    const secretKey = launch.secrets.some((v) => v.length > 0) ? await fingerprintKey(this.host.secrets) : undefined;
    const fingerprint = launchFingerprint(launch, envFile, secretKey);
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
    // A remote server runs nothing here: the user is asked whether to connect to it.
    const action: ConsentAction = launch.remote ? 'connect' : 'run';
    const message = previous
      ? `The MCP server "${name}" changed since you ${previous.decision === 'approved' ? 'approved' : 'declined'} it. ${action === 'connect' ? 'Connect to' : 'Run'} it?`
      : `${action === 'connect' ? 'Connect to' : 'Run'} the MCP server "${name}" defined by this workspace?`;
    const detail = consentDetail(def, launch, previous, envFile, (f) => this.host.relativePath(f), this.host.programContext());
    const decision = await this.host.askConsent(def, message, detail, action);
    if (decision !== undefined) {
      await this.store(def, { decision, fingerprint, entryHash: entryHash(def), serverName: def.name, summary: summarizeLaunch(launch, envFile), at: Date.now() });
      this.host.log.info(`Trust: ${decision} launch of server "${name}" (fingerprint ${fingerprint.slice(0, 12)}).`);
      return decision === 'approved' ? undefined : 'denied';
    }
    this.host.log.info(`Trust: launch of server "${name}" not approved (dialog dismissed).`);
    return 'needsConsent';
  }

  private async store(def: ServerDefinition, record: LaunchRecord): Promise<void> {
    // No change event here (the adapter fires on reset only): the caller gets the decision directly, and firing
    // would make the registry re-evaluate the server that is starting right now.
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
    return removed;
  }
}
