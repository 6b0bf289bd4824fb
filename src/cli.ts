/**
 * `mcp-host`, the command-line client: the engine of the extension (createHost) with terminal services, no
 * `vscode`. Built into dist/cli.js (the package's `bin`). The result goes to stdout, everything else to stderr.
 */
import { main } from './cli/main';
import type { CliIo } from './cli/session';

const io: CliIo = {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
  ...(process.stdin.isTTY && process.stderr.isTTY ? { terminal: { input: process.stdin, output: process.stderr } } : {}),
  onSignal(handler) {
    const onInt = (): void => handler('SIGINT');
    const onTerm = (): void => handler('SIGTERM');
    process.on('SIGINT', onInt);
    process.on('SIGTERM', onTerm);
    return () => {
      process.off('SIGINT', onInt);
      process.off('SIGTERM', onTerm);
    };
  },
};

// A reader that went away (`mcp-host tools x | head -1`) must not crash the run before its servers are stopped:
// the rest of the output is dropped and the run ends as usual.
process.stdout.on('error', () => undefined);

void main(process.argv.slice(2), io).then((code) => {
  // Exit once stdout is flushed (a pipe may still hold the result); nothing else needs to run: every server was
  // stopped before main resolved.
  if (process.stdout.destroyed || !process.stdout.writable) process.exit(code);
  process.stdout.write('', () => process.exit(code));
});
