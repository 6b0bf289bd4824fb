/**
 * The one redaction mechanism: every surface that may show a password-sourced value (server log, command line,
 * stderr tail, error messages, orphan record, consent dialog) masks it through `maskSecrets`.
 *
 * - Whole units: every occurrence of a secret is found first, then each run of overlapping occurrences is
 *   replaced by one mask, so a secret containing another (or overlapping it) never leaks a remainder, whatever
 *   the order the secrets come in.
 * - Quoting: surfaces quote values (`JSON.stringify` for command lines, JSON-RPC traffic, Python's
 *   `\uXXXX`-escaped JSON), so the escaped forms of each secret are searched too.
 * - Short secrets (under 4 characters) are masked where they stand alone (not touching a letter or digit):
 *   masking every `x` inside other words would garble the text and reveal the password by its absence.
 */

/** Shown instead of a secret value. */
export const SECRET_MASK = '••••••';

/** Secrets at least this long are masked anywhere; shorter ones only where they stand alone. */
const STANDALONE_BELOW = 4;

/** A secret to mask, optionally with a label saying where it came from (e.g. `input:apiKey`). */
export interface SecretValue {
  readonly value: string;
  readonly label?: string;
}

/** Ways a surface may have written the secret: as is, JSON-escaped, and JSON-escaped with \uXXXX for non-ASCII. */
function writtenForms(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  const ascii = (upper: boolean) =>
    json.replace(/[^\x20-\x7e]/g, (ch) => {
      const hex = (ch.charCodeAt(0) ?? 0).toString(16).padStart(4, '0');
      return `\\u${upper ? hex.toUpperCase() : hex}`;
    });
  return [...new Set([secret, json, ascii(false), ascii(true)])];
}

const WORD = /[\p{L}\p{N}]/u;

function standsAlone(text: string, start: number, end: number): boolean {
  return !WORD.test(text.charAt(start - 1)) && !WORD.test(text.charAt(end));
}

interface Span {
  start: number;
  end: number;
  labels: string[];
}

/** Where the secrets occur in `text`, overlapping occurrences merged into one span (with every label). */
export function secretSpans(text: string, secrets: readonly SecretValue[]): Span[] {
  const found: Span[] = [];
  for (const s of secrets) {
    if (s.value.length === 0) continue;
    const short = s.value.length < STANDALONE_BELOW;
    for (const form of writtenForms(s.value)) {
      for (let i = text.indexOf(form); i !== -1; i = text.indexOf(form, i + 1)) {
        if (short && !standsAlone(text, i, i + form.length)) continue;
        found.push({ start: i, end: i + form.length, labels: s.label !== undefined ? [s.label] : [] });
      }
    }
  }
  found.sort((a, b) => a.start - b.start || b.end - a.end);
  const merged: Span[] = [];
  for (const f of found) {
    const last = merged[merged.length - 1];
    if (last && f.start < last.end) {
      last.end = Math.max(last.end, f.end);
      for (const l of f.labels) if (!last.labels.includes(l)) last.labels.push(l);
    } else merged.push({ ...f, labels: [...f.labels] });
  }
  return merged;
}

/**
 * `text` with every secret masked as a whole unit. `mask` writes the replacement of one span from the labels of
 * the secrets in it (default: `••••••`).
 */
export function maskSecrets(text: string, secrets: readonly SecretValue[], mask: (labels: readonly string[]) => string = () => SECRET_MASK): string {
  if (secrets.length === 0 || text.length === 0) return text;
  const spans = secretSpans(text, secrets);
  if (spans.length === 0) return text;
  let out = '';
  let at = 0;
  for (const s of spans) {
    out += text.slice(at, s.start) + mask(s.labels);
    at = s.end;
  }
  return out + text.slice(at);
}

/** Query parameter names that carry a credential (`api_key`, `apiKey`, `access_token`, `sig`, `password`, ...). */
const CREDENTIAL_PARAM = /(?:^|[_.-])(?:api[_-]?key|key|token|secret|password|passwd|pwd|auth|authorization|sig|signature|credentials?|session|code)$|^(?:[a-z]+)?(?:key|token|secret|password)$/i;
/** Query parameters looked at; a longer query is not searched further. */
const MAX_QUERY_PARAMS = 100;

