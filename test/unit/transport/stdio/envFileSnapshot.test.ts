/**
 * Issue #10, finding 4: the env file is read once, before consent, and bounded. What the consent dialog shows and
 * hashes (the launch the gate is asked about) is exactly what the process gets; a file that is not a regular file
 * or is larger than 1 MiB fails fast with a clear error, before anything is asked. Through the registry, against a
 * real server that reports its own environment.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import type { ResolvedLaunch, ServerDefinition } from '../../../../src/core/config/types';
import type { ServerState } from '../../../../src/core/server/state';
import type { ServerHandle } from '../../../../src/core/server/types';
import { createHarness, waitForState, type Harness } from '../../server/helpers';
import { fixture } from './helpers';

/** A server defined by the workspace's .vscode/mcp.json (so the gate is asked), reporting its environment. */
function workspaceServer(h: Harness, name: string, envFile: string): ServerDefinition {
  const file = path.join(h.tmp, '.vscode/mcp.json');
  return h.def(name, [fixture('report-env.mjs')], { envFile }, { kind: 'folderMcpJson', file, folder: h.tmp });
}

async function envOf(server: ServerHandle): Promise<Record<string, string>> {
  const r = await server.callTool('env', {});
  const block = r.content[0] as { type: string; text?: string };
  return JSON.parse(block.text ?? '{}') as Record<string, string>;
}

const errorMessageOf = (s: ServerState): string => (s.kind === 'error' ? s.message : `not an error: ${JSON.stringify(s)}`);

void describe('env file: one snapshot, bounded', { timeout: 60_000 }, () => {
  void it('a line appended while the consent dialog is open does not reach the process', async () => {
    const h = createHarness();
    try {
      const envFile = path.join(h.tmp, '.env');
      fs.writeFileSync(envFile, 'SEEN_BY_USER=yes\n');
      const asked: ResolvedLaunch[] = [];
      // The "dialog": while it is open, the workspace appends a line the user never sees.
      const gate = h.gate as unknown as { approveLaunch(def: ServerDefinition, launch: ResolvedLaunch): Promise<undefined> };
      gate.approveLaunch = (_def, launch) => {
        asked.push(launch);
        fs.appendFileSync(envFile, 'NODE_OPTIONS=--title=pwned\nADDED_AFTER_CONSENT=yes\n');
        return Promise.resolve(undefined);
      };
      const [server] = (await h.add(workspaceServer(h, 'env-snapshot', envFile))) as [ServerHandle];
      await server.start();
      const env = await envOf(server);
      assert.equal(asked.length, 1);
      assert.deepEqual(asked[0]?.envFileVariables, { SEEN_BY_USER: 'yes' }, 'the gate is asked about the snapshot');
      assert.equal(env.SEEN_BY_USER, 'yes');
      assert.equal(env.ADDED_AFTER_CONSENT, undefined, 'a variable added after the snapshot reached the process');
      assert.equal(env.NODE_OPTIONS, undefined);
    } finally {
      await h.close();
    }
  });

  const fails = async (envFile: string, expected: RegExp, setup?: (h: Harness) => void): Promise<void> => {
    const h = createHarness();
    let askedGate = 0;
    h.gate.approveLaunch = () => {
      askedGate++;
      return Promise.resolve(undefined);
    };
    try {
      setup?.(h);
      const file = envFile.replace('$TMP', h.tmp);
      const [server] = (await h.add(workspaceServer(h, 'bad-env', file))) as [ServerHandle];
      const t0 = Date.now();
      await assert.rejects(server.start());
      const state = await waitForState(server, (s) => s.kind === 'error', 5000);
      const ms = Date.now() - t0;
      assert.match(errorMessageOf(state), expected);
      assert.ok(ms < 2000, `failed fast (${ms} ms)`);
      assert.equal(askedGate, 0, 'nothing is asked for an env file that cannot be used');
      assert.equal(server.pid, undefined);
    } finally {
      // Before the fix a FIFO read blocks a libuv thread forever: open the write end once so it returns.
      if (fs.existsSync(path.join(h.tmp, 'fifo'))) {
        try {
          fs.closeSync(fs.openSync(path.join(h.tmp, 'fifo'), fs.constants.O_WRONLY | fs.constants.O_NONBLOCK));
        } catch {
          // no reader left
        }
      }
      await h.close();
    }
  };

  void it('/dev/zero fails fast: not a regular file', { skip: process.platform === 'win32' }, async () => {
    await fails('/dev/zero', /env file \/dev\/zero is a device, not a regular file/);
  });

  void it('a FIFO fails fast instead of leaving the server starting forever', { skip: process.platform === 'win32' }, async () => {
    await fails('$TMP/fifo', /env file .*fifo is a FIFO \(named pipe\), not a regular file/, (h) => execFileSync('mkfifo', [path.join(h.tmp, 'fifo')]));
  });

  void it('a directory fails: not a regular file', async () => {
    await fails('$TMP', /env file .* is a directory, not a regular file/);
  });

  void it('a 2 MiB env file fails: larger than the 1 MiB cap', async () => {
    await fails('$TMP/big.env', /env file .*big\.env is larger than 1 MiB/, (h) => {
      fs.writeFileSync(path.join(h.tmp, 'big.env'), `A=${'x'.repeat(2 * 1024 * 1024)}\n`);
    });
  });
});
