/**
 * Sampling through the editor's language models (`vscode.lm`): the first request of a server asks allow once /
 * always / never (the core remembers always and never per server definition), the user sees and can edit the
 * request's last user message before it is sent (everything else the model gets, system prompt and earlier
 * messages, in a read-only view beside it) and the answer before it returns, `maxTokens` and the temperature
 * go to the model as options, tools (2025-11-25) are passed where the engine's API has them, and a withdrawn
 * question (the outer call ended, timed out or was cancelled) cancels the model request.
 */
import * as vscode from 'vscode';
import { sanitizeMessage, sanitizeText } from '../../core/base/sanitize';
import { samplingContextText } from '../../core/session/asks/sampling';
import { safeDocument } from '../../core/trust/safeDocument';
import type { AskContext, ModelInfo, Sampler, SamplingConsent, SamplingRequest, SamplingResult } from '../../core/session/asks/types';

interface ConsentItem extends vscode.QuickPickItem {
  readonly consent: SamplingConsent;
}

/** An input box that resolves its accepted text, or undefined (Escape, or withdrawn). Title and prompt are sanitised whole. */
function editText(title: string, prompt: string, value: string, signal: AbortSignal): Promise<string | undefined> {
  return new Promise((resolve) => {
    const box = vscode.window.createInputBox();
    box.title = sanitizeMessage(title, 300);
    box.prompt = sanitizeMessage(prompt, 600);
    box.value = value;
    box.ignoreFocusOut = true;
    let done = false;
    const finish = (v: string | undefined) => {
      if (done) return;
      done = true;
      signal.removeEventListener('abort', onAbort);
      resolve(v);
      box.dispose();
    };
    const onAbort = () => finish(undefined);
    signal.addEventListener('abort', onAbort, { once: true });
    box.onDidAccept(() => finish(box.value));
    box.onDidHide(() => finish(undefined));
    box.show();
  });
}

function textOf(blocks: readonly Record<string, unknown>[]): string {
  return blocks
    .filter((b) => b.type === 'text' && typeof b.text === 'string')
    .map((b) => b.text as string)
    .join('\n');
}

/** The rest of a sampling request (server text, made inert) in a read-only view beside the editor, focus kept. */
async function showRestOfRequest(server: string, rest: string): Promise<void> {
  const header = `What MCP server "${server}" sends to the model besides the message you review:\n\n`;
  const shown = safeDocument(sanitizeText(header + rest), 'plaintext');
  const doc = await vscode.workspace.openTextDocument({ language: 'plaintext', content: shown.text });
  await vscode.window.showTextDocument(doc, { preview: true, preserveFocus: true, viewColumn: vscode.ViewColumn.Beside });
}

/** Whether this engine's vscode.lm takes tools in sendRequest (1.93+). */
function engineHasTools(): boolean {
  return typeof (vscode as { LanguageModelToolCallPart?: unknown }).LanguageModelToolCallPart === 'function';
}

export class LanguageModelSampler implements Sampler {
  readonly supportsTools = engineHasTools();

  async models(): Promise<readonly ModelInfo[]> {
    const list = await vscode.lm.selectChatModels();
    return list.map((m) => ({ id: m.id, name: m.name, vendor: m.vendor, family: m.family, maxInputTokens: m.maxInputTokens }));
  }

  async consent(ctx: AskContext): Promise<SamplingConsent | undefined> {
    return new Promise((resolve) => {
      const qp = vscode.window.createQuickPick<ConsentItem>();
      qp.title = sanitizeMessage(`MCP server "${ctx.server.name}" wants to use a language model`, 300);
      qp.placeholder = 'You will see each request before it is sent and each answer before it is returned.';
      qp.items = [
        { label: 'Allow once', description: 'this request only', consent: 'once' },
        { label: 'Always allow', description: 'remembered for this server', consent: 'always' },
        { label: 'Never allow', description: 'remembered for this server', consent: 'never' },
      ];
      qp.ignoreFocusOut = true;
      let done = false;
      const finish = (c: SamplingConsent | undefined) => {
        if (done) return;
        done = true;
        ctx.signal.removeEventListener('abort', onAbort);
        resolve(c);
        qp.dispose();
      };
      const onAbort = () => finish(undefined);
      ctx.signal.addEventListener('abort', onAbort, { once: true });
      qp.onDidAccept(() => finish(qp.selectedItems[0]?.consent ?? qp.activeItems[0]?.consent));
      qp.onDidHide(() => finish(undefined));
      qp.show();
    });
  }

