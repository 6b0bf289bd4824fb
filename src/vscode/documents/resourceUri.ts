/**
 * `mcp-resource://<server>/<original uri>`: the editor URI of an MCP resource, reversible.
 *
 * - Authority: VS Code lower-cases URI authorities when it prints them and allows only a few characters there,
 *   so the server id is escaped: `[a-z0-9-]` stay, every other UTF-8 byte becomes `_xx` (lower-case hex;
 *   `_` itself is `_5f`). `Everything` -> `_45verything`.
 * - Path: `/` followed by the original URI exactly (VS Code percent-encodes it when printing and decodes it
 *   when parsing, so it survives). The tab title is the last segment of the original URI (`architecture.md`).
 */
import * as vscode from 'vscode';

export const RESOURCE_SCHEME = 'mcp-resource';
export const RESULT_SCHEME = 'mcp-result';

export function encodeServerId(id: string): string {
  let out = '';
  for (const byte of Buffer.from(id, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[a-z0-9-]/.test(c) ? c : `_${byte.toString(16).padStart(2, '0')}`;
  }
  // An empty authority would make the URI `mcp-resource:///...` where the path could be misread.
  return out === '' ? '_' : out;
}

export function decodeServerId(authority: string): string | undefined {
  if (authority === '_') return '';
  const bytes: number[] = [];
  for (let i = 0; i < authority.length; i++) {
    const c = authority[i] ?? '';
    if (c === '_') {
      const hex = authority.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) return undefined;
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (/[a-zA-Z0-9-]/.test(c)) {
      bytes.push(c.toLowerCase().charCodeAt(0));
    } else {
      return undefined;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

export function resourceDocumentUri(serverId: string, resourceUri: string): vscode.Uri {
  return vscode.Uri.from({ scheme: RESOURCE_SCHEME, authority: encodeServerId(serverId), path: `/${resourceUri}` });
}

/** The server id and original URI of an `mcp-resource:` URI, or undefined when it is not one of ours. */
export function parseResourceDocumentUri(uri: vscode.Uri): { serverId: string; resourceUri: string } | undefined {
  if (uri.scheme !== RESOURCE_SCHEME || !uri.path.startsWith('/')) return undefined;
  const serverId = decodeServerId(uri.authority);
  if (serverId === undefined) return undefined;
  return { serverId, resourceUri: uri.path.slice(1) };
}
