/**
 * Consent to launch a workspace-defined server: what exactly is run, what is risky about it, a fingerprint of
 * it, and what changed since the user approved it. Pure logic; the adapter shows the dialog and stores records.
 */
import { createHash } from 'node:crypto';
import type { ResolvedLaunch } from '../config/types';
import { parseEnvFile } from '../transport/stdio/environment';
import { makeInvisibleVisible } from '../base/sanitize';
import { looksLikeSecret } from './secrets';

/** Shown instead of a secret value. */
export const MASK = '••••••';

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
}

function maskValue(value: string, name: string, secrets: readonly string[]): string {
  const masked = maskPasswords(value, secrets);
  return masked === value && looksLikeSecret(value, name) ? `${MASK} (sha256:${shortHash(value)})` : masked;
}

/** The remote part of a launch for the consent dialog and the stored record; undefined for a command. */
export function summarizeRemote(launch: ResolvedLaunch): RemoteSummary | undefined {
  const r = launch.remote;
  if (!r) return undefined;
  // The password of `user:password@` masked with a short hash (a change is still noticed); string surgery, as
  // URL() would percent-encode the mask.
  const url = maskPasswords(r.url, launch.secrets).replace(/^([a-z][a-z0-9+.-]*:\/\/[^/?#@:]*):([^/?#@]+)@/i, (_m, head: string, pw: string) => `${head}:${MASK}${shortHash(pw)}@`);
  const headers: Record<string, string> = {};
  for (const k of Object.keys(r.headers).sort()) headers[k] = maskValue(r.headers[k] ?? '', k, launch.secrets);
  return { type: r.type, url, headers };
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
  return changes;
}

/**
 * The contents of a launch's env file as read by the gate before asking: the server gets these variables too,
 * so they are part of what the user approves. `missing` when the file could not be read.
 */
export type EnvFileSnapshot = { readonly kind: 'read'; readonly text: string } | { readonly kind: 'missing' };

function envFileVarHashes(snapshot: EnvFileSnapshot | undefined): Record<string, string> | undefined {
  if (!snapshot) return undefined;
  if (snapshot.kind === 'missing') return {};
  const vars = parseEnvFile(snapshot.text);
  const out: Record<string, string> = {};
  for (const k of Object.keys(vars).sort()) out[k] = shortHash(vars[k] ?? '');
  return out;
}

/** The variables of an env file snapshot (empty when missing). */
export function envFileVariables(snapshot: EnvFileSnapshot | undefined): Record<string, string> {
  return snapshot?.kind === 'read' ? parseEnvFile(snapshot.text) : {};
}

export type LaunchRiskKind = 'inlineCode' | 'privilege' | 'riskyEnv';

export interface LaunchRisk {
  readonly kind: LaunchRiskKind;
  /** One line for people, e.g. `bash -c runs the inline code that follows`. */
  readonly message: string;
}

function maskPasswords(text: string, secrets: readonly string[]): string {
  let out = text;
  // Longest first so a secret containing another is masked whole.
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) {
    if (s.length === 0) continue;
    if (out === s) return MASK;
    if (s.length >= 4 && out.includes(s)) out = out.split(s).join(MASK);
  }
  return out;
}

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 8);
}

