/**
 * A resolved launch as the editor's MCP server definition: the full one (secrets in it, handed over only when the
 * editor starts the server) and the offered one (every secret masked or left out, listed by the editor at will).
 */
import type { ResolvedLaunch } from '../config/types';
import { SECRET_MASK, decodedPart, maskUrlQuery } from '../base/redact';
import { redact } from '../base/logger';
import { logSecretsOf } from '../server/logSecrets';
import { maskPasswords } from '../trust/passwords';
import { looksLikeSecret } from '../trust/secrets';

/** The editor's two kinds of definition, without the editor's classes (the adapter builds those). */
export type ChatServerDefinition =
  | {
      readonly kind: 'stdio';
      readonly label: string;
      /** The program as MCP Host would spawn it (found on PATH, absolute). */
      readonly command: string;
      readonly args: readonly string[];
      readonly cwd: string;
      /** Added to the editor's environment; null unsets a variable. */
      readonly env: Readonly<Record<string, string | null>>;
      readonly version: string;
    }
  | {
      readonly kind: 'http';
      readonly label: string;
      readonly uri: string;
      readonly headers: Readonly<Record<string, string>>;
      readonly version: string;
    };

/** Headers that carry credentials whatever their value looks like. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie']);

/** Does this value hold a secret: a password-input value, or something that looks like a token? */
function isSecret(value: string, launch: ResolvedLaunch, name?: string): boolean {
  return maskPasswords(value, launch) !== value || looksLikeSecret(value, name);
}

/** `value` with its secret parts masked (password values by input), or the mask alone for a token-like value. */
function hide(value: string, launch: ResolvedLaunch, name?: string): string {
  const masked = maskPasswords(value, launch);
  if (masked !== value) return masked;
  return looksLikeSecret(value, name) ? SECRET_MASK : value;
}

/**
 * A URL's `user:password@` password and every query value that carries a credential (named like one, or looking
 * like a token: `?api_key=...`, as many hosted servers take their key) masked; the values hidden go to `secrets`.
 */
function hideUrl(url: string, launch: ResolvedLaunch, secrets: Set<string>): string {
  const masked = maskPasswords(url, launch).replace(/^([a-z][a-z0-9+.-]*:\/\/[^/?#@:]*):([^/?#@]+)@/i, (_m, head: string) => `${head}:${SECRET_MASK}@`);
  return maskUrlQuery(
    masked,
    (value) => {
      secrets.add(value);
      secrets.add(decodedPart(value));
      return SECRET_MASK;
    },
    (value, name) => looksLikeSecret(value, name),
  );
}

/**
 * The definitions of a resolved launch (`launch.command` already the program to run). The env file's variables go
 * only into `resolved` (a file of variables is where people keep tokens); `secrets` lists every value hidden from
 * `offered`, for the log's redaction.
 */
export function mapToChatDefinitions(
  label: string,
  launch: ResolvedLaunch,
  version: string,
): { readonly offered: ChatServerDefinition; readonly resolved: ChatServerDefinition; readonly secrets: readonly string[] } {
  const secrets = new Set<string>(launch.secrets.filter((s) => s.length > 0));
  const remote = launch.remote;
  if (remote) {
    const headers: Record<string, string> = {};
    const shown: Record<string, string> = {};
    for (const [k, v] of Object.entries(remote.headers)) {
      headers[k] = v;
      if (!CREDENTIAL_HEADERS.has(k.toLowerCase()) && !isSecret(v, launch, k)) {
        shown[k] = v;
        continue;
      }
      secrets.add(v);
      const masked = hide(v, launch, k);
      // A credential header is masked whole when no part of it came from a password input (`Bearer ••••••`).
      shown[k] = masked === v ? SECRET_MASK : masked;
    }
    // ws never gets here (not offered); sse is served by the editor's HTTP client, which falls back to SSE itself.
    return {
      offered: { kind: 'http', label, uri: hideUrl(remote.url, launch, secrets), headers: shown, version },
      resolved: { kind: 'http', label, uri: remote.url, headers, version },
      secrets: [...secrets],
    };
  }
  const env: Record<string, string | null> = { ...(launch.envFileVariables ?? {}) };
  for (const v of Object.values(launch.envFileVariables ?? {})) if (v.length > 0) secrets.add(v);
  // Credentials written literally that MCP Host recognises (the same list its own log masks).
  const literal = logSecretsOf(launch).filter((v) => !launch.secrets.includes(v));
  for (const v of literal) secrets.add(v);
  const hideLiteral = (text: string): string => (literal.length ? redact(text, literal) : text);
  const shownEnv: Record<string, string | null> = {};
  for (const [k, v] of Object.entries(launch.env)) {
    env[k] = v;
    if (v === null) {
      shownEnv[k] = null;
      continue;
    }
    if (isSecret(v, launch, k)) secrets.add(v);
    shownEnv[k] = hideLiteral(hide(v, launch, k));
  }
  const args = launch.args.map((a) => {
    if (isSecret(a, launch)) secrets.add(a);
    return hideLiteral(hide(a, launch));
  });
  return {
    offered: { kind: 'stdio', label, command: maskPasswords(launch.command, launch), args, cwd: maskPasswords(launch.cwd, launch), env: shownEnv, version },
    resolved: { kind: 'stdio', label, command: launch.command, args: [...launch.args], cwd: launch.cwd, env, version },
    secrets: [...secrets],
  };
}
