/**
 * The one allowed fake: a language model. Each step sees the conversation so far and returns the parts to
 * stream; the model records what it was sent. A step may also wait (streaming slowly) until the signal aborts.
 */
import type { ChatMessage, ChatModel, ChatPart, ModelTool } from '../../../src/core/agent';

export type Step = (messages: readonly ChatMessage[], tools: readonly ModelTool[]) => ChatPart[] | 'hang';

export class ScriptedModel implements ChatModel {
  readonly name = 'scripted';
  readonly requests: { messages: ChatMessage[]; tools: readonly ModelTool[] }[] = [];
  constructor(
    private readonly steps: readonly Step[],
    readonly acceptsImages = false,
  ) {}

  async *send(messages: readonly ChatMessage[], tools: readonly ModelTool[], signal: AbortSignal): AsyncIterable<ChatPart> {
    this.requests.push({ messages: [...messages], tools });
    const step = this.steps[Math.min(this.requests.length - 1, this.steps.length - 1)]!;
    const parts = step(messages, tools);
    if (parts === 'hang') {
      yield { type: 'text', text: 'thinking…' };
      await new Promise<void>((_, reject) => signal.addEventListener('abort', () => reject(new Error('model request cancelled')), { once: true }));
      return;
    }
    for (const p of parts) {
      await new Promise((r) => setImmediate(r));
      yield p;
    }
  }
}

/** The text of the last tool result the model was handed. */
export function lastResultText(messages: readonly ChatMessage[]): string {
  const last = [...messages].reverse().find((m) => m.role === 'user' && m.toolResults?.length);
  if (!last || last.role !== 'user') return '';
  return (last.toolResults ?? []).flatMap((r) => r.parts.map((p) => (p.type === 'text' ? p.text : `<image ${p.mimeType}>`))).join('\n');
}

export const call = (name: string, input: Record<string, unknown>, callId = `c-${name}`): ChatPart => ({ type: 'toolCall', callId, name, input });
export const text = (t: string): ChatPart => ({ type: 'text', text: t });
