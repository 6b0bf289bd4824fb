/**
 * `mcp-host-resource://<server>/<original uri>/<name>`: the editor URI of an MCP resource, reversible.
 *
 * - The scheme is not `mcp-resource`: VS Code's own MCP support registers a file system under that scheme, and a
 *   file system provider wins over a content provider (opening failed with "Unable to resolve nonexistent file").
 * - VS Code lower-cases authorities, allows few characters there and normalizes paths (`//` -> `/`), so the
 *   server id and the original URI are each escaped into one segment: `[a-z0-9.-]` stay, every other UTF-8
 *   byte becomes `_xx` (lower-case hex; `_` itself is `_5f`). `Everything` -> `_45verything`.
 * - The last segment is only for people (tab title, and the language guess by extension): the resource's own
 *   last path segment, e.g. `architecture.md`. Decoding ignores it.
 */
import * as vscode from 'vscode';

export const RESOURCE_SCHEME = 'mcp-host-resource';
export const RESULT_SCHEME = 'mcp-result';

/** Escapes any string into `[a-z0-9._-]+` (reversible with `unescapeSegment`). */
export function escapeSegment(s: string): string {
  let out = '';
  for (const byte of Buffer.from(s, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[a-z0-9.-]/.test(c) ? c : `_${byte.toString(16).padStart(2, '0')}`;
  }
  // An empty authority or segment would change the URI's shape.
  return out === '' ? '_' : out;
}

export function unescapeSegment(escaped: string): string | undefined {
  if (escaped === '_') return '';
  const bytes: number[] = [];
  for (let i = 0; i < escaped.length; i++) {
    const c = escaped[i] ?? '';
    if (c === '_') {
      const hex = escaped.slice(i + 1, i + 3);
      if (!/^[0-9a-fA-F]{2}$/.test(hex)) return undefined;
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else if (/[a-zA-Z0-9.-]/.test(c)) {
      bytes.push(c.toLowerCase().charCodeAt(0));
    } else {
      return undefined;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}

/** A readable file name for the tab: the original URI's last segment, made safe. */
export function displayName(resourceUri: string): string {
  const segments = resourceUri.split(/[/\\?#]/).filter((x) => x.length > 0 && !x.endsWith(':'));
  let last = segments.pop() ?? '';
  // `.../dynamic/text/2` reads better as `text-2` than as `2`.
  const previous = segments.pop();
  if (!last.includes('.') && previous !== undefined && last.length < 12) last = `${previous}-${last}`;
  const safe = last.replace(/[^\w.@ -]+/g, '_').slice(0, 100).trim();
  return safe === '' || safe === '.' || safe === '..' ? 'resource' : safe;
}

export function resourceDocumentUri(serverId: string, resourceUri: string): vscode.Uri {
  return vscode.Uri.from({
    scheme: RESOURCE_SCHEME,
    authority: escapeSegment(serverId),
    path: `/${escapeSegment(resourceUri)}/${displayName(resourceUri)}`,
  });
}

/** The server id and original URI of an `mcp-host-resource:` URI, or undefined when it is not one of ours. */
export function parseResourceDocumentUri(uri: vscode.Uri): { serverId: string; resourceUri: string } | undefined {
  if (uri.scheme !== RESOURCE_SCHEME) return undefined;
  const segment = uri.path.split('/')[1];
  if (segment === undefined) return undefined;
  const serverId = unescapeSegment(uri.authority);
  const resourceUri = unescapeSegment(segment);
  if (serverId === undefined || resourceUri === undefined) return undefined;
  return { serverId, resourceUri };
}
