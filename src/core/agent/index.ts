/**
 * Tools in a model's hands (issue #17): MCP tools as model tool definitions, the tools/list -> model ->
 * tools/call loop over an injected ChatModel and ToolRunner, its transcript, and what each tool costs a model's
 * context. No `vscode`: the adapter passes the editor's language model in.
 */
export type { ChatMessage, ChatModel, ChatPart, ModelTool, ModelToolCall, ModelToolResult, ModelResultPart, ToolRunner, ToolRunOutcome, ToolTarget } from './types';
export { modelToolsFor, modelSafeName, definitionText, definitionBytes, MAX_MODEL_TOOLS, MAX_SCHEMA_BYTES } from './toolDefs';
export type { ModelToolSet, ServerTools } from './toolDefs';
export { resultForModel } from './results';
export { serverToolRunner } from './runner';
export type { ServerToolRunnerDeps } from './runner';
export { runToolLoop, DEFAULT_MAX_ROUNDS } from './loop';
export type { Transcript, TranscriptRound, TranscriptCall, LoopEnd, ToolLoopOptions } from './loop';
export { transcriptMarkdown } from './transcript';
export { contextCost, costMarkdown, serverDefinitionBytes } from './cost';
export type { ContextCost, CostSort, ServerCost, ToolCost } from './cost';
