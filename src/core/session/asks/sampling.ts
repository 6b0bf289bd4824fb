/**
 * `sampling/createMessage` params -> a validated SamplingRequest, the model a request gets (the server's model
 * preferences mapped onto the models the editor offers, within the server's allow-list), and the per-server consent
 * memory (allow always / never, remembered per server definition).
 */
import type { Memento } from '../../config/types';
import { AnswerError, AnswerErrorCode, type ModelInfo, type ModelPreferences, type SamplingMessage, type SamplingRequest, type SamplingTool } from './types';

export const MAX_SAMPLING_MESSAGES = 200;
export const MAX_SAMPLING_JSON = 4 * 1024 * 1024;
export const MAX_SAMPLING_TOOLS = 128;
/** maxTokens above this is capped (a server cannot make the user pay for an unbounded answer). */
export const MAX_SAMPLING_TOKENS = 32_000;

const contentTypes = new Set(['text', 'image', 'audio', 'tool_use', 'tool_result']);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function invalid(message: string): AnswerError {
  return new AnswerError(AnswerErrorCode.invalidParams, `sampling/createMessage: ${message}`, 'invalidParams');
}

/** Validates the params; throws an AnswerError (-32602) saying what is wrong. */
export function parseSamplingRequest(params: unknown): SamplingRequest {
  if (!isObject(params)) throw invalid('params must be an object with "messages" and "maxTokens"');
  let size = 0;
  try {
    size = JSON.stringify(params).length;
  } catch {
    throw invalid('params are not JSON');
  }
  if (size > MAX_SAMPLING_JSON) throw invalid(`the request is larger than ${MAX_SAMPLING_JSON / 1024 / 1024} MiB`);
  const { messages, maxTokens } = params;
  if (!Array.isArray(messages) || messages.length === 0) throw invalid('"messages" must be a non-empty array');
  if (messages.length > MAX_SAMPLING_MESSAGES) throw invalid(`more than ${MAX_SAMPLING_MESSAGES} messages`);
  if (typeof maxTokens !== 'number' || !Number.isInteger(maxTokens) || maxTokens <= 0) throw invalid('"maxTokens" must be a positive integer');
  const parsed: SamplingMessage[] = messages.map((m, i) => {
    if (!isObject(m) || (m.role !== 'user' && m.role !== 'assistant')) throw invalid(`message ${i} needs "role": "user" or "assistant"`);
    const blocks = Array.isArray(m.content) ? m.content : [m.content];
    for (const b of blocks) {
      if (!isObject(b) || typeof b.type !== 'string' || !contentTypes.has(b.type)) throw invalid(`message ${i} has a content block that is not text, image, audio, tool_use or tool_result`);
      if (b.type === 'text' && typeof b.text !== 'string') throw invalid(`message ${i}: a text block needs "text"`);
    }
    return { role: m.role, content: blocks as Record<string, unknown>[] };
  });
  const out: { -readonly [K in keyof SamplingRequest]: SamplingRequest[K] } = { messages: parsed, maxTokens: Math.min(maxTokens, MAX_SAMPLING_TOKENS) };
  if (typeof params.systemPrompt === 'string') out.systemPrompt = params.systemPrompt;
  if (typeof params.temperature === 'number') out.temperature = params.temperature;
  if (Array.isArray(params.stopSequences)) out.stopSequences = params.stopSequences.filter((s): s is string => typeof s === 'string').slice(0, 16);
  if (isObject(params.modelPreferences)) out.modelPreferences = params.modelPreferences as ModelPreferences;
  // includeContext is ignored: sampling.context is not declared, so no server gets another server's context.
  if (params.tools !== undefined) {
    if (!Array.isArray(params.tools) || params.tools.length > MAX_SAMPLING_TOOLS) throw invalid(`"tools" must be an array of at most ${MAX_SAMPLING_TOOLS} tools`);
    out.tools = params.tools.map((t, i): SamplingTool => {
      if (!isObject(t) || typeof t.name !== 'string' || !isObject(t.inputSchema)) throw invalid(`tool ${i} needs "name" and an object "inputSchema"`);
      return { name: t.name, inputSchema: t.inputSchema, ...(typeof t.description === 'string' ? { description: t.description } : {}) };
    });
  }
  if (isObject(params.toolChoice)) {
    const mode = params.toolChoice.mode;
    if (mode !== undefined && mode !== 'auto' && mode !== 'required' && mode !== 'none') throw invalid('"toolChoice.mode" must be auto, required or none');
    out.toolChoice = mode === undefined ? {} : { mode };
  }
  return out;
}

/** Whether `model` matches an allow-list entry: its id, `vendor/family`, family or name (case-insensitive). */
export function modelMatches(model: ModelInfo, entry: string): boolean {
  const e = entry.trim().toLowerCase();
  if (e === '') return false;
  if (e === '*') return true;
  return [model.id, `${model.vendor}/${model.family}`, model.family, model.name].some((k) => k.toLowerCase() === e);
}

