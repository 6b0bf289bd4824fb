/**
 * Pinned tool definitions ("rug pull" protection) and the tool-confirmation policy. A tool's name, title,
 * description, input schema and annotations are recorded when the user first approves it; a later change is
 * shown as a diff and asked again.
 */
import { createHash } from 'node:crypto';
import type { Tool } from '../protocol/sdk';
import { canonicalJson, diffLists } from './launch';
import { makeInvisibleVisible } from '../base/sanitize';

/** What is pinned of a tool: plain JSON (stored in extension state). */
export interface ToolPin {
  readonly name: string;
  readonly title?: string;
  readonly description: string;
  /**
   * Canonical pretty JSON of the input schema; for a schema nested deeper than `MAX_PRETTY_DEPTH`, canonical
   * compact JSON cut into lines of `DEEP_LINE_WIDTH` characters (see pinText).
   */
  readonly inputSchema: string;
  /** Canonical pretty JSON of the annotations, `{}` when none. */
  readonly annotations: string;
  /** sha256 over the fields above. */
  readonly hash: string;
}

/** The tool fields that are pinned, in a stable form. */
export function toolPin(tool: Pick<Tool, 'name' | 'description' | 'inputSchema' | 'annotations'> & { title?: string }): ToolPin {
  const description = tool.description ?? '';
  const inputSchema = pinText(tool.inputSchema ?? {});
  const annotations = pinText(tool.annotations ?? {});
  const title = tool.title;
  const hash = createHash('sha256')
    .update(canonicalJson({ name: tool.name, title: title ?? null, description, inputSchema, annotations }))
    .digest('hex');
  return title !== undefined ? { name: tool.name, title, description, inputSchema, annotations, hash } : { name: tool.name, description, inputSchema, annotations, hash };
}

/** Deeper values than this are pinned as compact text: recursive canonicalisation would overflow the stack. */
export const MAX_PRETTY_DEPTH = 100;
/** Line width of a deep value's pinned text (so a diff shows the changed part, not one 200 KB line). */
export const DEEP_LINE_WIDTH = 200;

/**
 * The pinned text of server JSON. A tool schema nested 20,000 deep made recursive canonicalisation throw
 * (RangeError), so pinning failed and no rug-pull diff was ever shown. Depth is measured without recursion; a
 * value within MAX_PRETTY_DEPTH is pretty canonical JSON, a deeper one is serialised iteratively (keys still
 * sorted, so the pin is stable) and cut into fixed-width lines.
 */
function pinText(value: unknown): string {
  if (depthOf(value) <= MAX_PRETTY_DEPTH) return canonicalJson(value, 2);
  const text = compactCanonicalJson(value);
  const lines: string[] = [];
  for (let i = 0; i < text.length; i += DEEP_LINE_WIDTH) lines.push(text.slice(i, i + DEEP_LINE_WIDTH));
  return lines.join('\n');
}

/** Nesting depth of a JSON value (a scalar is 0), iteratively; stops counting past MAX_PRETTY_DEPTH. */
function depthOf(value: unknown): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 0]];
  for (let top = stack.pop(); top; top = stack.pop()) {
    const [v, d] = top;
    if (v === null || typeof v !== 'object') continue;
    if (d + 1 > max) max = d + 1;
    if (max > MAX_PRETTY_DEPTH) return max;
    for (const child of Object.values(v)) if (child !== null && typeof child === 'object') stack.push([child, d + 1]);
  }
  return max;
}

/** `JSON.stringify` of the value with object keys sorted, without recursion (any depth). */
function compactCanonicalJson(value: unknown): string {
  const out: string[] = [];
  // Work items: a value to write, or literal text (`{ t }`). Pushed in reverse so they pop in order.
  type Item = { v: unknown } | { t: string };
  const stack: Item[] = [{ v: value }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    if ('t' in item) {
      out.push(item.t);
      continue;
    }
    const v = item.v;
    if (Array.isArray(v)) {
      stack.push({ t: ']' });
      for (let i = v.length - 1; i >= 0; i--) {
        const e: unknown = v[i];
        stack.push({ v: e === undefined || typeof e === 'function' ? null : e });
        if (i > 0) stack.push({ t: ',' });
      }
      out.push('[');
    } else if (v !== null && typeof v === 'object') {
      const record = v as Record<string, unknown>;
      const keys = Object.keys(record)
        .filter((k) => record[k] !== undefined && typeof record[k] !== 'function')
        .sort();
      stack.push({ t: '}' });
      for (let i = keys.length - 1; i >= 0; i--) {
        const k = keys[i] as string;
        stack.push({ v: record[k] });
        stack.push({ t: `${i > 0 ? ',' : ''}${JSON.stringify(k)}:` });
      }
      out.push('{');
    } else {
      out.push(JSON.stringify(v) ?? 'null');
    }
  }
  return out.join('');
}

