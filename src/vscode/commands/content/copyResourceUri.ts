/**
 * `mcpHost.copyResourceUri`: the resource's own URI (not our `mcp-host-resource:` address) to the clipboard, with
 * control and invisible characters percent-encoded (a newline in a pasted URI would run as a second command).
 */
import * as vscode from 'vscode';
import { encodeHiddenInUri, sanitizeLabel } from '../../../core/base/sanitize';
import { parseResourceDocumentUri } from '../../documents/resourceUri';
import { isTreeNode } from '../../tree/nodes';
import { pickContentNode } from './picker';
import type { ContentServices } from './services';
import { setStatusMessage, showMessage } from '../../messages';

export function copyResourceUriCommand(s: ContentServices) {
  return async (arg?: unknown): Promise<string | undefined> => {
    let uri: string | undefined;
    if (isTreeNode(arg) && arg.kind === 'resource') uri = arg.uri;
    else if (isTreeNode(arg) && arg.kind === 'resourceTemplate') uri = arg.uriTemplate;
    else if (arg instanceof vscode.Uri) uri = parseResourceDocumentUri(arg)?.resourceUri;
    else {
      const active = vscode.window.activeTextEditor?.document.uri;
      uri = active ? parseResourceDocumentUri(active)?.resourceUri : undefined;
      if (uri === undefined) {
        const picked = await pickContentNode(s, ['resource', 'resourceTemplate'], 'Select a resource to copy its URI');
        uri = picked?.kind === 'resource' ? picked.uri : picked?.kind === 'resourceTemplate' ? picked.uriTemplate : undefined;
      }
    }
    if (uri === undefined) return undefined;
    const safe = encodeHiddenInUri(uri);
    await vscode.env.clipboard.writeText(safe.uri);
    if (safe.changed) {
      void showMessage(
        'warning',
        `The URI held control or invisible characters (line breaks, escapes, bidi marks): they were copied percent-encoded, as ${sanitizeLabel(safe.uri, 120)}.`,
      );
    } else setStatusMessage(`Copied ${sanitizeLabel(uri, 80)}`, 3000);
    return safe.uri;
  };
}
