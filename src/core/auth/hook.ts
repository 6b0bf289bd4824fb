/**
 * The auth engine as the HTTP transports' sign-in (src/core/transport/http/types.ts: `transportAuth` gives
 * `RemoteAuth`; `authorizeHook` is the hook alone, for a transport that only asks on a 401/403: called with the
 * challenge, resolves headers to retry once with, or undefined to fail).
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

/** Same shape as the transport's `RemoteAuth` (src/core/transport/http/types.ts). */
export interface TransportAuth {
  headers(): Promise<Readonly<Record<string, string>>>;
  authorize(challenge: TransportChallenge & { readonly sentAuthorization: string | undefined }): Promise<Readonly<Record<string, string>> | undefined>;
  refusal(): 'signInNeeded' | 'stepUp' | undefined;
}

/**
 * The manager as a transport's sign-in: `headers()` before every request (a token refreshed before expiry goes out
 * at once); on a 401/403 the transport says which Authorization the refused request carried, so a request sent
 * with a token that has since been replaced (concurrent requests around a refresh) is retried with the current one
 * without counting as a rejection; a 401 to the current token goes to `onChallenge` (refresh once, then "sign
 * in"). `refusal()` is what the transport's error says the user must do.
 */
export function transportAuth(manager: AuthManager): TransportAuth {
  return {
    headers: () => manager.headers(),
    authorize: async (c) => {
      const current = (await manager.headers())['authorization'];
      if (c.status === 401 && current !== undefined && current !== c.sentAuthorization) return { authorization: current };
      const outcome = await manager.onChallenge(c.status, c.wwwAuthenticate);
      if (outcome !== 'retry') return undefined;
      const next = (await manager.headers())['authorization'];
      return next !== undefined ? { authorization: next } : undefined;
    },
    refusal: () => {
      const s = manager.state;
      if (s.kind !== 'signInNeeded') return undefined;
      return s.reason === 'stepUp' ? 'stepUp' : 'signInNeeded';
    },
  };
}
