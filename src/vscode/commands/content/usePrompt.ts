/**
 * `mcpHost.usePrompt`: pick a prompt, fill its arguments (with server completions), get it (bounded, with
 * progress), then open its messages as a markdown document or insert their text at the cursor.
 *
 * Automation: `executeCommand('mcpHost.usePrompt', node, { arguments, action: 'open' | 'insert' })`.
 */
import * as vscode from 'vscode';
import type { GetPromptResult, Prompt } from '../../../core/protocol/sdk';
import type { ServerHandle } from '../../../core/server/types';
import { sanitizeLabel } from '../../../core/base/sanitize';
import { promptDocument } from '../../documents/render';
import { runForm, type FormField } from '../../input/form';
import { isTreeNode } from '../../tree/nodes';
import { serverById, showServerError, utf8Length, withRequestProgress } from './requests';
import { startWithFeedback } from '../startServer';
import { confirmSize, insertAtCursors, isWritableEditor } from './insertResource';
import { pickContentNode } from './picker';
import { completer } from './resolveResource';
import type { ContentServices } from './services';
import { showMessage } from '../../messages';

export interface UsePromptOptions {
  readonly arguments?: Record<string, string>;
  readonly action?: 'open' | 'insert';
}

export interface UsePromptOutcome {
  readonly result: GetPromptResult;
  readonly action: 'open' | 'insert';
  /** The document, when opened. */
  readonly document?: vscode.Uri;
}

async function promptArguments(s: ContentServices, server: ServerHandle, prompt: Prompt): Promise<Record<string, string> | undefined> {
  const defs = prompt.arguments ?? [];
  if (defs.length === 0) return {};
  const remembered = s.memory.get('prompt', server.name, prompt.name) ?? {};
  const ref = { type: 'ref/prompt' as const, name: prompt.name };
  const fields: FormField[] = defs.map((a) => {
    const complete = completer(server, ref, a.name);
    const description = a.description ?? '';
    return { name: a.name, required: a.required === true, ...(description ? { description } : {}), ...(complete ? { complete } : {}) };
  });
  const initial: Record<string, unknown> = {};
  for (const a of defs) if (typeof remembered[a.name] === 'string') initial[a.name] = remembered[a.name];
  const result = await runForm({
    title: `Use prompt ${sanitizeLabel(prompt.title ?? prompt.name, 80)} (${sanitizeLabel(server.name, 60)})`,
    fields,
    initial,
    allowJson: false,
  });
  if (!result) return undefined;
  const values: Record<string, string> = {};
  for (const [k, v] of Object.entries(result.values)) if (typeof v === 'string') values[k] = v;
  void s.memory.remember('prompt', server.name, prompt.name, values);
  return values;
}

export function usePromptCommand(s: ContentServices) {
  return async (node?: unknown, options?: UsePromptOptions): Promise<UsePromptOutcome | undefined> => {
    const editorAtStart = vscode.window.activeTextEditor;
    const target = isTreeNode(node) && node.kind === 'prompt' ? node : await pickContentNode(s, ['prompt'], 'Select a prompt');
    if (!target || target.kind !== 'prompt') return undefined;
    const server = serverById(s, target.serverId);
    if (!server || !(await startWithFeedback(s, server))) return undefined;
    const prompt = server.lists.prompts.find((p) => p.name === target.name);
    if (!prompt) {
      void showMessage('warning', `MCP server "${sanitizeLabel(server.name, 80)}" no longer offers the prompt "${sanitizeLabel(target.name, 80)}".`);
      return undefined;
    }
    const args = options?.arguments ?? (await promptArguments(s, server, prompt));
    if (!args) return undefined;
    const label = `prompt "${sanitizeLabel(prompt.name, 80)}" of ${sanitizeLabel(server.name, 60)}`;
    let result: GetPromptResult | undefined;
    try {
      result = await withRequestProgress(server, `Getting ${label}`, (o) => server.getPrompt(prompt.name, args, o));
    } catch (err) {
      showServerError(s, server, `Getting ${label} failed`, err);
      return undefined;
    }
    if (!result) return undefined;
    const rendered = promptDocument(result);

    let action = options?.action;
    if (!action) {
      const canInsert = isWritableEditor(editorAtStart);
      const picked = await vscode.window.showQuickPick(
        [
          { label: '$(go-to-file) Open as Document', description: 'the messages as markdown', action: 'open' as const },
          {
            label: '$(insert) Insert at Cursor',
            description: canInsert ? `into ${sanitizeLabel(vscode.workspace.asRelativePath(editorAtStart!.document.uri), 80)}` : 'no text editor is open',
            action: 'insert' as const,
          },
        ],
        { placeHolder: `${result.messages.length} message(s): what to do with them?` },
      );
      if (!picked) return undefined;
      action = picked.action;
    }
    if (action === 'insert') {
      if (!isWritableEditor(editorAtStart)) {
        void showMessage('info', 'No text editor to insert into: the prompt opens as a document instead.');
      } else {
        if (!(await confirmSize(utf8Length(rendered.insertText), `The ${label}`, editorAtStart.selections.length))) return undefined;
        if (await insertAtCursors(editorAtStart, rendered.insertText)) return { result, action };
        void showMessage('error', `Could not insert the ${label}: the editor refused the edit.`);
      }
    }
    const { entry } = await s.results.open(
      server.name,
      prompt.name,
      rendered.markdown,
      'markdown',
      rendered.insertText,
      // The whole markdown is not kept: a truncated prompt saves its messages' text, whole.
      rendered.truncated ? () => rendered.insertText : undefined,
    );
    return { result, action: 'open', document: entry.uri };
  };
}
