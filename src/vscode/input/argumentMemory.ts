/**
 * Remembers the last arguments used per tool / prompt / template so they are offered as defaults next time.
 * Stored in workspaceState (plain storage, never secrets): any field whose name looks like a secret is left out,
 * at every depth.
 */
import type * as vscode from 'vscode';

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

/** A copy of `value` without secret-looking fields (objects at any depth). */
export function withoutSecrets(value: unknown, depth = 0): unknown {
  if (depth > 20) return undefined;
  if (Array.isArray(value)) return value.map((v) => withoutSecrets(v, depth + 1));
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (!looksSecret(k)) out[k] = withoutSecrets(v, depth + 1);
    return out;
  }
  return value;
}

export class ArgumentMemory {
  constructor(private readonly state: vscode.Memento) {}

  private key(kind: 'tool' | 'prompt' | 'template', serverName: string, item: string): string {
    return `${PREFIX}/${kind}/${encodeURIComponent(serverName)}/${encodeURIComponent(item)}`;
  }

  get(kind: 'tool' | 'prompt' | 'template', serverName: string, item: string): Record<string, unknown> | undefined {
    const v = this.state.get<unknown>(this.key(kind, serverName, item));
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  }

  async remember(kind: 'tool' | 'prompt' | 'template', serverName: string, item: string, args: Record<string, unknown>): Promise<void> {
    const clean = withoutSecrets(args);
    // Arguments that would bloat the workspace state are not worth remembering.
    const json = JSON.stringify(clean);
    if (json === undefined || json.length > 64 * 1024) return;
    await this.state.update(this.key(kind, serverName, item), clean);
  }
}
