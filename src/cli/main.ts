/** `mcp-host`: parses the command line, runs one command, reports a failure on stderr, returns the exit code. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { sanitizeText } from '../core/base/sanitize';
import { errorMessage } from '../core/protocol/errors';
import { parseArgs, usageText } from './args';
import { listServers, runServerCommand } from './commands';
import { loadCliConfig } from './config';
import { runConformance } from './conformance';
import { CliError, ExitCode, type ExitCodeValue } from './errors';
import type { CliIo } from './session';

export async function main(argv: readonly string[], io: CliIo): Promise<ExitCodeValue> {
  try {
    const { options, command } = parseArgs(argv);
    const version = packageVersion();
    switch (command.name) {
      case 'help':
        io.stdout.write(`${usageText}\n`);
        return ExitCode.ok;
      case 'version':
        io.stdout.write(`${version}\n`);
        return ExitCode.ok;
      case 'conformance':
        return await runConformance(command.url, options, io, version);
      default: {
        const cfg = await loadCliConfig(options, { cwd: io.cwd, home: io.env.HOME ?? io.env.USERPROFILE ?? io.cwd, env: io.env, platform: process.platform });
        if (command.name === 'servers') return listServers(cfg, options, io);
        return await runServerCommand(command, cfg, options, io, version);
      }
    }
  } catch (e) {
    const err = e instanceof CliError ? e : new CliError('serverError', `unexpected failure: ${errorMessage(e)}`);
    // Messages may quote what a server said: inert on the terminal.
    io.stderr.write(`mcp-host: ${sanitizeText(err.message)}\n${err.detail ? `${sanitizeText(err.detail)}\n` : ''}`);
    return err.exitCode;
  }
}

/** The version in package.json (next to dist/ in the package, two levels up from out/src/cli in tests). */
function packageVersion(): string {
  let dir = __dirname;
  for (let i = 0; i < 5; i++) {
    try {
      const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (pkg.name === 'mcp-host' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // not here: one folder up
    }
    dir = path.dirname(dir);
  }
  return '0.0.0';
}
