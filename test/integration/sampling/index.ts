/** Mocha entry for the "sampling" suite (sampling/createMessage through a language model of a test extension). */
import { runSuite } from '../runSuite';

export function run(): Promise<void> {
  return runSuite(__dirname);
}
