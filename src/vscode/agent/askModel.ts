/**
 * `mcpHost.askModel` (Ask a Model with Tools...): pick one of the editor's language models, the servers and
 * their tools to offer, type a question; the tool loop runs with the model's native tool calling, each call
 * confirmed by Run Tool's approver, and the transcript streams into an untitled markdown document. A rerun
 * starts from the last choices (model, servers, tools, question).
 *
 * For tests: `executeCommand('mcpHost.askModel', { modelId, servers, question, signal?, onUpdate? })` skips the
 * pickers (confirmation still applies) and resolves to `{ transcript, document }`.
 */
import * as vscode from 'vscode';
import { showMessage, withProgress } from '../messages';
import { modelToolsFor, runToolLoop, serverToolRunner, transcriptMarkdown, type ServerTools, type Transcript } from '../../core/agent';
import { sanitizeLabel } from '../../core/base/sanitize';
import type { ServerHandle } from '../../core/server/types';
import { startWithFeedback } from '../commands/startServer';
import type { FeatureDeps } from '../contracts';
import { agentMaxRounds, requestTimeoutsFor } from '../settings';
import { chatModelsOrExplain, LanguageModelChat, pickModel } from './lmChatModel';
import { StreamingDocument } from './transcriptDocument';

export interface AskModelOptions {
  readonly modelId: string;
  /** Server names; all their tools are offered unless `tools` names some. */
  readonly servers: readonly string[];
  readonly tools?: readonly string[];
  readonly question: string;
  readonly signal?: AbortSignal;
  readonly onUpdate?: (t: Transcript) => void;
}

export interface AskModelOutcome {
  readonly transcript: Transcript;
  readonly document: vscode.Uri;
}

interface Choices {
  modelId?: string;
  servers: string[];
  /** `server\0tool` of the tools picked last. */
  tools?: string[];
  question: string;
}

const key = (server: string, tool: string) => `${server}\u0000${tool}`;

export function askModelCommand(deps: FeatureDeps) {
  const last: Choices = { servers: [], question: '' };

  return async (options?: AskModelOptions): Promise<AskModelOutcome | undefined> => {
    const models = await chatModelsOrExplain('Ask a Model with Tools');
    if (!models) return undefined;
    const model = options ? models.find((m) => m.id === options.modelId) : await pickModel(models, 'Ask a Model with Tools (1/4): model', last.modelId);
    if (!model) return undefined;
    last.modelId = model.id;

    const servers = options ? options.servers.map((n) => deps.registry.getByName(n)).filter((s): s is ServerHandle => s !== undefined) : await pickServers(deps, last.servers);
    if (!servers || servers.length === 0) return undefined;
    last.servers = servers.map((s) => s.name);
    for (const s of servers) if (!(await startWithFeedback(deps, s))) return undefined;

    let offered: ServerTools[] = servers.map((s) => ({ serverId: s.id, serverName: s.name, tools: s.lists.tools }));
    if (options?.tools) offered = offered.map((o) => ({ ...o, tools: o.tools.filter((t) => options.tools!.includes(t.name)) }));
    else if (!options) {
      const picked = await pickTools(offered, last.tools);
      if (!picked) return undefined;
      offered = picked;
      last.tools = offered.flatMap((o) => o.tools.map((t) => key(o.serverName, t.name)));
    }

    const question =
      options?.question ??
      (await vscode.window.showInputBox({ title: 'Ask a Model with Tools (4/4): question', prompt: `Ask ${sanitizeLabel(model.name, 60)}; it may call the tools you picked (each call is confirmed as in Run Tool).`, value: last.question, ignoreFocusOut: true }));
    if (!question) return undefined;
    last.question = question;

    const tools = modelToolsFor(offered);
    for (const w of tools.warnings) deps.logs.host.warn(`Ask a Model with Tools: ${w}`);
    const chat = new LanguageModelChat(model, 'MCP Host runs the tools you picked for your question');
    const run = serverToolRunner({ server: (id) => deps.registry.get(id), approve: (s, t, a) => deps.approver.approve(s, t, a), requestOptions: (s) => requestTimeoutsFor(s.definition.entry) });
    // The document opens first so the exchange streams into it.
    const doc = await StreamingDocument.open('# Ask a Model with Tools\n\n_Starting…_\n');
    const transcript = await withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Asking ${sanitizeLabel(model.name, 60)} with ${tools.tools.length} tool(s)`, cancellable: true },
      async (_progress, token) => {
        const abort = new AbortController();
        const sub = token.onCancellationRequested(() => abort.abort());
        const outer = options?.signal;
        const onOuter = () => abort.abort();
        outer?.addEventListener('abort', onOuter, { once: true });
        if (outer?.aborted) abort.abort();
        try {
          return await runToolLoop({
            model: chat,
            tools,
            run,
            question,
            maxRounds: agentMaxRounds(),
            signal: abort.signal,
            onUpdate: (t) => {
              options?.onUpdate?.(t);
              doc.set(transcriptMarkdown(t));
            },
          });
        } finally {
          sub.dispose();
          outer?.removeEventListener('abort', onOuter);
        }
      },
    );
    await doc.flush(transcriptMarkdown(transcript));
    if (transcript.end?.kind === 'modelFailed') void showMessage('error', `The language model request failed: ${sanitizeLabel(transcript.end.message, 300)}`);
    return { transcript, document: doc.document.uri };
  };
}

interface ServerItem extends vscode.QuickPickItem {
  readonly server: ServerHandle;
}

async function pickServers(deps: FeatureDeps, lastNames: readonly string[]): Promise<ServerHandle[] | undefined> {
  const servers = deps.registry.servers.filter((s) => !s.definition.entry.disabled);
  if (servers.length === 0) {
    void showMessage('info', 'No MCP servers are configured. Add one with "MCP Host: Add Server...".');
    return undefined;
  }
  const items: ServerItem[] = servers.map((s) => ({
    label: sanitizeLabel(s.name, 80),
    description: s.state.kind === 'running' ? `${s.lists.tools.length} tools` : `${s.state.kind} (started when picked)`,
    picked: lastNames.includes(s.name),
    server: s,
  }));
  const picked = await vscode.window.showQuickPick(items, { title: 'Ask a Model with Tools (2/4): servers whose tools to offer', canPickMany: true });
  return picked?.map((p) => p.server);
}

interface ToolItem extends vscode.QuickPickItem {
  readonly serverIndex: number;
  readonly toolIndex: number;
}

async function pickTools(offered: readonly ServerTools[], lastKeys: readonly string[] | undefined): Promise<ServerTools[] | undefined> {
  const items: ToolItem[] = offered.flatMap((o, serverIndex) =>
    o.tools.map((t, toolIndex) => ({
      label: sanitizeLabel(t.name, 80),
      description: sanitizeLabel(o.serverName, 60),
      detail: t.description ? sanitizeLabel(t.description, 160) : undefined,
      picked: lastKeys ? lastKeys.includes(key(o.serverName, t.name)) : true,
      serverIndex,
      toolIndex,
    })),
  );
  const picked = await vscode.window.showQuickPick(items, { title: 'Ask a Model with Tools (3/4): tools to offer', canPickMany: true, matchOnDescription: true });
  if (!picked) return undefined;
  return offered.map((o, i) => ({ ...o, tools: picked.filter((p) => p.serverIndex === i).map((p) => o.tools[p.toolIndex]!) }));
}
