/** What a session offers above it: request options and what the server said about itself. */
import type { Implementation, ServerCapabilities } from '../protocol/sdk';

/** Options every request takes (STYLE rule 5: every request is bounded). */
export interface RequestOptions {
  readonly signal?: AbortSignal;
  /** Timeout in ms; default: the server's / global request timeout. Reset by progress up to `maxTotalTimeoutMs`. */
  readonly timeoutMs?: number;
  /** Hard cap in ms even when progress keeps arriving. */
  readonly maxTotalTimeoutMs?: number;
  readonly onProgress?: (p: { progress: number; total?: number; message?: string }) => void;
  /**
   * The server asked the user something while this request runs (elicitation, sampling review): `what` says so;
   * undefined when the question closed. The request's idle timeout waits meanwhile (not its total cap).
   */
  readonly onAwaitingInput?: (what: string | undefined) => void;
}

/** What the server said about itself during initialize. */
export interface ServerInfo {
  readonly serverInfo: Implementation;
  readonly protocolVersion: string;
  readonly instructions?: string;
  readonly capabilities: ServerCapabilities;
}

/** Default timeouts for requests without explicit ones. */
export interface RequestDefaults {
  readonly timeoutMs: number;
  readonly maxTotalTimeoutMs: number;
}
