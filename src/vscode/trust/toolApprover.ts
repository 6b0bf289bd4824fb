/**
 * Tool-call confirmation and pinned tool definitions. A tool's definition is pinned (globalState) when the user
 * first approves a call; a later change marks it `changed` in the tree and the next call shows a diff and asks.
 *
 * Both pins and "Don't Ask Again" are keyed by where the server is defined (`definitionScope`): the
 * `mcpHost.autoApproveTools` user setting (read from user settings only) covers the user's own servers; for a
 * workspace server "Don't Ask Again" is remembered for its definition file alone, never by name, so approving
 * `db/query` in one project does not run another project's `db/query` unasked.
 */
import * as vscode from 'vscode';
import { readAutoApproveTools, updateUserAutoApproveTools } from '../settings';
import { definitionScope } from '../../core/config/definitionKey';
import { isWorkspaceDefined, type ServerDefinition } from '../../core/config/types';
import type { Tool } from '../../core/protocol/sdk';
import type { ServerHandle } from '../../core/server/types';
import { makeInvisibleVisible, sanitizeLabel, sanitizeText } from '../../core/base/sanitize';
import {
  diffToolPin,
  toolConfirmDecision,
  toolPin,
  withAutoApprovedTool,
  type AutoApproveSetting,
  type ToolPin,
} from '../../core/trust/toolPin';
import type { ToolCallApprover, ToolPinStatus } from '../contracts';
import { Choices, type AskFn } from './ask';

const PINS_KEY = 'mcpHost.trust.toolPins';
/** "Don't Ask Again" answers for tools of workspace-defined servers: `<definitionScope>\0<tool>` -> true. */
const AUTO_KEY = 'mcpHost.trust.autoApprovedTools';
/** Arguments longer than this are cut in the dialog (and the dialog says so). */
export const MAX_ARGS_CHARS = 4000;

export interface ToolApproverDeps {
  readonly state: vscode.Memento;
  readonly ask: () => AskFn;
  /** Is the server trusted enough that its read-only annotations count? */
  readonly isServerTrusted: (def: ServerDefinition) => boolean;
  readonly log: vscode.LogOutputChannel;
  /** Identifies the workspace for servers from workspace settings (no file of their own). */
  readonly workspaceId: () => string;
}

export class PinningToolApprover implements ToolCallApprover, vscode.Disposable {
  private readonly _onDidChange = new vscode.EventEmitter<void>();
  readonly onDidChange: vscode.Event<void> = this._onDidChange.event;
  // Tool objects are replaced when lists refresh; cache their pins meanwhile (the tree asks per render).
  private readonly pinCache = new WeakMap<Tool, ToolPin>();

  constructor(private readonly deps: ToolApproverDeps) {}

  /** Key of a server's pins and remembered approvals: the user's own servers by name, workspace servers by their source too. */
  pinScope(def: ServerDefinition): string {
    return definitionScope(def, this.deps.workspaceId());
  }

  private autoApproved(): Record<string, true> {
    return this.deps.state.get<Record<string, true>>(AUTO_KEY) ?? {};
  }

  /**
   * What lets this tool run unasked: for the user's own servers the user setting (by name, user settings only);
   * for a workspace server only a "Don't Ask Again" given for this very definition source.
   */
  private autoApproveFor(def: ServerDefinition, toolName: string): AutoApproveSetting | undefined {
    if (!isWorkspaceDefined(def.source)) return readAutoApproveTools();
    return this.autoApproved()[this.key(def, toolName)] === true ? { [def.name]: [toolName] } : undefined;
  }

  private pins(): Record<string, ToolPin> {
    return this.deps.state.get<Record<string, ToolPin>>(PINS_KEY) ?? {};
  }

  private pinOf(tool: Tool): ToolPin {
    let p = this.pinCache.get(tool);
    if (!p) {
      p = toolPin(tool);
      this.pinCache.set(tool, p);
    }
    return p;
  }

  private key(def: ServerDefinition, toolName: string): string {
    return `${this.pinScope(def)}\u0000${toolName}`;
  }

  pinStatus(server: ServerHandle, tool: Tool): ToolPinStatus {
    const pinned = this.pins()[this.key(server.definition, tool.name)];
    if (!pinned) return 'new';
    return pinned.hash === this.pinOf(tool).hash ? 'approved' : 'changed';
  }

  /** The pinned definition (for a diff view), if any. */
  pinned(server: ServerHandle, toolName: string): ToolPin | undefined {
    return this.pins()[this.key(server.definition, toolName)];
  }

