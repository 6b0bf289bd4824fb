/**
 * A long session over HTTP leaves nothing behind per request: after 1,600 calls on one connection (Streamable HTTP
 * with JSON answers, the fixture's /ok endpoint; SSE answers and legacy HTTP+SSE, server-everything; all on
 * 127.0.0.1) no abort signal handed to fetch holds more than a few listeners. The transports used to hand fetch their
 * one long-lived signal, and Node's fetch adds a listener to it per request that it never removes: a
 * MaxListenersExceededWarning on every call after 1,500 (~100 µs each in the bench) and every request's listener kept
 * until the server stopped. Node's real fetch does the requests; the wrapper only notes the signals it was given.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { getEventListeners } from 'node:events';
import { createHarness } from '../../server/helpers';
import type { FetchLike } from '../../../../src/core/transport/http/network';
import { startEverything, startHostileHttp, type HostileHttp, type RunningEverything } from '../../../support/remoteFixtures';

const CALLS = 1600;

/** Runs CALLS echo calls on one connection of `entry`; returns the most abort listeners any signal given to fetch had. */
async function longSession(name: string, entry: { type: 'http' | 'sse'; url: string }, args: (i: number) => Record<string, unknown>): Promise<number> {
  const signals = new Set<AbortSignal>();
  const fetch: FetchLike = (url, init) => {
    if (init?.signal) signals.add(init.signal);
    return globalThis.fetch(url, init as RequestInit);
  };
  const h = createHarness({ network: { fetch } });
  try {
    const [server] = await h.add(h.def(name, [], entry));
    await server!.start();
    for (let i = 0; i < CALLS; i++) await server!.callTool('echo', args(i));
    await new Promise((r) => setImmediate(r));
    return Math.max(...[...signals].map((s) => getEventListeners(s, 'abort').length));
  } finally {
    await h.close();
  }
}

void describe('remote: a long session leaves no abort listener behind', () => {
  let everything: { http: RunningEverything; sse: RunningEverything };
  let hostile: HostileHttp;
  before(async () => {
    everything = { http: await startEverything('streamableHttp'), sse: await startEverything('sse') };
    hostile = await startHostileHttp();
  });
  after(async () => {
    await everything.http.stop();
    await everything.sse.stop();
    await hostile.close();
  });

  void it(`Streamable HTTP, JSON answers: ${CALLS} calls`, async () => {
    const most = await longSession('long-json', { type: 'http', url: `${hostile.origin}/ok/mcp` }, (i) => ({ text: `m${i}` }));
    assert.ok(most <= 4, `a signal given to fetch had ${most} abort listeners`);
  });

  void it(`Streamable HTTP, SSE answers: ${CALLS} calls`, async () => {
    const most = await longSession('long-sse-answers', { type: 'http', url: everything.http.url }, (i) => ({ message: `m${i}` }));
    assert.ok(most <= 4, `a signal given to fetch had ${most} abort listeners`);
  });

  void it(`legacy HTTP+SSE: ${CALLS} calls`, async () => {
    const most = await longSession('long-legacy', { type: 'sse', url: everything.sse.url }, (i) => ({ message: `m${i}` }));
    assert.ok(most <= 4, `a signal given to fetch had ${most} abort listeners`);
  });
});
