/**
 * The classic MCP client loop: the question and the tools go to the model; each tool call it asks for is run
 * (through the runner, so confirmed as Run Tool confirms) and its result handed back; repeat until the model
 * answers without calling tools, the round cap is hit, the user cancels or the model fails. The transcript is
 * data, updated as the answer streams.
 */
import { errorMessage } from '../protocol/errors';
import { resultForModel } from './results';
import type { ModelToolSet } from './toolDefs';
import type { ChatMessage, ChatModel, ModelToolCall, ModelToolResult, ToolRunner, ToolTarget } from './types';

/** Default of `mcpHost.agent.maxRounds`: model requests per question at most. */
export const DEFAULT_MAX_ROUNDS = 10;
/** Tool calls run per round at most; further calls are answered with an error. */
export const MAX_CALLS_PER_ROUND = 32;
/** Model text kept per round at most (characters); a model that streams more is stopped. */
export const MAX_ROUND_TEXT_CHARS = 256 * 1024;

/** One tool call in the transcript. */
export interface TranscriptCall {
  readonly callId: string;
  /** The model-side name. */
  readonly modelName: string;
  /** The MCP tool, when the name mapped to one. */
  readonly target: ToolTarget | undefined;
  readonly args: Record<string, unknown>;
  /** running until it finished; then what came of it. */
  status: 'running' | 'result' | 'error' | 'refused' | 'failed' | 'cancelled' | 'notRun';
  result?: ModelToolResult;
}

export interface TranscriptRound {
  text: string;
  readonly calls: TranscriptCall[];
}

export type LoopEnd =
  | { readonly kind: 'answered' }
  | { readonly kind: 'roundCap'; readonly maxRounds: number }
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'modelFailed'; readonly message: string };

/** The whole exchange: question, each round's text and calls (args, results), the answer and how it ended. */
export interface Transcript {
  readonly question: string;
  readonly modelName: string;
  readonly tools: readonly string[];
  /** UTF-8 bytes of the tool definitions sent with every request (what the tools cost the context). */
  readonly toolBytes: number;
  readonly rounds: TranscriptRound[];
  end: LoopEnd | undefined;
}

export interface ToolLoopOptions {
  readonly model: ChatModel;
  readonly tools: ModelToolSet;
  readonly run: ToolRunner;
  readonly question: string;
  readonly maxRounds?: number;
  readonly signal: AbortSignal;
  /** Called after every change of the transcript (streamed text, a call started or finished, the end). */
  readonly onUpdate?: (t: Transcript) => void;
}

/** Runs the loop to its end; never throws for model or tool failures (they end up in the transcript). */
export async function runToolLoop(o: ToolLoopOptions): Promise<Transcript> {
  const maxRounds = Math.max(1, Math.floor(o.maxRounds ?? DEFAULT_MAX_ROUNDS));
  const t: Transcript = { question: o.question, modelName: o.model.name, tools: o.tools.tools.map((x) => x.name), toolBytes: [...o.tools.bytes.values()].reduce((a, b) => a + b, 0), rounds: [], end: undefined };
  const update = () => o.onUpdate?.(t);
  const finish = (end: LoopEnd): Transcript => {
    t.end = end;
    update();
    return t;
  };
  update();
  const messages: ChatMessage[] = [{ role: 'user', text: o.question }];
  for (let round = 1; ; round++) {
    if (o.signal.aborted) return finish({ kind: 'cancelled' });
    const r: TranscriptRound = { text: '', calls: [] };
    t.rounds.push(r);
    const calls: ModelToolCall[] = [];
    try {
      for await (const part of o.model.send(messages, o.tools.tools, o.signal)) {
        if (o.signal.aborted) break;
        if (part.type === 'text') {
          r.text += part.text;
          if (r.text.length > MAX_ROUND_TEXT_CHARS) {
            r.text = `${r.text.slice(0, MAX_ROUND_TEXT_CHARS)}\n[answer cut: the model sent more than ${MAX_ROUND_TEXT_CHARS} characters]`;
            break;
          }
        } else {
          const input = typeof part.input === 'object' && part.input !== null && !Array.isArray(part.input) ? part.input : {};
          calls.push({ callId: part.callId, name: part.name, input });
          r.calls.push({ callId: part.callId, modelName: part.name, target: o.tools.targets.get(part.name), args: input, status: round >= maxRounds ? 'notRun' : 'running' });
        }
        update();
      }
    } catch (err) {
      if (o.signal.aborted) return finish({ kind: 'cancelled' });
      return finish({ kind: 'modelFailed', message: errorMessage(err) });
    }
    if (o.signal.aborted) return finish({ kind: 'cancelled' });
    if (calls.length === 0) return finish({ kind: 'answered' });
    if (round >= maxRounds) return finish({ kind: 'roundCap', maxRounds });
    const results: ModelToolResult[] = [];
    for (const [i, call] of calls.entries()) {
      const entry = r.calls[i]!;
      const result = await runOne(o, call, entry.target, i);
      entry.result = result.result;
      entry.status = result.status;
      results.push(result.result);
      update();
      if (o.signal.aborted) return finish({ kind: 'cancelled' });
    }
    messages.push({ role: 'assistant', text: r.text, toolCalls: calls }, { role: 'user', text: '', toolResults: results });
  }
}

async function runOne(
  o: ToolLoopOptions,
  call: ModelToolCall,
  target: ToolTarget | undefined,
  index: number,
): Promise<{ result: ModelToolResult; status: TranscriptCall['status'] }> {
  const error = (text: string) => ({ result: { callId: call.callId, isError: true, parts: [{ type: 'text' as const, text }] }, status: 'failed' as const });
  if (index >= MAX_CALLS_PER_ROUND) return error(`Not run: at most ${MAX_CALLS_PER_ROUND} tool calls are run per turn.`);
  if (!target) return error(`There is no tool named "${call.name.slice(0, 80)}". Use one of the tools offered.`);
  const outcome = await o.run(target, call.input, o.signal);
  const result = resultForModel(call.callId, outcome, o.model.acceptsImages);
  const status = outcome.kind === 'result' ? (result.isError ? 'error' : 'result') : outcome.kind;
  return { result, status };
}
