/**
 * `mcpHost.showContextCost` (Show Context Cost): what each server's and each tool's definition costs a model's
 * context, in bytes and in tokens of a chosen language model (`countTokens`), as a markdown table sorted as the
 * user picks, with totals. Without a model the table has bytes only and says how to get one. The server totals
 * in tokens are kept for the tree's tooltip.
 *
 * For tests: `executeCommand('mcpHost.showContextCost', { modelId, sort })` skips the pickers.
 */
import * as vscode from 'vscode';
import { showMessage, withProgress } from '../messages';
import { contextCost, costMarkdown, type ContextCost, type CostSort } from '../../core/agent';
import type { FeatureDeps } from '../contracts';
import { pickModel } from './lmChatModel';
import { rememberTokenTotals } from './costMemory';

export interface ContextCostOptions {
  /** Count tokens with this model; undefined = bytes only. */
  readonly modelId?: string;
  readonly sort?: CostSort;
}

export interface ContextCostOutcome {
  readonly cost: ContextCost;
  readonly document: vscode.Uri;
}

const SORTS: readonly (vscode.QuickPickItem & { sort: CostSort })[] = [
  { label: 'Most tokens first', sort: 'tokens' },
  { label: 'Most bytes first', sort: 'bytes' },
  { label: 'By name', sort: 'name' },
];

export function showContextCostCommand(deps: FeatureDeps) {
  let lastModel: string | undefined;
  return async (options?: ContextCostOptions): Promise<ContextCostOutcome | undefined> => {
    const servers = deps.registry.servers.filter((s) => s.lists.tools.length > 0);
    if (servers.length === 0) {
      void showMessage('info', 'No MCP server has listed tools yet: start a server, then run Show Context Cost again.');
      return undefined;
    }
    const models = await vscode.lm.selectChatModels();
    let model: vscode.LanguageModelChat | undefined;
    if (options) model = models.find((m) => m.id === options.modelId);
    else if (models.length > 0) {
      model = await pickModel(models, 'Show Context Cost: count tokens with', lastModel);
      if (!model) return undefined;
    } else {
      void showMessage('info', 'No language model is available, so the cost is shown in bytes only. Install an extension that provides a language model (for example GitHub Copilot Chat) to see tokens.');
    }
    lastModel = model?.id;
    const sort = options?.sort ?? (await vscode.window.showQuickPick(SORTS, { title: 'Show Context Cost: sort' }))?.sort;
    if (!sort) return undefined;
    const cost = await withProgress(
      { location: vscode.ProgressLocation.Notification, title: 'Measuring tool definitions', cancellable: true },
      async (_p, token) => {
        const abort = new AbortController();
        const sub = token.onCancellationRequested(() => abort.abort());
        try {
          const counter = model ? { modelName: model.name, count: (text: string) => Promise.resolve(model.countTokens(text, token)) } : undefined;
          return await contextCost(servers.map((s) => ({ serverId: s.id, serverName: s.name, tools: s.lists.tools })), counter, abort.signal);
        } finally {
          sub.dispose();
        }
      },
    );
    if (model) rememberTokenTotals(cost);
    const document = await vscode.workspace.openTextDocument({ language: 'markdown', content: costMarkdown(cost, sort) });
    await vscode.window.showTextDocument(document, { preview: false });
    return { cost, document: document.uri };
  };
}
