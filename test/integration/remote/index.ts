/** Mocha entry for the "remote" suite (a Streamable HTTP server in the tree, Run Tool, Insert Resource). */
import { runSuite } from '../runSuite';

export function run(): Promise<void> {
  return runSuite(__dirname);
}
