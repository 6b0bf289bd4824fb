/**
 * Consent to launch a workspace-defined server: what exactly is run, what is risky about it, a fingerprint of
 * it, and what changed since the user approved it. Pure logic; the adapter shows the dialog and stores records.
 */
import { createHash, createHmac } from 'node:crypto';
import type { ResolvedLaunch } from '../config/types';
import { quoteArg } from '../base/commandLine';
import { SECRET_MASK, maskUrlQuery } from '../base/redact';
import { FingerprintKeyMissingError, maskPasswords } from './passwords';
import { riskyEnvDisplay } from './risks';
import { looksLikeSecret } from './secrets';

/** Shown instead of a secret value. */
export const MASK = SECRET_MASK;

/**
 * The launch as it may be stored and shown: values of password inputs masked, values that look like tokens
 * masked with a short hash (so a change is still noticed). Never contains a secret in plain text.
 */
export interface LaunchSummary {
  readonly command: string;
  readonly args: readonly string[];
  readonly cwd: string;
  readonly envFile?: string;
  /** Env entries in the definition, sorted by name; null = unset. */
  readonly env: Readonly<Record<string, string | null>>;
  /** What the env file held when the user decided: variable name -> short hash of its value (never values). */
  readonly envFileVars?: Readonly<Record<string, string>>;
  /** A remote server: its type, URL and headers, secrets masked (see summarizeRemote). */
  readonly remote?: RemoteSummary;
}

// ---------------------------------------------------------------------------------------------------------
// Remote servers (#12): the URL and headers are what the user approves; kept apart from the command logic.

/** A remote launch as shown and stored: password values masked, token-like header values as `•••••• (sha256:…)`. */
export interface RemoteSummary {
  readonly type: string;
  readonly url: string;
  /** Sorted by name. */
  readonly headers: Readonly<Record<string, string>>;
  /**
   * The client MCP Host signs in as (`oauth` of the definition): it decides which registered application receives
   * the user's sign-in, so it is approved like the URL. The secret is always masked, naming its password input.
   */
  readonly oauth?: { readonly clientId: string; readonly clientSecret?: string };
}

function maskValue(value: string, name: string, launch: ResolvedLaunch): string {
  const masked = maskPasswords(value, launch);
  return masked === value && looksLikeSecret(value, name) ? `${MASK} (sha256:${shortHash(value)})` : masked;
}

