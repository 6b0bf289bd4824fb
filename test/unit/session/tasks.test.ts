/**
 * The tasks extension over Streamable HTTP (src/core/session/tasks.ts) against a raw modern server whose task store
 * outlives it (test/fixtures/http/durable-tasks.mjs): a task id stays valid across a restart of the server, so the
 * call's polling carries on through the outage instead of failing on the first refused poll.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { createHarness, repoRoot, waitFor, type Harness } from '../server/helpers';

interface DurableTasks {
  readonly url: string;
  readonly gets: string[];
  start(): Promise<void>;
  stop(): Promise<void>;
  finish(): void;
  forget(): void;
  close(): Promise<void>;
}

const textOf = (r: { content: readonly { type: string }[] }): string =>
  r.content.map((c) => ('text' in c && typeof c.text === 'string' ? c.text : `[${c.type}]`)).join('\n');

void describe('tasks: a task id across a server restart', () => {
  let web: DurableTasks;
  let h: Harness;
  before(async () => {
    const mod = (await import(pathToFileURL(path.join(repoRoot(), 'test/fixtures/http/durable-tasks.mjs')).href)) as { startDurableTasks(): Promise<DurableTasks> };
    web = await mod.startDurableTasks();
    h = createHarness();
  });
  after(async () => {
    await h.close();
    await web.close();
  });

  void it('polling goes on while the server restarts, and the call completes with the task result', async () => {
    const [s] = await h.add(h.def('durable', [], { type: 'http', url: web.url }));
    await s!.start();
    assert.equal(s!.info?.era, 'modern');
    // Settled into a value at once: a call failing during the outage is the assertion below, not an unhandled rejection.
    const outcome = s!.callTool('long', {}).then(textOf, (e: unknown) => e);
    await waitFor(() => web.gets.length >= 2, 5000, 'the task is being polled');
    await web.stop();
    // Several polls meet a refused connection (poll interval 50 ms) before the server is back.
    await new Promise((r) => setTimeout(r, 400));
    const before = web.gets.length;
    await web.start();
    await waitFor(() => web.gets.length > before, 5000, 'polling resumed after the restart');
    web.finish();
    assert.equal(await outcome, 'long done');
    assert.equal(s!.state.kind, 'running');
  });

  void it('a server that comes back without the task fails the call with its error at once (no polling on)', async () => {
    const [s] = await h.add(h.def('forgetful', [], { type: 'http', url: web.url }));
    await s!.start();
    const polled = web.gets.length;
    const outcome = s!.callTool('long', {}).then(textOf, (e: unknown) => e);
    await waitFor(() => web.gets.length > polled, 5000, 'the task is being polled');
    await web.stop();
    web.forget();
    await web.start();
    const t0 = Date.now();
    const e = (await outcome) as { code?: unknown; message?: unknown };
    assert.equal(e.code, -32602, String(e.message));
    assert.ok(Date.now() - t0 < 3000, 'failed without waiting out the retries');
  });
});
