/**
 * The tool loop's seams: a language model (`ChatModel`, the editor's vscode.lm in the adapter, a scripted model
 * in tests) and a tool runner (the host's servers behind the same approver as Run Tool).
 */

/** A tool as a model sees it: a name valid for models, a description and a JSON Schema of its input. */
export interface ModelTool {
  /** `[a-zA-Z0-9_-]{1,64}`, unique among the tools offered. */
  readonly name: string;
  readonly description: string;
  readonly inputSchema: Record<string, unknown>;
}

/** A tool call the model asked for. */
export interface ModelToolCall {
  readonly callId: string;
  /** The model-side name (see ModelTool.name). */
  readonly name: string;
  readonly input: Record<string, unknown>;
}

/** What goes back to the model for one call: text, and images where the model takes them. */
export type ModelResultPart = { readonly type: 'text'; readonly text: string } | { readonly type: 'image'; readonly mimeType: string; readonly data: Uint8Array };

export interface ModelToolResult {
  readonly callId: string;
  readonly parts: readonly ModelResultPart[];
  /** The call failed, was refused or the server flagged an error (told to the model in the text too). */
  readonly isError: boolean;
}

/** One message of the conversation with the model. */
export type ChatMessage =
  | { readonly role: 'user'; readonly text: string; readonly toolResults?: readonly ModelToolResult[] }
  | { readonly role: 'assistant'; readonly text: string; readonly toolCalls: readonly ModelToolCall[] };

/** A piece of the model's streamed answer. */
export type ChatPart = { readonly type: 'text'; readonly text: string } | ({ readonly type: 'toolCall' } & ModelToolCall);

/** A language model with native tool calling. */
export interface ChatModel {
  /** Shown in the transcript. */
  readonly name: string;
  /** Whether image results may be handed back to this model. */
  readonly acceptsImages: boolean;
  /** Sends the conversation with the tools offered; the answer streams. Must stop when `signal` aborts. */
  send(messages: readonly ChatMessage[], tools: readonly ModelTool[], signal: AbortSignal): AsyncIterable<ChatPart>;
}

/** The MCP tool behind a model tool name. */
export interface ToolTarget {
  readonly serverId: string;
  readonly serverName: string;
  readonly toolName: string;
}

/** What running one tool call came to. */
export type ToolRunOutcome =
  | { readonly kind: 'result'; readonly result: { readonly content?: readonly unknown[]; readonly structuredContent?: unknown; readonly isError?: boolean } }
  | { readonly kind: 'refused'; readonly why: string }
  | { readonly kind: 'failed'; readonly message: string }
  | { readonly kind: 'cancelled' };

/** Runs one call (confirmation included); must stop when `signal` aborts. */
export type ToolRunner = (target: ToolTarget, args: Record<string, unknown>, signal: AbortSignal) => Promise<ToolRunOutcome>;
