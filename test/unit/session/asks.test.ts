/**
 * What servers ask of the client, against a raw fixture that asks on purpose (test/fixtures/protocol/
 * asking-server.mjs): capabilities declared exactly, malformed schemas, floods, questions after the call ended,
 * withdrawal on timeout and cancel, URL mode and the -32042 retry, log level, resource subscriptions.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ServerHandle } from '../../../src/core/server/types';
import { askingServer, createHarness, recorded, requestError, waitFor, type Harness } from '../server/helpers';
import { TestPrompter, TestSampler, firstText, untilAborted } from './askHelpers';

type Reply = { result?: Record<string, unknown>; error?: { code: number; message: string } };

void describe('answers to what servers ask (fixture)', () => {
  let h: Harness;
  let s: ServerHandle;
  let record: string;
  const prompter = new TestPrompter();
  const sampler = new TestSampler();

  before(async () => {
    h = createHarness({ asks: { elicitation: prompter, sampler } });
    record = path.join(h.tmp, 'record.jsonl');
    s = (await h.add(h.def('asking', [askingServer()], { env: { RECORD_FILE: record }, logLevel: 'debug' })))[0]!;
    await s.start();
  });
  after(() => h.close());

  /** The replies the fixture got to questions asked outside of or after a call, once there are `n`. */
  async function pollReplies(n: number): Promise<Reply[]> {
    const end = Date.now() + 5000;
    for (;;) {
      const replies = firstText(await s.callTool('replies', {})) as Reply[];
      if (replies.length >= n || Date.now() > end) return replies;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  void it('declares exactly the capabilities it implements', () => {
    const init = recorded(record).find((m) => m.method === 'initialize') as { params: { capabilities: unknown } };
    assert.deepEqual(init.params.capabilities, { roots: { listChanged: true }, elicitation: { form: {}, url: {} }, sampling: { tools: {} } });
  });

  void it('sends the definition logLevel after initialize', async () => {
    await waitFor(() => recorded(record).some((m) => m.method === 'logging/setLevel'), 5000, 'logging/setLevel');
    const m = recorded(record).find((x) => x.method === 'logging/setLevel') as { params: { level: string } };
    assert.equal(m.params.level, 'debug');
    await s.setLogLevel('error');
    assert.equal(s.logLevel, 'error');
    const levels = recorded(record).filter((x) => x.method === 'logging/setLevel').map((x) => (x as { params: { level: string } }).params.level);
    assert.deepEqual(levels, ['debug', 'error']);
  });

  void it('server log messages reach the server log at their level', async () => {
    await s.callTool('log', {});
    const lines = h.serverLog('asking').lines;
    assert.ok(lines.some((l) => l.level === 'warn' && l.message.includes('[server warning] warning message')), JSON.stringify(lines.slice(-6)));
    assert.ok(lines.some((l) => l.level === 'error' && l.message.includes('[server error] error message')));
    assert.ok(lines.some((l) => l.level === 'debug' && l.message.includes('[server debug] debug message')));
  });

  void it('a form is answered with the values entered, the schema defaults filling what was left out', async () => {
    const progress: (string | undefined)[] = [];
    const r = await s.callTool('ask-form', {}, { onAwaitingInput: (w) => progress.push(w) });
    const reply = firstText(r) as Reply;
    assert.deepEqual(reply.result, { action: 'accept', content: { name: 'Ada', color: 'green', count: 3 } });
    assert.equal(prompter.forms.at(-1)?.question.message, 'Who are you?');
    assert.deepEqual(progress, ['Waiting for your input', undefined]);
  });

  void it('decline and cancel map to the protocol actions', async () => {
    prompter.answerForm = () => Promise.resolve({ action: 'decline' });
    assert.deepEqual((firstText(await s.callTool('ask-form', {})) as Reply).result, { action: 'decline' });
    prompter.answerForm = () => Promise.resolve({ action: 'cancel' });
    assert.deepEqual((firstText(await s.callTool('ask-form', {})) as Reply).result, { action: 'cancel' });
  });

  void it('a malformed schema is refused with a clear -32602 and the user is not asked', async () => {
    const before = prompter.forms.length;
    const nested = { type: 'object', properties: { address: { type: 'object', properties: { city: { type: 'string' } } } } };
    const reply = firstText(await s.callTool('ask-form', { schema: nested })) as Reply;
    assert.equal(reply.error?.code, -32602);
    assert.match(reply.error?.message ?? '', /property "address" has type "object".*no nested objects/);
    const notObject = firstText(await s.callTool('ask-form', { schema: { type: 'array' } })) as Reply;
    assert.match(notObject.error?.message ?? '', /"type": "object"/);
    const badRequired = firstText(await s.callTool('ask-form', { schema: { type: 'object', properties: {}, required: ['x'] } })) as Reply;
    assert.match(badRequired.error?.message ?? '', /"required" names "x"/);
    assert.equal(prompter.forms.length, before);
  });

  void it('a flood: one question open at a time, a few wait, the rest are refused', async () => {
    prompter.maxOpen = 0;
    prompter.answerForm = () => new Promise((r) => setTimeout(() => r({ action: 'decline' }), 30));
    const replies = firstText(await s.callTool('ask-flood', { count: 10 })) as Reply[];
    const declined = replies.filter((x) => x.result?.action === 'decline').length;
    const refused = replies.filter((x) => x.error?.code === -1 && /too many requests/.test(x.error.message)).length;
    assert.equal(prompter.maxOpen, 1);
    assert.equal(declined, 4, JSON.stringify(replies)); // the open one and three waiting
    assert.equal(refused, 6);
  });

  void it('a question after the call ended is refused without asking', async () => {
    const before = prompter.forms.length;
    const answered = (): number => recorded(record).filter((m) => !('method' in m)).length;
    const answeredBefore = answered();
    await s.callTool('ask-later', { delay: 50 });
    // Polling only once the question was answered: a poll in flight would be a call the question could belong to.
    await waitFor(() => answered() > answeredBefore, 5000, 'the answer to the late question');
    const replies = await pollReplies(1);
    assert.equal(replies[0]?.error?.code, -1);
    // Refused on arrival, or (when the answer and the question are read in the same tick, as under load) tied to
    // the call that is just ending and withdrawn with it: either way the user is never asked.
    assert.match(replies[0]?.error?.message ?? '', /only while one of its requests|withdrawn: the call it belonged to ended/);
    assert.equal(prompter.forms.length, before);
  });

  void it('a timeout of the outer call withdraws the open form', async () => {
    prompter.answerForm = (_q, ctx) => untilAborted(ctx.signal, { action: 'accept', content: { name: 'late' } });
    const e = await requestError(s.callTool('ask-hang', {}, { timeoutMs: 300, maxTotalTimeoutMs: 600 }));
    assert.equal(e.kind, 'timeout');
    assert.match(e.message, /longer than/, 'the idle timeout waits while the user is asked; the total cap ends it');
    assert.equal(prompter.forms.at(-1)?.ctx.signal.aborted, true);
    const replies = await pollReplies(2);
    assert.match(replies[1]?.error?.message ?? '', /withdrawn/);
  });

  void it('cancelling the outer call withdraws the form; the server gets an error, not the late answer', async () => {
    prompter.answerForm = (_q, ctx) => untilAborted(ctx.signal, { action: 'accept', content: { name: 'late' } });
    const abort = new AbortController();
    const p = s.callTool('ask-hang', {}, { signal: abort.signal });
    await waitFor(() => prompter.open === 1, 5000, 'the form to open');
    abort.abort();
    const e = await requestError(p);
    assert.equal(e.kind, 'cancelled');
    const replies = await pollReplies(3);
    assert.match(replies[2]?.error?.message ?? '', /withdrawn/);
    assert.ok(!replies.some((x) => x.result), 'no late answer reached the server');
  });
});
