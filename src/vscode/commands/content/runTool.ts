/**
 * `mcpHost.runTool`: pick a tool (or take the tree node), enter its arguments, confirm, run it bounded with
 * progress and Cancel, and show the result in a read-only document.
 *
 * For tests and automation: `executeCommand('mcpHost.runTool', node, { arguments: {...} })` skips the argument
 * UI (the approval still applies) and resolves to `{ result, document }`.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { CallToolResult, Tool } from '../../../core/protocol/sdk';
import type { ServerHandle } from '../../../core/server/types';
import { sanitizeLabel } from '../../../core/base/sanitize';
import { safeSegment } from '../../documents/resultDocuments';
import { toolResultDocument, type BinaryPart, type ResourcePart } from '../../documents/render';
import { collectToolArguments } from '../../input/toolArguments';
import { isTreeNode } from '../../tree/nodes';
import { describeError } from '../../../core/protocol/errors';
import { serverById, showServerError, withRequestProgress } from './requests';
import { startWithFeedback } from '../startServer';
import { ensurePrivateDir, writePrivateFile } from '../../../core/base/privateFiles';
import { pickContentNode } from './picker';
import { openLinkedResource } from './openResource';
import type { ContentServices } from './services';
import { showMessage } from '../../messages';

export interface RunToolOptions {
  /** Run with these arguments instead of asking for them. */
  readonly arguments?: Record<string, unknown>;
}

export interface RunToolOutcome {
  readonly result: CallToolResult;
  /** The read-only result document. */
  readonly document: vscode.Uri;
  /** Images / audio / blobs saved to files (private: under the extension's storage, mode 0600). */
  readonly files: readonly string[];
}

let runCounter = 0;

export function runToolCommand(s: ContentServices) {
  return async (node?: unknown, options?: RunToolOptions): Promise<RunToolOutcome | undefined> => {
    const target =
      isTreeNode(node) && node.kind === 'tool' ? node : await pickContentNode(s, ['tool'], 'Select a tool to run');
    if (!target || target.kind !== 'tool') return undefined;
    const server = serverById(s, target.serverId);
    if (!server || !(await startWithFeedback(s, server))) return undefined;
    const tool = server.lists.tools.find((t) => t.name === target.name);
    if (!tool) {
      void showMessage('warning', 
        `MCP server "${sanitizeLabel(server.name, 80)}" no longer offers the tool "${sanitizeLabel(target.name, 80)}". Refresh the list and try again.`,
      );
      return undefined;
    }
    const args =
      options?.arguments ??
      (await collectToolArguments({
        serverName: server.name,
        tool,
        remembered: s.memory.get('tool', server.name, tool.name),
        diagnostics: s.diagnostics,
        lenses: s.argumentLenses,
        log: (m) => s.logs.channel(server.name).warn(m),
        privateDir: s.privateDir,
      }));
    if (!args) return undefined;
    if (!(await s.approver.approve(server, tool, args))) return undefined;
    void s.memory.remember('tool', server.name, tool.name, args, tool.inputSchema);
    return runAndShow(s, server, tool, args);
  };
}

async function runAndShow(s: ContentServices, server: ServerHandle, tool: Tool, args: Record<string, unknown>): Promise<RunToolOutcome | undefined> {
  const label = `"${sanitizeLabel(tool.name, 80)}" on ${sanitizeLabel(server.name, 60)}`;
  let result: CallToolResult | undefined;
  try {
    result = await withRequestProgress(server, `Running ${label}`, (o) => server.callTool(tool.name, args, o));
  } catch (err) {
    showServerError(s, server, `Running ${label} failed`, err);
    return undefined;
  }
  if (!result) {
    void showMessage('info', `Cancelled ${label}.`);
    return undefined;
  }
  const rendered = toolResultDocument(result, tool.name);
  const files = await saveBinaries(s.privateDir, server.name, tool.name, rendered.binaries).catch((err: unknown) => {
    void showMessage('warning', `Could not save the images/audio of ${label}: ${describeError(err)}`);
    return [] as string[];
  });
  const { entry } = await s.results.open(server.name, tool.name, rendered.text, rendered.language, rendered.insertText, rendered.full);
  for (const file of files) void vscode.commands.executeCommand('vscode.open', vscode.Uri.file(file), { preview: false, viewColumn: vscode.ViewColumn.Beside });
  if (rendered.isError) {
    const why = rendered.errorText ?? 'the tool failed without a message';
    s.logs.channel(server.name).warn(`Tool ${tool.name} returned an error: ${sanitizeLabel(why, 500)}`);
    void showMessage('error', `${label} reported an error: ${sanitizeLabel(why, 300)}`, 'Show Log').then((c) => {
      if (c === 'Show Log') s.logs.showServerLog(server.name);
    });
  }
  if (rendered.links.length > 0) offerLinks(s, server, label, rendered.links);
  return { result, document: entry.uri, files };
}

async function saveBinaries(root: string, serverName: string, toolName: string, parts: readonly BinaryPart[]): Promise<string[]> {
  if (parts.length === 0) return [];
  const n = ++runCounter;
  const dir = await ensurePrivateDir(root, 'results', safeSegment(serverName), `${safeSegment(toolName)}-${Date.now()}-${n}`);
  const files: string[] = [];
  for (const [i, p] of parts.entries()) {
    const file = path.join(dir, `${i + 1}-${safeSegment(p.suggestedFileName)}`);
    await writePrivateFile(file, p.data);
    files.push(file);
  }
  return files;
}

/** "The result links 3 resources" -> Open Linked Resource… -> a quick pick of them. */
function offerLinks(s: ContentServices, server: ServerHandle, label: string, links: readonly ResourcePart[]): void {
  const action = 'Open Linked Resource…';
  const what = links.length === 1 ? 'a resource' : `${links.length} resources`;
  void showMessage('info', `The result of ${label} links ${what}.`, action).then(async (choice) => {
    if (choice !== action) return;
    const picked =
      links.length === 1
        ? links[0]
        : (
            await vscode.window.showQuickPick(
              links.map((l) => ({
                label: sanitizeLabel(l.title ?? l.name ?? l.uri, 100),
                description: sanitizeLabel(l.uri, 120),
                detail: [l.embedded ? 'included in the result' : 'link', l.mimeType, l.description].filter(Boolean).map((x) => sanitizeLabel(String(x), 120)).join(' · '),
                link: l,
              })),
              { placeHolder: 'Open linked resource…', matchOnDescription: true },
            )
          )?.link;
    if (picked) await openLinkedResource(s, server, picked);
  });
}
