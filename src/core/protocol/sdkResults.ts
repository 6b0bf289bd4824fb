/**
 * Lenient validation of what servers send (part of the SDK seam: loaded with ./sdk.ts, never at activation; the
 * SDK's schemas come through ./sdkImports.ts).
 * Every list item and result is checked on its own, so a misbehaving server yields warnings, not failures; the
 * common shapes skip zod (10,000 tools in a few ms).
 */
import {
  CallToolResultSchema,
  CompleteResultSchema,
  ContentBlockSchema,
  ErrorCode,
  GetPromptResultSchema,
  PromptSchema,
  ReadResourceResultSchema,
  ResourceSchema,
  ResourceTemplateSchema,
  ToolSchema,
} from './sdkImports';
import type { CallToolResult, CompleteResult, GetPromptResult, Prompt, ReadResourceResult, Resource, ResourceTemplate, Tool } from './sdkImports';
import { RpcError } from './errors';

type Checked<T> = { readonly value: T; readonly problems: readonly string[] } | { readonly error: string };
const noProblems: readonly string[] = [];

function describeIssues(error: { issues: readonly { path: readonly PropertyKey[]; message: string }[] }): string {
  return error.issues
    .slice(0, 3)
    .map((i) => (i.path.length ? `${i.path.map(String).join('.')}: ${i.message}` : i.message))
    .join('; ');
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const annotationHints: readonly string[] = ['readOnlyHint', 'destructiveHint', 'idempotentHint', 'openWorldHint'];
const taskSupportValues: readonly string[] = ['required', 'optional', 'forbidden'];

/** An object schema as ToolSchema requires one: `type: 'object'`, properties are objects, required is strings. */
function isObjectSchema(v: unknown): v is Record<string, unknown> {
  if (!isObject(v) || v.type !== 'object') return false;
  const { properties, required } = v;
  if (properties !== undefined) {
    if (!isObject(properties)) return false;
    for (const k in properties) {
      const p = properties[k];
      if (typeof p !== 'object' || p === null) return false;
    }
  }
  if (required !== undefined) {
    if (!Array.isArray(required)) return false;
    for (const r of required) if (typeof r !== 'string') return false;
  }
  return true;
}

/**
 * ToolSchema.parse for the common shapes, without zod (10,000 tools: ~40 ms with zod, a few ms here): the same
 * fields (unknown top-level fields dropped), or undefined for anything less plain (icons, unusual annotations or
 * execution, any invalid field), which then goes through zod as before. The object is the one JSON.parse made for
 * this message and nothing else holds it, so a plain tool is returned as it is (no copy per tool); only one with
 * unknown fields is copied without them.
 */
function fastTool(raw: unknown): Tool | undefined {
  if (!isObject(raw) || typeof raw.name !== 'string' || !isObjectSchema(raw.inputSchema)) return undefined;
  let unknownFields = false;
  for (const k in raw) {
    const v = raw[k];
    switch (k) {
      case 'name':
      case 'inputSchema':
        break;
      case 'title':
      case 'description':
        if (typeof v !== 'string') return undefined;
        break;
      case 'outputSchema':
        if (!isObjectSchema(v)) return undefined;
        break;
      case 'annotations': {
        if (!isObject(v)) return undefined;
        for (const a in v) {
          const av = v[a];
          if (a === 'title' ? typeof av !== 'string' : !annotationHints.includes(a) || typeof av !== 'boolean') return undefined;
        }
        break;
      }
      case '_meta':
        if (!isObject(v)) return undefined;
        break;
      case 'execution': {
        // The SDK's McpServer sends { taskSupport: 'forbidden' } with every tool.
        if (!isObject(v)) return undefined;
        for (const e in v) if (e !== 'taskSupport' || !taskSupportValues.includes(v[e] as string)) return undefined;
        break;
      }
      case 'icons':
        return undefined;
      default:
        unknownFields = true; // stripped below, as z.object does
    }
  }
  if (!unknownFields) return raw as unknown as Tool;
  const out: Record<string, unknown> = {};
  for (const k of knownToolFields) if (k in raw) out[k] = raw[k];
  return out as unknown as Tool;
}

const knownToolFields = ['name', 'title', 'description', 'inputSchema', 'outputSchema', 'annotations', '_meta', 'execution'] as const;

/** A tool as listed: valid ones pass; an invalid input/output schema is replaced (and reported), no name drops it. */
export function checkTool(raw: unknown): Checked<Tool> {
  const fast = fastTool(raw);
  if (fast) return { value: fast, problems: noProblems };
  const ok = ToolSchema.safeParse(raw);
  if (ok.success) return { value: ok.data, problems: [] };
  if (!isObject(raw) || typeof raw.name !== 'string' || raw.name === '') return { error: `invalid tool entry: ${describeIssues(ok.error)}` };
  const problems: string[] = [];
  const fixed: Record<string, unknown> = { ...raw };
  const inputOk = isObject(raw.inputSchema) && raw.inputSchema.type === 'object';
  if (!inputOk) {
    problems.push(`has an invalid input schema (${JSON.stringify(raw.inputSchema)?.slice(0, 120) ?? 'missing'}); arguments are sent as entered`);
    fixed.inputSchema = { type: 'object' };
  }
  if (raw.outputSchema !== undefined && !(isObject(raw.outputSchema) && raw.outputSchema.type === 'object')) {
    problems.push('has an invalid output schema (ignored)');
    delete fixed.outputSchema;
  }
  const again = ToolSchema.safeParse(fixed);
  if (again.success) return { value: again.data, problems };
  // Keep what we can: name, description, the replaced schema.
  const minimal = ToolSchema.safeParse({
    name: raw.name,
    ...(typeof raw.description === 'string' ? { description: raw.description } : {}),
    inputSchema: inputOk ? raw.inputSchema : { type: 'object' },
  });
  if (minimal.success) return { value: minimal.data, problems: [...problems, `has invalid fields (${describeIssues(again.error)}); they were dropped`] };
  return { error: `invalid tool entry "${raw.name}": ${describeIssues(ok.error)}` };
}

function checkWith<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }, what: string) {
  return (raw: unknown): Checked<T> => {
    const r = schema.safeParse(raw);
    return r.success ? { value: r.data, problems: [] } : { error: `invalid ${what} entry: ${describeIssues(r.error)}` };
  };
}