  async run(request: SamplingRequest, info: ModelInfo, ctx: AskContext): Promise<SamplingResult | undefined> {
    const server = ctx.server.name;
    const [model] = await vscode.lm.selectChatModels({ id: info.id });
    if (!model) return undefined;
    const lastUser = request.messages.map((m) => m.role).lastIndexOf('user');
    const original = lastUser >= 0 ? textOf(request.messages[lastUser]!.content) : '';
    const rest = samplingContextText(request, lastUser);
    if (rest !== undefined) await showRestOfRequest(server, rest);
    const edited = await editText(
      `MCP server "${server}" asks ${info.name} (up to ${request.maxTokens} tokens)`,
      rest === undefined
        ? 'Review or edit the message the server wants to send; Enter sends it, Escape refuses.'
        : 'Review or edit the message the server wants to send; the rest of the request (shown beside) goes with it. Enter sends it, Escape refuses.',
      original,
      ctx.signal,
    );
    if (edited === undefined) return undefined;
    const messages = request.messages.map((m, i) => {
      const text = i === lastUser ? edited : textOf(m.content);
      const withSystem = i === 0 && request.systemPrompt ? `${request.systemPrompt}\n\n${text}` : text;
      return m.role === 'user' ? vscode.LanguageModelChatMessage.User(withSystem) : vscode.LanguageModelChatMessage.Assistant(withSystem);
    });
    const cts = new vscode.CancellationTokenSource();
    const onAbort = () => cts.cancel();
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    try {
      const options: vscode.LanguageModelChatRequestOptions = {
        justification: sanitizeMessage(`MCP server "${server}" asks for a completion`, 300),
        modelOptions: { maxTokens: request.maxTokens, ...(request.temperature !== undefined ? { temperature: request.temperature } : {}) },
        ...(this.supportsTools && request.tools && request.toolChoice?.mode !== 'none'
          ? {
              tools: request.tools.map((t) => ({ name: t.name, description: t.description ?? '', inputSchema: t.inputSchema })),
              toolMode: request.toolChoice?.mode === 'required' ? vscode.LanguageModelChatToolMode.Required : vscode.LanguageModelChatToolMode.Auto,
            }
          : {}),
      };
      const response = await model.sendRequest(messages, options, cts.token);
      let text = '';
      const toolUses: Record<string, unknown>[] = [];
      for await (const part of response.stream) {
        if (part instanceof vscode.LanguageModelTextPart) text += part.value;
        else if (this.supportsTools && part instanceof vscode.LanguageModelToolCallPart) toolUses.push({ type: 'tool_use', id: part.callId, name: part.name, input: part.input });
        if (text.length > request.maxTokens * 16) break; // a model that ignores maxTokens cannot return unbounded text
      }
      if (toolUses.length > 0) {
        return { role: 'assistant', content: [...(text ? [{ type: 'text', text }] : []), ...toolUses], model: info.id, stopReason: 'toolUse' };
      }
      const answer = await editText(
        `Answer of ${info.name} for MCP server "${server}"`,
        'Review or edit the answer before it is returned to the server; Enter returns it, Escape refuses.',
        text,
        ctx.signal,
      );
      if (answer === undefined) return undefined;
      return { role: 'assistant', content: { type: 'text', text: answer }, model: info.id, stopReason: 'endTurn' };
    } finally {
      ctx.signal.removeEventListener('abort', onAbort);
      cts.dispose();
    }
  }
}
