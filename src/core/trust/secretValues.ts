/**
 * Is a value (not a name) a secret? For values the user typed into tool, prompt and template arguments, which
 * are remembered in plain workspace state: a token pasted into an innocent `query` field must not be kept.
 * Built on the literal-secret detector of configuration files (`looksLikeSecret`), plus the shapes that hide a
 * password inside a URL.
 */
import { looksLikeSecret } from './secrets';

/** `scheme://user:password@host`: a password in the user-info part of a URL. */
const URL_PASSWORD = /[a-z][a-z0-9+.-]{0,30}:\/\/[^\s/?#@:]{0,256}:[^\s/?#@]{1,256}@/i;

/** `?access_token=...`, `&api_key=...`, `&sig=...`: a query parameter whose name says it carries a secret. */
const SECRET_QUERY_PARAM = /[?&][a-z0-9_.-]{0,64}(?:token|secret|passw(?:or)?d|pwd|api[_-]?key|apikey|access[_-]?key|auth|credential|sig|signature)=[^&#\s]/i;

/** Longest value examined whole; a longer one counts as a secret (it is not worth remembering anyway). */
export const MAX_CHECKED_VALUE_LENGTH = 64 * 1024;

/**
 * true when a typed value looks like a secret whatever the field is called: a known token format (GitHub,
 * OpenAI, Slack, AWS, JWT, private key, ...), a long high-entropy word, a URL with a password
 * (`postgres://admin:pw@db`) or a URL query parameter named like a secret (`?access_token=`).
 */
export function looksLikeSecretValue(value: string): boolean {
  if (value.length > MAX_CHECKED_VALUE_LENGTH) return true;
  return URL_PASSWORD.test(value) || SECRET_QUERY_PARAM.test(value) || looksLikeSecret(value);
}

/**
 * true when a JSON Schema marks its value as secret: `writeOnly: true` or `format: "password"` (what pydantic's
 * `SecretStr` emits), also as one member of an `anyOf` / `oneOf` (an optional secret).
 */
export function isSecretSchema(schema: unknown): boolean {
  const marks = (s: unknown): boolean => typeof s === 'object' && s !== null && ((s as Record<string, unknown>)['writeOnly'] === true || (s as Record<string, unknown>)['format'] === 'password');
  if (marks(schema)) return true;
  if (typeof schema !== 'object' || schema === null) return false;
  const s = schema as Record<string, unknown>;
  // One level only: a bounded look, enough for `Optional[SecretStr]`.
  return [s['anyOf'], s['oneOf']].some((list) => Array.isArray(list) && list.slice(0, 32).some(marks));
}
