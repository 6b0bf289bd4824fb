/**
 * What is risky about a launch, for the consent dialog. A heuristic, and said to be one: it knows common ways to
 * make a program run code other than the server (inline code, preloaded modules, hooks in tool settings, package
 * sources, privileges) and cannot know every program. Every rule is data in the tables below (one place to
 * extend); the scanning code only walks the command line and the env.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import type { ResolvedLaunch } from '../config/types';
import { buildServerEnvironment } from '../transport/stdio/environment';
import { pathOf, resolveCommandOnPath } from '../transport/stdio/spawnErrors';
import type { EnvFileSnapshot } from './launch';
import { makeInvisibleVisible } from '../base/sanitize';
import { ARG_RULES, ENV_RULES, INLINE_RULES, PRIVILEGE, type EnvRule } from './riskData';

export type LaunchRiskKind = 'inlineCode' | 'privilege' | 'riskyEnv' | 'loadsCode' | 'packageSource' | 'workspaceProgram' | 'hiddenValue';

export interface LaunchRisk {
  readonly kind: LaunchRiskKind;
  /** One line for people, e.g. `bash -c runs the inline code that follows`. */
  readonly message: string;
}

/** What the consent dialog says about its risk list. */
export const RISK_HEURISTIC_NOTE = 'These warnings come from a list of known patterns (a heuristic): a launch without warnings is not proven safe.';

/** The most arguments scanned, and the most PATH entries looked at (each is a stat): server data is bounded. */
const MAX_TOKENS = 1000;
const MAX_PATH_ENTRIES = 256;

const shortHash = (text: string): string => createHash('sha256').update(text).digest('hex').slice(0, 8);
const quote = (s: string): string => makeInvisibleVisible(JSON.stringify(s));

/** Lower-cased file name without directory and Windows executable extension. */
function programName(token: string): string {
  const base = token.split(/[\\/]/).pop() ?? token;
  return base.toLowerCase().replace(/\.(exe|cmd|bat|com)$/, '');
}