/** The remote part of a launch for the consent dialog and the stored record; undefined for a command. */
export function summarizeRemote(launch: ResolvedLaunch): RemoteSummary | undefined {
  const r = launch.remote;
  if (!r) return undefined;
  // The password of `user:password@` masked with a short hash (a change is still noticed); string surgery, as
  // URL() would percent-encode the mask.
  // A credential in the query (`?api_key=...`) the same way.
  const url = maskUrlQuery(
    maskPasswords(r.url, launch).replace(/^([a-z][a-z0-9+.-]*:\/\/[^/?#@:]*):([^/?#@]+)@/i, (_m, head: string, pw: string) => `${head}:${MASK}${shortHash(pw)}@`),
    (value) => (value.startsWith(MASK) ? value : `${MASK}${shortHash(value)}`),
  );
  const headers: Record<string, string> = {};
  for (const k of Object.keys(r.headers).sort()) headers[k] = maskValue(r.headers[k] ?? '', k, launch);
  return { type: r.type, url, headers, ...(r.oauth ? { oauth: summarizeClient(r.oauth, launch) } : {}) };
}

function summarizeClient(o: NonNullable<NonNullable<ResolvedLaunch['remote']>['oauth']>, launch: ResolvedLaunch): NonNullable<RemoteSummary['oauth']> {
  const clientId = maskPasswords(o.clientId, launch);
  if (o.clientSecret === undefined) return { clientId };
  // Always a password value (config/resolve.ts refuses anything else); masked in full even if it were not.
  const secret = maskPasswords(o.clientSecret, launch);
  return { clientId, clientSecret: secret === o.clientSecret ? MASK : secret };
}

/** What changed in a remote launch since the approved summary, one line per change. */
function describeRemoteChange(old: RemoteSummary | undefined, now: RemoteSummary | undefined): string[] {
  if (!old && !now) return [];
  if (!old || !now) return [old ? 'it is now a local command instead of a remote server' : 'it is now a remote server instead of a local command'];
  const changes: string[] = [];
  if (old.type !== now.type) changes.push(`type: ${old.type} → ${now.type}`);
  if (old.url !== now.url) changes.push(`URL: ${quoteArg(old.url)} → ${quoteArg(now.url)}`);
  for (const k of [...new Set([...Object.keys(old.headers), ...Object.keys(now.headers)])].sort()) {
    const a = old.headers[k];
    const b = now.headers[k];
    if (a === undefined) changes.push(`header ${k} added: ${quoteArg(b ?? '')}`);
    else if (b === undefined) changes.push(`header ${k} removed`);
    else if (a !== b) changes.push(`header ${k}: ${quoteArg(a)} → ${quoteArg(b)}`);
  }
  const oa = old.oauth;
  const na = now.oauth;
  if (oa?.clientId !== na?.clientId) {
    if (!oa) changes.push(`sign-in client id (oauth.clientId) added: ${quoteArg(na?.clientId ?? '')}`);
    else if (!na) changes.push('sign-in client id (oauth.clientId) removed');
    else changes.push(`sign-in client id (oauth.clientId): ${quoteArg(oa.clientId)} → ${quoteArg(na.clientId)}`);
  }
  if (oa?.clientSecret !== na?.clientSecret) changes.push(`sign-in client secret: ${oa?.clientSecret ?? '(none)'} → ${na?.clientSecret ?? '(none)'}`);
  return changes;
}

/**
 * A launch's env file as the user is asked about it: the variables read once before consent (the launch's
 * `envFileVariables`), which are exactly what the process gets. `missing` when the launch carries none.
 */
export type EnvFileSnapshot = { readonly kind: 'read'; readonly variables: Readonly<Record<string, string>> } | { readonly kind: 'missing' };

/** The snapshot of a launch's env file (undefined when it has none). */
export function envFileSnapshot(launch: ResolvedLaunch): EnvFileSnapshot | undefined {
  if (launch.envFile === undefined) return undefined;
  return launch.envFileVariables ? { kind: 'read', variables: launch.envFileVariables } : { kind: 'missing' };
}

function envFileVarHashes(snapshot: EnvFileSnapshot | undefined): Record<string, string> | undefined {
  if (!snapshot) return undefined;
  if (snapshot.kind === 'missing') return {};
  const vars = snapshot.variables;
  const out: Record<string, string> = {};
  for (const k of Object.keys(vars).sort()) out[k] = shortHash(vars[k] ?? '');
  return out;
}

/** The variables of an env file snapshot (empty when missing). */
export function envFileVariables(snapshot: EnvFileSnapshot | undefined): Record<string, string> {
  return snapshot?.kind === 'read' ? { ...snapshot.variables } : {};
}

// The risk heuristics live in risks.ts (tables in riskData.ts); re-exported for the callers of this module.
export { analyzeEnvFileRisks, analyzeLaunchRisks, type LaunchRisk, type LaunchRiskKind } from './risks';

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}

/**
 * The launch with password-input values masked and token-like env values replaced by `•••••• (sha256:xxxxxxxx)`.
 * A variable the risk list marks (NODE_OPTIONS, PATH, LD_PRELOAD, ...) is shown in full whatever it looks like:
 * hiding it would hide the code it loads (only a URL's password is masked, see `riskyEnvDisplay`).
 */
export function summarizeLaunch(launch: ResolvedLaunch, envFile?: EnvFileSnapshot): LaunchSummary {
  const env: Record<string, string | null> = {};
  for (const key of Object.keys(launch.env).sort()) {
    const v = launch.env[key];
    if (v === undefined || v === null) {
      env[key] = null;
      continue;
    }
    const masked = maskPasswords(v, launch);
    env[key] = masked === v ? (riskyEnvDisplay(key, v) ?? (looksLikeSecret(v, key) ? `${MASK} (sha256:${shortHash(v)})` : v)) : masked;
  }
  const summary: LaunchSummary = {
    command: maskPasswords(launch.command, launch),
    args: launch.args.map((a) => maskPasswords(a, launch)),
    cwd: maskPasswords(launch.cwd, launch),
    env,
  };
  const remote = summarizeRemote(launch);
  if (remote) return { ...summary, remote };
  const fileVars = launch.envFile !== undefined ? envFileVarHashes(envFile) : undefined;
  return launch.envFile !== undefined
    ? { ...summary, envFile: maskPasswords(launch.envFile, launch), ...(fileVars ? { envFileVars: fileVars } : {}) }
    : summary;
}

/** JSON with object keys sorted at every level: equal values give equal text. */
export function canonicalJson(value: unknown, indent?: number): string {
  return JSON.stringify(sortKeys(value), undefined, indent);
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(value).sort()) out[k] = sortKeys((value as Record<string, unknown>)[k]);
    return out;
  }
  return value;
}

