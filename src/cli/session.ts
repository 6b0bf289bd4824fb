/**
 * One run against one server: checks that it may and can run (trust, transport, configuration), builds the
 * engine around it, starts it with a status line, runs the command, and always stops it (also on Ctrl+C and
 * SIGTERM: the engine stops the whole process tree). Errors come back as CliErrors with an exit code.
 */
import { maskingLogger, SecretSet } from '../core/auth/secretSet';
import { describeSource } from '../core/config';
import type { ServerDefinition } from '../core/config/types';
import { errorMessage } from '../core/protocol/errors';
import type { ServerHandle } from '../core/server/types';
import { launchKindOf } from '../core/transport/launch';
import type { CliOptions } from './args';
import { CliElicitation } from './asks';
import { cliAuthServices } from './auth';
import type { CliConfig } from './config';
import { CliError, toCliError } from './errors';
import { CliGate, createCliHost } from './host';
import { CliPrompter, type PromptTerminal } from './prompter';
import { Progress, stderrLogger, type TextSink } from './terminal';

/** What a run needs from the process (real stdio and signals in src/cli.ts; pipes in tests). */
export interface CliIo {
  readonly stdout: TextSink;
  readonly stderr: TextSink;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** A terminal to prompt on, when there is one. */
  readonly terminal?: PromptTerminal;
  /** Calls `handler` on SIGINT/SIGTERM until the returned function is called. */
  onSignal(handler: (signal: 'SIGINT' | 'SIGTERM') => void): () => void;
}

/** How a run may sign in; `conformance`: the suite's mock authorization server, approved without asking. */
export interface RunMode {
  readonly conformance?: { readonly clientMetadataUrl?: string };
}

/** Sign-ins per run: one for the start, one for more scopes a command needs (step-up). Never a loop. */
const MAX_SIGN_INS = 2;

export interface RunContext {
  readonly server: ServerHandle;
  readonly signal: AbortSignal;
  readonly progress: Progress;
}

/** The definition named `name`, or the one given on the command line. */
export function pickServer(cfg: CliConfig, name: string | undefined): ServerDefinition {
  if (cfg.adHoc) return cfg.adHoc;
  const def = cfg.config.servers.find((d) => d.name === name);
  if (def) return def;
  const names = cfg.config.servers.map((d) => d.name);
  const where = cfg.files.length ? `in ${cfg.files.join(', ')}` : 'in the current folder (.vscode/mcp.json, .mcp.json) or VS Code\'s user settings';
  throw new CliError(
    'unknownServer',
    `no server named "${name ?? ''}" ${where}`,
    names.length ? `configured servers: ${names.join(', ')}` : 'no servers are configured: use --config FILE, --url URL or -- COMMAND ARGS',
  );
}

/** Why `def` cannot run in this build and with these flags, as a CliError; undefined when it can. */
export function refusal(def: ServerDefinition, cfg: CliConfig, options: CliOptions): CliError | undefined {
  if (def.configError !== undefined) return new CliError('usage', def.configError);
  if (!launchKindOf(def.entry.type)) {
    // A `type` no transport of MCP Host speaks (stdio, http, sse and ws all run).
    return new CliError(
      'unsupportedTransport',
      `server "${def.name}" uses the transport "${def.entry.type}", which mcp-host does not speak (it speaks stdio, http, sse and ws)`,
    );
  }
  if (new CliGate(options.trustWorkspace, cfg.userLevel).blockedReason(def)) {
    return new CliError(
      'untrustedWorkspace',
      `server "${def.name}" is defined by a workspace file (${describeSource(def.source)}) and runs a program on this computer: not started`,
      'check its command with "mcp-host servers", then run again with --trust-workspace to allow workspace-defined servers',
    );
  }
  return undefined;
}

/**
 * Starts `def`, runs `fn` and stops everything. Ctrl+C or SIGTERM cancels the pending request and stops the
 * servers; the error then has the exit code of the signal.
 */
