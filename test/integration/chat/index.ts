/** Mocha entry for the "chat" suite (approved servers offered to VS Code's own chat, mcpHost.chat.offerServers). */
import { runSuite } from '../runSuite';

export function run(): Promise<void> {
  return runSuite(__dirname);
}
