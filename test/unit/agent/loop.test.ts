/**
 * The tool loop against server-everything over stdio (real tools/list and tools/call) with a scripted model:
 * two rounds, a refused confirmation, a tool error, the round cap, cancellation of a running tool call and of a
 * model request, images handed back only to a model that takes them.
 */
import * as assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { modelToolsFor, runToolLoop, serverToolRunner, transcriptMarkdown, type ModelToolSet, type ToolRunner } from '../../../src/core/agent';
import type { ServerHandle } from '../../../src/core/server/types';
import type { Tool } from '../../../src/core/protocol/sdk';
import { createHarness, referenceServer, type Harness } from '../server/helpers';
import { call, lastResultText, ScriptedModel, text } from './scriptedModel';

void describe('the tool loop with server-everything', () => {
  let h: Harness;
  let everything: ServerHandle;
  let tools: ModelToolSet;
  const approvals: { tool: string; args: Record<string, unknown> }[] = [];
  let allow = true;
  const approve = (_s: ServerHandle, tool: Tool, args: Record<string, unknown>) => {
    approvals.push({ tool: tool.name, args });
    return Promise.resolve(allow);
  };
  let run: ToolRunner;

  before(async () => {
    h = createHarness();
    [everything] = (await h.add(h.def('everything', [referenceServer('server-everything'), 'stdio']))) as [ServerHandle];
    await everything.start();
    tools = modelToolsFor([{ serverId: everything.id, serverName: everything.name, tools: everything.lists.tools }]);
    run = serverToolRunner({ server: (id) => h.registry.get(id), approve, requestOptions: () => ({ timeoutMs: 15_000 }) });
  });
  after(() => h.close());

  void it('two rounds: the model calls echo, gets its result back and answers with it', async () => {
    approvals.length = 0;
    allow = true;
    const model = new ScriptedModel([() => [text('Let me echo. '), call('echo', { message: 'hello loop' })], (m) => [text(`The tool said: ${lastResultText(m)}`)]]);
    const t = await runToolLoop({ model, tools, run, question: 'echo hello loop', signal: new AbortController().signal });
    assert.deepEqual(t.end, { kind: 'answered' });
    assert.equal(model.requests.length, 2);
    assert.ok(model.requests[0]!.tools.some((x) => x.name === 'echo' && JSON.stringify(x.inputSchema).includes('message')), 'echo offered with its schema');
    assert.deepEqual(approvals, [{ tool: 'echo', args: { message: 'hello loop' } }], 'the approver saw the call with its arguments');
    assert.equal(t.rounds[0]!.calls[0]!.status, 'result');
    assert.equal(t.rounds[1]!.text, 'The tool said: Echo: hello loop');
    const md = transcriptMarkdown(t);
    const bytes = [...tools.bytes.values()].reduce((a, b) => a + b, 0);
    assert.ok(bytes > 1000);
    assert.match(md, new RegExp(`tools offered: ${tools.tools.length} \\(${bytes} bytes of definitions per request\\)`));
    assert.match(md, /## Question[\s\S]*echo hello loop[\s\S]*Tool call: `echo` of `everything`[\s\S]*"message": "hello loop"[\s\S]*Echo: hello loop[\s\S]*## Answer[\s\S]*The tool said: Echo: hello loop/);
  });

  void it('a refused confirmation is handed back to the model, which answers without the tool', async () => {
    approvals.length = 0;
    allow = false;
    const model = new ScriptedModel([() => [call('get-sum', { a: 1, b: 2 })], (m) => [text(`refused? ${lastResultText(m)}`)]]);
    const t = await runToolLoop({ model, tools, run, question: 'sum', signal: new AbortController().signal });
    allow = true;
    assert.equal(approvals.length, 1);
    assert.equal(t.rounds[0]!.calls[0]!.status, 'refused');
    assert.match(t.rounds[1]!.text, /^refused\? The user did not allow this tool call/);
    assert.deepEqual(t.end, { kind: 'answered' });
  });

  void it('a tool error (invalid arguments) is handed back as an error result', async () => {
    const model = new ScriptedModel([() => [call('get-sum', { a: 'not a number' })], (m) => [text(`error: ${lastResultText(m)}`)]]);
    const t = await runToolLoop({ model, tools, run, question: 'sum badly', signal: new AbortController().signal });
    const c = t.rounds[0]!.calls[0]!;
    assert.ok(c.status === 'error' || c.status === 'failed', c.status);
    assert.equal(c.result?.isError, true);
    assert.match(t.rounds[1]!.text, /^error: (The tool reported an error|The tool call failed)/);
  });

  void it('a name the model made up is answered with an error, not run', async () => {
    approvals.length = 0;
    const model = new ScriptedModel([() => [call('rm_rf', {})], (m) => [text(lastResultText(m))]]);
    const t = await runToolLoop({ model, tools, run, question: 'x', signal: new AbortController().signal });
    assert.equal(approvals.length, 0);
    assert.match(t.rounds[1]!.text, /There is no tool named "rm_rf"/);
  });

  void it('the round cap stops a model that keeps calling tools', async () => {
    const model = new ScriptedModel([() => [call('echo', { message: 'again' })]]);
    const t = await runToolLoop({ model, tools, run, question: 'loop forever', maxRounds: 3, signal: new AbortController().signal });
    assert.deepEqual(t.end, { kind: 'roundCap', maxRounds: 3 });
    assert.equal(model.requests.length, 3);
    assert.deepEqual(t.rounds.map((r) => r.calls[0]!.status), ['result', 'result', 'notRun']);
    assert.match(transcriptMarkdown(t), /round cap \(3/);
  });

  void it('cancel stops a running tool call and the loop', async () => {
    const model = new ScriptedModel([() => [call('trigger-long-running-operation', { duration: 20, steps: 20 })], () => [text('never')]]);
    const abort = new AbortController();
    const t0 = Date.now();
    const p = runToolLoop({ model, tools, run, question: 'long', signal: abort.signal, onUpdate: (t) => {
      if (t.rounds[0]?.calls[0]?.status === 'running') setTimeout(() => abort.abort(), 500);
    } });
    const t = await p;
    assert.deepEqual(t.end, { kind: 'cancelled' });
    assert.equal(t.rounds[0]!.calls[0]!.status, 'cancelled');
    assert.equal(model.requests.length, 1, 'no further model request');
    assert.ok(Date.now() - t0 < 8000, `took ${Date.now() - t0} ms`);
    await everything.callTool('echo', { message: 'still fine' }); // the server is still usable
  });

  void it('cancel stops a model request that is still streaming', async () => {
    const model = new ScriptedModel([() => 'hang']);
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 200);
    const t = await runToolLoop({ model, tools, run, question: 'hang', signal: abort.signal });
    assert.deepEqual(t.end, { kind: 'cancelled' });
    assert.equal(t.rounds[0]!.text, 'thinking…');
  });

  void it('an image result is handed back as an image only to a model that takes images', async () => {
    for (const acceptsImages of [true, false]) {
      const model = new ScriptedModel([() => [call('get-tiny-image', {})], (m) => [text(lastResultText(m))]], acceptsImages);
      const t = await runToolLoop({ model, tools, run, question: 'image', signal: new AbortController().signal });
      const parts = t.rounds[0]!.calls[0]!.result!.parts;
      assert.equal(parts.some((p) => p.type === 'image' && p.mimeType === 'image/png' && p.data.byteLength > 0), acceptsImages);
      if (!acceptsImages) assert.match(t.rounds[1]!.text, /\[image image\/png, about \d+ bytes, not passed: this model takes no images\]/);
    }
  });

  void it('an approver that fails is a failed call handed back, not a broken loop', async () => {
    const failing = serverToolRunner({ server: (id) => h.registry.get(id), approve: () => Promise.reject(new Error('settings could not be written')) });
    const model = new ScriptedModel([() => [call('echo', { message: 'x' })], (m) => [text(lastResultText(m))]]);
    const t = await runToolLoop({ model, tools, run: failing, question: 'x', signal: new AbortController().signal });
    assert.equal(t.rounds[0]!.calls[0]!.status, 'failed');
    assert.equal(t.rounds[1]!.text, 'The tool call failed: the confirmation failed: settings could not be written');
    assert.deepEqual(t.end, { kind: 'answered' });
  });

  void it('a model failure ends the loop with its message', async () => {
    const model = new ScriptedModel([() => { throw new Error('quota exceeded'); }]);
    const t = await runToolLoop({ model, tools, run, question: 'x', signal: new AbortController().signal });
    assert.deepEqual(t.end, { kind: 'modelFailed', message: 'quota exceeded' });
  });
});
