/** Mocha entry for the "content" suite (running tools, resources, prompts), loaded by the extension host. */
import { runSuite } from '../runSuite';

export function run(): Promise<void> {
  return runSuite(__dirname);
}
