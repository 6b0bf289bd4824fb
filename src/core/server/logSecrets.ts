/**
 * What a server's log, command line, state and facts must never show: the launch's password-input values, and the
 * credentials written literally into it that MCP Host can recognise (a connection URL's password, a variable named
 * like a credential, a credential flag's value, a key in a remote URL's query). Only masks what is shown: the
 * fingerprint and the launch itself are unchanged.
 */
import { credentialArgValues, isCredentialParam, urlQuerySecrets, urlUserinfoPasswords } from '../base/redact';
import type { ResolvedLaunch } from '../config/types';

/** Recognised literal credentials shorter than this are left alone: masking every "test" or "1234" in the log would garble it. */
const MIN_LITERAL = 6;

/** The values to redact for `launch` (see the file comment). */
export function logSecretsOf(launch: ResolvedLaunch): readonly string[] {
  const found: string[] = [...urlQuerySecrets(launch.remote?.url), ...credentialArgValues(launch.args)];
  for (const text of [launch.command, launch.remote?.url ?? '', ...launch.args]) found.push(...urlUserinfoPasswords(text));
  for (const [name, value] of Object.entries(launch.env)) {
    if (value === null) continue;
    if (isCredentialParam(name)) found.push(value);
    found.push(...urlUserinfoPasswords(value));
  }
  const literal = found.filter((v) => v.length >= MIN_LITERAL && !launch.secrets.includes(v));
  return literal.length ? [...launch.secrets, ...new Set(literal)] : launch.secrets;
}
