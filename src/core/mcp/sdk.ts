/**
 * The only module that imports `@modelcontextprotocol/sdk` (a later move to the v2 packages is one file).
 * Everything else imports protocol types and the client from here.
 */
export type {
  Tool,
  ToolAnnotations,
  Resource,
  ResourceTemplate,
  Prompt,
  CallToolResult,
  ReadResourceResult,
  GetPromptResult,
  PromptMessage,
  ContentBlock,
  ResourceContents,
  CompleteResult,
  Implementation,
  ServerCapabilities,
} from '@modelcontextprotocol/sdk/types.js';
