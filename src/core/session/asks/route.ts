/**
 * Routes a request the server sent (2025-11-25 era) to the handlers, and ties a question for the user to the
 * client's calls it belongs to. On stdio a server request names no originating request, so a question belongs to
 * the user-facing calls (`tools/call`, `prompts/get`, `resources/read`) in flight when it arrives: it is withdrawn
 * when all of them ended (answered, timed out, cancelled) and their progress says that input is awaited. A question
 * that arrives when no such call is in flight is refused: nothing the user started is waiting for it.
 */
import type { Call } from '../call';
import { AnswerError, AnswerErrorCode, type AskContext, type ServerRequestHandlers } from './types';

/** The handlers of one server as a connection uses them. */
export interface ConnectionAnswers extends ServerRequestHandlers {
  /** The server the questions come from. */
  readonly server: { readonly id: string; readonly name: string };
  notifyElicitationComplete?(elicitationId: string): void;
}

/** What the router needs from the connection. */
export interface CallSource {
  userCalls(): Call[];
}

/** Answers one server request; rejects with an AnswerError (its code goes on the wire). */
export async function answerServerRequest(
  conn: CallSource | undefined,
  answers: ConnectionAnswers,
  method: string,
  params: Record<string, unknown> | undefined,
  signal: AbortSignal,
): Promise<Record<string, unknown>> {
  if (method === 'roots/list') return answers.listRoots(params, { server: answers.server, signal, awaitingInput: () => {} });
  if (method !== 'elicitation/create' && method !== 'sampling/createMessage') {
    throw new AnswerError(AnswerErrorCode.methodNotFound, `Method not found: ${method.slice(0, 100)}`, 'methodNotFound');
  }
  const owners = conn?.userCalls() ?? [];
  if (owners.length === 0) {
    throw new AnswerError(
      AnswerErrorCode.refused,
      `${method} refused: MCP Host answers it only while one of its requests to the server (a tool call, prompt or resource read) is in progress`,
      'noOuterCall',
    );
  }
  const ctx = contextFor(answers.server, owners, signal);
  try {
    return await (method === 'elicitation/create' ? answers.elicit(params, ctx.context) : answers.createMessage(params, ctx.context));
  } finally {
    ctx.dispose();
  }
}

/** An AskContext whose signal aborts when the server cancels or when every owner call has settled. */
function contextFor(server: ConnectionAnswers['server'], owners: readonly Call[], serverSignal: AbortSignal): { context: AskContext; dispose(): void } {
  const abort = new AbortController();
  const onServerAbort = () => abort.abort(new Error('cancelled by the server'));
  serverSignal.addEventListener('abort', onServerAbort, { once: true });
  if (serverSignal.aborted) onServerAbort();
  let live = owners.length;
  for (const call of owners) {
    call.whenSettled(() => {
      if (--live === 0) abort.abort(new Error('the call ended'));
    });
  }
  return {
    context: {
      server,
      signal: abort.signal,
      awaitingInput: (what) => {
        for (const call of owners) call.awaitInput(what);
      },
    },
    dispose: () => serverSignal.removeEventListener('abort', onServerAbort),
  };
}
