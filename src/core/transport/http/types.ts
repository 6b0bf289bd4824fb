/** The remote members of the launch union (http here; sse/ and ws/ extend the same options). */
import type { MessageTransport, TransportOptions } from '../types';
import type { NetworkOptions } from './network';

/** What the server said when it refused a request for lack of authorisation (for a sign-in provider). */
export interface AuthChallenge {
  readonly status: 401 | 403;
  /** The WWW-Authenticate header (RFC 6750 / RFC 9728 `resource_metadata`), if any. */
  readonly wwwAuthenticate: string | undefined;
  /** The server URL (not redacted: the provider needs it; never logged from here). */
  readonly url: string;
  /**
   * The Authorization header the refused request carried: a request sent with a token that has since been
   * refreshed is answered with the new one, not counted as a rejection of it.
   */
  readonly sentAuthorization: string | undefined;
}

/**
 * Given the challenge of a 401/403, resolves headers to retry once with (e.g. `Authorization: Bearer ...`), or
 * undefined to fail with 'unauthorized' / 'forbidden'.
 */
export type AuthorizeHook = (challenge: AuthChallenge) => Promise<Readonly<Record<string, string>> | undefined>;

/** What the user must do after the provider gave up on a 401/403: sign in, or approve more scopes. */
export type AuthRefusal = 'signInNeeded' | 'stepUp';

/**
 * Sign-in for a remote server, plugged into its transport (src/core/auth/hook.ts `transportAuth` makes one from
 * an AuthManager): headers before every request, so a token refreshed before expiry reaches the wire at once; the
 * hook on a 401/403; and, when the hook gave up, what the user must do (the error's `authRefusal`).
 */
export interface RemoteAuth {
  /** Headers for the next request (`Authorization: Bearer ...`), `{}` when not signed in. */
  headers(): Promise<Readonly<Record<string, string>>>;
  readonly authorize: AuthorizeHook;
  refusal(): AuthRefusal | undefined;
}

/** Timings of the Streamable HTTP GET stream's reconnects (tests shorten them). */
export interface ReconnectTiming {
  /** First delay when the server sent no `retry:`; doubles per consecutive failure. Default 1000 ms. */
  readonly initialMs: number;
  readonly maxMs: number;
  /** Consecutive failed reopenings before giving up on the GET stream (requests keep working). Default 8. */
  readonly maxAttempts: number;
}

export const DEFAULT_RECONNECT: ReconnectTiming = { initialMs: 1000, maxMs: 30_000, maxAttempts: 8 };

/** What every remote transport needs. */
export interface RemoteTransportOptions extends TransportOptions {
  readonly url: string;
  /** Sent with every request to the server (never to another origin). */
  readonly headers: Readonly<Record<string, string>>;
  /** Values of password inputs: masked in every log line, error and fact shown. */
  readonly secrets: readonly string[];
  readonly network?: NetworkOptions;
  /** Sign-in (OAuth): see RemoteAuth. Without it a 401 says to put a token in `headers`. */
  readonly auth?: RemoteAuth;
  readonly reconnect?: ReconnectTiming;
}

/**
 * A Streamable HTTP server (`type: http`); `fallbackToSse` (the default for `type: http`) retries with the legacy
 * HTTP+SSE transport when the POST of initialize gets a 4xx other than 401/403, as the spec's backwards
 * compatibility section says.
 */
export interface HttpLaunchSpec extends RemoteTransportOptions {
  readonly kind: 'http';
  readonly fallbackToSse?: boolean;
}

export type RemoteTransport = MessageTransport;
