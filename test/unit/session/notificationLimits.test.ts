/**
 * A server's log messages (notifications/message) and progress reports are bounded like its stderr
 * (issue 10, finding 9): a flood is rate-limited with a count of what was dropped, one huge message is cut, and
 * progress reaches the caller about ten times a second, always with its last report.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ServerHandle } from '../../../src/core/server/types';
import { createHarness, waitFor, type Harness } from '../server/helpers';

void describe('server log messages and progress are bounded', { timeout: 60_000 }, () => {
  let h: Harness;
  let s: ServerHandle;

  before(async () => {
    h = createHarness();
    [s] = (await h.add(h.scripted('noisy'))) as [ServerHandle];
    await s.start();
  });
  after(() => h.close());

  void it('a flood of 8,000 log messages in one write is rate-limited, and the log says how many were dropped', async () => {
    // 8,000 rather than more: the test's log recorder keeps 20,000 lines, and each message is also traced.
    const log = h.serverLog('noisy');
    await s.callTool('log-flood', { count: 8000 }, { timeoutMs: 20_000 });
    const logged = () => log.lines.filter((l) => /^\[server info\] log \d+$/.test(l.message)).length;
    const dropped = () =>
      log.lines
        .map((l) => /^\((\d+) log messages not logged: the server sent more than 2000 messages\/s\)$/.exec(l.message))
        .reduce((n, m) => n + (m ? Number(m[1]) : 0), 0);
    // The last summary is written when its one-second window ends, without waiting for another message.
    await waitFor(() => logged() + dropped() >= 8000, 10_000, 'every message logged or counted as dropped');
    await new Promise((r) => setTimeout(r, 1100)); // nothing more comes afterwards
    assert.ok(logged() <= 4000, `${logged()} messages logged`);
    assert.ok(logged() >= 1000, `${logged()} messages logged`);
    assert.equal(logged() + dropped(), 8000, `logged ${logged()} + dropped ${dropped()}`);
  });

  void it('a 30 MB log message is cut with a marker', async () => {
    const log = h.serverLog('noisy');
    await new Promise((r) => setTimeout(r, 1100)); // a fresh rate window
    await s.callTool('log-flood', { count: 0, bytes: 30_000_000 }, { timeoutMs: 30_000 });
    const find = () => log.lines.find((l) => l.message.startsWith('[server warning] big: Bxxx'));
    await waitFor(() => find() !== undefined, 10_000, 'the big message in the log');
    const big = find()!;
    assert.ok(big.message.length < 4096, `logged ${big.message.length} characters`);
    const m = /… \[message of (\d+) characters truncated\]$/.exec(big.message);
    assert.ok(m && Number(m[1]) >= 30_000_000, big.message.slice(-80));
  });

  void it('50,000 progress reports reach the caller about ten times a second, the last one included', async () => {
    const seen: { progress: number; message?: string | undefined }[] = [];
    const t0 = Date.now();
    const r = await s.callTool('progress-flood', { count: 50_000, batches: 25 }, { timeoutMs: 20_000, onProgress: (p) => seen.push(p) });
    const seconds = (Date.now() - t0) / 1000;
    assert.deepEqual(r.content, [{ type: 'text', text: 'flood done' }]);
    assert.ok(seen.length >= 2, `${seen.length} progress reports delivered`);
    assert.ok(seen.length <= Math.ceil(seconds * 10) + 2, `${seen.length} progress reports in ${seconds.toFixed(2)} s`);
    assert.deepEqual(seen[seen.length - 1], { progress: 50_000, total: 50_000, message: 'step 50000' });
    const order = seen.map((p) => p.progress);
    assert.deepEqual(order, [...order].sort((a, b) => a - b), 'delivered in order');
  });
});