/** Whether a query parameter's name says it carries a credential (`api_key`, `accessToken`, `sig`, ...). */
export function isCredentialParam(name: string): boolean {
  return CREDENTIAL_PARAM.test(name);
}

/** A query part percent-decoded (`+` as a space), or as it is when it is not valid percent-encoding. */
export function decodedPart(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}

/**
 * `url` with the value of each query parameter that carries a credential replaced by `mask(value as written)`: a
 * parameter named like one, or one `alsoSecret(decoded value, decoded name)` says is. String surgery (URL() would
 * re-encode the rest); the first MAX_QUERY_PARAMS parameters are looked at.
 */
export function maskUrlQuery(url: string, mask: (value: string) => string, alsoSecret?: (value: string, name: string) => boolean): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const hash = url.indexOf('#', q);
  const end = hash < 0 ? url.length : hash;
  const shown = url
    .slice(q + 1, end)
    .split('&')
    .map((pair, i) => {
      const eq = pair.indexOf('=');
      if (i >= MAX_QUERY_PARAMS || eq < 0 || eq === pair.length - 1) return pair;
      const name = decodedPart(pair.slice(0, eq));
      const value = pair.slice(eq + 1);
      return isCredentialParam(name) || alsoSecret?.(decodedPart(value), name) ? `${pair.slice(0, eq + 1)}${mask(value)}` : pair;
    });
  return `${url.slice(0, q + 1)}${shown.join('&')}${url.slice(end)}`;
}

/**
 * The values of a URL's query parameters named like credentials (`?api_key=...`, as many hosted servers take
 * their key): masked with the launch's password values in every log line, fact and error, as a `user:password@`
 * is. Empty for anything that is not a URL with such a parameter.
 */
export function urlQuerySecrets(url: string | undefined): string[] {
  if (url === undefined) return [];
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return [];
  }
  const out = new Set<string>();
  let n = 0;
  for (const [name, value] of u.searchParams) {
    if (++n > MAX_QUERY_PARAMS) break;
    if (value === '' || !isCredentialParam(name)) continue;
    out.add(value);
    // As written in the URL (percent-encoded), which is how the URL itself appears in a log line.
    const raw = encodeURIComponent(value);
    if (raw !== value) out.add(raw);
  }
  return [...out];
}

/** The passwords of every `scheme://user:password@` in `text` (connection URLs in arguments and variables). */
export function urlUserinfoPasswords(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\b[a-z][a-z0-9+.-]*:\/\/[^/?#@:\s]*:([^/?#@\s]+)@/gi)) {
    if (out.length >= MAX_QUERY_PARAMS) break;
    const pw = m[1] ?? '';
    if (pw !== '' && !pw.startsWith(SECRET_MASK)) out.push(pw, decodedPart(pw));
  }
  return out;
}

/** The values given to credential flags in an argument list: `--password=VALUE`, `--api-key VALUE`. */
export function credentialArgValues(args: readonly string[]): string[] {
  const out: string[] = [];
  args.forEach((a, i) => {
    const flag = /^--?([a-z][\w.-]*)=(.+)$/is.exec(a);
    if (flag && isCredentialParam(flag[1] ?? '')) out.push(flag[2] ?? '');
    const before = i > 0 ? /^--?([a-z][\w.-]*)$/i.exec(args[i - 1] ?? '') : null;
    if (before && isCredentialParam(before[1] ?? '') && a !== '' && !a.startsWith('-')) out.push(a);
  });
  return out;
}

/** A URL as shown to people: the password of `user:password@` and every credential in the query masked. */
export function shownUrl(url: string): string {
  // String surgery: URL() would percent-encode the mask.
  return maskUrlQuery(url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/?#@:]*):([^/?#@]+)@/i, `$1:${SECRET_MASK}@`), () => SECRET_MASK);
}
