/**
 * MCP tools -> model tool definitions. Models accept names matching `[a-zA-Z0-9_-]{1,64}` and a bounded number
 * of tools (VS Code's chat caps at 128); MCP names may be longer, hold dots or spaces, and repeat across
 * servers. Names are made valid and unique here and mapped back to the server and tool they stand for.
 */
import { sanitizeText } from '../base/sanitize';
import { byteLength } from '../content/text';
import type { ModelTool, ToolTarget } from './types';

/** Tools offered to one model request at most (VS Code's chat cap). */
export const MAX_MODEL_TOOLS = 128;
/** A description longer than this is cut (and says so). */
export const MAX_DESCRIPTION_CHARS = 4000;
/** An input schema bigger than this (JSON, UTF-8) is replaced by a bare object schema. */
export const MAX_SCHEMA_BYTES = 32 * 1024;
const NAME_MAX = 64;

/** The tools of one server to offer. */
export interface ServerTools {
  readonly serverId: string;
  readonly serverName: string;
  readonly tools: readonly { readonly name: string; readonly description?: string; readonly inputSchema?: unknown }[];
}

/** The definitions to send, the way back from a model name, and what was left out or changed. */
export interface ModelToolSet {
  readonly tools: readonly ModelTool[];
  /** Model tool name -> the MCP tool. */
  readonly targets: ReadonlyMap<string, ToolTarget>;
  /** Per model tool: its definition's size as sent (UTF-8 bytes of its JSON). */
  readonly bytes: ReadonlyMap<string, number>;
  /** For people: tools left out (over the cap) and schemas replaced (too big). Server names sanitised. */
  readonly warnings: readonly string[];
}

/** `[a-zA-Z0-9_-]` only, at most `max` characters, never empty. */
export function modelSafeName(name: string, max = NAME_MAX): string {
  const safe = name.replace(/[^a-zA-Z0-9_-]+/g, '_').slice(0, max);
  return safe.length > 0 ? safe : 'tool';
}

function uniqueName(base: string, taken: Set<string>): string {
  if (!taken.has(base)) return base;
  for (let i = 2; ; i++) {
    const suffix = `_${i}`;
    const candidate = `${base.slice(0, NAME_MAX - suffix.length)}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}

function boundedSchema(schema: unknown): { schema: Record<string, unknown>; bytes: number; replaced: boolean } {
  const obj = typeof schema === 'object' && schema !== null && !Array.isArray(schema) ? (schema as Record<string, unknown>) : undefined;
  let json: string | undefined;
  try {
    json = obj ? JSON.stringify(obj) : undefined;
  } catch {
    json = undefined; // not JSON (cannot happen for parsed messages): treated as missing
  }
  if (!obj || json === undefined) return { schema: { type: 'object', properties: {} }, bytes: 0, replaced: false };
  const bytes = byteLength(json);
  if (bytes > MAX_SCHEMA_BYTES) return { schema: { type: 'object' }, bytes, replaced: true };
  return { schema: obj, bytes, replaced: false };
}

/**
 * Model tool definitions for `servers` (in order), at most `maxTools`. A tool keeps its own name when that is
 * valid and unique; otherwise `<server>_<tool>` made valid, with `_2`, `_3`… where still taken.
 */
export function modelToolsFor(servers: readonly ServerTools[], maxTools = MAX_MODEL_TOOLS): ModelToolSet {
  const tools: ModelTool[] = [];
  const targets = new Map<string, ToolTarget>();
  const bytes = new Map<string, number>();
  const warnings: string[] = [];
  const counts = new Map<string, number>();
  for (const s of servers) for (const t of s.tools) counts.set(modelSafeName(t.name), (counts.get(modelSafeName(t.name)) ?? 0) + 1);
  const taken = new Set<string>();
  let left = 0;
  for (const s of servers) {
    for (const t of s.tools) {
      if (tools.length >= maxTools) {
        left++;
        continue;
      }
      const own = modelSafeName(t.name);
      const base = own === t.name && counts.get(own) === 1 ? own : modelSafeName(`${s.serverName}_${t.name}`);
      const name = uniqueName(base, taken);
      taken.add(name);
      const { schema, bytes: schemaBytes, replaced } = boundedSchema(t.inputSchema);
      let description = sanitizeText(t.description ?? '').trim();
      if (description.length > MAX_DESCRIPTION_CHARS) description = `${description.slice(0, MAX_DESCRIPTION_CHARS)}… (cut)`;
      if (replaced) {
        description += `${description ? '\n' : ''}(The input schema, ${schemaBytes} bytes, was too big to send; pass an object.)`;
        warnings.push(`The input schema of "${sanitizeText(t.name).slice(0, 80)}" (${sanitizeText(s.serverName).slice(0, 80)}) is ${schemaBytes} bytes, over ${MAX_SCHEMA_BYTES}: a bare object schema was sent.`);
      }
      const tool: ModelTool = { name, description, inputSchema: schema };
      tools.push(tool);
      targets.set(name, { serverId: s.serverId, serverName: s.serverName, toolName: t.name });
      bytes.set(name, definitionBytes(tool));
    }
  }
  if (left > 0) warnings.push(`${left} tool(s) left out: a model is offered at most ${maxTools} tools.`);
  return { tools, targets, bytes, warnings };
}

/** The text a model's context pays for one tool: its definition as JSON. */
export function definitionText(tool: ModelTool): string {
  return JSON.stringify({ name: tool.name, description: tool.description, inputSchema: tool.inputSchema });
}

/** UTF-8 bytes of `definitionText(tool)`. */
export function definitionBytes(tool: ModelTool): number {
  return byteLength(definitionText(tool));
}
