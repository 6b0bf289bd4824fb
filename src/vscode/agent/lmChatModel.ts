/**
 * The core's ChatModel over one of the editor's language models (`vscode.lm`): messages with tool calls and
 * tool results in the API's parts, the tools as LanguageModelChatTool definitions, the answer streamed, the
 * request cancelled with the loop's signal. Images go back only where the engine has data parts and the model
 * says it takes images.
 */
import * as vscode from 'vscode';
import { showMessage } from '../messages';
import type { ChatMessage, ChatModel, ChatPart, ModelResultPart, ModelTool } from '../../core/agent';

type DataPartCtor = { image(data: Uint8Array, mimeType: string): unknown };

/** `vscode.LanguageModelDataPart` where the engine has it (finalized after 1.100). */
function dataPart(): DataPartCtor | undefined {
  const c = (vscode as unknown as { LanguageModelDataPart?: DataPartCtor }).LanguageModelDataPart;
  return typeof c?.image === 'function' ? c : undefined;
}

function resultContent(parts: readonly ModelResultPart[]): unknown[] {
  const data = dataPart();
  return parts.map((p) => (p.type === 'text' ? new vscode.LanguageModelTextPart(p.text) : data ? data.image(p.data, p.mimeType) : new vscode.LanguageModelTextPart(`[image ${p.mimeType}]`)));
}

function toVscode(m: ChatMessage): vscode.LanguageModelChatMessage {
  if (m.role === 'assistant') {
    const parts: (vscode.LanguageModelTextPart | vscode.LanguageModelToolCallPart)[] = [];
    if (m.text) parts.push(new vscode.LanguageModelTextPart(m.text));
    for (const c of m.toolCalls) parts.push(new vscode.LanguageModelToolCallPart(c.callId, c.name, c.input));
    return vscode.LanguageModelChatMessage.Assistant(parts.length ? parts : '');
  }
  const parts: (vscode.LanguageModelTextPart | vscode.LanguageModelToolResultPart)[] = [];
  for (const r of m.toolResults ?? []) parts.push(new vscode.LanguageModelToolResultPart(r.callId, resultContent(r.parts)));
  if (m.text) parts.push(new vscode.LanguageModelTextPart(m.text));
  return vscode.LanguageModelChatMessage.User(parts.length ? parts : '');
}

export class LanguageModelChat implements ChatModel {
  readonly name: string;
  readonly acceptsImages: boolean;

  constructor(
    private readonly model: vscode.LanguageModelChat,
    private readonly justification: string,
  ) {
    this.name = `${model.name} (${model.vendor})`;
    const caps = (model as { capabilities?: { supportsImageToText?: boolean } }).capabilities;
    this.acceptsImages = caps?.supportsImageToText === true && dataPart() !== undefined;
  }

  async *send(messages: readonly ChatMessage[], tools: readonly ModelTool[], signal: AbortSignal): AsyncIterable<ChatPart> {
    const cts = new vscode.CancellationTokenSource();
    const onAbort = () => cts.cancel();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      const response = await this.model.sendRequest(
        messages.map(toVscode),
        {
          justification: this.justification,
          tools: tools.map((t) => ({ name: t.name, description: t.description, inputSchema: t.inputSchema })),
          toolMode: vscode.LanguageModelChatToolMode.Auto,
        },
        cts.token,
      );
      for await (const part of response.stream) {
        if (signal.aborted) return;
        if (part instanceof vscode.LanguageModelTextPart) yield { type: 'text', text: part.value };
        else if (part instanceof vscode.LanguageModelToolCallPart) yield { type: 'toolCall', callId: part.callId, name: part.name, input: part.input as Record<string, unknown> };
      }
    } finally {
      signal.removeEventListener('abort', onAbort);
      cts.dispose();
    }
  }
}

/** The editor's chat models, or undefined with the message already shown (none installed: how to get one). */
export async function chatModelsOrExplain(what: string): Promise<vscode.LanguageModelChat[] | undefined> {
  const models = await vscode.lm.selectChatModels();
  if (models.length > 0) return models;
  const action = 'Find a Language Model Extension';
  void showMessage(
      'warning',
      `${what} needs a language model, and none is available. Install and sign in to an extension that provides one (for example GitHub Copilot Chat), then try again.`,
      action,
    ).then((c) => {
      if (c === action) void vscode.commands.executeCommand('workbench.extensions.search', 'language models');
    });
  return undefined;
}

interface ModelItem extends vscode.QuickPickItem {
  readonly model: vscode.LanguageModelChat;
}

/** A quick pick of `models` (the last chosen first); undefined on Escape. */
export async function pickModel(models: readonly vscode.LanguageModelChat[], title: string, lastId: string | undefined): Promise<vscode.LanguageModelChat | undefined> {
  const items: ModelItem[] = models.map((m) => ({ label: m.name, description: `${m.vendor} · ${m.family}`, detail: `up to ${m.maxInputTokens} input tokens`, model: m }));
  items.sort((a, b) => Number(b.model.id === lastId) - Number(a.model.id === lastId));
  return (await vscode.window.showQuickPick(items, { title, placeHolder: 'Pick a language model' }))?.model;
}
