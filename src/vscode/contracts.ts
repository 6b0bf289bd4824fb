/**
 * Contracts between the adapters (tree + server commands, content commands, trust) so each can be built apart.
 * src/extension.ts wires the implementations together.
 */
import type * as vscode from 'vscode';
import type { ServerRegistry } from '../core/host/types';
import type { ServerHandle } from '../core/server/types';
import type { Tool } from '../core/protocol/sdk';

/** Pinned tool definitions: has the tool changed since the user approved it? */
export type ToolPinStatus = 'new' | 'approved' | 'changed';

/** Decides whether a tool call may go ahead (confirmation dialog, auto-approval, pinned definitions). */
export interface ToolCallApprover {
  /** Shows the confirmation (with arguments, and a diff if the definition changed) when needed. true = run it. */
  approve(server: ServerHandle, tool: Tool, args: Record<string, unknown>): Promise<boolean>;
  /** For the tree: mark tools whose definition changed since approval. */
  pinStatus(server: ServerHandle, tool: Tool): ToolPinStatus;
  readonly onDidChange: vscode.Event<void>;
}

/** Per-server and host log channels (one LogOutputChannel each). */
export interface LogChannels {
  /** The channel of a server (created on first use), also the core Logger for it. */
  channel(serverName: string): vscode.LogOutputChannel;
  readonly host: vscode.LogOutputChannel;
  showServerLog(serverName: string): void;
}

/** What the content features (tools, resources, prompts) need. */
export interface FeatureDeps {
  readonly context: vscode.ExtensionContext;
  readonly registry: ServerRegistry;
  readonly approver: ToolCallApprover;
  readonly logs: LogChannels;
  /** Private per-user directory (the extension's storage, 0700) for argument documents and result files. */
  readonly privateDir: string;
}