/**
 * The model for a request: among the available models (limited to `allowList` when it is given), the first one
 * whose id, family or name contains a hint (hints are in order of preference, spec), else the first allowed model.
 * undefined: no model may be used.
 */
export function chooseModel(available: readonly ModelInfo[], preferences: ModelPreferences | undefined, allowList: readonly string[] | undefined): ModelInfo | undefined {
  const allowed = allowList && allowList.length > 0 ? available.filter((m) => allowList.some((a) => modelMatches(m, a))) : available;
  if (allowed.length === 0) return undefined;
  for (const hint of (preferences?.hints ?? []).slice(0, 20)) {
    const h = typeof hint?.name === 'string' ? hint.name.trim().toLowerCase() : '';
    if (!h) continue;
    const hit = allowed.find((m) => [m.id, m.family, m.name].some((k) => k.toLowerCase().includes(h)));
    if (hit) return hit;
  }
  return allowed[0];
}

const CONSENT_PREFIX = 'mcpHost.samplingConsent:';
const consentKey = (serverId: string) => `${CONSENT_PREFIX}${serverId}`;

/** The remembered decision for a server definition ('always' | 'never'), if any. */
export function rememberedSamplingConsent(memento: Memento, serverId: string): 'always' | 'never' | undefined {
  const v = memento.get<unknown>(consentKey(serverId));
  return v === 'always' || v === 'never' ? v : undefined;
}

/** Remembers 'always' or 'never' for a server definition; `undefined` forgets. */
export function rememberSamplingConsent(memento: Memento, serverId: string, value: 'always' | 'never' | undefined): Promise<void> {
  return memento.update(consentKey(serverId), value);
}

/** A store whose keys can be listed (VS Code's Memento has `keys()`): forgetting "all servers" needs them. */
export interface KeyedMemento extends Memento {
  keys(): readonly string[];
}

/**
 * Forgets remembered decisions (Reset Server Trust): those of `serverIds`, or every one in the store when undefined
 * (servers no longer configured included). Returns how many were forgotten.
 */
export async function forgetSamplingConsent(memento: KeyedMemento, serverIds?: readonly string[]): Promise<number> {
  const keys = serverIds === undefined ? memento.keys().filter((k) => k.startsWith(CONSENT_PREFIX)) : serverIds.map(consentKey);
  let forgotten = 0;
  for (const key of keys) {
    if (memento.get<unknown>(key) === undefined) continue;
    await memento.update(key, undefined);
    forgotten++;
  }
  return forgotten;
}

/** Characters of the rest of a sampling request shown for review at most (the rest is counted, not shown). */
export const MAX_REVIEW_CHARS = 200_000;

function blockText(b: Record<string, unknown>): string {
  if (b.type === 'text' && typeof b.text === 'string') return b.text;
  const mime = typeof b.mimeType === 'string' ? ` ${b.mimeType.slice(0, 80)}` : '';
  const size = typeof b.data === 'string' ? `, ${b.data.length} base64 characters` : '';
  const name = typeof b.name === 'string' ? ` ${b.name.slice(0, 120)}` : '';
  return `[${String(b.type).slice(0, 40)}${mime}${name}${size}]`;
}

/**
 * Everything a sampling request gives the model besides the text of message `reviewed` (the one the user edits):
 * the system prompt, every other message with its role, blocks that are not text, and the tools offered. Plain text
 * for a read-only view (the caller makes it inert), cut at MAX_REVIEW_CHARS; undefined when there is nothing else,
 * so a server cannot hide instructions for the model in the part of the request nobody sees.
 */
export function samplingContextText(request: SamplingRequest, reviewed: number): string | undefined {
  const parts: string[] = [];
  if (request.systemPrompt) parts.push(`System prompt:\n${request.systemPrompt}`);
  request.messages.forEach((m, i) => {
    const blocks = i === reviewed ? m.content.filter((b) => b.type !== 'text') : m.content;
    if (blocks.length === 0) return;
    const head = i === reviewed ? `Message ${i + 1} (${m.role}), besides the text you review:` : `Message ${i + 1} (${m.role}):`;
    parts.push(`${head}\n${blocks.map(blockText).join('\n')}`);
  });
  if (request.tools?.length) parts.push(`Tools offered to the model:\n${request.tools.map((t) => `${t.name}: ${t.description ?? ''}`).join('\n')}`);
  if (parts.length === 0) return undefined;
  const text = parts.join('\n\n');
  return text.length > MAX_REVIEW_CHARS ? `${text.slice(0, MAX_REVIEW_CHARS)}\n… (${text.length - MAX_REVIEW_CHARS} more characters not shown)` : text;
}
