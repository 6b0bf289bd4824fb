/**
 * Remembers the last arguments used per tool / prompt / template so they are offered as defaults next time.
 * Stored in workspaceState (plain storage, never secrets), so at every depth a field is left out when its name
 * looks secret (`apiKey`), its schema marks it secret (`writeOnly`, `format: "password"`), or its value looks
 * like a secret whatever the name (`query: "ghp_…"`, `postgres://admin:pw@db`, a JWT, a long random string).
 */
import type * as vscode from 'vscode';
import { isSecretSchema, looksLikeSecretValue } from '../../core/trust/secretValues';

const PREFIX = 'mcpHost.lastArguments';
const SECRET_WORDS = new Set([
  'token',
  'password',
  'passwd',
  'pwd',
  'pass',
  'secret',
  'key',
  'apikey',
  'auth',
  'authorization',
  'credential',
  'credentials',
  'cookie',
  'bearer',
  'session',
  'private',
  'pat',
  'otp',
  'pin',
  'signature',
]);

/** `apiKey`, `api_key`, `GITHUB_TOKEN`, `x-auth-token`, `password` look secret; `keyword`, `monkey` do not. */
export function looksSecret(name: string): boolean {
  const words = name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w.length > 0);
  return words.some((w) => SECRET_WORDS.has(w)) || SECRET_WORDS.has(words.join(''));
}

/** Marks a value to leave out (a secret string, or something too deep to look at). */
const DROP = Symbol('drop');

/** The schema of a property or of array items, following one local `$ref` (`#/$defs/Secret`) into `root`. */
function subSchema(schema: unknown, root: unknown, key: 'properties' | 'items', name?: string): unknown {
  if (typeof schema !== 'object' || schema === null) return undefined;
  const container = (schema as Record<string, unknown>)[key];
  let sub = key === 'items' ? container : typeof container === 'object' && container !== null && name !== undefined && Object.hasOwn(container, name) ? (container as Record<string, unknown>)[name] : undefined;
  const ref = typeof sub === 'object' && sub !== null ? (sub as Record<string, unknown>)['$ref'] : undefined;
  if (typeof ref === 'string' && ref.startsWith('#/')) {
    let at: unknown = root;
    for (const part of ref.slice(2).split('/').slice(0, 16)) {
      const k = part.replace(/~1/g, '/').replace(/~0/g, '~');
      at = typeof at === 'object' && at !== null && Object.hasOwn(at, k) ? (at as Record<string, unknown>)[k] : undefined;
    }
    sub = at;
  }
  return sub;
}

function clean(value: unknown, schema: unknown, root: unknown, depth: number): unknown {
  if (depth > 20) return DROP;
  if (typeof value === 'string') return looksLikeSecretValue(value) ? DROP : value;
  if (Array.isArray(value)) {
    const items = subSchema(schema, root, 'items');
    return value.map((v) => clean(v, items, root, depth + 1)).filter((v) => v !== DROP);
  }
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) {
      if (looksSecret(k)) continue;
      const sub = subSchema(schema, root, 'properties', k);
      if (isSecretSchema(sub)) continue;
      const c = clean(v, sub, root, depth + 1);
      if (c !== DROP) out[k] = c;
    }
    return out;
  }
  return value;
}

/**
 * A copy of `value` without secrets, at any depth: fields with secret-looking names, fields `schema` marks as
 * secret, and strings that look like secrets (array items included).
 */
export function withoutSecrets(value: unknown, schema?: unknown): unknown {
  const c = clean(value, schema, schema, 0);
  return c === DROP ? undefined : c;
}

export class ArgumentMemory {
  constructor(private readonly state: vscode.Memento) {}

  private key(kind: 'tool' | 'prompt' | 'template', serverName: string, item: string): string {
    return `${PREFIX}/${kind}/${encodeURIComponent(serverName)}/${encodeURIComponent(item)}`;
  }

  get(kind: 'tool' | 'prompt' | 'template', serverName: string, item: string): Record<string, unknown> | undefined {
    const v = this.state.get<unknown>(this.key(kind, serverName, item));
    // Filtered again: values remembered by an older version may hold what is no longer kept.
    const kept = typeof v === 'object' && v !== null && !Array.isArray(v) ? withoutSecrets(v) : undefined;
    return typeof kept === 'object' && kept !== null ? (kept as Record<string, unknown>) : undefined;
  }

  /** `schema`: the tool's input schema, whose `writeOnly` / `format: "password"` fields are never kept. */
  async remember(kind: 'tool' | 'prompt' | 'template', serverName: string, item: string, args: Record<string, unknown>, schema?: unknown): Promise<void> {
    // Arguments that would bloat the workspace state are not worth remembering (nor scanning for secrets).
    if ((JSON.stringify(args)?.length ?? Infinity) > 64 * 1024) return;
    await this.state.update(this.key(kind, serverName, item), withoutSecrets(args, schema));
  }
}
