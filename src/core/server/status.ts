/**
 * The observable state of one server (./state.ts): what the UI reads, each change logged and fired once, and no
 * secret of the launch in an error text (the command line or stderr may quote one).
 */
import { Emitter, type Event } from '../base/events';
import { redact, type Logger } from '../base/logger';
import { describeState, errored, type ServerState } from './state';

export class ServerStatus {
  private readonly _onDidChange = new Emitter<ServerState>();
  readonly onDidChange: Event<ServerState> = this._onDidChange.event;
  private state: ServerState;

  /** `secrets`: of the current launch, read at every change. */
  constructor(
    initial: ServerState,
    private readonly log: Logger,
    private readonly secrets: () => readonly string[],
  ) {
    this.state = initial;
  }

  get current(): ServerState {
    return this.state;
  }

  /** Shows `state` (redacted); the same state again changes nothing. */
  set(state: ServerState): void {
    const secrets = this.secrets();
    const s = state.kind === 'error' && secrets.length ? errored(redact(state.message, secrets), redact(state.stderrTail, secrets), state.retryAt) : state;
    const prev = this.state;
    if (JSON.stringify(prev) === JSON.stringify(s)) return;
    this.state = s;
    if (s.kind !== prev.kind || s.kind === 'error') {
      const text = s.kind === 'error' ? `error: ${s.message}` : describeState(s);
      if (s.kind === 'error') this.log.error(text);
      else this.log.info(`state: ${text}`);
    }
    this._onDidChange.fire(s);
  }

  dispose(): void {
    this._onDidChange.dispose();
  }
}
