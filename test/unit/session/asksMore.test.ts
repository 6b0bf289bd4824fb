/**
 * URL elicitation (request and -32042 paths), sampling (consent, model choice, no model), roots override and live
 * resource subscriptions: against the asking fixture and the reference `@modelcontextprotocol/server-everything`.
 */
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ServerHandle } from '../../../src/core/server/types';
import { askingServer, createHarness, recorded, referenceServer, requestError, waitFor, type Harness } from '../server/helpers';
import { TestPrompter, TestSampler, firstText, testModels } from './askHelpers';
import { forgetSamplingConsent } from '../../../src/core/session/asks/sampling';

type Reply = { result?: Record<string, unknown>; error?: { code: number; message: string } };
const texts = (r: { content: readonly unknown[] }) => r.content.map((c) => (c as { text?: string }).text ?? '').join('\n');

void describe('URL mode, sampling, roots and live resources', () => {
  let h: Harness;
  let fixture: ServerHandle;
  let everything: ServerHandle;
  let record: string;
  const prompter = new TestPrompter();
  const sampler = new TestSampler();

  before(async () => {
    h = createHarness({ asks: { elicitation: prompter, sampler, samplingAllowList: (name) => (name === 'everything' ? ['test/smart'] : undefined) } });
    record = path.join(h.tmp, 'record.jsonl');
    const roots = ['${workspaceFolder}/src', 'https://example.com/repo'];
    [fixture, everything] = (await h.add(
      h.def('asking', [askingServer()], { env: { RECORD_FILE: record } }),
      h.def('everything', [referenceServer('server-everything'), 'stdio'], { roots }),
    )) as [ServerHandle, ServerHandle];
    await Promise.all([fixture.start(), everything.start()]);
  });
  after(() => h.close());

  void it('URL mode: https is offered with its domain; the answer is the user action', async () => {
    const reply = firstText(await fixture.callTool('ask-url', { url: 'https://login.example.com/x?y=1', message: 'Sign in please' })) as Reply;
    assert.deepEqual(reply.result, { action: 'accept' });
    const q = prompter.urls.at(-1)!.question;
    assert.equal(q.domain, 'login.example.com');
    assert.equal(q.origin, 'request');
    assert.equal(q.message, 'Sign in please');
  });

  void it('URL mode: http to another host, javascript: and credentials are refused; http to loopback is allowed', async () => {
    const n = prompter.urls.length;
    for (const url of ['http://evil.example.com/', 'javascript:alert(1)', 'https://user:pw@example.com/']) {
      const reply = firstText(await fixture.callTool('ask-url', { url })) as Reply;
      assert.equal(reply.error?.code, -32602, url);
    }
    assert.equal(prompter.urls.length, n);
    const ok = firstText(await fixture.callTool('ask-url', { url: 'http://127.0.0.1:8080/cb' })) as Reply;
    assert.deepEqual(ok.result, { action: 'accept' });
  });

  void it('URL mode: notifications/elicitation/complete reaches the open question', async () => {
    prompter.answerUrl = async (q) => {
      await q.completed;
      return 'accept';
    };
    try {
      const reply = firstText(await fixture.callTool('ask-url', { completeAfter: 100, elicitationId: 'e-77' })) as Reply;
      assert.deepEqual(reply.result, { action: 'accept' });
    } finally {
      prompter.answerUrl = () => Promise.resolve('accept');
    }
  });

  void it('-32042 (URL elicitation required): the link is offered and the call retried once after completion', async () => {
    const r = await fixture.callTool('need-url', { complete: true });
    assert.equal(texts(r), 'authorized result');
    const q = prompter.urls.at(-1)!.question;
    assert.equal(q.origin, 'required');
    assert.equal(q.domain, 'example.com');
  });

  void it('-32042 declined: the call fails with the server error', async () => {
    const h2 = createHarness({ asks: { elicitation: { form: () => Promise.resolve({ action: 'cancel' }), url: () => Promise.resolve('decline') } } });
    try {
      const [s] = await h2.add(h2.def('asking2', [askingServer()]));
      const e = await requestError(s!.callTool('need-url', {}));
      assert.equal(e.code, -32042);
    } finally {
      await h2.close();
    }
  });

  void it('server-everything: its elicitation tool fills the form, defaults applied for fields left out', async () => {
    prompter.answerForm = () => Promise.resolve({ action: 'accept', content: { name: 'Grace', check: true } });
    const r = await everything.callTool('trigger-elicitation-request', {});
    const t = texts(r);
    assert.match(t, /User provided the requested information/);
    assert.match(t, /"firstLine": "It was a dark and stormy night\."/);
    assert.match(t, /"integer": 42/);
  });

  void it('server-everything: sampling asks consent once (always), maps preferences to the allow-listed model', async () => {
    sampler.consents = 0;
    const r = await everything.callTool('trigger-sampling-request', { prompt: 'Say hi', maxTokens: 50 });
    assert.match(texts(r), /sampled answer/);
    assert.equal(sampler.runs.at(-1)?.model.id, 'test-smart', 'the allow-list for this server names test/smart only');
    assert.equal(sampler.runs.at(-1)?.request.maxTokens, 50);
    await everything.callTool('trigger-sampling-request', { prompt: 'again' });
    assert.equal(sampler.consents, 1, 'always is remembered per server definition');
    // Reset Server Trust forgets it (src/vscode/commands/resetServerTrust.ts): the next request asks again.
    assert.equal(await forgetSamplingConsent(h.memento, [everything.id]), 1);
    await everything.callTool('trigger-sampling-request', { prompt: 'after the reset' });
    assert.equal(sampler.consents, 2, 'asked again after the reset');
  });

  void it('sampling: never is remembered and refused; no model gives a clear error', async () => {
    const h2 = createHarness({ asks: { sampler } });
    try {
      const [s] = await h2.add(h2.def('asking3', [askingServer()]));
      sampler.consentAnswer = 'never';
      sampler.consents = 0;
      const denied = firstText(await s!.callTool('ask-sample', {})) as Reply;
      assert.equal(denied.error?.code, -1);
      await s!.callTool('ask-sample', {});
      assert.equal(sampler.consents, 1);
      sampler.consentAnswer = 'once';
      const h3 = createHarness({ asks: { sampler } });
      try {
        const [t] = await h3.add(h3.def('asking4', [askingServer()]));
        sampler.available = [];
        const none = firstText(await t!.callTool('ask-sample', {})) as Reply;
        assert.equal(none.error?.code, -32603);
        assert.match(none.error?.message ?? '', /no language model is available/);
        const bad = firstText(await t!.callTool('ask-sample', { params: { messages: [], maxTokens: 5 } })) as Reply;
        assert.equal(bad.error?.code, -32602);
      } finally {
        await h3.close();
      }
    } finally {
      sampler.available = testModels;
      sampler.consentAnswer = 'always';
      await h2.close();
    }
  });

  void it('roots: the definition override is what the server gets, and is recorded for the tooltip', async () => {
    const r = await everything.callTool('get-roots-list', {});
    const t = texts(r);
    assert.match(t, new RegExp(`file://${h.tmp.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/src`));
    assert.doesNotMatch(t, /example\.com/);
    assert.match(h.serverLog('everything').text('warn'), /root "https:\/\/example\.com\/repo" left out: only file:\/\/ URIs/);
    assert.equal(everything.asked.roots?.length, 1);
    assert.ok(everything.asked.rootsAsked >= 1);
  });

  void it('a client without prompter or sampler declares neither (server-everything hides those tools)', async () => {
    const h2 = createHarness();
    try {
      const [s] = await h2.add(h2.def('plain', [referenceServer('server-everything'), 'stdio']));
      await s!.start();
      await waitFor(() => s!.lists.tools.some((x) => x.name === 'get-roots-list'), 10_000, 'conditional tools');
      const names = s!.lists.tools.map((x) => x.name);
      assert.ok(!names.includes('trigger-elicitation-request'));
      assert.ok(!names.includes('trigger-sampling-request'));
    } finally {
      await h2.close();
    }
  });

  void it('live resources: subscribed while held, updates reported, unsubscribed when released', async () => {
    const updates: string[] = [];
    const sub = fixture.onDidUpdateResource((u) => updates.push(u));
    const held = fixture.subscribeResource('mem://live');
    const held2 = fixture.subscribeResource('mem://live');
    await waitFor(() => recorded(record).some((m) => m.method === 'resources/subscribe'), 5000, 'subscribe');
    await fixture.callTool('touch', { uri: 'mem://live' });
    await waitFor(() => updates.length === 1, 5000, 'the update');
    held.dispose();
    assert.ok(!recorded(record).some((m) => m.method === 'resources/unsubscribe'), 'still held by the second holder');
    held2.dispose();
    await waitFor(() => recorded(record).some((m) => m.method === 'resources/unsubscribe'), 5000, 'unsubscribe');
    assert.equal(recorded(record).filter((m) => m.method === 'resources/subscribe').length, 1);
    sub.dispose();
  });

  void it('a flood of resources/updated for one resource is coalesced: a few re-reads, the last update included', async () => {
    const updates: string[] = [];
    const sub = fixture.onDidUpdateResource((u) => updates.push(u));
    const held = fixture.subscribeResource('mem://live');
    await fixture.callTool('touch', { uri: 'mem://live', flood: 20_000 });
    await waitFor(() => updates.length >= 1, 5000, 'the update');
    await new Promise((r) => setTimeout(r, 600));
    held.dispose();
    sub.dispose();
    // Each update makes a holder read the resource again: 20,001 notifications must not become 20,001 reads.
    assert.ok(updates.length <= 5, `${updates.length} update events`);
    assert.ok(updates.every((u) => u === 'mem://live'));
  });
});