/**
 * The exact launch decided on (hex). Every part is in it (command, every argument, cwd, env names and values,
 * envFile and its contents), so any change asks again.
 *
 * Without password-sourced values: sha256 of the canonical launch. With them: HMAC-SHA256 of the unmasked
 * canonical launch keyed with `secretKey` (a random key kept in the secret store, see `fingerprintKey`), so a
 * changed password value asks again while the stored fingerprint reveals nothing about it (no offline guessing
 * without the key). Throws FingerprintKeyMissingError when such a launch comes without the key.
 */
export function launchFingerprint(launch: ResolvedLaunch, envFile?: EnvFileSnapshot, secretKey?: string): string {
  const s = launch;
  const envFileContent =
    s.envFile !== undefined && envFile ? { envFileContent: envFile.kind === 'read' ? createHash('sha256').update(canonicalJson(envFile.variables)).digest('hex') : 'missing' } : {};
  if (s.secrets.some((x) => x.length > 0)) {
    if (secretKey === undefined || secretKey.length === 0) throw new FingerprintKeyMissingError();
    const canonical = canonicalJson({ v: 2, command: s.command, args: s.args, cwd: s.cwd, env: s.env, envFile: s.envFile ?? null, ...envFileContent, ...(s.remote ? { remote: s.remote } : {}) });
    return createHmac('sha256', secretKey).update(canonical).digest('hex');
  }
  const env: Record<string, string | null> = {};
  for (const k of Object.keys(s.env)) env[k] = s.env[k] === null ? null : (s.env[k] ?? '');
  const canonical = canonicalJson({
    v: 1,
    command: s.command,
    args: s.args,
    cwd: s.cwd,
    env,
    envFile: s.envFile ?? null,
    // The env file's variables (hashed) as read once before asking: editing the file asks again.
    ...envFileContent,
    // A remote server's URL and headers (password values masked; only present for remote launches, so the
    // fingerprints of commands are unchanged).
    ...(s.remote ? { remote: remoteForFingerprint(s) } : {}),
  });
  return createHash('sha256').update(canonical).digest('hex');
}

function remoteForFingerprint(launch: ResolvedLaunch): unknown {
  const r = launch.remote;
  if (!r) return null;
  const headers: Record<string, string> = {};
  for (const k of Object.keys(r.headers)) headers[k.toLowerCase()] = maskPasswords(r.headers[k] ?? '', launch);
  // The sign-in client decides where the user's credentials go: a changed client id asks again. Only present
  // with `oauth`, so approvals of servers without it stay valid. (No client secret here: it is a password value,
  // so such a launch takes the keyed branch above, which hashes the whole remote part.)
  const oauth = r.oauth ? { oauth: { clientId: maskPasswords(r.oauth.clientId, launch) } } : {};
  return { type: r.type, url: maskPasswords(r.url, launch), headers, ...oauth };
}

// The trust dialog's command line is written in ../base/commandLine.ts (re-exported for the adapter).
export { formatCommandLine, quoteArg } from '../base/commandLine';

// ---------------------------------------------------------------------------------------------------------
// Changes

