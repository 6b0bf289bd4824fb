/** `mcpHost.copyResourceUri`: the resource's own URI (not our `mcp-host-resource:` address) to the clipboard. */
import * as vscode from 'vscode';
import { sanitizeLabel } from '../../../core/base/sanitize';
import { parseResourceDocumentUri } from '../../documents/resourceUri';
import { isTreeNode } from '../../tree/nodes';
import { pickContentNode } from './picker';
import type { ContentServices } from './services';

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
    await vscode.env.clipboard.writeText(uri);
    vscode.window.setStatusBarMessage(`Copied ${sanitizeLabel(uri, 80)}`, 3000);
    return uri;
  };
}
