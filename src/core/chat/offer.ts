/**
 * Which of MCP Host's servers are offered to the editor's own chat (VS Code's MCP server definition provider API,
 * adapter in src/vscode/chat), and how each maps to the definition the editor runs. No editor here.
 *
 * Decisions (documented for users in the README, "VS Code chat"):
 * - Offered: only what MCP Host would itself run now, in a trusted workspace: not disabled, not blocked, not in an
 *   error state, every `${input:…}` already remembered (the offer never asks), and for a workspace server the exact
 *   launch the user approved in the launch gate (the same fingerprint). A restricted workspace offers nothing: the
 *   chat reads that workspace's files, so its text would steer the user's own servers' tools.
 * - Stdio: the resolved launch (the program found on PATH as MCP Host would spawn it, args, cwd, env, the env file's
 *   variables), so the editor runs exactly what the user approved.
 * - Two shapes: `offered` has no secret (password-input values, token-like values and the env file's variables are
 *   masked or left out) and is what `provideMcpServerDefinitions` returns; `resolved` has them and is returned only by
 *   `resolveMcpServerDefinition`, right before the editor starts the server.
 * - Remote servers are offered with their configured headers (secrets only at resolve) but never with MCP Host's
 *   OAuth tokens: the editor signs in itself (see the README for why). WebSocket servers are not offered (the
 *   editor has no WebSocket transport).
 */
import type { ResolvedLaunch, SecretStore, ServerDefinition } from '../config/types';
import { isInputCancelledError } from '../config/inputs';
import { resolveLaunch, type ResolveContext } from '../config/resolve';
import { createHmac } from 'node:crypto';
import { fingerprintKey } from '../trust/passwords';
import { isWorkspaceDefined } from '../config/types';
import { sanitizeLabel } from '../base/sanitize';
import type { ServerState, StoppedReason } from '../server/state';
import { loadEnvFile } from '../transport/stdio/envFile';
import { buildServerEnvironment } from '../transport/stdio/environment';
import { resolveCommandOnPath } from '../transport/stdio/spawnErrors';
import { envFileSnapshot, launchFingerprint } from '../trust/launch';
import { mapToChatDefinitions, type ChatServerDefinition } from './mapping';

export type { ChatServerDefinition } from './mapping';

/** Why a server is not offered (for the log; never shown with server text). */
export type NotOfferedReason =
  | 'workspaceRestricted' // the workspace is not trusted: nothing is offered
  | 'disabled' // `disabled: true`
  | 'blocked' // the launch gate blocks it now (denied, needs trust) or it is stopped for a reason
  | 'failed' // in an error state (crashed, gave up, configuration error)
  | 'notApproved' // a workspace server whose current launch the user has not approved
  | 'needsInput' // an `${input:…}` value is not remembered yet (start it once in MCP Host)
  | 'unsupportedTransport' // WebSocket: the editor cannot run it
  | 'commandNotFound' // the program is not on PATH (MCP Host could not start it either)
  | 'unresolvable' // the definition cannot be expanded (a variable without a value, ...)
  | 'sameLabel'; // another offered server has the same label (the editor tells servers apart by label)

/** One server to decide on: its definition and its state now. */
export interface ChatCandidate {
  readonly definition: ServerDefinition;
  readonly state: ServerState;
}

/** What the decision needs from the host (the adapter passes the launch gate, the resolver and the store). */
export interface ChatOfferDeps {
  readonly isWorkspaceTrusted: () => boolean;
  readonly gate: {
    blockedReason(def: ServerDefinition): StoppedReason | undefined;
    /** The exact launch approved (no dialog); true for user servers. */
    isLaunchApproved(def: ServerDefinition, launch: ResolvedLaunch): Promise<boolean>;
  };
  /** Expands the definition without asking anything: remembered inputs only (InputCancelledError otherwise). */
  readonly resolveLaunch: (def: ServerDefinition) => Promise<ResolvedLaunch>;
  /** The editor's environment: where the program is looked up (PATH), as MCP Host's own spawn does. */
  readonly baseEnv: NodeJS.ProcessEnv;
  /** The fingerprint key of launches with password values (the version of such a definition); never leaves. */
  readonly fingerprintKey: () => Promise<string>;
}

/** A server offered: the definition without secrets and the one with them. */
export interface ChatOffer {
  readonly serverId: string;
  readonly offered: ChatServerDefinition;
  readonly resolved: ChatServerDefinition;
  /** Values to keep out of every log line (password values, env file values, masked tokens). */
  readonly secrets: readonly string[];
}

