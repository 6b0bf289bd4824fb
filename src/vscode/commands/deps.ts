import type { ServerRegistry } from '../../core/host/types';
import type { LogChannels } from '../contracts';

/** What the server commands need. */
export interface ServerCommandDeps {
  readonly registry: ServerRegistry;
  readonly logs: LogChannels;
}
