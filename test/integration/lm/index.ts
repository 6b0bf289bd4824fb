/** Mocha entry for the "lm" suite (Ask a Model with Tools and Show Context Cost with a scripted model of a test extension). */
import { runSuite } from '../runSuite';

export function run(): Promise<void> {
  return runSuite(__dirname);
}
