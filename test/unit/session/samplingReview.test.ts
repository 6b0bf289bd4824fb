/** What the sampling review shows besides the edited message: everything else the model is given, bounded. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_REVIEW_CHARS, parseSamplingRequest, samplingContextText } from '../../../src/core/session/asks/sampling';

const msg = (role: string, content: unknown) => ({ role, content });

void describe('samplingContextText', () => {
  void it('nothing besides one text message: nothing more to show', () => {
    const r = parseSamplingRequest({ messages: [msg('user', { type: 'text', text: 'hi' })], maxTokens: 5 });
    assert.equal(samplingContextText(r, 0), undefined);
  });

  void it('the system prompt, other messages with roles, non-text blocks and tools are all listed', () => {
    const r = parseSamplingRequest({
      systemPrompt: 'SYS',
      messages: [msg('user', { type: 'text', text: 'EARLIER' }), msg('assistant', { type: 'text', text: 'ANSWER' }), msg('user', [{ type: 'text', text: 'LAST' }, { type: 'image', mimeType: 'image/png', data: 'AAAA' }])],
      tools: [{ name: 'lookup', description: 'DESC', inputSchema: { type: 'object' } }],
      maxTokens: 5,
    });
    const text = samplingContextText(r, 2) ?? '';
    for (const part of ['SYS', 'Message 1 (user):\nEARLIER', 'Message 2 (assistant):\nANSWER', '[image image/png, 4 base64 characters]', 'lookup: DESC']) assert.ok(text.includes(part), part);
    assert.ok(!text.includes('LAST'), 'the reviewed text is in the edit box, not repeated');
  });

  void it('is cut at MAX_REVIEW_CHARS and says how much is not shown', () => {
    const big = 'x'.repeat(MAX_REVIEW_CHARS);
    const r = parseSamplingRequest({ systemPrompt: big, messages: [msg('user', { type: 'text', text: 'hi' })], maxTokens: 5 });
    const text = samplingContextText(r, 0) ?? '';
    assert.ok(text.length < MAX_REVIEW_CHARS + 100);
    assert.match(text, /more characters not shown\)$/);
  });
});
