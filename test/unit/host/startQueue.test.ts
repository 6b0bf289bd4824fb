import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { createStartLimiter, defaultStartConcurrency } from '../../../src/core/host/startQueue';
import { nodeServer, sleep } from '../transport/stdio/helpers';

function deferred<T = void>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

void test('at most `concurrency` tasks run at once, in FIFO order, and outcomes pass through', async () => {
  const limiter = createStartLimiter({ concurrency: 2, holdLimitMs: 0 });
  const gates = [deferred(), deferred(), deferred(), deferred()];
  const started: number[] = [];
  const results = gates.map((g, i) =>
    limiter.run(async () => {
      started.push(i);
      await g.promise;
      if (i === 1) throw new Error('boom');
      return i * 10;
    }),
  );
  await sleep(10);
  assert.deepEqual(started, [0, 1]);
  assert.equal(limiter.running, 2);
  assert.equal(limiter.queued, 2);
  gates[1]?.resolve();
  await assert.rejects(results[1] as Promise<number>, /boom/);
  await sleep(0);
  assert.deepEqual(started, [0, 1, 2]);
  for (const g of gates) g.resolve();
  assert.deepEqual(await Promise.all([results[0], results[2], results[3]]), [0, 20, 30]);
  assert.equal(limiter.running, 0);
});

void test('a high-priority task goes before queued normal ones', async () => {
  const limiter = createStartLimiter({ concurrency: 1, holdLimitMs: 0 });
  const gate = deferred();
  const order: string[] = [];
  const first = limiter.run(() => gate.promise.then(() => order.push('first')));
  const normal = limiter.run(async () => void order.push('normal'));
  const high = limiter.run(async () => void order.push('high'), { priority: 'high' });
  gate.resolve();
  await Promise.all([first, normal, high]);
  assert.deepEqual(order, ['first', 'high', 'normal']);
});

void test('a start that takes longer than the hold limit hands its slot on and keeps running', async () => {
  const limiter = createStartLimiter({ concurrency: 1, holdLimitMs: 100 });
  const slow = deferred<string>();
  const t0 = Date.now();
  const a = limiter.run(() => slow.promise);
  const b = limiter.run(async () => Date.now() - t0);
  const waited = await b;
  assert.ok(waited >= 90 && waited < 2000, `second started after ${waited} ms`);
  slow.resolve('done');
  assert.equal(await a, 'done');
});

void test('aborting a queued start removes it; dispose rejects what is queued', async () => {
  const limiter = createStartLimiter({ concurrency: 1, holdLimitMs: 0 });
  const gate = deferred();
  const running = limiter.run(() => gate.promise);
  const ac = new AbortController();
  let ran = false;
  const aborted = limiter.run(async () => void (ran = true), { signal: ac.signal });
  const queued = limiter.run(async () => 'never');
  ac.abort(new Error('cancelled by user'));
  await assert.rejects(aborted, /cancelled by user/);
  assert.equal(limiter.queued, 1);
  limiter.dispose();
  await assert.rejects(queued, /disposed/);
  gate.resolve();
  await running;
  assert.equal(ran, false);
  await assert.rejects(limiter.run(async () => 1), /disposed/);
});

void test('default concurrency is one start per core, at least two', () => {
  assert.ok(defaultStartConcurrency() >= 2);
});

void test('six real servers started two at a time: the first answers long before the last is spawned', async () => {
  const limiter = createStartLimiter({ concurrency: 2 });
  const t0 = Date.now();
  const servers = Array.from({ length: 6 }, () => nodeServer('echo-jsonrpc.mjs'));
  try {
    const readyAt = await Promise.all(
      servers.map(({ transport, client }) =>
        limiter.run(async () => {
          await transport.start();
          await client.request('initialize', { protocolVersion: '2025-06-18' });
          return Date.now() - t0;
        }),
      ),
    );
    const first = Math.min(...readyAt);
    const last = Math.max(...readyAt);
    assert.ok(first < last, `first ${first} ms, last ${last} ms`);
    assert.ok(readyAt.filter((t) => t === first).length <= 2);
  } finally {
    await Promise.all(servers.map((s) => s.transport.close()));
  }
});
