/**
 * The handlers of ./handlers.ts for the modern era (2026-07-28): there a server asks through the `inputRequests` of an
 * `input_required` result (basic/patterns/mrtr) instead of server-to-client requests, and the answers travel in the
 * retry. The same ClientAnswers answer both eras, with the same policy (one open question per server, validation,
 * consent memory); only the framing differs:
 * - the question belongs to exactly one call, the one that got `input_required`: its idle timeout waits while the
 *   user is asked, and the question is withdrawn when that call ends (answered, timed out, cancelled, connection
 *   gone);
 * - an answer that cannot be given fails that call with a coded ServerRequestError (there is no error answer for one
 *   input request): 'inputNotSupported' for what the client did not declare, 'inputRefused' for a refusal;
 * - the modern era has no `notifications/roots/list_changed`, so roots are declared without `listChanged`.
 */
import { ServerRequestError, errorMessage } from '../../protocol/errors';
import type { InputRequest } from '../../protocol/modern';
import type { RequestOwner } from '../../protocol/sdk';
import { describeInput, type InputAnswerer } from '../inputAnswers';
import type { ConnectionAnswers } from './route';
import { AnswerError, type AskContext } from './types';

/** The client capabilities of the modern era for these answers: roots without `listChanged`, the rest as declared. */
export function modernCapabilities(capabilities: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const { roots, ...rest } = capabilities;
  return roots === undefined ? rest : { ...rest, roots: {} };
}

/** The AskContext of one input request: withdrawn when its call settles; the call hears that input is awaited. */
function contextFor(answers: ConnectionAnswers, owner: RequestOwner | undefined): AskContext {
  const withdraw = new AbortController();
  owner?.whenSettled(() => withdraw.abort(new Error('the call ended')));
  return {
    server: answers.server,
    signal: withdraw.signal,
    awaitingInput: (what) => owner?.awaitInput(what),
  };
}

function notSupported(input: InputRequest, code?: number): ServerRequestError {
  return new ServerRequestError(`the server asked for ${describeInput(input)}, which MCP Host did not declare and does not answer`, 'rpc', {
    ...(code !== undefined ? { code } : {}),
    reason: 'inputNotSupported',
    data: { method: input.method, key: input.key },
  });
}

/** What a handler's rejection means for the call that asked (coded; the handler's message says why). */
function failure(input: InputRequest, e: unknown): ServerRequestError {
  if (e instanceof AnswerError && (e.reason === 'unsupported' || e.reason === 'methodNotFound')) return notSupported(input, e.code);
  return new ServerRequestError(`${describeInput(input)} was not given: ${errorMessage(e)}`, 'rpc', {
    ...(e instanceof AnswerError ? { code: e.code } : {}),
    reason: 'inputRefused',
    data: { method: input.method, key: input.key, ...(e instanceof AnswerError ? { answerReason: e.reason } : {}) },
  });
}

/** Answers the input requests of `input_required` results with a server's ClientAnswers. */
export function modernAnswerer(answers: ConnectionAnswers): InputAnswerer {
  return {
    capabilities: modernCapabilities(answers.capabilities),
    async answer(input, owner) {
      const ctx = contextFor(answers, owner);
      try {
        switch (input.method) {
          case 'roots/list':
            return await answers.listRoots(input.params, ctx);
          case 'elicitation/create':
            return await answers.elicit(input.params, ctx);
          case 'sampling/createMessage':
            return await answers.createMessage(input.params, ctx);
          default:
            throw notSupported(input);
        }
      } catch (e) {
        throw e instanceof ServerRequestError ? e : failure(input, e);
      }
    },
  };
}
