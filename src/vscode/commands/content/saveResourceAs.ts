/**
 * `mcpHost.saveResourceAs`: the exact bytes of a resource (blob decoded, text as UTF-8) to a file the user picks.
 * Editor-title action on `mcp-host-resource:` documents (uses the contents the document shows), or a tree node.
 *
 * Automation: `executeCommand('mcpHost.saveResourceAs', nodeOrUri, { target: fileUri })` skips the dialog.
 */
import * as vscode from 'vscode';
import type { ReadResourceResult } from '../../../core/protocol/sdk';
import { extensionForMimeType, fileNameFromUri, safeFileName } from '../../../core/content';
import type { ServerHandle } from '../../../core/server/types';
import { sanitizeLabel } from '../../../core/base/sanitize';
import { resourceDocument, type ResourcePart } from '../../documents/render';
import { parseResourceDocumentUri } from '../../documents/resourceUri';
import { isTreeNode } from '../../tree/nodes';
import { describeError } from '../../../core/protocol/errors';
import { serverById } from './requests';
import { startWithFeedback } from '../startServer';
import { pickContentNode } from './picker';
import { readWithProgress } from './resolveResource';
import type { ContentServices } from './services';
import { setStatusMessage, showMessage } from '../../messages';

export interface SaveResourceOptions {
  readonly target?: vscode.Uri;
}

function bytesOf(part: ResourcePart): Uint8Array {
  return part.data ?? Buffer.from(part.text ?? '', 'utf8');
}

function suggestedName(part: ResourcePart): string {
  if (part.suggestedFileName) return part.suggestedFileName;
  const fromUri = fileNameFromUri(part.uri);
  if (fromUri && /\.[A-Za-z0-9]{1,8}$/.test(fromUri)) return safeFileName(fromUri, 'resource.txt');
  return `${safeFileName(fromUri, 'resource')}.${part.mimeType ? extensionForMimeType(part.mimeType) : 'txt'}`;
}

async function contentsFor(s: ContentServices, arg: unknown): Promise<{ server?: ServerHandle; result: ReadResourceResult } | undefined> {
  const docUri = arg instanceof vscode.Uri ? arg : isTreeNode(arg) ? undefined : vscode.window.activeTextEditor?.document.uri;
  if (docUri) {
    const cached = s.resources.cached(docUri);
    if (cached) return { result: cached.result };
    const parsed = parseResourceDocumentUri(docUri);
    if (parsed) {
      const server = serverById(s, parsed.serverId);
      if (!server || !(await startWithFeedback(s, server))) return undefined;
      const result = await readWithProgress(s, server, parsed.resourceUri);
      return result ? { server, result } : undefined;
    }
  }
  const node = isTreeNode(arg) && arg.kind === 'resource' ? arg : await pickContentNode(s, ['resource'], 'Select a resource to save');
  if (!node || node.kind !== 'resource') return undefined;
  const server = serverById(s, node.serverId);
  if (!server || !(await startWithFeedback(s, server))) return undefined;
  const result = await readWithProgress(s, server, node.uri);
  return result ? { server, result } : undefined;
}

export function saveResourceAsCommand(s: ContentServices) {
  return async (arg?: unknown, options?: SaveResourceOptions): Promise<vscode.Uri | undefined> => {
    const got = await contentsFor(s, arg);
    if (!got) return undefined;
    const contents = resourceDocument(got.result, got.result.contents[0]?.uri ?? 'resource').items;
    let part: ResourcePart | undefined = contents[0];
    if (contents.length > 1) {
      part = (
        await vscode.window.showQuickPick(
          contents.map((c) => ({ label: sanitizeLabel(c.uri, 120), description: sanitizeLabel(c.mimeType ?? '', 60), c })),
          { placeHolder: 'The resource has several parts: which one to save?' },
        )
      )?.c;
    }
    if (!part) {
      if (contents.length === 0) void showMessage('info', 'The resource has no contents to save.');
      return undefined;
    }
    const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
    const name = suggestedName(part);
    const target =
      options?.target ??
      (await vscode.window.showSaveDialog({
        title: 'Save Resource As',
        saveLabel: 'Save',
        ...(folder ? { defaultUri: vscode.Uri.joinPath(folder, name) } : {}),
      }));
    if (!target) return undefined;
    try {
      await vscode.workspace.fs.writeFile(target, bytesOf(part));
    } catch (err) {
      void showMessage('error', `Could not save ${sanitizeLabel(target.fsPath, 120)}: ${describeError(err)}`);
      return undefined;
    }
    setStatusMessage(`Saved ${sanitizeLabel(name, 80)}`, 3000);
    return target;
  };
}
