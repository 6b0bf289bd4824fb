/**
 * A tool call's outcome -> what the model gets back: the text blocks (bounded), images as images where the
 * model takes them (else a line saying one was left out), resources and links as text, structured content as
 * JSON when there is no text. A refusal or failure is handed back as an error text so the model can go on.
 */
import { decodeBase64 } from '../content/parts';
import { cutToBytes, byteLength } from '../content/text';
import type { ModelResultPart, ModelToolResult, ToolRunOutcome } from './types';

/** Text handed back per call at most (UTF-8 bytes); the model is told when it was cut. */
export const MAX_RESULT_TEXT_BYTES = 64 * 1024;
/** Images handed back per call at most (decoded bytes, all images together). */
export const MAX_RESULT_IMAGE_BYTES = 4 * 1024 * 1024;
/** Content blocks looked at per result. */
const MAX_BLOCKS = 1000;

type Block = Record<string, unknown>;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function blockParts(block: Block, acceptsImages: boolean, budget: { image: number }): ModelResultPart[] {
  switch (block.type) {
    case 'text':
      return [{ type: 'text', text: str(block.text) ?? '' }];
    case 'image': {
      const mimeType = str(block.mimeType) ?? 'application/octet-stream';
      const data = str(block.data) ?? '';
      const size = Math.floor((data.length * 3) / 4);
      if (acceptsImages && /^image\/(png|jpeg|gif|webp)$/.test(mimeType) && size <= budget.image) {
        budget.image -= size;
        return [{ type: 'image', mimeType, data: new Uint8Array(decodeBase64(data)) }];
      }
      return [{ type: 'text', text: `[image ${mimeType}, about ${size} bytes, not passed: ${acceptsImages ? 'too big or an unsupported type' : 'this model takes no images'}]` }];
    }
    case 'audio':
      return [{ type: 'text', text: `[audio ${str(block.mimeType) ?? ''}, not passed to the model]` }];
    case 'resource_link':
      return [{ type: 'text', text: `[resource link: ${str(block.uri) ?? ''}${block.name ? ` (${str(block.name) ?? ''})` : ''}]` }];
    case 'resource': {
      const r = (typeof block.resource === 'object' && block.resource !== null ? block.resource : {}) as Block;
      const text = str(r.text);
      return [{ type: 'text', text: text !== undefined ? `[resource ${str(r.uri) ?? ''}]\n${text}` : `[binary resource ${str(r.uri) ?? ''}, not passed]` }];
    }
    default:
      return [{ type: 'text', text: `[content of type ${JSON.stringify(String(block.type)).slice(0, 60)}, not passed]` }];
  }
}

/** Joins adjacent texts and cuts the text to `MAX_RESULT_TEXT_BYTES` in all (images kept). */
function bounded(parts: ModelResultPart[]): ModelResultPart[] {
  const out: ModelResultPart[] = [];
  let left = MAX_RESULT_TEXT_BYTES;
  let cut = false;
  for (const p of parts) {
    if (p.type === 'image') {
      out.push(p);
      continue;
    }
    if (left <= 0) {
      cut = true;
      continue;
    }
    const size = byteLength(p.text);
    const text = size > left ? cutToBytes(p.text, left) : p.text;
    if (size > left) cut = true;
    left -= byteLength(text);
    const last = out[out.length - 1];
    if (last?.type === 'text') out[out.length - 1] = { type: 'text', text: `${last.text}\n${text}` };
    else out.push({ type: 'text', text });
  }
  if (cut) out.push({ type: 'text', text: `[result cut to ${MAX_RESULT_TEXT_BYTES} bytes]` });
  return out;
}

/** The result to hand back to the model for call `callId`. */
export function resultForModel(callId: string, outcome: ToolRunOutcome, acceptsImages: boolean): ModelToolResult {
  switch (outcome.kind) {
    case 'refused':
      return { callId, isError: true, parts: [{ type: 'text', text: `The user did not allow this tool call (${outcome.why}). Do not retry it; answer without it.` }] };
    case 'failed':
      return { callId, isError: true, parts: [{ type: 'text', text: `The tool call failed: ${outcome.message}` }] };
    case 'cancelled':
      return { callId, isError: true, parts: [{ type: 'text', text: 'The tool call was cancelled.' }] };
    case 'result': {
      const blocks = Array.isArray(outcome.result.content) ? outcome.result.content.slice(0, MAX_BLOCKS) : [];
      const budget = { image: MAX_RESULT_IMAGE_BYTES };
      const parts = blocks.flatMap((b) => (typeof b === 'object' && b !== null ? blockParts(b as Block, acceptsImages, budget) : []));
      if (!parts.some((p) => p.type === 'text' && p.text) && outcome.result.structuredContent !== undefined) {
        parts.push({ type: 'text', text: JSON.stringify(outcome.result.structuredContent) ?? '' });
      }
      const isError = outcome.result.isError === true;
      if (isError) parts.unshift({ type: 'text', text: 'The tool reported an error:' });
      if (parts.length === 0) parts.push({ type: 'text', text: '(the tool returned no content)' });
      return { callId, isError, parts: bounded(parts) };
    }
  }
}