export type ChatDecision = { readonly ok: true; readonly offer: ChatOffer } | { readonly ok: false; readonly reason: NotOfferedReason };

/** The state alone says no (before anything is resolved). */
function stateReason(def: ServerDefinition, state: ServerState): NotOfferedReason | undefined {
  if (def.entry.disabled) return 'disabled';
  if (def.configError !== undefined) return 'failed';
  if (state.kind === 'error') return 'failed';
  // A remote server waiting for MCP Host's sign-in is still offered: the editor signs in itself.
  if (state.kind === 'stopped' && state.reason !== undefined && state.reason !== 'needsSignIn') return state.reason === 'disabled' ? 'disabled' : 'blocked';
  if (def.entry.type === 'ws') return 'unsupportedTransport';
  return undefined;
}

/** Decides on one server; resolves its launch (no prompts) only when nothing cheaper said no. */
export async function decideChatOffer(c: ChatCandidate, deps: ChatOfferDeps): Promise<ChatDecision> {
  const def = c.definition;
  const no = (reason: NotOfferedReason): ChatDecision => ({ ok: false, reason });
  if (!deps.isWorkspaceTrusted()) return no('workspaceRestricted');
  const early = stateReason(def, c.state);
  if (early) return no(early);
  if (deps.gate.blockedReason(def) !== undefined) return no('blocked');
  let launch: ResolvedLaunch;
  try {
    launch = await loadEnvFile(await deps.resolveLaunch(def));
  } catch (e) {
    return no(isInputCancelledError(e) ? 'needsInput' : 'unresolvable');
  }
  if (isWorkspaceDefined(def.source) && !(await deps.gate.isLaunchApproved(def, launch))) return no('notApproved');
  let program = launch.command;
  if (!launch.remote) {
    const found = resolveCommandOnPath(launch.command, launch.cwd, buildServerEnvironment(deps.baseEnv, launch.envFileVariables, launch.env));
    if (!found.path) return no('commandNotFound');
    program = found.path;
  }
  // Always keyed: a launch may hold literal credentials (not password inputs), and an unkeyed hash handed to
  // another component could be checked against guesses offline. The key never leaves SecretStorage.
  const key = await deps.fingerprintKey();
  const version = createHmac('sha256', key).update(launchFingerprint(launch, envFileSnapshot(launch), key)).digest('hex').slice(0, 16);
  const mapped = mapToChatDefinitions(sanitizeLabel(def.name, 80), { ...launch, command: program }, version);
  return { ok: true, offer: { serverId: def.id, ...mapped } };
}

/** The servers to offer, in the registry's order, and why each other one is not (by server id). */
export async function decideChatOffers(
  candidates: readonly ChatCandidate[],
  deps: ChatOfferDeps,
): Promise<{ readonly offers: readonly ChatOffer[]; readonly skipped: ReadonlyMap<string, NotOfferedReason> }> {
  const offers: ChatOffer[] = [];
  const skipped = new Map<string, NotOfferedReason>();
  const labels = new Set<string>();
  for (const c of candidates) {
    const d = await decideChatOffer(c, deps);
    if (!d.ok) skipped.set(c.definition.id, d.reason);
    // The editor finds the server to start by its label: two servers whose names sanitise alike keep the first.
    else if (labels.has(d.offer.offered.label)) skipped.set(c.definition.id, 'sameLabel');
    else {
      labels.add(d.offer.offered.label);
      offers.push(d.offer);
    }
  }
  return { offers, skipped };
}

/** What `chatOfferResolver` needs: MCP Host's own resolve context, without the prompter (the offer never asks). */
export type QuietResolveContext = Omit<ResolveContext, 'inputs' | 'workspaceFolders'> & { readonly workspaceFolders: () => ResolveContext['workspaceFolders'] };

/**
 * The launch resolver and fingerprint key of the offer: the same expansion as MCP Host's start, with remembered
 * inputs only (an input never given is an InputCancelledError: the server is not offered until it was started once).
 */
export function chatOfferResolver(ctx: QuietResolveContext): Pick<ChatOfferDeps, 'resolveLaunch' | 'fingerprintKey' | 'baseEnv'> {
  const secrets: SecretStore = ctx.secrets;
  return {
    baseEnv: ctx.baseEnv,
    resolveLaunch: (def) => resolveLaunch(def, { ...ctx, workspaceFolders: ctx.workspaceFolders(), inputs: { prompt: () => Promise.resolve(undefined) } }),
    fingerprintKey: () => fingerprintKey(secrets),
  };
}
