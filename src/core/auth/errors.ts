/** Why a sign-in step failed. Callers branch on `code`, never on the message (STYLE 13). */
export type AuthErrorCode =
  /** A URL the host would fetch or open is neither https nor http on a loopback host. */
  | 'insecureUrl'
  /** No Protected Resource Metadata or Authorization Server Metadata at any of the places the spec lists. */
  | 'metadataNotFound'
  /** A metadata document that is not JSON, too large, or missing a required member. */
  | 'invalidMetadata'
  /** The Protected Resource Metadata names another resource than the server's URL. */
  | 'resourceMismatch'
  /** The Authorization Server Metadata names another issuer than the one it was fetched for. */
  | 'issuerMismatch'
  /** The authorization server does not list S256 in `code_challenge_methods_supported`. */
  | 'pkceUnsupported'
  /** No configured client, no Client ID Metadata Document support and no registration endpoint. */
  | 'noClientIdentity'
  /** Dynamic Client Registration was refused or answered something unusable. */
  | 'registrationFailed'
  /** The user declined the consent prompt. */
  | 'consentRefused'
  /** The authorization server answered the authorization request with an error (e.g. access_denied). */
  | 'authorizationDenied'
  /** The redirect's `state` is not the one this sign-in sent. */
  | 'stateMismatch'
  /** The redirect's `iss` (RFC 9207) is missing although advertised, or names another issuer. */
  | 'issuerResponseMismatch'
  /** The redirect never came (timeout) or the browser step was cancelled. */
  | 'redirectTimeout'
  /** The redirect cannot be received this way here (the loopback listener cannot listen on 127.0.0.1). */
  | 'redirectUnavailable'
  /** The token endpoint refused the code or answered something unusable. */
  | 'tokenRequestFailed'
  /** The token endpoint refused the refresh token (revoked, expired): sign in again. */
  | 'refreshRejected'
  /** A request to an authorization server failed at the network level or timed out. */
  | 'network';

/** An error of the auth module; `code` says what failed, the message is for people (and holds no secret). */
export class AuthError extends Error {
  override readonly name = 'AuthError';
  constructor(
    readonly code: AuthErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export function isAuthError(err: unknown, code?: AuthErrorCode): err is AuthError {
  return err instanceof AuthError && (code === undefined || err.code === code);
}
