/** A server's lifecycle state: data the UI renders, never thrown. */

/** Why a stopped server is not running, when it is not simply idle. */
export type StoppedReason =
  | 'disabled' // `disabled: true` in its definition
  | 'needsWorkspaceTrust' // workspace-defined and the workspace is restricted
  | 'needsConsent' // workspace-defined and the user has not approved this exact launch yet
  | 'denied' // the user chose "Do not trust"
  | 'unsupportedType' // e.g. http/sse: not yet supported
  | 'needsSignIn'; // a remote server answered 401 (or asked for more scopes) and the sign-in needs the user

export type ServerState =
  | { readonly kind: 'stopped'; readonly reason?: StoppedReason }
  | { readonly kind: 'starting' }
  | { readonly kind: 'running' }
  | {
      readonly kind: 'error';
      /** What happened, for people: "exited with code 3 before initialize", "command not found: ...". */
      readonly message: string;
      /** Last stderr lines of the server, possibly empty. */
      readonly stderrTail: string;
      /** When an automatic restart is scheduled (epoch ms), if any. */
      readonly retryAt?: number;
      /** It crashed too often in a row and MCP Host stopped restarting it (starting it by hand may work). */
      readonly gaveUp?: true;
    };

export const stopped = (reason?: StoppedReason): ServerState => (reason ? { kind: 'stopped', reason } : { kind: 'stopped' });
export const starting: ServerState = { kind: 'starting' };
export const running: ServerState = { kind: 'running' };
export const errored = (message: string, stderrTail = '', retryAt?: number): ServerState =>
  retryAt === undefined ? { kind: 'error', message, stderrTail } : { kind: 'error', message, stderrTail, retryAt };

export function isRunning(s: ServerState): boolean {
  return s.kind === 'running';
}

/** Running, starting, or waiting for an automatic restart: a new definition restarts it. */
export function isActive(s: ServerState): boolean {
  return s.kind === 'running' || s.kind === 'starting' || (s.kind === 'error' && s.retryAt !== undefined);
}

/** Short text for a tree description, e.g. `error: exited with code 1`. */
export function describeState(s: ServerState): string {
  switch (s.kind) {
    case 'stopped':
      switch (s.reason) {
        case 'disabled':
          return 'disabled';
        case 'needsWorkspaceTrust':
          return 'needs workspace trust';
        case 'needsConsent':
          return 'needs trust';
        case 'denied':
          return 'not trusted';
        case 'unsupportedType':
          return 'not supported yet';
        case 'needsSignIn':
          return 'Sign in';
        default:
          return 'stopped';
      }
    case 'starting':
      return 'starting…';
    case 'running':
      return 'running';
    case 'error':
      return `error: ${s.message.split('\n')[0] ?? s.message}`;
  }
}
