/**
 * The SDK module (./sdk, with the MCP SDK and zod behind it), evaluated on first use instead of at activation.
 * Building zod's protocol schemas is the largest part of loading the extension bundle (about half of it, see
 * bench/activation.mjs), and nothing needs them until the first server starts. Callers import types statically
 * (`import type`, erased) and reach runtime values through `sdk()`.
 *
 * A synchronous `require` keeps every caller's API and timing as it was. In the esbuild bundle the required
 * module and its ES-module dependencies become lazily initialised wrappers: nothing of them runs at load.
 * Never add a value import of './sdk' elsewhere: one static import would make it load with the bundle again.
 */
import type * as SdkModule from './sdk';

let loaded: typeof SdkModule | undefined;

/** The SDK wrapper module, loaded on the first call (tens of ms once), cached afterwards. */
export function sdk(): typeof SdkModule {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- deliberate lazy load, see above
  return (loaded ??= require('./sdk') as typeof SdkModule);
}
