/**
 * The one door to `oauth4webapi` (an ES module; src/ compiles to CommonJS): types through a `resolution-mode`
 * import, values through a dynamic `import()` made once. Loading it lazily also keeps it off the activation path
 * of an editor that never meets a server asking for sign-in.
 */
import type * as OAuth from 'oauth4webapi' with { 'resolution-mode': 'import' };

export type { OAuth };
export type AuthorizationServer = OAuth.AuthorizationServer;
export type OAuthClient = OAuth.Client;
export type ResourceServer = OAuth.ResourceServer;
export type TokenEndpointResponse = OAuth.TokenEndpointResponse;

let loaded: Promise<typeof OAuth> | undefined;

/** The library's module, loaded on first use. */
export function oauthLib(): Promise<typeof OAuth> {
  loaded ??= import('oauth4webapi');
  return loaded;
}
