/**
 * Answers to what a server asks the client for. In the legacy era these are server-to-client requests; in the modern
 * era they arrive as the `inputRequests` of an `input_required` result (basic/patterns/mrtr) and the answers go back
 * in the retry. Both eras answer through the same handlers (./asks): ./asks/modern.ts adapts them to this interface.
 */
import type { InputRequest } from '../protocol/modern';
import type { RequestOwner } from '../protocol/sdk';

/** Answers one input request; rejects with a coded ServerRequestError when it cannot. */
export interface InputAnswerer {
  /** The client capabilities to declare for what this answerer can answer (sent with every modern request). */
  readonly capabilities: Readonly<Record<string, unknown>>;
  /** `owner`: the call the request belongs to (its idle timeout waits while the user is asked; ending it withdraws). */
  answer(input: InputRequest, owner: RequestOwner | undefined): Promise<Record<string, unknown>>;
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
