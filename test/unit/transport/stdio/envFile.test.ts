/**
 * loadEnvFile (issue #10, finding 4): the env file is read once, bounded, and only when it is a regular file;
 * each refusal carries its problem code. Real files, a real FIFO (mkfifo), /dev/zero.
 */
import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import type { ResolvedLaunch } from '../../../../src/core/config/types';
import { EnvFileError, MAX_ENV_FILE_BYTES, loadEnvFile, type EnvFileProblem } from '../../../../src/core/transport/stdio/envFile';
import { createStdioTransport } from '../../../../src/core/transport/stdio/stdioTransport';
import { recordingLogger } from './helpers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mcp-envfile-'));
const launchOf = (envFile: string): ResolvedLaunch => ({ command: 'node', args: [], cwd: dir, env: {}, envFile, secrets: [] });

async function refused(envFile: string, problem: EnvFileProblem, message: RegExp): Promise<number> {
  const t0 = Date.now();
  await assert.rejects(loadEnvFile(launchOf(envFile)), (e: unknown) => {
    assert.ok(e instanceof EnvFileError, String(e));
    assert.equal(e.code, 'ENVFILE');
    assert.equal(e.problem, problem);
    assert.match(e.message, message);
    return true;
  });
  return Date.now() - t0;
}

void describe('loadEnvFile', () => {
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  void it('a normal file gives its variables; a launch without an env file is unchanged', async () => {
    const file = path.join(dir, 'ok.env');
    fs.writeFileSync(file, '# c\nA=1\nexport B="two words"\n');
    const loaded = await loadEnvFile(launchOf(file));
    assert.deepEqual(loaded.envFileVariables, { A: '1', B: 'two words' });
    const none: ResolvedLaunch = { command: 'node', args: [], cwd: dir, env: {}, secrets: [] };
    assert.equal(await loadEnvFile(none), none);
  });

  void it('a file of exactly 1 MiB is accepted; one byte more is refused (tooLarge)', async () => {
    const file = path.join(dir, 'edge.env');
    fs.writeFileSync(file, `A=${'x'.repeat(MAX_ENV_FILE_BYTES - 3)}\n`);
    assert.equal((await loadEnvFile(launchOf(file))).envFileVariables?.A?.length, MAX_ENV_FILE_BYTES - 3);
    fs.appendFileSync(file, 'y');
    await refused(file, 'tooLarge', /is larger than 1 MiB \(1048577 bytes\)/);
  });

  void it('a 2 MiB file is refused (tooLarge)', async () => {
    const file = path.join(dir, 'big.env');
    fs.writeFileSync(file, Buffer.alloc(2 * 1024 * 1024, 0x41));
    await refused(file, 'tooLarge', /env file .*big\.env is larger than 1 MiB/);
  });

  void it('/dev/zero is refused at once, without reading it (notRegular)', { skip: !fs.existsSync('/dev/zero') }, async () => {
    const ms = await refused('/dev/zero', 'notRegular', /env file \/dev\/zero is a device, not a regular file/);
    assert.ok(ms < 500, `${ms} ms`);
  });

  void it('a FIFO without a writer is refused at once instead of blocking (notRegular)', { skip: process.platform === 'win32' }, async () => {
    const fifo = path.join(dir, 'fifo.env');
    execFileSync('mkfifo', [fifo]);
    const ms = await refused(fifo, 'notRegular', /is a FIFO \(named pipe\), not a regular file/);
    assert.ok(ms < 500, `${ms} ms`);
  });

  void it('a directory, a missing file and an unreadable file each say so', async () => {
    await refused(dir, 'notRegular', /is a directory, not a regular file/);
    await refused(path.join(dir, 'nope.env'), 'missing', /env file .*nope\.env does not exist/);
    if (process.platform !== 'win32' && process.getuid?.() !== 0) {
      const locked = path.join(dir, 'locked.env');
      fs.writeFileSync(locked, 'A=1\n', { mode: 0o000 });
      await refused(locked, 'denied', /permission denied/);
    }
  });

  void it('a symlink to a regular file is followed (dotfile setups); to /dev/zero it is refused', { skip: process.platform === 'win32' }, async () => {
    const target = path.join(dir, 'real.env');
    fs.writeFileSync(target, 'REAL=1\n');
    fs.symlinkSync(target, path.join(dir, 'link.env'));
    assert.deepEqual((await loadEnvFile(launchOf(path.join(dir, 'link.env')))).envFileVariables, { REAL: '1' });
    fs.symlinkSync('/dev/zero', path.join(dir, 'zero.env'));
    await refused(path.join(dir, 'zero.env'), 'notRegular', /is a device/);
  });

  void it('the transport refuses a launch whose env file was not loaded (it never reads the file itself)', async () => {
    const file = path.join(dir, 'later.env');
    fs.writeFileSync(file, 'A=1\n');
    const t = createStdioTransport({ launch: launchOf(file), baseEnv: process.env, maxMessageBytes: 1024 * 1024, logger: recordingLogger() });
    await assert.rejects(t.start(), (e: unknown) => e instanceof EnvFileError && e.problem === 'notLoaded');
    assert.equal(t.pid, undefined);
  });
});
