/**
 * Exit codes of `mcp-host` (documented in the README's "Command line" section; stable: scripts depend on them)
 * and the one error type the CLI throws. Codes 1, 3, 4 and 5 mean what they mean for the MCP Inspector's CLI.
 */
import { isInputCancelledError } from '../core/config/inputs';
import { ServerRequestError, errorMessage } from '../core/protocol/errors';

export const ExitCode = {
  ok: 0,
  /** Bad command line, unknown server/tool/prompt, arguments that do not fit the tool's schema, unreadable config. */
  usage: 1,
  /** The server answered with a JSON-RPC error, or with something that is not a valid answer. */
  serverError: 2,
  /**
   * Authorisation needed: a credential the server needs (an `${input:...}` value) was not given and there is no
   * terminal to ask for it; or a remote server needs OAuth sign-in and there is no terminal to sign in on (or the
   * sign-in was refused or failed).
   */
  auth: 3,
  /** The server could not be started or reached, or it exited; also a transport this build does not have yet. */
  unreachable: 4,
  /** The tool ran and returned `isError: true`. */
  toolError: 5,
  /** No answer within --timeout. */
  timeout: 6,
  /** A workspace-defined server refused because --trust-workspace was not given. */
  untrusted: 7,
  /** Interrupted by Ctrl+C (128 + SIGINT). */
  interrupted: 130,
  /** Stopped by SIGTERM (128 + SIGTERM). */
  terminated: 143,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];

/** What went wrong, for code (tests and callers decide by it, never by the message). */
export type CliErrorCode =
  | 'usage'
  | 'unknownServer'
  | 'unknownTool'
  | 'invalidArguments'
  | 'configUnreadable'
  | 'untrustedWorkspace'
  | 'unsupportedTransport'
  | 'inputMissing'
  | 'authNeeded'
  | 'startFailed'
  | 'serverError'
  | 'toolError'
  | 'timeout'
  | 'interrupted'
  | 'terminated';

const exitOf: Record<CliErrorCode, ExitCodeValue> = {
  usage: ExitCode.usage,
  unknownServer: ExitCode.usage,
  unknownTool: ExitCode.usage,
  invalidArguments: ExitCode.usage,
  configUnreadable: ExitCode.usage,
  untrustedWorkspace: ExitCode.untrusted,
  unsupportedTransport: ExitCode.unreachable,
  inputMissing: ExitCode.auth,
  authNeeded: ExitCode.auth,
  startFailed: ExitCode.unreachable,
  serverError: ExitCode.serverError,
  toolError: ExitCode.toolError,
  timeout: ExitCode.timeout,
  interrupted: ExitCode.interrupted,
  terminated: ExitCode.terminated,
};

/** A failure the CLI reports: `message` for people (stderr), `code` for code, `exitCode` for the shell. */
export class CliError extends Error {
  override readonly name = 'CliError';
  readonly exitCode: ExitCodeValue;
  constructor(
    readonly code: CliErrorCode,
    message: string,
    /** Extra lines for people (a server's stderr tail, a hint). */
    readonly detail?: string,
  ) {
    super(message);
    this.exitCode = exitOf[code];
  }
}

/**
 * The CLI error for an engine error: by the error's kind and reason, never by its text. `interrupted` tells
 * whether the user pressed Ctrl+C (the engine then reports the pending request as cancelled or stopped).
 */
export function toCliError(e: unknown, context: { readonly interrupted: boolean; readonly inputMissing?: string }): CliError {
  if (e instanceof CliError) return e;
  if (context.interrupted) return new CliError('interrupted', 'interrupted');
  if (context.inputMissing !== undefined) {
    return new CliError(
      'inputMissing',
      `the server needs the input "${context.inputMissing}" and there is no terminal to ask for it`,
      `pass it with --input ${context.inputMissing}=VALUE or the environment variable ${inputEnvName(context.inputMissing)}`,
    );
  }
  if (isInputCancelledError(e)) return new CliError('inputMissing', errorMessage(e));
  if (e instanceof ServerRequestError) {
    const tail = e.stderrTail?.trim() ? `server stderr (last lines):\n${e.stderrTail.trimEnd()}` : undefined;
    if (e.kind === 'timeout' || e.reason === 'initializeTimeout') return new CliError('timeout', e.message, tail);
    if (e.kind === 'rpc' || e.kind === 'invalidResponse') {
      return new CliError('serverError', e.code !== undefined ? `${e.message} (JSON-RPC error ${e.code})` : e.message);
    }
    return new CliError('startFailed', e.message, tail);
  }
  return new CliError('serverError', errorMessage(e));
}

/** `MCP_HOST_INPUT_<ID>`: the id upper-cased, every character other than A-Z, 0-9 and _ as `_`. */
export function inputEnvName(id: string): string {
  return `MCP_HOST_INPUT_${id.toUpperCase().replace(/[^A-Z0-9_]/g, '_')}`;
}
