/**
 * The auth engine as the HTTP transports' `authorize` hook (src/core/transport/http/types.ts on the `http`
 * branch: called on a 401/403 with the challenge; resolves headers to retry once with, or undefined to fail).
 * The types are restated structurally here so this folder merges whatever the transport folder becomes.
 */
import type { AuthManager } from './manager';

/** What the transport passes on a 401/403 (same shape as the transport's `AuthChallenge`). */
export interface TransportChallenge {
  readonly status: number;
  readonly wwwAuthenticate: string | undefined;
  readonly url: string;
}

/** Same shape as the transport's `AuthorizeHook`. */
export type TransportAuthorizeHook = (challenge: TransportChallenge) => Promise<Readonly<Record<string, string>> | undefined>;

/**
 * A hook for one server's transport. The transport keeps the headers it was given and sends them from then on,
 * and asks again only on a 401/403, so the hook remembers which token it handed out: a 401 to a request that did
 * not carry the current token (the first request, or one sent before a refresh) is answered with the current
 * token without counting as a rejection; a 401 to the current token goes to `onChallenge` (refresh once, then
 * "sign in"). `undefined` makes the transport fail with 'unauthorized'/'forbidden'; `manager.state` then says
 * whether the tree should show "Sign in".
 */
export function authorizeHook(manager: AuthManager): TransportAuthorizeHook {
  let handedOut: string | undefined;
  return async (c) => {
    const current = (await manager.headers())['authorization'];
    if (c.status === 401 && current !== undefined && current !== handedOut) {
      handedOut = current;
      return { authorization: current };
    }
    const outcome = await manager.onChallenge(c.status, c.wwwAuthenticate);
    if (outcome !== 'retry') return undefined;
    handedOut = (await manager.headers())['authorization'];
    return handedOut !== undefined ? { authorization: handedOut } : undefined;
  };
}
