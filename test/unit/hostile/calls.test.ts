/**
 * Hostile servers during calls (issue #6, cases 7, 14 and 20), through the registry: a late answer after a
 * timeout, a server flooding stderr at megabytes per second (calls stay fast, the log stays bounded), and
 * concurrent starts from autostart, the user and a call. A healthy neighbour keeps answering.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ServerRequestError, describeError } from '../../../src/core/protocol/errors';
import type { ServerHandle } from '../../../src/core/server/types';
import { createHarness, recorded, waitFor, waitForState, type Harness } from '../server/helpers';
import { assertNeighbourUnaffected, harnessWithNeighbour, hostile, percentile, textOf } from './helpers';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function timeCalls(s: ServerHandle, n: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = process.hrtime.bigint();
    const r = await s.callTool('echo', { text: `n${i}` }, { timeoutMs: 5000 });
    times.push(Number(process.hrtime.bigint() - t0) / 1e6);
    assert.equal(textOf(r), `n${i}`);
  }
  return times;
}

void describe('hostile servers: calls', { timeout: 60_000 }, () => {
  let h: Harness;
  let neighbour: ServerHandle;
  let neighbourPid: number;

  before(async () => {
    ({ h, neighbour, neighbourPid } = await harnessWithNeighbour());
  });
  after(() => h.close());

  void it('a call that times out is cancelled at once and its late answer is ignored', async () => {
    const record = path.join(h.tmp, 'late.jsonl');
    const [s] = await h.add(h.def('late', hostile(), { env: { RECORD_FILE: record } }));
    await s!.start();
    const t0 = Date.now();
    let settled = 0;
    const e = await s!.callTool('slow', { ms: 1000 }, { timeoutMs: 300 }).then(
      () => assert.fail('expected a timeout'),
      (err: unknown) => {
        settled++;
        return err as ServerRequestError;
      },
    );
    const took = Date.now() - t0;
    assert.ok(e instanceof ServerRequestError);
    assert.equal(e.kind, 'timeout');
    assert.equal(e.message, 'tools/call timed out: no answer from the server within 0.3 s');
    assert.ok(took < 1000, `the caller was free again after ${took} ms`);
    const call = recorded(record).find((m) => m.method === 'tools/call');
    await waitFor(
      () => recorded(record).some((m) => m.method === 'notifications/cancelled' && (m.params as { requestId: unknown }).requestId === call?.id),
      5000,
      'notifications/cancelled',
    );
    // The answer arrives ~0.7 s later: logged and ignored, the session goes on.
    await waitFor(() => /unknown message ID/.test(h.serverLog('late').text('warn')), 5000, 'the late answer');
    assert.equal(settled, 1);
    assert.equal(s!.state.kind, 'running');
    assert.equal(textOf(await s!.callTool('echo', { text: 'next' })), 'next');
    assert.match(h.serverLog('late').text('warn'), /tools\/call timed out: no answer from the server within 0\.3 s: cancelling/);
    await s!.stop();
    await assertNeighbourUnaffected(neighbour, neighbourPid);
  });

  void it('a server flooding stderr at megabytes per second stays fast to call; stderr is drained and the log bounded', async (t) => {
    const [s] = await h.add(h.def('flood', hostile('--flood-stderr')));
    await s!.start();
    const baseline = await timeCalls(neighbour, 50);
    const t0 = Date.now();
    const flooding = await timeCalls(s!, 200);
    const neighbourDuring = await timeCalls(neighbour, 50);
    await sleep(Math.max(0, 1500 - (Date.now() - t0)));
    const seconds = (Date.now() - t0) / 1000;
    const log = h.serverLog('flood');
    const logged = log.lines.filter((l) => l.message.startsWith('flood line')).length;
    const dropped = log.lines
      .map((l) => /^\((\d+) stderr lines not logged/.exec(l.message))
      .reduce((sum, m) => sum + (m ? Number(m[1]) : 0), 0);
    const mbPerSecond = ((logged + dropped) * 215) / 1e6 / seconds;
    const p50 = percentile(flooding, 50);
    t.diagnostic(
      `stderr flood: ~${mbPerSecond.toFixed(1)} MB/s of stderr; echo p50 ${p50.toFixed(2)} ms, p95 ${percentile(flooding, 95).toFixed(2)} ms ` +
        `(neighbour p50 ${percentile(baseline, 50).toFixed(2)} ms before, ${percentile(neighbourDuring, 50).toFixed(2)} ms during); ` +
        `${logged} lines logged, ${dropped} summarised in ${seconds.toFixed(1)} s`,
    );
    assert.ok(p50 < 50, `echo p50 ${p50} ms while flooding`);
    assert.ok(percentile(neighbourDuring, 50) < 50, 'the neighbour stays fast');
    assert.ok(logged + dropped > 5000, `the flood was real: ${logged + dropped} lines`);
    // At most 2000 stderr lines per second reach the log; the rest is one summary line per second.
    assert.ok(logged <= 2000 * (Math.ceil(seconds) + 1), `${logged} lines logged in ${seconds} s`);
    const big = log.lines.find((l) => l.message.startsWith('BIGyyy'));
    assert.ok(big && big.message.length < 4096, 'the 1 MB line is logged cut short');
    assert.ok(big.message.endsWith('[line of 1048579 bytes truncated]'));
    await s!.stop();
    assert.equal(s!.state.kind, 'stopped');
    await assertNeighbourUnaffected(neighbour, neighbourPid);
  });

  void it('a JSON-RPC error answer is shown with its code and message, and the session goes on', async () => {
    const [s] = await h.add(h.def('erring', hostile()));
    const e = await s!.callTool('no-such-tool', {}).then(
      () => assert.fail('expected an error'),
      (err: unknown) => err as ServerRequestError,
    );
    assert.ok(e instanceof ServerRequestError);
    assert.equal(e.kind, 'rpc');
    assert.equal(e.code, -32602);
    assert.equal(describeError(e), 'unknown tool no-such-tool (JSON-RPC error -32602)');
    assert.equal(s!.state.kind, 'running');
    assert.equal(textOf(await s!.callTool('echo', { text: 'fine' })), 'fine');
    await s!.stop();
    await assertNeighbourUnaffected(neighbour, neighbourPid);
  });

  void it('autostart, two user starts and a call at the same moment run exactly one process', async () => {
    const h2 = createHarness({ settings: { autoStart: true } });
    try {
      const record = path.join(h2.tmp, 'once.jsonl');
      const def = h2.def('once', hostile(), { env: { RECORD_FILE: record } });
      // apply queues the autostart; the user's starts and a call come in the same tick.
      await h2.registry.apply(h2.config(def));
      const s = h2.registry.get(def.id)!;
      const all = await Promise.all([s.start(), s.start(), s.callTool('echo', { text: 'x' })]);
      assert.equal(textOf(all[2]), 'x');
      await waitForState(s, (x) => x.kind === 'running');
      await sleep(200);
      assert.equal(recorded(record).filter((m) => m.method === 'initialize').length, 1);
      assert.equal(h2.alive().length, 1);
    } finally {
      await h2.close();
    }
  });
});
