/**
 * Finds secrets written in plain text in MCP configuration files (tokens in `env`, `headers` or arguments),
 * so the adapter can warn and offer to move them into a password input.
 */
import { applyEdits, findNodeAtLocation, modify, parseTree, type Node as JsonNode } from 'jsonc-parser';

interface KnownToken {
  readonly label: string;
  readonly pattern: RegExp;
}

// Not preceded by a token character, so `task-...` does not match `sk-`.
const B = '(?<![A-Za-z0-9_\\-])';

/** Token formats that are secrets whatever their surroundings. Order matters: specific before generic. */
const KNOWN_TOKENS: readonly KnownToken[] = [
  { label: 'GitHub token', pattern: new RegExp(`${B}(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}`, 'g') },
  { label: 'GitHub token', pattern: new RegExp(`${B}github_pat_[A-Za-z0-9_]{20,}`, 'g') },
  { label: 'Anthropic API key', pattern: new RegExp(`${B}sk-ant-[A-Za-z0-9_\\-]{20,}`, 'g') },
  { label: 'Stripe key', pattern: new RegExp(`${B}(?:sk|rk)_(?:live|test)_[A-Za-z0-9]{16,}`, 'g') },
  { label: 'OpenAI-style API key', pattern: new RegExp(`${B}sk-[A-Za-z0-9_\\-]{20,}`, 'g') },
  { label: 'Slack token', pattern: new RegExp(`${B}xox[abposr]-[A-Za-z0-9\\-]{10,}`, 'g') },
  { label: 'AWS access key id', pattern: new RegExp(`${B}(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Za-z0-9])`, 'g') },
  { label: 'Google API key', pattern: new RegExp(`${B}AIza[0-9A-Za-z_\\-]{35}`, 'g') },
  { label: 'GitLab token', pattern: new RegExp(`${B}(?:glpat|gldt|glptt|glrt)-[A-Za-z0-9_\\-]{20,}`, 'g') },
  { label: 'npm token', pattern: new RegExp(`${B}npm_[A-Za-z0-9]{36}`, 'g') },
  { label: 'Hugging Face token', pattern: new RegExp(`${B}hf_[A-Za-z0-9]{30,}`, 'g') },
  { label: 'Groq API key', pattern: new RegExp(`${B}gsk_[A-Za-z0-9]{40,}`, 'g') },
  { label: 'Perplexity API key', pattern: new RegExp(`${B}pplx-[A-Za-z0-9]{40,}`, 'g') },
  { label: 'xAI API key', pattern: new RegExp(`${B}xai-[A-Za-z0-9]{40,}`, 'g') },
  { label: 'Replicate token', pattern: new RegExp(`${B}r8_[A-Za-z0-9]{30,}`, 'g') },
  { label: 'Linear API key', pattern: new RegExp(`${B}lin_api_[A-Za-z0-9]{30,}`, 'g') },
  { label: 'Notion token', pattern: new RegExp(`${B}(?:secret_|ntn_)[A-Za-z0-9]{40,}`, 'g') },
  { label: 'DigitalOcean token', pattern: new RegExp(`${B}do[pro]_v1_[a-f0-9]{64}`, 'g') },
  { label: 'Shopify token', pattern: new RegExp(`${B}shp(?:at|ca|pa|ss)_[a-fA-F0-9]{32}`, 'g') },
  { label: 'JSON Web Token', pattern: new RegExp(`${B}eyJ[A-Za-z0-9_\\-]{10,}\\.[A-Za-z0-9_\\-]{10,}\\.[A-Za-z0-9_\\-]{10,}`, 'g') },
  { label: 'private key', pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/g },
];

/** Env/header names that say "this is a secret". */
const SECRET_NAME = /(TOKEN|SECRET|PASSWORD|PASSWD|PASSPHRASE|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIAL|AUTH|(^|_)PAT($|_)|COOKIE|SESSION)/i;

