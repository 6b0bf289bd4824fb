/**
 * `WWW-Authenticate` parsing (RFC 9110 §11.6.1, RFC 6750 §3, RFC 9728 §5.1). The header is written by the server,
 * so everything here is bounded: the text read, the number of challenges and parameters, each value's length,
 * and the scopes kept.
 */

/** Header text beyond this is ignored (a parameter cut in half is dropped, not guessed at). */
export const MAX_HEADER_CHARS = 8192;
const MAX_CHALLENGES = 16;
const MAX_PARAMS = 32;
const MAX_VALUE_CHARS = 2048;
/** Scopes kept from one challenge (RFC 6749 scope tokens). */
export const MAX_SCOPES = 64;
const MAX_SCOPE_CHARS = 256;

/** One challenge: its scheme (lower case) and its auth-params (names lower case; the first of a repeated name wins). */
export interface AuthChallenge {
  readonly scheme: string;
  readonly params: ReadonlyMap<string, string>;
  readonly token68?: string;
}

const TCHAR = /[!#$%&'*+.^_`|~0-9A-Za-z-]/;
const TOKEN68_CHAR = /[A-Za-z0-9\-._~+/]/;

/** Every challenge in `header`, within the bounds above. Malformed text ends the parse; what came before stays. */
export function parseChallenges(header: string): AuthChallenge[] {
  const text = header.length > MAX_HEADER_CHARS ? header.slice(0, MAX_HEADER_CHARS) : header;
  const out: { scheme: string; params: Map<string, string>; token68?: string }[] = [];
  let i = 0;
  const skip = (re: RegExp) => {
    while (i < text.length && re.test(text.charAt(i))) i++;
  };
  const token = (re = TCHAR) => {
    const start = i;
    while (i < text.length && re.test(text.charAt(i))) i++;
    return text.slice(start, i);
  };
  while (i < text.length) {
    skip(/[\s,]/);
    if (i >= text.length) break;
    const name = token();
    if (name === '') break; // not a token: malformed, stop here
    const afterName = i;
    skip(/[ \t]/);
    const current = out[out.length - 1];
    if (text.charAt(i) === '=' && current !== undefined) {
      i++;
      skip(/[ \t]/);
      const value = readValue();
      if (value === undefined) break;
      if (current.params.size < MAX_PARAMS && value.length <= MAX_VALUE_CHARS && !current.params.has(name.toLowerCase())) {
        current.params.set(name.toLowerCase(), value);
      }
      continue;
    }
    // A new challenge: `scheme [token68 | auth-params]`.
    if (out.length >= MAX_CHALLENGES) break;
    out.push({ scheme: name.toLowerCase(), params: new Map() });
    i = afterName;
    skip(/[ \t]/);
    const t68Start = i;
    const t68 = token(TOKEN68_CHAR);
    if (t68 !== '') {
      skip(/=/);
      const end = i;
      skip(/[ \t]/);
      if (i >= text.length || text.charAt(i) === ',') {
        const last = out[out.length - 1];
        if (last && end - t68Start <= MAX_VALUE_CHARS) last.token68 = text.slice(t68Start, end);
        continue;
      }
      i = t68Start; // it was the first auth-param's name
    }
  }
  return out;

  function readValue(): string | undefined {
    if (text.charAt(i) !== '"') {
      // RFC 9110 allows only a token here, but servers write URLs and `files:read` unquoted: read to the next
      // comma or space.
      const v = token(/[^\s,"]/);
      return v === '' ? undefined : v;
    }
    i++;
    let v = '';
    while (i < text.length) {
      const ch = text.charAt(i++);
      if (ch === '"') return v;
      if (ch === '\\' && i < text.length) v += text.charAt(i++);
      else v += ch;
      if (v.length > MAX_VALUE_CHARS + 1) {
        // Too long to keep: skip to the closing quote so the parse can go on, and drop the value.
        while (i < text.length && text.charAt(i) !== '"') i += text.charAt(i) === '\\' ? 2 : 1;
        i++;
        return 'x'.repeat(MAX_VALUE_CHARS + 1);
      }
    }
    return undefined; // unterminated quoted-string
  }
}

/** What a `Bearer` challenge tells a client (RFC 6750 §3, RFC 9728 §5.1). */
export interface BearerChallenge {
  /** RFC 9728 `resource_metadata`: where the Protected Resource Metadata is (still untrusted: checked before use). */
  readonly resourceMetadata?: string;
  /** Scopes the resource asks for (split, deduplicated, at most MAX_SCOPES valid scope tokens). */
  readonly scopes?: readonly string[];
  /** `invalid_request`, `invalid_token`, `insufficient_scope`, or whatever else the server wrote. */
  readonly error?: string;
}

/** The first `Bearer` challenge of a header (or of several header values joined), if any. */
export function parseBearerChallenge(header: string | null | undefined): BearerChallenge | undefined {
  if (!header) return undefined;
  const bearer = parseChallenges(header).find((c) => c.scheme === 'bearer');
  if (!bearer) return undefined;
  const scope = bearer.params.get('scope');
  const scopes = scope !== undefined ? splitScopes(scope) : undefined;
  return {
    ...(bearer.params.has('resource_metadata') ? { resourceMetadata: bearer.params.get('resource_metadata') } : {}),
    ...(scopes && scopes.length > 0 ? { scopes } : {}),
    ...(bearer.params.has('error') ? { error: bearer.params.get('error') } : {}),
  };
}

const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

/** A space-separated scope string as a list of valid, distinct scope tokens (bounded). */
export function splitScopes(scope: string): string[] {
  const out: string[] = [];
  for (const s of scope.slice(0, MAX_SCOPES * (MAX_SCOPE_CHARS + 1)).split(/[ ]+/)) {
    if (out.length >= MAX_SCOPES) break;
    if (s.length > 0 && s.length <= MAX_SCOPE_CHARS && SCOPE_TOKEN.test(s) && !out.includes(s)) out.push(s);
  }
  return out;
}

/** The union of scope lists, in first-seen order (bounded like one list). */
export function unionScopes(...lists: (readonly string[] | undefined)[]): string[] {
  const out: string[] = [];
  for (const l of lists) for (const s of l ?? []) if (!out.includes(s) && out.length < MAX_SCOPES) out.push(s);
  return out;
}
