/**
 * Errors carry codes from the layer that knows what happened up to the caller (issue #11): a launch failure's
 * kind, an answer over the size limit, an initialize timeout. Callers decide by `reason`, never by the message.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { hostile } from '../hostile/helpers';
import { createHarness, requestError, type Harness } from './helpers';

void describe('error codes', { timeout: 60_000 }, () => {
  let h: Harness;
  before(() => {
    h = createHarness({ settings: { maxMessageBytes: 1024 * 1024 } });
  });
  after(() => h.close());

  void it('a command that is not on PATH fails the start with reason ENOENT', async () => {
    const [s] = await h.add(h.def('no-such-command', [], { command: 'definitely-not-a-command-xyz' }));
    const e = await requestError(s!.start());
    assert.equal(e.kind, 'notRunning');
    assert.equal(e.reason, 'ENOENT');
  });

  void it('a missing working directory fails the start with reason ENOCWD', async () => {
    const [s] = await h.add(h.def('no-cwd', [], { cwd: path.join(h.tmp, 'does-not-exist') }));
    const e = await requestError(s!.start());
    assert.equal(e.reason, 'ENOCWD');
  });

  void it('a command that is not executable fails the start with reason EACCES', async () => {
    const file = path.join(h.tmp, 'not-executable.sh');
    fs.writeFileSync(file, '#!/bin/sh\n', { mode: 0o644 });
    const [s] = await h.add(h.def('not-executable', [], { command: file }));
    const e = await requestError(s!.start());
    assert.equal(e.reason, 'EACCES');
  });

  void it('a server that never answers initialize fails the start with reason initializeTimeout', async () => {
    const [s] = await h.add(h.scripted('silent', 'never-init', {}, { initializeTimeoutSeconds: 1 }));
    const e = await requestError(s!.start());
    assert.equal(e.reason, 'initializeTimeout');
  });

  void it('an answer over the size limit fails its call with reason overLimit', async () => {
    const [s] = await h.add(h.def('capped', hostile()));
    await s!.start();
    const e = await requestError(s!.callTool('big', { bytes: 4 * 1024 * 1024 }));
    assert.equal(e.reason, 'overLimit');
  });
});
