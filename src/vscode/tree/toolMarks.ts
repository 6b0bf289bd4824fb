/**
 * What a tool's server claims about it, for the tree rows and the Run Tool picker at a glance: the annotations
 * (destructive / read-only / open-world) and the MCP Apps `_meta.ui` fields (an app-only tool, an app UI).
 * They are the server's claims, not facts MCP Host checked: the wording says so ("server says: …").
 */
import type { Tool } from '../../core/protocol/sdk';

export type ToolClaim = 'destructive' | 'read-only' | 'open-world';

export interface ToolMarks {
  /** Annotations the server set explicitly, most alarming first. */
  readonly claims: readonly ToolClaim[];
  /** `_meta.ui.visibility` lists only "app": the server means it for its app UI, not for people or models. */
  readonly appOnly: boolean;
  /** `_meta.ui.resourceUri` is set: the tool has an app UI (MCP Host does not render app UIs yet). */
  readonly appUi: boolean;
  /** Codicon id for the row: the most alarming claim, or undefined for a plain tool. */
  readonly icon: 'flame' | 'globe' | 'eye' | undefined;
  /** A short tag for a row's description ("app-only · server says: destructive"), or undefined. */
  readonly tag: string | undefined;
}

/** Entries of `visibility` looked at, at most (the array is server data). */
const MAX_VISIBILITY = 8;

const none: ToolMarks = { claims: [], appOnly: false, appUi: false, icon: undefined, tag: undefined };

function uiMeta(tool: Tool): Record<string, unknown> | undefined {
  const meta: unknown = (tool as { _meta?: unknown })._meta;
  const ui = typeof meta === 'object' && meta !== null ? (meta as Record<string, unknown>)['ui'] : undefined;
  return typeof ui === 'object' && ui !== null && !Array.isArray(ui) ? (ui as Record<string, unknown>) : undefined;
}

/** The marks of one tool (cheap; no allocation for a tool that claims nothing). */
export function toolMarks(tool: Tool | undefined): ToolMarks {
  if (!tool) return none;
  const a = tool.annotations;
  const ui = uiMeta(tool);
  if (!a && !ui) return none;
  const claims: ToolClaim[] = [];
  // A read-only claim wins over a destructive one (the spec: destructiveHint only means something when not read-only).
  if (a?.destructiveHint === true && a.readOnlyHint !== true) claims.push('destructive');
  if (a?.openWorldHint === true) claims.push('open-world');
  if (a?.readOnlyHint === true) claims.push('read-only');
  const visibility = ui?.['visibility'];
  const shown = Array.isArray(visibility) ? visibility.slice(0, MAX_VISIBILITY) : [];
  const appOnly = shown.length > 0 && shown.includes('app') && !shown.includes('model');
  const appUi = typeof ui?.['resourceUri'] === 'string';
  if (claims.length === 0 && !appOnly && !appUi) return none;
  const icon = claims.includes('destructive') ? 'flame' : claims.includes('open-world') ? 'globe' : claims.includes('read-only') ? 'eye' : undefined;
  const parts = [...(appOnly ? ['app-only'] : []), ...(claims.length > 0 ? [`server says: ${claims.join(', ')}`] : [])];
  return { claims, appOnly, appUi, icon, tag: parts.length > 0 ? parts.join(' · ') : undefined };
}

/** The sentence for an app UI (tooltips, picker details). */
export const APP_UI_NOTE = 'has an app UI (MCP Apps), which MCP Host does not render yet';
/** The sentence for an app-only tool. */
export const APP_ONLY_NOTE = 'the server marks it for its app only (_meta.ui.visibility: ["app"]), not for people or models';
