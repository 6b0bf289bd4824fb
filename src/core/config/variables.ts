/**
 * `${...}` variables in server definitions: the ones VS Code's mcp.json supports for local servers, minus
 * `${config:...}` and `${command:...}` (editor-only; reported as unsupported, never left in silently).
 */

export type VariableRef =
  | { readonly kind: 'workspaceFolder'; readonly folderName?: string }
  | { readonly kind: 'workspaceFolderBasename' }
  | { readonly kind: 'userHome' }
  /** `${env:NAME}` (unset: empty), or in Claude's `.mcp.json` `${NAME}` / `${NAME:-default}` (unset, no default: error). */
  | { readonly kind: 'env'; readonly name: string; readonly default?: string; readonly required?: boolean }
  | { readonly kind: 'input'; readonly id: string }
  | { readonly kind: 'pathSeparator' }
  /** Not supported: `reason` says why, for people. */
  | { readonly kind: 'unsupported'; readonly reason: string };

export interface VariableMatch {
  /** The whole `${...}` text. */
  readonly text: string;
  readonly start: number;
  readonly ref: VariableRef;
}

const pattern = /\$\{([^}]*)\}/g;

export interface VariableOptions {
  /**
   * Also accept Claude Code's `.mcp.json` syntax: `${NAME}` and `${NAME:-default}` for environment variables
   * (VS Code's own variables still take precedence).
   */
  readonly shellStyleEnv?: boolean;
}

/** Every `${...}` in a string, in order. */
export function findVariables(s: string, options?: VariableOptions): VariableMatch[] {
  const out: VariableMatch[] = [];
  for (const m of s.matchAll(pattern)) {
    out.push({ text: m[0], start: m.index, ref: parseVariable(m[1] ?? '', options) });
  }
  return out;
}

const knownHeads = new Set(['workspaceFolder', 'workspaceFolderBasename', 'userHome', 'pathSeparator', '/', 'env', 'input', 'config', 'command']);

/** Parses the inside of `${...}`. */
export function parseVariable(body: string, options?: VariableOptions): VariableRef {
  const colon = body.indexOf(':');
  const head = colon < 0 ? body : body.slice(0, colon);
  const arg = colon < 0 ? undefined : body.slice(colon + 1);
  if (options?.shellStyleEnv && !knownHeads.has(head)) {
    const m = /^([A-Za-z_][A-Za-z0-9_]*)(?::-(.*))?$/s.exec(body);
    if (m?.[1]) return m[2] !== undefined ? { kind: 'env', name: m[1], default: m[2] } : { kind: 'env', name: m[1], required: true };
  }
  switch (head) {
    case 'workspaceFolder':
      if (arg === undefined) return { kind: 'workspaceFolder' };
      return arg ? { kind: 'workspaceFolder', folderName: arg } : unsupported('${workspaceFolder:} needs a folder name');
    case 'workspaceFolderBasename':
      return arg === undefined ? { kind: 'workspaceFolderBasename' } : unsupported(`\${${body}} is not a variable`);
    case 'userHome':
      return arg === undefined ? { kind: 'userHome' } : unsupported(`\${${body}} is not a variable`);
    case 'pathSeparator':
    case '/':
      return arg === undefined ? { kind: 'pathSeparator' } : unsupported(`\${${body}} is not a variable`);
    case 'env':
      return arg ? { kind: 'env', name: arg } : unsupported('${env:} needs a variable name, e.g. ${env:HOME}');
    case 'input':
      return arg ? { kind: 'input', id: arg } : unsupported('${input:} needs an input id');
    case 'config':
    case 'command':
      return unsupported(`\${${body}} is not supported by MCP Host (\${${head}:...} only works inside VS Code's own MCP support)`);
    default:
      return unsupported(`\${${body}} is not a known variable (supported: \${workspaceFolder}, \${workspaceFolder:NAME}, \${workspaceFolderBasename}, \${userHome}, \${env:NAME}, \${input:ID}, \${pathSeparator}, \${/})`);
  }
}

function unsupported(reason: string): VariableRef {
  return { kind: 'unsupported', reason };
}

/** Replaces every `${...}` with what `value` returns for it (which may throw to report an error). */
export function expandVariables(s: string, value: (ref: VariableRef, text: string) => string, options?: VariableOptions): string {
  return s.replace(pattern, (text: string, body: string) => value(parseVariable(body, options), text));
}
