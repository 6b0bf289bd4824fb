/** Mocha entry for the "asks" suite (what servers ask: elicitation, URL consent, live resources). */
import { runSuite } from '../runSuite';

export function run(): Promise<void> {
  return runSuite(__dirname);
}