/** Shannon entropy in bits per character. */
export function shannonEntropy(text: string): number {
  if (text.length === 0) return 0;
  const counts = new Map<string, number>();
  for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
  let h = 0;
  const n = [...text].length;
  for (const c of counts.values()) {
    const p = c / n;
    h -= p * Math.log2(p);
  }
  return h;
}

/** Minimum length and entropy for an anonymous string to count as a token. */
export const HIGH_ENTROPY_MIN_LENGTH = 24;
export const HIGH_ENTROPY_MIN_BITS = 3.5;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A run that could be a random token: letters, digits and base64/url-safe punctuation, no spaces. */
function isHighEntropyToken(word: string, minBits = HIGH_ENTROPY_MIN_BITS, minLength = HIGH_ENTROPY_MIN_LENGTH): boolean {
  if (word.length < minLength) return false;
  if (!/^[A-Za-z0-9+/=_\-.~]+$/.test(word)) return false;
  if (UUID.test(word)) return false;
  // Paths, package names, host names and versions are not tokens.
  if (/^[./~]/.test(word) || (word.match(/\//g) ?? []).length > 1 || /\.(js|mjs|cjs|ts|py|json|exe|sh|com|org|io|dev)$/i.test(word)) return false;
  if (!/[0-9]/.test(word) || !/[A-Za-z]/.test(word)) return false;
  // Identifiers and versions (`mcp-server-everything-1.2.3`, `my_db_v2`): separated words of one kind each.
  const parts = word.split(/[-_.]/);
  if (parts.length >= 3 && parts.every((p) => /^(?:[a-z]*|[A-Z]*|[A-Z]?[a-z]+|\d+)$/.test(p))) return false;
  return shannonEntropy(word) >= minBits;
}

/** Spans of `${...}` references in a string. */
function referenceSpans(text: string): [number, number][] {
  const spans: [number, number][] = [];
  const re = /\$\{[^}]*\}/g;
  for (let m = re.exec(text); m; m = re.exec(text)) spans.push([m.index, m.index + m[0].length]);
  return spans;
}

export interface SecretMatch {
  /** Start and end (exclusive) of the secret inside the string value. */
  readonly start: number;
  readonly end: number;
  /** What it looks like, e.g. `GitHub token`, or `high-entropy string`. */
  readonly label: string;
}

/**
 * Secrets inside one string value: known token formats anywhere, and (for env/header values) long
 * high-entropy words. `${...}` references are never reported. `name` (an env or header name) lowers the bar
 * when it says TOKEN, SECRET, PASSWORD, API_KEY, ...
 */
export function findSecretsInString(value: string, name?: string, options: { entropy?: boolean } = {}): SecretMatch[] {
  const refs = referenceSpans(value);
  const inRef = (s: number, e: number): boolean => refs.some(([a, b]) => s < b && e > a);
  const out: SecretMatch[] = [];
  const taken = (s: number, e: number): boolean => out.some((m) => s < m.end && e > m.start);
  for (const t of KNOWN_TOKENS) {
    t.pattern.lastIndex = 0;
    for (let m = t.pattern.exec(value); m; m = t.pattern.exec(value)) {
      const s = m.index;
      const e = s + m[0].length;
      if (!inRef(s, e) && !taken(s, e)) out.push({ start: s, end: e, label: t.label });
    }
  }
  if (options.entropy !== false) {
    const named = name !== undefined && SECRET_NAME.test(name);
    const re = /[^\s"'`,;:=()[\]{}<>]+/g;
    for (let m = re.exec(value); m; m = re.exec(value)) {
      const s = m.index;
      const e = s + m[0].length;
      if (inRef(s, e) || taken(s, e) || value.slice(s, e).includes('$')) continue;
      const word = m[0];
      const hit = named ? isHighEntropyToken(word, 3.0, 16) : isHighEntropyToken(word);
      if (hit) out.push({ start: s, end: e, label: named ? `secret (${name})` : 'high-entropy string' });
    }
  }
  return out.sort((a, b) => a.start - b.start);
}

/** Does this value look like a secret (for masking values in dialogs and stored summaries)? */
export function looksLikeSecret(value: string, name?: string): boolean {
  return findSecretsInString(value, name).length > 0;
}

export interface LiteralSecret {
  /** JSON path of the string value, e.g. ['servers', 'github', 'env', 'GITHUB_TOKEN']. */
  readonly path: (string | number)[];
  /** The server it belongs to. */
  readonly serverName: string;
  /** `env`, `headers` or `args`. */
  readonly field: 'env' | 'headers' | 'args';
  /** Env/header name, or the argument index as text. */
  readonly key: string;
  /** Offset and length of the secret in the file text (falls back to the whole string literal if escaped). */
  readonly offset: number;
  readonly length: number;
  /** Offset and length of the whole JSON string literal (with quotes). */
  readonly valueOffset: number;
  readonly valueLength: number;
  /** The decoded string value, and the secret's range inside it. */
  readonly value: string;
  readonly start: number;
  readonly end: number;
  readonly label: string;
}

/** Where servers live in each file format: `.vscode/mcp.json`, `.mcp.json`/Claude, and settings.json. */
const SERVER_CONTAINERS: readonly (readonly string[])[] = [['servers'], ['mcpServers'], ['mcpHost.servers'], ['mcp', 'servers']];

/**
 * Literal secrets in an MCP configuration file (JSONC): string values in `env` and `headers` of every server
 * (known token formats and long high-entropy strings) and known token formats inside `args`. Values that are
 * `${...}` references (inputs, env) are skipped. Tolerates broken JSON (reports what it can parse).
 */
export function findLiteralSecrets(text: string): LiteralSecret[] {
  const root = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  if (!root) return [];
  const out: LiteralSecret[] = [];
  for (const containerPath of SERVER_CONTAINERS) {
    const container = findNodeAtLocation(root, [...containerPath]);
    if (!container || container.type !== 'object') continue;
    for (const prop of container.children ?? []) {
      const [keyNode, serverNode] = prop.children ?? [];
      if (!keyNode || !serverNode || serverNode.type !== 'object') continue;
      const serverName = String(keyNode.value);
      for (const field of ['env', 'headers', 'args'] as const) {
        const node = findNodeAtLocation(serverNode, [field]);
        if (!node) continue;
        const entries: { key: string; pathKey: string | number; valueNode: JsonNode }[] = [];
        if (field === 'args' && node.type === 'array') {
          (node.children ?? []).forEach((c, i) => entries.push({ key: String(i), pathKey: i, valueNode: c }));
        } else if (field !== 'args' && node.type === 'object') {
          for (const p of node.children ?? []) {
            const [k, v] = p.children ?? [];
            if (k && v) entries.push({ key: String(k.value), pathKey: String(k.value), valueNode: v });
          }
        }
        for (const { key, pathKey, valueNode } of entries) {
          if (valueNode.type !== 'string' || typeof valueNode.value !== 'string') continue;
          const value = valueNode.value;
          const matches = findSecretsInString(value, field === 'args' ? undefined : key, { entropy: field !== 'args' });
          const raw = text.slice(valueNode.offset + 1, valueNode.offset + valueNode.length - 1);
          for (const m of matches) {
            const exact = raw === value; // no escapes: offsets inside the literal map 1:1
            out.push({
              path: [...containerPath, serverName, field, pathKey],
              serverName,
              field,
              key,
              offset: exact ? valueNode.offset + 1 + m.start : valueNode.offset,
              length: exact ? m.end - m.start : valueNode.length,
              valueOffset: valueNode.offset,
              valueLength: valueNode.length,
              value,
              start: m.start,
              end: m.end,
              label: m.label,
            });
          }
        }
      }
    }
  }
  return out;
}

/** An input id for a secret moved out of `env.GITHUB_TOKEN` of server `github`: `github-token`, unique among `taken`. */
export function suggestInputId(key: string, serverName: string, taken: ReadonlySet<string>): string {
  const slug = (s: string): string =>
    s
      .replace(/([a-z0-9])([A-Z])/g, '$1-$2')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '');
  let base = /^\d+$/.test(key) ? `${slug(serverName)}-secret` : slug(key) || 'secret';
  if (taken.has(base)) base = `${slug(serverName)}-${base}`;
  let id = base;
  for (let i = 2; taken.has(id); i++) id = `${base}-${i}`;
  return id;
}

/**
 * The file text with one literal secret moved into a new password input: the secret (only the matched part,
 * so `Bearer <token>` keeps `Bearer `) becomes `${input:<id>}` and `inputs` gets
 * `{ type: 'promptString', id, description, password: true }`. Uses jsonc-parser edits, so comments and the
 * rest of the formatting survive. The caller re-finds the secret in the current text before calling.
 */
export function moveSecretToInput(
  text: string,
  secret: LiteralSecret,
  options: { insertSpaces?: boolean; tabSize?: number; eol?: string } = {},
): { text: string; inputId: string } {
  const formattingOptions = { insertSpaces: options.insertSpaces ?? true, tabSize: options.tabSize ?? 2, eol: options.eol ?? '\n' };
  const root = parseTree(text, [], { allowTrailingComma: true, disallowComments: false });
  const inputsNode = root ? findNodeAtLocation(root, ['inputs']) : undefined;
  const taken = new Set<string>();
  for (const c of inputsNode?.type === 'array' ? (inputsNode.children ?? []) : []) {
    const id = findNodeAtLocation(c, ['id'])?.value;
    if (typeof id === 'string') taken.add(id);
  }
  const inputId = suggestInputId(secret.field === 'args' ? secret.key : secret.key, secret.serverName, taken);
  const newValue = `${secret.value.slice(0, secret.start)}\${input:${inputId}}${secret.value.slice(secret.end)}`;
  let out = applyEdits(text, modify(text, secret.path, newValue, { formattingOptions }));
  const entry = {
    type: 'promptString',
    id: inputId,
    description: `${secret.field === 'args' ? 'Secret argument' : secret.key} for MCP server ${secret.serverName}`,
    password: true,
  };
  out =
    inputsNode?.type === 'array'
      ? applyEdits(out, modify(out, ['inputs', -1], entry, { formattingOptions, isArrayInsertion: true }))
      : applyEdits(out, modify(out, ['inputs'], [entry], { formattingOptions }));
  return { text: out, inputId };
}

/**
 * For `.mcp.json` (Claude's format has no `inputs`): the secret becomes a reference to an environment variable,
 * `${NAME}`, which the user sets outside the repository. NAME is the env key when it is a valid name, else
 * derived from the server and key (`MY_SERVER_SECRET`).
 */
export function moveSecretToEnvReference(
  text: string,
  secret: LiteralSecret,
  options: { insertSpaces?: boolean; tabSize?: number; eol?: string } = {},
): { text: string; variable: string } {
  const formattingOptions = { insertSpaces: options.insertSpaces ?? true, tabSize: options.tabSize ?? 2, eol: options.eol ?? '\n' };
  const upper = (s: string): string => s.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase().replace(/[^A-Z0-9]+/g, '_').replace(/^_+|_+$/g, '');
  const variable =
    secret.field !== 'args' && /^[A-Za-z_][A-Za-z0-9_]*$/.test(secret.key) ? secret.key : `${upper(secret.serverName) || 'MCP'}_${secret.field === 'args' ? 'SECRET' : upper(secret.key) || 'SECRET'}`;
  const newValue = `${secret.value.slice(0, secret.start)}\${${variable}}${secret.value.slice(secret.end)}`;
  return { text: applyEdits(text, modify(text, secret.path, newValue, { formattingOptions })), variable };
}
