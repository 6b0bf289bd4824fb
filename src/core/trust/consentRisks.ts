/**
 * The risks the consent dialog lists, with password-sourced values taken into account: the heuristics of
 * `analyzeLaunchRisks` run over the launch as shown (passwords masked, so no risk line can print a password),
 * and a masked value in a position where it can change what runs is itself a risk, naming its input.
 */
import type { ResolvedLaunch, ServerDefinition } from '../config/types';
import { secretSpans } from '../base/redact';
import { makeInvisibleVisible } from '../base/sanitize';
import { analyzeEnvFileRisks, analyzeLaunchRisks, quoteArg, type EnvFileSnapshot, type LaunchRisk } from './launch';
import { mixedScriptWarning } from './lookalike';
import { resolveProgram, RISK_HEURISTIC_NOTE, type ProgramContext } from './risks';
import { launchSecrets, maskPasswords } from './passwords';

/** Lower-cased file name without directory and Windows executable extension. */
function programName(token: string): string {
  const base = token.split(/[\\/]/).pop() ?? token;
  return base.toLowerCase().replace(/\.(exe|cmd|bat|com)$/, '');
}

/** Programs whose first operand is the code they run (a script, module or package). */
const RUNS_OPERAND =
  /^(node|nodejs|bun|bunx|deno|python(\d+(\.\d+)?)?w?|py|pypy3?|perl|ruby|php|bash|sh|zsh|dash|ksh|mksh|ash|fish|pwsh|powershell|cmd|npx|uvx|pipx|java|osascript|tsx|ts-node)$/;

/** Options whose value is code, or a module, script or package to load or run (compared lower-case). */
const CODE_OPTIONS = new Set([
  '-r',
  '--require',
  '--import',
  '--loader',
  '--experimental-loader',
  '-e',
  '--eval',
  '-p',
  '--print',
  '-c',
  '-m',
  '-x',
  '--from',
  '--with',
  '--package',
  '--call',
  '--command',
  '-command',
  '-encodedcommand',
  '/c',
  '/k',
]);

/**
 * Password-sourced values in a position where they can change what runs, each naming its input: the command
 * itself, the first operand of an interpreter or runner (its script or package), the value of an option that
 * loads or runs code (`--import=…`, `-r …`, `-e …`), and any hidden value an argument starts with that starts
 * with `-` (the program reads it as an option: `--import=data:…`).
 */
export function hiddenValueRisks(launch: ResolvedLaunch): LaunchRisk[] {
  const secrets = launchSecrets(launch);
  if (secrets.length === 0) return [];
  const risks: LaunchRisk[] = [];
  const tokens = [launch.command, ...launch.args];
  const program = programName(maskPasswords(launch.command, launch));
  const firstOperand = launch.args.findIndex((a) => !a.startsWith('-')) + 1;
  for (let t = 0; t < tokens.length; t++) {
    const token = tokens[t] ?? '';
    const spans = secretSpans(token, secrets);
    const first = spans[0];
    if (!first) continue;
    const labels = [...new Set(spans.flatMap((s) => s.labels))];
    const what = `a hidden value (${labels.length ? labels.join(', ') : 'a password input'})`;
    const joined = /^(--?[A-Za-z][\w-]*)[=:]/.exec(token);
    const previous = (tokens[t - 1] ?? '').toLowerCase();
    let message: string | undefined;
    if (t === 0) message = `the program to run is ${what}`;
    else if (first.start === 0 && token.startsWith('-')) message = `${what} starts with "-": ${program} reads it as an option, which can load or run code`;
    else if (joined && CODE_OPTIONS.has((joined[1] ?? '').toLowerCase())) message = `${program} ${joined[1] ?? ''} gets ${what}: that option loads or runs code`;
    else if (first.start === 0 && t > 1 && CODE_OPTIONS.has(previous)) message = `${program} ${tokens[t - 1] ?? ''} gets ${what}: that option loads or runs code`;
    else if (t === firstOperand && RUNS_OPERAND.test(program)) message = `${program} runs ${what} (its script, module or package)`;
    if (message) risks.push({ kind: 'hiddenValue', message: `${message}; the value is not shown` });
  }
  return risks;
}

/**
 * Everything the consent dialog lists as risky: hidden values in risky positions, the launch heuristics over
 * the masked launch, and the env file's variables.
 */
export function consentRisks(launch: ResolvedLaunch, envFile?: EnvFileSnapshot, context?: ProgramContext): LaunchRisk[] {
  const env: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(launch.env)) env[k] = v === null ? null : maskPasswords(v, launch);
  const shown = { command: maskPasswords(launch.command, launch), args: launch.args.map((a) => maskPasswords(a, launch)), env, cwd: launch.cwd };
  return [...hiddenValueRisks(launch), ...analyzeLaunchRisks(shown, context), ...analyzeEnvFileRisks(envFile)];
}

/**
 * The risk part of the launch consent dialog: the program the launch's own PATH picks (when it is not the one the
 * editor's PATH gives, or lies inside the workspace), every risk the heuristic knows (command line, env, env
 * file, a look-alike name), and a line saying the list is a heuristic. Kept apart from the rest of the dialog
 * text (launchGate.ts) so the risk wording has one home.
 */
export function consentRiskLines(
  def: ServerDefinition,
  launch: ResolvedLaunch,
  envFile: EnvFileSnapshot | undefined,
  editor: Omit<ProgramContext, 'envFile'>,
): { program: string[]; risks: string[] } {
  const context: ProgramContext = { ...editor, ...(envFile ? { envFile } : {}) };
  const program: string[] = [];
  const p = resolveProgram(launch, context);
  if (p?.path !== undefined && (p.differs || p.insideWorkspace)) {
    const withEditorPath = p.differs ? `; with your PATH it would be ${p.editorPath !== undefined ? quoteArg(p.editorPath) : 'not found'}` : '';
    program.push(`Program: ${quoteArg(p.path)} (what ${quoteArg(launch.command)} finds on the PATH this server runs with${withEditorPath})`);
  }
  const found = consentRisks(launch, envFile, context).map((r) => r.message);
  const lookalike = mixedScriptWarning(def.name);
  if (lookalike !== undefined) found.unshift(makeInvisibleVisible(lookalike));
  const risks = found.length ? ['', '⚠ Risky:', ...found.map((m) => `  • ${m}`), `  (${RISK_HEURISTIC_NOTE})`] : ['', `Risks: none of the known risky patterns found. ${RISK_HEURISTIC_NOTE}`];
  return { program, risks };
}