export const checkResource: (raw: unknown) => Checked<Resource> = checkWith<Resource>(ResourceSchema, 'resource');
export const checkResourceTemplate: (raw: unknown) => Checked<ResourceTemplate> = checkWith<ResourceTemplate>(ResourceTemplateSchema, 'resource template');
export const checkPrompt: (raw: unknown) => Checked<Prompt> = checkWith<Prompt>(PromptSchema, 'prompt');

/** Result parsers: never throw on a server's mistakes when the result is still usable. */
export function toCallToolResult(raw: Record<string, unknown>): { value: CallToolResult; problems: string[] } {
  const ok = CallToolResultSchema.safeParse(raw);
  if (ok.success) return { value: ok.data, problems: [] };
  const problems: string[] = [];
  let content: unknown[] = [];
  if (Array.isArray(raw.content)) {
    content = raw.content.map((b) => {
      if (ContentBlockSchema.safeParse(b).success) return b;
      problems.push('an invalid content block was shown as JSON');
      return { type: 'text', text: JSON.stringify(b) ?? String(b) };
    });
  } else if ('toolResult' in raw) {
    // 2024-10-07 servers answer { toolResult }.
    content = [{ type: 'text', text: typeof raw.toolResult === 'string' ? raw.toolResult : JSON.stringify(raw.toolResult) }];
  } else if (raw.content !== undefined) {
    problems.push('the result content was not a list');
  }
  const value: Record<string, unknown> = { content };
  if (isObject(raw.structuredContent)) value.structuredContent = raw.structuredContent;
  else if (raw.structuredContent !== undefined) problems.push('structuredContent was not an object (ignored)');
  if (typeof raw.isError === 'boolean') value.isError = raw.isError;
  if (isObject(raw._meta)) value._meta = raw._meta;
  const again = CallToolResultSchema.safeParse(value);
  if (again.success) return { value: again.data, problems };
  return { value: { content: [{ type: 'text', text: JSON.stringify(raw) }] }, problems: [...problems, 'the result was shown as JSON'] };
}

export function toReadResourceResult(raw: Record<string, unknown>): ReadResourceResult {
  const ok = ReadResourceResultSchema.safeParse(raw);
  if (ok.success) return ok.data;
  // Keep the entries that are valid; the rest are reported by the caller through the count.
  const contents = Array.isArray(raw.contents) ? raw.contents : [];
  const valid = contents.filter((c) => ReadResourceResultSchema.safeParse({ contents: [c] }).success);
  if (valid.length === 0 && contents.length > 0) throw new RpcError(ErrorCode.InternalError, `invalid resources/read answer: ${describeIssues(ok.error)}`);
  return ReadResourceResultSchema.parse({ contents: valid });
}

export function toGetPromptResult(raw: Record<string, unknown>): GetPromptResult {
  const ok = GetPromptResultSchema.safeParse(raw);
  if (ok.success) return ok.data;
  throw new RpcError(ErrorCode.InternalError, `invalid prompts/get answer: ${describeIssues(ok.error)}`);
}

export function toCompleteResult(raw: Record<string, unknown>): CompleteResult {
  const ok = CompleteResultSchema.safeParse(raw);
  if (ok.success) return ok.data;
  throw new RpcError(ErrorCode.InternalError, `invalid completion/complete answer: ${describeIssues(ok.error)}`);
}
