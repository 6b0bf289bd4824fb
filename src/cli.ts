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

void main(process.argv.slice(2), io).then((code) => {
  // Exit once stdout is flushed (a pipe may still hold the result); nothing else needs to run: every server was
  // stopped before main resolved.
  process.stdout.write('', () => process.exit(code));
});