  async approve(server: ServerHandle, tool: Tool, args: Record<string, unknown>): Promise<boolean> {
    const def = server.definition;
    const status = this.pinStatus(server, tool);
    const autoApprove = this.autoApproveFor(def, tool.name);
    const decision = toolConfirmDecision({ tool, serverName: def.name, serverTrusted: this.deps.isServerTrusted(def), pinStatus: status, autoApprove });
    const name = sanitizeLabel(tool.name, 80);
    const serverName = sanitizeLabel(def.name, 80);
    if (!decision.confirm) {
      if (status === 'new') await this.pin(def, tool);
      this.deps.log.info(`Tool "${name}" of "${serverName}" runs without confirmation (${decision.why === 'autoApproved' ? (isWorkspaceDefined(def.source) ? '"Don\'t Ask Again" was chosen for it' : 'auto-approved in user settings') : 'read-only tool of a trusted server'}).`);
      return true;
    }
    const previous = status === 'changed' ? this.pinned(server, tool.name) : undefined;
    const detail = toolConfirmDetail(def, tool, args, previous ? diffToolPin(previous, this.pinOf(tool)) : undefined);
    const message =
      decision.why === 'changed'
        ? `The tool "${name}" of "${serverName}" changed since you approved it. Run it?`
        : `Run the tool "${name}" of "${serverName}"?`;
    const choices = decision.allowRemember ? [Choices.run, Choices.runAndDontAskAgain] : [Choices.run];
    const answer = await this.deps.ask()({ kind: 'toolConfirm', serverName: def.name, toolName: tool.name, message, detail, choices });
    if (answer !== Choices.run && answer !== Choices.runAndDontAskAgain) {
      this.deps.log.info(`Tool "${name}" of "${serverName}" not run: the user declined.`);
      return false;
    }
    await this.pin(def, tool);
    if (answer === Choices.runAndDontAskAgain && decision.allowRemember) await this.rememberApproval(def, tool.name);
    return true;
  }

  /** "Don't Ask Again": the user's own server in their settings; a workspace server for its definition source only. */
  private async rememberApproval(def: ServerDefinition, toolName: string): Promise<void> {
    if (isWorkspaceDefined(def.source)) {
      await this.deps.state.update(AUTO_KEY, { ...this.autoApproved(), [this.key(def, toolName)]: true });
      return;
    }
    await updateUserAutoApproveTools((current) => withAutoApprovedTool(current, def.name, toolName));
  }

  private async pin(def: ServerDefinition, tool: Tool): Promise<void> {
    await this.deps.state.update(PINS_KEY, { ...this.pins(), [this.key(def, tool.name)]: this.pinOf(tool) });
    this._onDidChange.fire();
  }

  /**
   * Forgets pinned definitions and remembered "Don't Ask Again" answers of workspace servers (all, or those of
   * the given servers): every tool is `new` again. Returns how many pins were removed.
   */
  async reset(defs?: readonly ServerDefinition[]): Promise<number> {
    const scopes = defs?.map((d) => `${this.pinScope(d)}\u0000`);
    const covered = (k: string): boolean => scopes === undefined || scopes.some((s) => k.startsWith(s));
    const keep: Record<string, ToolPin> = {};
    let removed = 0;
    for (const [k, v] of Object.entries(this.pins())) {
      if (covered(k)) removed++;
      else keep[k] = v;
    }
    await this.deps.state.update(PINS_KEY, Object.keys(keep).length ? keep : undefined);
    const approvals = Object.fromEntries(Object.entries(this.autoApproved()).filter(([k]) => !covered(k)));
    await this.deps.state.update(AUTO_KEY, Object.keys(approvals).length ? approvals : undefined);
    this._onDidChange.fire();
    return removed;
  }

  dispose(): void {
    this._onDidChange.dispose();
  }
}

/** The confirmation dialog's text: server, tool, annotations, arguments (pretty JSON, cut with a note), diff. */
export function toolConfirmDetail(def: ServerDefinition, tool: Tool, args: Record<string, unknown>, diff: string | undefined): string {
  const lines: string[] = [`Server: ${sanitizeLabel(def.name, 120)}`, `Tool: ${sanitizeLabel(tool.name, 120)}${tool.title ? ` (${sanitizeLabel(tool.title, 120)})` : ''}`];
  if (tool.description) {
    const d = sanitizeText(tool.description).trim();
    lines.push(`Description: ${d.length > 600 ? `${d.slice(0, 600)}… (${d.length} characters, cut)` : d}`);
  }
  const a = tool.annotations;
  const flags = [
    a?.readOnlyHint === true ? 'read-only' : undefined,
    a?.destructiveHint === true ? '⚠ destructive' : undefined,
    a?.idempotentHint === true ? 'idempotent' : undefined,
    a?.openWorldHint === true ? 'reaches outside (open world)' : undefined,
  ].filter((x): x is string => x !== undefined);
  lines.push(`Annotations (declared by the server): ${flags.length ? flags.join(', ') : 'none'}`);
  let json = makeInvisibleVisible(JSON.stringify(args, undefined, 2) ?? '{}');
  if (json.length > MAX_ARGS_CHARS) json = `${json.slice(0, MAX_ARGS_CHARS)}\n… (arguments cut: ${MAX_ARGS_CHARS} of ${json.length} characters shown)`;
  lines.push('', 'Arguments:', json);
  if (diff) lines.push('', 'The tool definition changed since you approved it (- before, + now):', diff);
  return lines.join('\n');
}