/** The launch with password-input values masked and token-like env values replaced by `•••••• (sha256:xxxxxxxx)`. */
export function summarizeLaunch(launch: ResolvedLaunch, envFile?: EnvFileSnapshot): LaunchSummary {
  const env: Record<string, string | null> = {};
  for (const key of Object.keys(launch.env).sort()) {
    const v = launch.env[key];
    if (v === undefined || v === null) {
      env[key] = null;
      continue;
    }
    const masked = maskPasswords(v, launch.secrets);
    env[key] = masked === v && looksLikeSecret(v, key) ? `${MASK} (sha256:${shortHash(v)})` : masked;
  }
  const summary: LaunchSummary = {
    command: maskPasswords(launch.command, launch.secrets),
    args: launch.args.map((a) => maskPasswords(a, launch.secrets)),
    cwd: launch.cwd,
    env,
  };
  const remote = summarizeRemote(launch);
  if (remote) return { ...summary, remote };
  const fileVars = launch.envFile !== undefined ? envFileVarHashes(envFile) : undefined;
  return launch.envFile !== undefined ? { ...summary, envFile: launch.envFile, ...(fileVars ? { envFileVars: fileVars } : {}) } : summary;
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
 * sha256 (hex) of the canonical summary of the launch. Password-input values are masked before hashing, so a
 * new password does not ask again and the stored fingerprint reveals nothing about it; everything else
 * (command, every argument, cwd, env names and values, envFile) is in it, so any other change asks again.
 */
export function launchFingerprint(launch: ResolvedLaunch, envFile?: EnvFileSnapshot): string {
  const s = launch;
  const env: Record<string, string | null> = {};
  for (const k of Object.keys(s.env)) env[k] = s.env[k] === null ? null : maskPasswords(s.env[k] ?? '', s.secrets);
  const canonical = canonicalJson({
    v: 1,
    command: maskPasswords(s.command, s.secrets),
    args: s.args.map((a) => maskPasswords(a, s.secrets)),
    cwd: s.cwd,
    env,
    envFile: s.envFile ?? null,
    // The env file's contents (hashed) when the caller read it: editing the file asks again.
    ...(s.envFile !== undefined && envFile ? { envFileContent: envFile.kind === 'read' ? createHash('sha256').update(envFile.text).digest('hex') : 'missing' } : {}),
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
  for (const k of Object.keys(r.headers)) headers[k.toLowerCase()] = maskPasswords(r.headers[k] ?? '', launch.secrets);
  return { type: r.type, url: maskPasswords(r.url, launch.secrets), headers };
}

/** One argument, double-quoted, with escapes and hidden characters made visible. */
export function quoteArg(arg: string): string {
  return makeInvisibleVisible(JSON.stringify(arg));
}

/** The full command line, every part quoted, never truncated. */
export function formatCommandLine(command: string, args: readonly string[]): string {
  return [command, ...args].map(quoteArg).join(' ');
}

// ---------------------------------------------------------------------------------------------------------
// Risks

/** Lower-cased file name without directory and Windows executable extension. */
function programName(token: string): string {
  const base = token.split(/[\\/]/).pop() ?? token;
  return base.toLowerCase().replace(/\.(exe|cmd|bat|com)$/, '');
}

const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'mksh', 'ash', 'fish', 'csh', 'tcsh', 'busybox']);
const PRIVILEGE = new Set(['sudo', 'doas', 'pkexec', 'su', 'runas', 'gsudo']);

interface InlineRule {
  readonly matches: (program: string) => boolean;
  /** Is this argument the flag that makes the next argument (or its own value) code? */
  readonly isInlineFlag: (arg: string) => boolean;
  /** For the message, e.g. `Python`. */
  readonly label: string;
}

const INLINE_RULES: readonly InlineRule[] = [
  {
    matches: (p) => SHELLS.has(p),
    // -c, or combined short flags containing c: -lc, -ic, -xec
    isInlineFlag: (a) => /^-[a-zA-Z]*c[a-zA-Z]*$/.test(a),
    label: 'shell',
  },
  { matches: (p) => p === 'cmd', isInlineFlag: (a) => /^\/[ck]$/i.test(a), label: 'cmd' },
  {
    matches: (p) => p === 'powershell' || p === 'pwsh' || p === 'powershell_ise',
    isInlineFlag: (a) => /^[-/](c|com|comm|comma|comman|command|e|ec|en|enc|enco|encod|encode|encoded|encodedc|encodedcommand|encodedco\w*)(:.*)?$/i.test(a),
    label: 'PowerShell',
  },
  {
    matches: (p) => p === 'node' || p === 'nodejs' || p === 'bun',
    isInlineFlag: (a) => /^(-e|-p|-pe|--eval|--print)(=.*)?$/.test(a),
    label: 'Node.js',
  },
  {
    matches: (p) => /^python(\d+(\.\d+)?)?w?$/.test(p) || p === 'py' || p === 'pypy' || p === 'pypy3',
    isInlineFlag: (a) => /^-[a-zA-Z]*c$/.test(a) || /^-c.+/.test(a),
    label: 'Python',
  },
  { matches: (p) => p === 'perl', isInlineFlag: (a) => /^-[a-zA-Z]*[eE]$/.test(a), label: 'Perl' },
  { matches: (p) => p === 'ruby', isInlineFlag: (a) => /^-[a-zA-Z]*e$/.test(a), label: 'Ruby' },
  { matches: (p) => p === 'php', isInlineFlag: (a) => a === '-r', label: 'PHP' },
  { matches: (p) => p === 'osascript', isInlineFlag: (a) => a === '-e', label: 'AppleScript' },
  { matches: (p) => p === 'deno' || p === 'bun', isInlineFlag: (a) => a === 'eval' || a === '-e' || a === '--eval', label: 'Deno/Bun' },
];

/** Env variables that make a program load or run other code. Compared upper-case. */
const RISKY_ENV: readonly { readonly test: (name: string) => boolean; readonly why: string }[] = [
  { test: (n) => n === 'NODE_OPTIONS', why: 'can make Node.js load any module (--require, --import)' },
  { test: (n) => n === 'NODE_PATH', why: 'changes where Node.js finds modules' },
  { test: (n) => n === 'LD_PRELOAD' || n === 'LD_AUDIT', why: 'loads a shared library into the process' },
  { test: (n) => n === 'LD_LIBRARY_PATH', why: 'changes which shared libraries are loaded' },
  { test: (n) => n.startsWith('DYLD_'), why: 'changes which dynamic libraries are loaded (macOS)' },
  { test: (n) => n === 'BASH_ENV' || n === 'ENV' || n === 'ZDOTDIR' || n === 'PROMPT_COMMAND', why: 'makes a shell run a script' },
  { test: (n) => n === 'PYTHONSTARTUP' || n === 'PYTHONPATH' || n === 'PYTHONHOME' || n === 'PYTHONINSPECT', why: 'changes what Python loads or runs' },
  { test: (n) => n === 'PERL5OPT' || n === 'PERL5LIB' || n === 'PERLLIB', why: 'changes what Perl loads' },
  { test: (n) => n === 'RUBYOPT' || n === 'RUBYLIB', why: 'changes what Ruby loads' },
  { test: (n) => n === 'JAVA_TOOL_OPTIONS' || n === '_JAVA_OPTIONS' || n === 'JDK_JAVA_OPTIONS', why: 'adds JVM options (agents)' },
  { test: (n) => n === 'DOTNET_STARTUP_HOOKS' || n.startsWith('CORECLR_PROFILER'), why: 'loads code into .NET processes' },
  { test: (n) => n === 'GIT_SSH_COMMAND' || n === 'GIT_EXTERNAL_DIFF' || n === 'GIT_ASKPASS' || n === 'SSH_ASKPASS', why: 'runs a command' },
  { test: (n) => n === 'ELECTRON_RUN_AS_NODE', why: 'turns an Electron app into a Node.js interpreter' },
  { test: (n) => n === 'PATH', why: 'changes which programs are found' },
  { test: (n) => n === 'NPM_CONFIG_SCRIPT_SHELL' || n === 'NPM_CONFIG_NODE_OPTIONS', why: 'changes how npm runs scripts' },
];

/**
 * What is risky about a launch: interpreters given inline code (`bash -c`, `node -e`, `python -c`,
 * `powershell -Command`, ...), privilege escalation (`sudo`, `doas`), and env that injects code
 * (`NODE_OPTIONS`, `LD_PRELOAD`, `DYLD_*`, `BASH_ENV`, `PYTHONSTARTUP`, ...). Wrappers are looked through:
 * `sudo env FOO=1 bash -c ...` reports both sudo and the inline shell.
 */
export function analyzeLaunchRisks(launch: Pick<ResolvedLaunch, 'command' | 'args' | 'env'>): LaunchRisk[] {
  const risks: LaunchRisk[] = [];
  const tokens = [launch.command, ...launch.args];
  const seen = new Set<string>();
  const add = (r: LaunchRisk): void => {
    if (seen.has(r.message)) return;
    seen.add(r.message);
    risks.push(r);
  };

  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? '';
    const program = programName(token);
    if (PRIVILEGE.has(program)) add({ kind: 'privilege', message: `${program} runs the server with elevated privileges` });
    for (const rule of INLINE_RULES) {
      if (!rule.matches(program)) continue;
      // Scan the options after the program (and deno/bun subcommands) for the inline-code flag.
      for (let j = i + 1; j < tokens.length; j++) {
        const a = tokens[j] ?? '';
        if (rule.isInlineFlag(a)) {
          const joined = /^(--?[A-Za-z]+)[=:]([\s\S]*)$/.exec(a);
          const pyJoined = rule.label === 'Python' && /^-c.+/.test(a);
          const flag = joined ? (joined[1] ?? a) : pyJoined ? '-c' : a;
          const code = joined ? joined[2] : pyJoined ? a.slice(2) : tokens[j + 1];
          add({
            kind: 'inlineCode',
            message: `${program} ${flag} runs inline ${rule.label} code${code !== undefined ? `: ${quoteArg(truncateMiddle(code, 160))}` : ''}`,
          });
          break;
        }
        // Options continue (`-l`, `--norc`, `/d`, `-NoProfile`); the first non-option ends the search.
        if (!/^[-/]/.test(a) && !(rule.label === 'Deno/Bun' && j === i + 1)) break;
      }
    }
  }

  for (const [name, value] of Object.entries(launch.env)) {
    if (value === null) continue; // unsetting is not risky
    const upper = name.toUpperCase();
    const rule = RISKY_ENV.find((r) => r.test(upper));
    if (rule) add({ kind: 'riskyEnv', message: `env ${name} ${rule.why}` });
  }
  return risks;
}

function truncateMiddle(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 21)}…(${text.length} chars)…${text.slice(-10)}`;
}

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

/** Risks of the variables an env file sets (the same rules as `env`), worded as coming from the file. */
export function analyzeEnvFileRisks(envFile: EnvFileSnapshot | undefined): LaunchRisk[] {
  const vars = envFileVariables(envFile);
  return analyzeLaunchRisks({ command: '', args: [], env: vars }).map((r) => ({ ...r, message: r.message.replace(/^env (\S+) /, 'env file sets $1, which ') }));
}