function truncateMiddle(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 21)}…(${text.length} chars)…${text.slice(-10)}`;
}

/** `--flag=value` / `-fvalue` / `-f value`: the flag and its value, when `arg` is one of `flags`. */
function matchFlag(arg: string, flags: readonly string[], next: string | undefined): { flag: string; value: string | undefined; joined: boolean } | undefined {
  for (const f of flags) {
    if (arg === f) return { flag: f, value: next, joined: false };
    if (f.startsWith('--') && arg.startsWith(`${f}=`)) return { flag: f, value: arg.slice(f.length + 1), joined: true };
    if (/^-[A-Za-z]$/.test(f) && arg.length > 2 && arg.startsWith(f)) return { flag: f, value: arg.slice(2).replace(/^=/, ''), joined: true };
  }
  return undefined;
}

/**
 * The risks of a launch's command line and env: inline code (`bash -c`, `node -e`, `npx -c`, `env -S`), modules
 * loaded first (`node --import`), tool settings that run commands (`git -c core.sshCommand=`, `ssh -o
 * ProxyCommand=`), container privileges, packages from another source (`uvx --from git+...`), privilege
 * escalation, and env that injects code or redirects downloads and traffic. Wrappers are looked through:
 * `sudo env FOO=1 bash -c ...` reports both sudo and the inline shell. With `context`, also the program that the
 * launch's own PATH picks when it lies inside the workspace (see `resolveProgram`).
 */
export function analyzeLaunchRisks(launch: Pick<ResolvedLaunch, 'command' | 'args' | 'env'> & { readonly cwd?: string }, context?: ProgramContext): LaunchRisk[] {
  const risks: LaunchRisk[] = [];
  const seen = new Set<string>();
  const add = (r: LaunchRisk): void => {
    if (seen.has(r.message)) return;
    seen.add(r.message);
    risks.push(r);
  };
  const tokens = [launch.command, ...launch.args].slice(0, MAX_TOKENS);
  for (let i = 0; i < tokens.length; i++) {
    const program = programName(tokens[i] ?? '');
    if (PRIVILEGE.has(program)) add({ kind: 'privilege', message: `${program} runs the server with elevated privileges` });
    scanInline(program, tokens, i, add);
    scanOptions(program, tokens, i, add);
  }
  for (const [name, value] of Object.entries(launch.env)) {
    if (value === null) continue; // unsetting is not risky
    const rule = envRule(name);
    if (rule) add({ kind: 'riskyEnv', message: `env ${makeInvisibleVisible(name)} ${rule.why}` });
  }
  if (context && launch.cwd !== undefined) {
    const p = resolveProgram({ command: launch.command, cwd: launch.cwd, env: launch.env }, context);
    if (p?.path !== undefined && p.insideWorkspace) {
      add({
        kind: 'workspaceProgram',
        message: `${quote(launch.command)} runs ${quote(p.path)}, a program inside the workspace${p.differs ? ' (found through the PATH this server sets)' : ''}`,
      });
    }
  }
  return risks;
}

function scanInline(program: string, tokens: readonly string[], i: number, add: (r: LaunchRisk) => void): void {
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
        add({ kind: 'inlineCode', message: `${program} ${flag} runs inline ${rule.label} code${code !== undefined ? `: ${quote(truncateMiddle(code, 160))}` : ''}` });
        break;
      }
      // Options continue (`-l`, `--norc`, `/d`, `-NoProfile`); the first non-option ends the search.
      if (!/^[-/]/.test(a) && !(rule.label === 'Deno/Bun' && j === i + 1)) break;
    }
  }
}

/**
 * The option rules of ARG_RULES: options are read from just after the program (or its subcommand) up to the first
 * argument that is neither an option nor the value of an option known to take one, so the server's own arguments
 * (`node server.js -r x`) are never read as the program's options.
 */
function scanOptions(program: string, tokens: readonly string[], i: number, add: (r: LaunchRisk) => void): void {
  for (const rule of ARG_RULES) {
    if (!rule.programs.includes(program)) continue;
    let j = i + 1;
    if (rule.subcommands) {
      const sub = rule.subcommands.find((s) => s.every((w, k) => tokens[j + k] === w));
      if (!sub) continue;
      j += sub.length;
    }
    for (; j < tokens.length; j++) {
      const a = tokens[j] ?? '';
      if (a === '--' || !a.startsWith('-')) break;
      for (const opt of rule.options) {
        const m = matchFlag(a, opt.flags, tokens[j + 1]);
        if (!m) continue;
        if (opt.value && (m.value === undefined || !opt.value.test(m.value))) continue;
        const shown = m.value !== undefined && opt.takesValue ? `: ${quote(truncateMiddle(m.value, 160))}` : '';
        const setting = opt.value && m.value !== undefined ? (/^[^=\s]+/.exec(m.value)?.[0] ?? '') : '';
        add({ kind: opt.kind, message: `${program} ${m.flag} ${opt.why.replace('{setting}', makeInvisibleVisible(setting))}${shown}` });
      }
      // Skip the value of an option that takes one as the next argument.
      const valued = rule.valueOptions?.test(a) || rule.options.some((o) => o.takesValue && o.flags.includes(a));
      if (valued) j++;
    }
  }
}

/** The env rule for a variable name (compared upper-case: npm reads `npm_config_*` in any case), if risky. */
function envRule(name: string): EnvRule | undefined {
  const upper = name.toUpperCase();
  return ENV_RULES.find((r) => r.test(upper));
}

/** True for a variable the risk list marks: its value is always shown in the consent dialog, never masked. */
export function isRiskyEnvName(name: string): boolean {
  return envRule(name) !== undefined;
}

/**
 * How the consent dialog shows a risky variable's value: in full, except the password of a URL (a proxy or
 * package index with credentials) which is masked while the host stays visible, with a short hash so a change is
 * seen. Undefined for a variable that is not risky.
 */
export function riskyEnvDisplay(name: string, value: string): string | undefined {
  const rule = envRule(name);
  if (!rule) return undefined;
  if (rule.display !== 'url') return value;
  const masked = value.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/@:\s]*:)([^/@\s]+)@/i, '$1••••••@');
  return masked === value ? value : `${masked} (sha256:${shortHash(value)})`;
}

/** Risks of the variables an env file sets (the same rules as `env`), worded as coming from the file, value shown. */
export function analyzeEnvFileRisks(envFile: EnvFileSnapshot | undefined): LaunchRisk[] {
  const vars = envFile?.kind === 'read' ? envFile.variables : {};
  const out: LaunchRisk[] = [];
  for (const [name, value] of Object.entries(vars)) {
    const rule = envRule(name);
    if (!rule) continue;
    const shown = riskyEnvDisplay(name, value) ?? value;
    out.push({ kind: 'riskyEnv', message: `env file sets ${makeInvisibleVisible(name)}, which ${rule.why}: ${quote(truncateMiddle(shown, 200))}` });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// The program PATH picks

export interface ProgramContext {
  /** The editor's environment (what the server inherits). */
  readonly baseEnv: NodeJS.ProcessEnv;
  /** Absolute paths of the open workspace folders. */
  readonly workspaceFolders: readonly string[];
  /** The env file as read for the dialog (its PATH counts). */
  readonly envFile?: EnvFileSnapshot;
}

export interface ProgramResolution {
  /** The program spawn will run with the launch's environment and cwd, if found. */
  readonly path?: string;
  /** What the editor's own PATH would run, if found. */
  readonly editorPath?: string;
  /** The launch's PATH (env or env file) picks another program than the editor's PATH. */
  readonly differs: boolean;
  /** `path` lies inside an open workspace folder. */
  readonly insideWorkspace: boolean;
}

/** The environment with PATH cut to its first MAX_PATH_ENTRIES entries (each entry costs a stat). */
function boundedPath(env: Record<string, string>): Record<string, string> {
  const p = pathOf(env);
  const parts = p.split(path.delimiter);
  if (parts.length <= MAX_PATH_ENTRIES) return env;
  const out = { ...env };
  for (const k of Object.keys(out)) if (k.toUpperCase() === 'PATH') delete out[k];
  out.PATH = parts.slice(0, MAX_PATH_ENTRIES).join(path.delimiter);
  return out;
}

/**
 * Finds the program a bare command name (`node`, `npx`) runs, as spawn does: the PATH of the server's final
 * environment (editor env, then env file, then `env`), relative entries against the launch's cwd, nothing run.
 * Undefined for a command with a path (resolveLaunch made it absolute: the dialog already shows it).
 */
export function resolveProgram(launch: Pick<ResolvedLaunch, 'command' | 'cwd' | 'env'>, context: ProgramContext): ProgramResolution | undefined {
  const { command, cwd } = launch;
  if (command.includes('/') || command.includes('\\') || path.isAbsolute(command)) return undefined;
  const fileVars = context.envFile?.kind === 'read' ? context.envFile.variables : undefined;
  const launchEnv = boundedPath(buildServerEnvironment(context.baseEnv, fileVars, launch.env));
  const editorEnv = boundedPath(buildServerEnvironment(context.baseEnv, undefined, undefined));
  const found = resolveCommandOnPath(command, cwd, launchEnv).path;
  const editor = pathOf(launchEnv) === pathOf(editorEnv) ? found : resolveCommandOnPath(command, cwd, editorEnv).path;
  const inside = found !== undefined && context.workspaceFolders.some((f) => isInside(found, f));
  return { ...(found !== undefined ? { path: found } : {}), ...(editor !== undefined ? { editorPath: editor } : {}), differs: found !== editor, insideWorkspace: inside };
}

function isInside(file: string, folder: string): boolean {
  const rel = path.relative(folder, file);
  return rel !== '' && !rel.startsWith('..') && !path.isAbsolute(rel);
}
