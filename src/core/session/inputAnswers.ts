/**
 * Answers to what a server asks the client for. In the legacy era these are server-to-client requests; in the modern
 * era they arrive as the `inputRequests` of an `input_required` result (basic/patterns/mrtr) and the answers go back
 * in the retry. Both eras answer through one InputAnswerer, so a handler added once serves both.
 */
import { ServerRequestError } from '../protocol/errors';
import type { InputRequest } from '../protocol/modern';

/** Answers one input request; rejects with a coded ServerRequestError when it cannot. */
export interface InputAnswerer {
  /** The client capabilities to declare for what this answerer can answer (sent with every modern request). */
  readonly capabilities: Readonly<Record<string, unknown>>;
  answer(input: InputRequest, signal: AbortSignal | undefined): Promise<Record<string, unknown>>;
}

/** A server-chosen string shown in an error: one line, bounded, no control characters. */
function plain(s: string, max: number): string {
  return s.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ').slice(0, max);
}

/** Names an input request for people: its kind, and the server's key for it. */
export function describeInput(input: InputRequest): string {
  const what =
    input.method === 'elicitation/create'
      ? 'user input (elicitation)'
      : input.method === 'sampling/createMessage'
        ? 'a language model answer (sampling)'
        : input.method === 'roots/list'
          ? 'the workspace roots'
          : `"${plain(input.method, 60)}"`;
  return `${what}, requested as "${plain(input.key, 60)}"`;
}

/**
 * The answerer MCP Host has today: roots from the workspace folders. Elicitation and sampling fail with reason
 * 'inputNotSupported', naming the input. TODO(#16): the elicitation and sampling handlers (their own issue) plug in
 * here and add their capabilities.
 */
export function rootsOnlyAnswerer(listRoots: () => readonly { readonly uri: string; readonly name: string }[]): InputAnswerer {
  return {
    capabilities: { roots: {} },
    answer(input) {
      if (input.method === 'roots/list') return Promise.resolve({ roots: listRoots().map((r) => ({ uri: r.uri, name: r.name })) });
      return Promise.reject(
        new ServerRequestError(`the server asked for ${describeInput(input)}, which MCP Host cannot answer yet`, 'rpc', {
          reason: 'inputNotSupported',
          data: { method: input.method, key: input.key },
        }),
      );
    },
  };
}