/** Longest-common-subsequence diff of two string lists: the removed and added items in order. */
export function diffLists(a: readonly string[], b: readonly string[]): { op: ' ' | '-' | '+'; text: string }[] {
  const n = a.length;
  const m = b.length;
  // Small inputs (args, description lines): the O(n*m) table is fine; cap very large inputs.
  if (n * m > 4_000_000) {
    return [...a.map((text) => ({ op: '-' as const, text })), ...b.map((text) => ({ op: '+' as const, text }))];
  }
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    const row = lcs[i] as number[];
    const next = lcs[i + 1] as number[];
    for (let j = m - 1; j >= 0; j--) row[j] = a[i] === b[j] ? (next[j + 1] ?? 0) + 1 : Math.max(next[j] ?? 0, row[j + 1] ?? 0);
  }
  const out: { op: ' ' | '-' | '+'; text: string }[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      out.push({ op: ' ', text: a[i] as string });
      i++;
      j++;
    } else if ((lcs[i + 1]?.[j] ?? 0) >= (lcs[i]?.[j + 1] ?? 0)) out.push({ op: '-', text: a[i++] as string });
    else out.push({ op: '+', text: b[j++] as string });
  }
  while (i < n) out.push({ op: '-', text: a[i++] as string });
  while (j < m) out.push({ op: '+', text: b[j++] as string });
  return out;
}

/**
 * What changed between the launch the user approved (its stored summary) and the new one, one line per change,
 * for the "Changed since you approved" part of the consent dialog. Empty when nothing visible changed.
 */
export function describeLaunchChange(old: LaunchSummary, newLaunch: ResolvedLaunch, envFile?: EnvFileSnapshot): string[] {
  const now = summarizeLaunch(newLaunch, envFile);
  if (old.remote || now.remote) return describeRemoteChange(old.remote, now.remote);
  const changes: string[] = [];
  if (old.command !== now.command) changes.push(`command: ${quoteArg(old.command)} → ${quoteArg(now.command)}`);
  if (old.args.join('\0') !== now.args.join('\0')) {
    const d = diffLists(old.args, now.args);
    const removed = d.filter((x) => x.op === '-').map((x) => quoteArg(x.text));
    const added = d.filter((x) => x.op === '+').map((x) => quoteArg(x.text));
    if (removed.length) changes.push(`arguments removed: ${removed.join(' ')}`);
    if (added.length) changes.push(`arguments added: ${added.join(' ')}`);
    if (!removed.length && !added.length) changes.push('arguments reordered');
  }
  if (old.cwd !== now.cwd) changes.push(`cwd: ${quoteArg(old.cwd)} → ${quoteArg(now.cwd)}`);
  if ((old.envFile ?? '') !== (now.envFile ?? '')) {
    changes.push(`envFile: ${old.envFile === undefined ? '(none)' : quoteArg(old.envFile)} → ${now.envFile === undefined ? '(none)' : quoteArg(now.envFile)}`);
  }
  const keys = [...new Set([...Object.keys(old.env), ...Object.keys(now.env)])].sort();
  const show = (v: string | null): string => (v === null ? '(unset)' : quoteArg(v));
  for (const k of keys) {
    const had = Object.prototype.hasOwnProperty.call(old.env, k);
    const has = Object.prototype.hasOwnProperty.call(now.env, k);
    const ov = old.env[k] ?? null;
    const nv = now.env[k] ?? null;
    if (had && !has) changes.push(`env ${k} removed`);
    else if (!had && has) changes.push(`env ${k} added: ${show(nv)}`);
    else if (ov !== nv) changes.push(`env ${k}: ${show(ov)} → ${show(nv)}`);
  }
  if (old.envFileVars && now.envFileVars) {
    const a = old.envFileVars;
    const b = now.envFileVars;
    const added = Object.keys(b).filter((k) => !(k in a));
    const removed = Object.keys(a).filter((k) => !(k in b));
    const changed = Object.keys(b).filter((k) => k in a && a[k] !== b[k]);
    if (added.length) changes.push(`env file sets new variables: ${added.join(', ')}`);
    if (removed.length) changes.push(`env file no longer sets: ${removed.join(', ')}`);
    if (changed.length) changes.push(`env file changed the values of: ${changed.join(', ')}`);
  }
  return changes;
}
