/**
 * The `oauth` field of a remote server's definition: the client MCP Host signs in as, when the authorization
 * server needs one the user registered (`{ "clientId": "...", "clientSecret": "${input:secret}" }`). A client
 * secret is a credential: it must come from a password input (kept in SecretStorage), never be written in a file.
 */
import { describeKind, objectProps, type JNode, type JsonPath, type Loc, type ProblemSink } from './jsonc';

/** `oauth` as written (variables not expanded). */
export interface OAuthClientEntry {
  readonly clientId: string;
  readonly clientSecret?: string;
}

/** A `${input:id}` and nothing else: the only form a client secret may take. */
const INPUT_ONLY = /^\$\{input:[^}\s]+\}$/;

/** True when `value` is exactly one `${input:...}` reference. */
export function isInputReference(value: string): boolean {
  return INPUT_ONLY.test(value);
}

/** Parses and checks `oauth`; reports problems to `sink` and returns what is usable. */
export function validateOAuthEntry(node: JNode, sink: ProblemSink, path: JsonPath, name: string): OAuthClientEntry | undefined {
  const err = (at: JsonPath, message: string, loc: Loc | undefined, code = 'wrong-type') => sink.add('error', at, message, loc, name, code);
  if (node.kind !== 'object') {
    err(path, `"oauth" of server "${name}" must be an object like { "clientId": "..." }, not ${describeKind(node)}.`, node.loc);
    return undefined;
  }
  const props = new Map(objectProps(node, sink, path, name).map((p) => [p.key, p]));
  for (const p of props.values()) {
    if (p.key !== 'clientId' && p.key !== 'clientSecret') sink.add('warning', [...path, p.key], `Unknown property "${p.key}" in "oauth" of server "${name}" (it is ignored).`, p.keyLoc, name, 'unknown-key');
  }
  const id = props.get('clientId')?.value;
  if (!id || id.kind !== 'string' || !id.value.trim()) {
    err([...path, 'clientId'], `"oauth.clientId" of server "${name}" must be the client id registered at the authorization server (a non-empty string).`, id?.loc ?? node.loc);
    return undefined;
  }
  const secret = props.get('clientSecret')?.value;
  if (!secret) return { clientId: id.value };
  if (secret.kind !== 'string' || !isInputReference(secret.value)) {
    err(
      [...path, 'clientSecret'],
      `"oauth.clientSecret" of server "${name}" must be a password input such as "\${input:clientSecret}" (declared in "inputs" with "password": true), never the secret itself.`,
      secret.loc,
      'literal-secret',
    );
    return undefined;
  }
  return { clientId: id.value, clientSecret: secret.value };
}
