/**
 * The tool runner over the host's servers: a call the model asks for goes through the approver Run Tool uses
 * (confirmation, pins, auto-approval) and then through the server's bounded `tools/call`, cancelled with the
 * loop.
 */
import { sanitizeText } from '../base/sanitize';
import type { Tool } from '../protocol/sdk';
import { describeError } from '../protocol/errors';
import type { RequestOptions, ServerHandle } from '../server/types';
import type { ToolRunner, ToolRunOutcome } from './types';

export interface ServerToolRunnerDeps {
  /** The server of a model tool, if still configured. */
  readonly server: (serverId: string) => ServerHandle | undefined;
  /** Run Tool's approver: shows the confirmation when needed; true = run it. */
  readonly approve: (server: ServerHandle, tool: Tool, args: Record<string, unknown>) => Promise<boolean>;
  /** Timeouts (and progress hooks) for one call to `server`. */
  readonly requestOptions?: (server: ServerHandle) => Omit<RequestOptions, 'signal'>;
}

/** A ToolRunner that calls the host's servers after the approver said yes. */
export function serverToolRunner(deps: ServerToolRunnerDeps): ToolRunner {
  return async (target, args, signal): Promise<ToolRunOutcome> => {
    const server = deps.server(target.serverId);
    if (!server) return { kind: 'failed', message: `the server "${target.serverName}" is no longer configured` };
    const tool = server.lists.tools.find((t) => t.name === target.toolName);
    if (!tool) return { kind: 'failed', message: `the server no longer offers the tool "${target.toolName}"` };
    if (signal.aborted) return { kind: 'cancelled' };
    let approved: boolean;
    try {
      approved = await deps.approve(server, tool, args);
    } catch (err) {
      // e.g. the pin could not be stored: the model hears it and the loop goes on
      return { kind: 'failed', message: `the confirmation failed: ${sanitizeText(describeError(err)).slice(0, 500)}` };
    }
    if (!approved) return { kind: 'refused', why: 'declined in the confirmation' };
    if (signal.aborted) return { kind: 'cancelled' };
    try {
      const result = await server.callTool(tool.name, args, { ...deps.requestOptions?.(server), signal });
      return { kind: 'result', result };
    } catch (err) {
      if (signal.aborted) return { kind: 'cancelled' };
      return { kind: 'failed', message: sanitizeText(describeError(err)).slice(0, 2000) };
    }
  };
}
