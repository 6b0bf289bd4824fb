/**
 * MCP results and resource contents -> what the editor shows: bounded documents with a language, exact text
 * for inserting, and decoded binaries/resources for the UI's actions. Pure logic: no `vscode`.
 */
export { renderToolResult, partsFromBlocks, describePart, DEFAULT_MAX_DISPLAY_BYTES, TOOL_ERROR_HEADING } from './toolResult';
export type { RenderOptions, RenderedResult } from './toolResult';
export { renderResourceContents } from './resource';
export type { RenderedResource } from './resource';
export { renderPromptMessages } from './prompt';
export type { RenderedPrompt } from './prompt';
export type { BinaryPart, ResourcePart, TextPart, StructuredPart, UnknownPart, RenderedPart } from './parts';
export { decodeBase64, suggestFileName } from './parts';
export { languageFromMimeType, languageFromFileName, extensionForMimeType, fileNameFromUri, safeFileName, formatBytes, essenceOf } from './language';
export { isJsonDocument, reindentJson, fenceFor, truncationMarker, BoundedDocumentBuilder, JSON_PARSE_LIMIT } from './text';
export type { BoundedDocument } from './text';
