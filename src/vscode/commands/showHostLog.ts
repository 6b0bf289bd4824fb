import type { LogChannels } from '../contracts';

export function showHostLogCommand(logs: LogChannels) {
  return (): void => logs.host.show(true);
}
