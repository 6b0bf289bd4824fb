/**
 * `mcpHost.openResource`: a resource (or an expanded template) as a read-only `mcp-host-resource:` document with the
 * language of its MIME type; binary contents show their type and size with a Save As action.
 *
 * Automation: `executeCommand('mcpHost.openResource', node, { variables })` resolves to the editor's URI.
 */
import type * as vscode from 'vscode';
import type { ReadResourceResult } from '../../../core/protocol/sdk';
import type { ServerHandle } from '../../../core/server/types';
import { embeddedAsReadResult, type ResourcePart } from '../../documents/render';
import { readWithProgress, resolveResourceTarget, type ResourceTargetOptions } from './resolveResource';
import type { ContentServices } from './services';

export function openResourceCommand(s: ContentServices) {
  return async (node?: unknown, options?: ResourceTargetOptions): Promise<vscode.Uri | undefined> => {
    const target = await resolveResourceTarget(s, node, options, 'Select a resource to open', 'Open');
    if (!target) return undefined;
    const result = await readWithProgress(s, target.server, target.uri);
    if (!result) return undefined;
    const editor = await s.resources.open(target.server.id, target.uri, result);
    return editor.document.uri;
  };
}

/** Opens a resource linked from a tool result (embedded contents need no read). */
export async function openLinkedResource(s: ContentServices, server: ServerHandle, link: ResourcePart): Promise<void> {
  const result: ReadResourceResult | undefined = embeddedAsReadResult(link) ?? (await readWithProgress(s, server, link.uri));
  if (result) await s.resources.open(server.id, link.uri, result);
}