export async function withServer<T>(
  def: ServerDefinition,
  cfg: CliConfig,
  options: CliOptions,
  io: CliIo,
  version: string,
  fn: (ctx: RunContext) => Promise<T>,
  mode: RunMode = {},
): Promise<T> {
  const refused = refusal(def, cfg, options);
  if (refused) throw refused;
  const progress = new Progress(io.stderr);
  // Quiet by default (a failure is reported once, at the end, with the server's stderr tail); --verbose shows the
  // engine's log, the servers' stderr and the JSON-RPC traffic.
  const level = options.verbose ? 'trace' : 'silent';
  const abort = new AbortController();
  let signalled: 'SIGINT' | 'SIGTERM' | undefined;
  // Called only once `host` below exists (signals are hooked after it is built; the prompter runs during start).
  const interrupt = (sig: 'SIGINT' | 'SIGTERM'): void => {
    if (signalled) {
      // A second Ctrl+C: stop now (SIGKILL to what is still running).
      for (const s of host.registry.servers) void s.stop();
      return;
    }
    signalled = sig;
    progress.clear();
    abort.abort();
    void host.dispose();
  };
  const prompter = new CliPrompter(options.inputs, io.env, io.terminal, () => interrupt('SIGINT'));
  // Tokens and client secrets are masked in every log line (--verbose shows the traffic).
  const oauthSecrets = new SecretSet();
  const signInMode = mode.conformance ? 'conformance' : 'terminal';
  const tty = io.terminal?.input.isTTY === true && io.terminal.output.isTTY === true ? io.terminal : undefined;
  const canSignIn = mode.conformance !== undefined || tty !== undefined;
  const hostLogger = maskingLogger(stderrLogger(io.stderr, 'mcp-host', level, progress), oauthSecrets);
  const authServices = cliAuthServices({
    mode: signInMode,
    stderr: io.stderr,
    ...(io.terminal ? { terminal: io.terminal } : {}),
    ...(mode.conformance?.clientMetadataUrl !== undefined ? { clientMetadataUrl: mode.conformance.clientMetadataUrl } : {}),
    logger: hostLogger,
    onInterrupt: () => interrupt('SIGINT'),
  });
  const { host } = createCliHost({
    version,
    cwd: io.cwd,
    env: io.env,
    ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    trustWorkspace: options.trustWorkspace,
    userLevel: cfg.userLevel,
    inputs: prompter,
    serverLogger: (name) => maskingLogger(stderrLogger(io.stderr, name, level, progress), oauthSecrets),
    hostLogger,
    authServices: { ...authServices, secrets: oauthSecrets },
    asks: { elicitation: new CliElicitation(signInMode, io.stderr, tty && !mode.conformance ? { terminal: tty, progress, onInterrupt: () => interrupt('SIGINT') } : undefined) },
  });
  let signIns = 0;
  /** Signs in to `server` after a refusal that asks for it; a CliError with exit 3 when that is not possible. */
  const signIn = async (server: ServerHandle): Promise<void> => {
    const where = def.entry.url !== undefined ? ` (${def.entry.url})` : '';
    if (!canSignIn) throw new CliError('authNeeded', 'authorisation needed: run on a terminal to sign in', `server "${def.name}"${where} asks for OAuth sign-in`);
    if (signIns >= MAX_SIGN_INS) throw new CliError('authNeeded', `server "${def.name}"${where} still refuses after signing in`);
    signIns++;
    progress.show(`signing in to ${def.name}…`);
    try {
      await server.auth!.signIn(abort.signal);
    } catch (e) {
      if (signalled) throw e;
      throw new CliError('authNeeded', `sign-in to server "${def.name}" failed: ${errorMessage(e)}`);
    } finally {
      progress.clear();
    }
  };
  const needsSignIn = (server: ServerHandle): boolean => signalled === undefined && server.auth?.state.kind === 'signInNeeded';
  const unhook = io.onSignal(interrupt);
  try {
    await host.registry.apply({ servers: [options.timeoutMs !== undefined ? withoutOwnTimeouts(def) : def], problems: [] });
    const server = host.registry.getByName(def.name);
    if (!server) throw new CliError('startFailed', `server "${def.name}" could not be set up`);
    const start = async (): Promise<void> => {
      progress.show(`starting ${def.name}…`);
      try {
        await server.start();
      } catch (e) {
        if (needsSignIn(server)) throw e;
        throw startError(e, server, { interrupted: signalled !== undefined, ...(prompter.missing !== undefined ? { inputMissing: prompter.missing } : {}) });
      }
      progress.clear();
    };
    try {
      await start();
    } catch (e) {
      if (!needsSignIn(server)) throw e;
      await signIn(server);
      await start();
    }
    const ctx = { server, signal: abort.signal, progress };
    try {
      return await fn(ctx);
    } catch (e) {
      // A request refused for sign-in (a token the server stopped taking, more scopes): sign in, run it once more.
      if (!needsSignIn(server)) throw e;
      await signIn(server);
      return await fn(ctx);
    }
  } catch (e) {
    const server = host.registry.getByName(def.name);
    if (!(e instanceof CliError) && server && needsSignIn(server)) {
      throw new CliError('authNeeded', `server "${def.name}" refused: authorisation needed (sign-in did not give access)`, errorMessage(e));
    }
    const err = toCliError(e, { interrupted: signalled !== undefined });
    if (signalled === 'SIGTERM' && err.code === 'interrupted') throw new CliError('terminated', 'terminated');
    throw err;
  } finally {
    progress.clear();
    unhook();
    await host.dispose();
  }
}

/** --timeout wins over the server entry's own `initializeTimeoutSeconds` / `requestTimeoutSeconds`. */
function withoutOwnTimeouts(def: ServerDefinition): ServerDefinition {
  const { initializeTimeoutSeconds: _i, requestTimeoutSeconds: _r, ...entry } = def.entry;
  return { ...def, entry };
}

function startError(e: unknown, server: ServerHandle, context: { interrupted: boolean; inputMissing?: string }): CliError {
  const err = toCliError(e, context);
  if (err.code !== 'startFailed' || err.detail !== undefined) return err;
  // The state holds the stderr tail of a server that failed before the error could carry it.
  const st = server.state;
  const tail = st.kind === 'error' && st.stderrTail.trim() ? `server stderr (last lines):\n${st.stderrTail.trimEnd()}` : undefined;
  return tail ? new CliError('startFailed', errorMessage(e), tail) : err;
}
