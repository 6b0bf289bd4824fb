/**
 * The one module that imports `@modelcontextprotocol/sdk` (lint-enforced, eslint.config.mjs): exactly what MCP Host
 * uses of it, so a move to the v2 packages starts from this list. ./sdk.ts (the client adapter) and
 * ./sdkResults.ts (lenient validation) build on it; everything else imports from ./sdk.ts, and SDK values only
 * through ./loadSdk.ts, which keeps the SDK (and zod) out of activation.
 */
export { Client } from '@modelcontextprotocol/sdk/client/index.js';
export type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
export {
  CallToolResultSchema,
  CompleteResultSchema,
  ContentBlockSchema,
  ElicitationCompleteNotificationSchema,
  ErrorCode,
  GetPromptResultSchema,
  LATEST_PROTOCOL_VERSION,
  LoggingMessageNotificationSchema,
  McpError,
  PromptListChangedNotificationSchema,
  PromptSchema,
  ProgressNotificationSchema,
  ReadResourceResultSchema,
  RELATED_TASK_META_KEY,
  ResourceListChangedNotificationSchema,
  ResourceSchema,
  ResourceTemplateSchema,
  ResourceUpdatedNotificationSchema,
  ResultSchema,
  SUPPORTED_PROTOCOL_VERSIONS,
  ToolListChangedNotificationSchema,
  ToolSchema,
} from '@modelcontextprotocol/sdk/types.js';
export type {
  CallToolResult,
  ClientCapabilities,
  ClientRequest,
  CompleteResult,
  ContentBlock,
  GetPromptResult,
  Implementation,
  JSONRPCMessage,
  Prompt,
  PromptMessage,
  ReadResourceResult,
  Resource,
  ResourceContents,
  ResourceTemplate,
  ServerCapabilities,
  Tool,
  ToolAnnotations,
} from '@modelcontextprotocol/sdk/types.js';
