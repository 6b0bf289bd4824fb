/**
 * The steps before a server's transport is made: resolve its launch (variables, inputs), read its env file, ask the launch gate
 * (workspace servers), load the protocol library. Each says how it failed as the state to show and the error to
 * reject the start with; prepareLaunch runs them in order for the lifecycle (./lifecycle.ts), checking for a
 * superseding stop between the steps.
 */
import { isInputCancelledError } from '../config/inputs';
import { isWorkspaceDefined, type ResolvedLaunch, type ServerDefinition } from '../config/types';
import type { Logger } from '../base/logger';
import type { RemoteAuth } from '../transport/http/types';
import type { LaunchSpec } from '../transport/launch';
import { loadEnvFile } from '../transport/stdio/envFile';
import { ServerRequestError, errorMessage } from '../protocol/errors';
import { sdk } from '../protocol/loadSdk';
import type { ServerDeps } from './deps';
import { logSecretsOf } from './logSecrets';
import { describeState, errored, stopped, type ServerState, type StoppedReason } from './state';
import type { ServerTuning } from './tuning';

/** A step that failed: the state the server shows and the error its start rejects with. */
export interface StepFailure {
  readonly state: ServerState;
  readonly error: ServerRequestError;
}

/**
 * The steps before connecting, in order. `onResolved` gets the launch as soon as it is resolved (its secrets redact
 * what later steps report); a stop that superseded the start (`superseded()`, asked after every step that waits)
 * ends the sequence.
 */
export async function prepareLaunch(
  def: ServerDefinition,
  deps: ServerDeps,
  tuning: ServerTuning,
  log: Logger,
  superseded: () => boolean,
  onResolved: (launch: ResolvedLaunch) => void,
): Promise<{ readonly launch: ResolvedLaunch } | { readonly failure: StepFailure } | { readonly superseded: true }> {
  const resolved = await resolveForStart(def, deps, tuning);
  if (superseded()) return { superseded: true };
  if ('failure' in resolved) return resolved;
  onResolved(resolved.launch);
  const loaded = await loadEnvForStart(resolved.launch);
  if (superseded()) return { superseded: true };
  if ('failure' in loaded) return loaded;
  const denied = await approveForStart(def, loaded.launch, deps, log);
  if (superseded()) return { superseded: true };
  if (denied) return { failure: denied };
  const unloadable = loadProtocol(log);
  return unloadable ? { failure: unloadable } : loaded;
}

/** Expands the definition into what is launched; cancelled inputs stop the server, other failures are errors. */
async function resolveForStart(
  def: ServerDefinition,
  deps: ServerDeps,
  tuning: ServerTuning,
): Promise<{ readonly launch: ResolvedLaunch } | { readonly failure: StepFailure; readonly cause: unknown }> {
  try {
    const launch = await tuning.resolveLaunch(def, {
      userHome: deps.userHome,
      baseEnv: deps.baseEnv,
      workspaceFolders: deps.workspaceFolders(),
      inputs: deps.inputs,
      secrets: deps.secrets,
      memento: deps.memento,
    });
    return { launch };
  } catch (e) {
    if (isInputCancelledError(e)) return { failure: { state: stopped(), error: new ServerRequestError(e.message, 'cancelled') }, cause: e };
    const msg = `configuration: ${errorMessage(e)}`;
    return { failure: { state: errored(msg), error: new ServerRequestError(msg, 'notRunning') }, cause: e };
  }
}

/**
 * The env file is read once, here, before consent: the dialog shows and hashes these variables and the process
 * gets exactly them (the transport never reads the file again).
 */
async function loadEnvForStart(launch: ResolvedLaunch): Promise<{ readonly launch: ResolvedLaunch } | { readonly failure: StepFailure }> {
  try {
    return { launch: await loadEnvFile(launch) };
  } catch (e) {
    const msg = errorMessage(e);
    return { failure: { state: errored(msg), error: new ServerRequestError(msg, 'notRunning') } };
  }
}

/** A workspace-defined server runs only when the launch gate allows this exact launch. */
async function approveForStart(def: ServerDefinition, launch: ResolvedLaunch, deps: ServerDeps, log: Logger): Promise<StepFailure | undefined> {
  if (!isWorkspaceDefined(def.source)) return undefined;
  let denied: StoppedReason | undefined;
  try {
    denied = await deps.gate.approveLaunch(def, launch);
  } catch (e) {
    denied = 'needsConsent';
    log.warn(`trust check failed: ${errorMessage(e)}`);
  }
  return denied ? blocked(def, denied) : undefined;
}

/** The start of a server that cannot run now (`reason`). */
export function blocked(def: ServerDefinition, reason: StoppedReason): StepFailure {
  return { state: stopped(reason), error: new ServerRequestError(`${def.name} cannot start: ${describeState(stopped(reason))}`, 'notRunning') };
}

/**
 * The SDK loads on the first start (dist/vendor.js in the VSIX): a broken installation is an error shown on the
 * server, not a start that never ends.
 */
function loadProtocol(log: Logger): StepFailure | undefined {
  try {
    sdk();
    return undefined;
  } catch (e) {
    const msg = `the MCP client library could not be loaded (${errorMessage(e)}); reinstalling MCP Host may help`;
    log.error(msg);
    return { state: errored(msg), error: new ServerRequestError(msg, 'notRunning') };
  }
}

/** The launch description of a resolved launch: a local command (stdio) or a remote server (http, sse, ws). */
/** `auth`: the sign-in of a remote server's URL (src/core/auth through ./auth.ts), when the host offers sign-in. */
export function launchSpec(launch: ResolvedLaunch, deps: ServerDeps, tuning: ServerTuning, maxMessageBytes: number, logger: Logger, auth?: RemoteAuth): LaunchSpec {
  const remote = launch.remote;
  if (remote) {
    return {
      kind: remote.type,
      url: remote.url,
      headers: remote.headers,
      secrets: logSecretsOf(launch),
      maxMessageBytes,
      logger,
      network: { env: deps.baseEnv, ...deps.network },
      ...(tuning.reconnect ? { reconnect: tuning.reconnect } : {}),
      ...(auth ? { auth } : {}),
    };
  }
  return {
    kind: 'stdio',
    // The transport redacts with `secrets` (stderr, the orphan record): the literal credentials too.
    launch: { ...launch, secrets: logSecretsOf(launch) },
    baseEnv: deps.baseEnv,
    maxMessageBytes,
    logger,
    ...(tuning.stopGraceMs ? { stopGraceMs: tuning.stopGraceMs } : {}),
    ...(tuning.processRecorder ? { processRecorder: tuning.processRecorder } : {}),
  };
}