/**
 * A line diff of what changed between two pins, `-`/`+` prefixed per changed line under a heading per field
 * (`description:`, `input schema:`, `annotations:`), with invisible characters made visible. Empty when equal.
 */
export function diffToolPin(old: ToolPin, now: ToolPin, options: { context?: number; maxLines?: number } = {}): string {
  const context = options.context ?? 1;
  const maxLines = options.maxLines ?? 200;
  const sections: string[] = [];
  const field = (label: string, a: string, b: string): void => {
    if (a === b) return;
    const d = diffLists(a.split('\n'), b.split('\n'));
    const keep = d.map((x, i) => x.op !== ' ' || d.slice(Math.max(0, i - context), i + context + 1).some((y) => y.op !== ' '));
    const lines: string[] = [`${label}:`];
    let skipped = false;
    d.forEach((x, i) => {
      if (!keep[i]) {
        if (!skipped) lines.push('  …');
        skipped = true;
        return;
      }
      skipped = false;
      lines.push(`${x.op} ${makeInvisibleVisible(x.text)}`);
    });
    sections.push(lines.join('\n'));
  };
  field('name', old.name, now.name);
  field('title', old.title ?? '', now.title ?? '');
  field('description', old.description, now.description);
  field('input schema', old.inputSchema, now.inputSchema);
  field('annotations', old.annotations, now.annotations);
  const all = sections.join('\n').split('\n');
  return all.length > maxLines ? `${all.slice(0, maxLines).join('\n')}\n… (${all.length - maxLines} more lines)` : all.join('\n');
}

/** `mcpHost.autoApproveTools`: `{ server: true }` or `{ server: ['tool', ...] }`. */
export type AutoApproveSetting = Readonly<Record<string, boolean | readonly string[]>>;

export function isAutoApproved(setting: AutoApproveSetting | undefined, serverName: string, toolName: string): boolean {
  const v = setting?.[serverName];
  return v === true || (Array.isArray(v) && v.includes(toolName));
}

/** The setting with one more tool auto-approved (unchanged when already covered). */
export function withAutoApprovedTool(setting: AutoApproveSetting | undefined, serverName: string, toolName: string): Record<string, boolean | readonly string[]> {
  const next: Record<string, boolean | readonly string[]> = { ...(setting ?? {}) };
  const v = next[serverName];
  if (v === true) return next;
  next[serverName] = Array.isArray(v) ? [...new Set([...v, toolName])] : [toolName];
  return next;
}

export type ToolConfirmDecision =
  /** Run without asking. */
  | { readonly confirm: false; readonly why: 'readOnlyTrusted' | 'autoApproved' }
  /** Ask; `allowRemember` = offer "Don't ask again" (never for destructive or changed tools). */
  | { readonly confirm: true; readonly why: 'default' | 'destructive' | 'changed' | 'new'; readonly allowRemember: boolean };

/**
 * When must the user confirm a tool call? Destructive tools (annotated `destructiveHint: true`) always ask; a
 * changed definition always asks (with a diff); a trusted server's read-only tools and auto-approved tools run;
 * everything else asks. Annotations count only for trusted servers: an untrusted server could lie.
 */
export function toolConfirmDecision(args: {
  readonly tool: Pick<Tool, 'name' | 'annotations'>;
  readonly serverName: string;
  readonly serverTrusted: boolean;
  readonly pinStatus: 'new' | 'approved' | 'changed';
  readonly autoApprove: AutoApproveSetting | undefined;
}): ToolConfirmDecision {
  const a = args.tool.annotations;
  const destructive = a?.destructiveHint === true; // even if it also claims readOnlyHint
  if (args.pinStatus === 'changed') return { confirm: true, why: 'changed', allowRemember: false };
  if (destructive) return { confirm: true, why: 'destructive', allowRemember: false };
  if (args.serverTrusted && a?.readOnlyHint === true) return { confirm: false, why: 'readOnlyTrusted' };
  if (isAutoApproved(args.autoApprove, args.serverName, args.tool.name)) return { confirm: false, why: 'autoApproved' };
  return { confirm: true, why: args.pinStatus === 'new' ? 'new' : 'default', allowRemember: true };
}
