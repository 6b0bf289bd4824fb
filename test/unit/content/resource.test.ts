import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { GetPromptResult, ReadResourceResult } from '@modelcontextprotocol/sdk/types.js';
import { formatBytes, languageFromMimeType, renderPromptMessages, renderResourceContents, safeFileName } from '../../../src/core/content';
import { startEverything, type Everything } from '../schema/everything';

void describe('resources and prompts from a real server-everything', { timeout: 60_000 }, () => {
  let server: Everything;
  before(async () => {
    server = await startEverything();
  });
  after(async () => {
    await server?.close();
  });

  void test('a markdown document resource is shown as markdown and inserted exactly', async () => {
    const { resources } = await server.client.listResources();
    const doc = resources.find((r) => r.mimeType === 'text/markdown');
    assert.ok(doc, 'server-everything lists a markdown document');
    const result = (await server.client.readResource({ uri: doc.uri })) as ReadResourceResult;
    const r = renderResourceContents(result);
    const original = (result.contents[0] as { text: string }).text;
    assert.equal(r.document.language, 'markdown');
    assert.equal(r.text, original);
    assert.equal(r.document.content, original);
    assert.equal(r.items[0]?.uri, doc.uri);
  });

  void test('a blob resource is described with its size and kept as bytes for Save As', async () => {
    const result = (await server.client.readResource({ uri: 'demo://resource/dynamic/blob/3' })) as ReadResourceResult;
    const r = renderResourceContents(result);
    const item = r.items[0]!;
    assert.ok(item.data && item.data.length > 0);
    assert.equal(item.size, item.data.length);
    assert.equal(r.text, '', 'no text to insert from a blob');
    assert.match(r.document.content, /^Binary resource demo:\/\/resource\/dynamic\/blob\/3 \(.+, \d+ bytes\)\. Use Save As/);
  });

  void test('prompt messages get role headings and their text; an embedded resource is fenced', async () => {
    const simple = renderPromptMessages((await server.client.getPrompt({ name: 'simple-prompt' })) as GetPromptResult);
    assert.match(simple.markdown, /^## User\n\n.+/m);
    assert.ok(simple.text.length > 0 && !simple.text.includes('## User'));
    const withResource = renderPromptMessages((await server.client.getPrompt({ name: 'resource-prompt', arguments: { resourceType: 'Text', resourceId: '1' } })) as GetPromptResult);
    assert.match(withResource.markdown, /\*\*Resource\*\* `demo:\/\/resource\/dynamic\/text\/1`/);
    assert.match(withResource.markdown, /```text\nResource 1: /);
  });
});

void describe('resource contents and prompt messages', () => {
  void test('several contents are separated by numbered headings with fenced text in each language', () => {
    const r = renderResourceContents({
      contents: [
        { uri: 'file:///a/config.yaml', text: 'a: 1\n' },
        { uri: 'file:///a/data.json', mimeType: 'application/json', text: '{"x":1}' },
        { uri: 'file:///a/logo.png', mimeType: 'image/png', blob: Buffer.from('png!').toString('base64') },
      ],
    });
    assert.equal(r.document.language, 'markdown');
    assert.match(r.document.content, /^## 1\/3 `file:\/\/\/a\/config\.yaml`\n\n`5 bytes`\n\n```yaml\na: 1\n```\n/);
    assert.match(r.document.content, /## 2\/3 `file:\/\/\/a\/data\.json`\n\n`application\/json, 7 bytes`\n\n```json\n\{"x":1\}\n```/);
    assert.match(r.document.content, /## 3\/3 `file:\/\/\/a\/logo\.png`\n\n\*\*Resource\*\* \(binary\)/);
    assert.equal(r.text, 'a: 1\n\n{"x":1}');
    assert.equal(r.items[2]?.suggestedFileName, 'logo.png');
  });

  void test('a single text content keeps its exact text (no pretty-printing) in the language of its MIME type', () => {
    const r = renderResourceContents({ contents: [{ uri: 'x://y', mimeType: 'application/json; charset=utf-8', text: '{"a":1}' }] });
    assert.equal(r.document.content, '{"a":1}');
    assert.equal(r.document.language, 'json');
  });

  void test('MIME types map to languages, with the URI extension as the fallback', () => {
    const cases: [string | undefined, string | undefined, string][] = [
      ['application/json', undefined, 'json'],
      ['application/vnd.api+json', undefined, 'json'],
      ['text/markdown', undefined, 'markdown'],
      ['text/html; charset=utf-8', undefined, 'html'],
      ['application/xml', undefined, 'xml'],
      ['application/x-yaml', undefined, 'yaml'],
      ['text/javascript', undefined, 'javascript'],
      ['application/typescript', undefined, 'typescript'],
      ['text/x-python', undefined, 'python'],
      ['text/csv', undefined, 'csv'],
      ['text/plain', 'file:///src/main.rs', 'rust'],
      [undefined, 'file:///a/b/Dockerfile', 'dockerfile'],
      ['application/octet-stream', 'https://x.y/z.ts?raw=1#L3', 'typescript'],
      [undefined, 'demo://resource/1', 'plaintext'],
      ['text/plain', 'file:///notes.txt', 'plaintext'],
    ];
    for (const [mime, uri, language] of cases) assert.equal(languageFromMimeType(mime, uri), language, `${mime} ${uri}`);
  });

  void test('prompt text carries role labels only when there is more than one role', () => {
    const result: GetPromptResult = {
      messages: [
        { role: 'user', content: { type: 'text', text: 'Q?' } },
        { role: 'assistant', content: { type: 'text', text: 'A.' } },
        { role: 'user', content: { type: 'image', data: 'AAAA', mimeType: 'image/png' } },
      ],
    };
    const r = renderPromptMessages(result);
    assert.equal(r.text, 'User:\nQ?\n\nAssistant:\nA.');
    assert.equal(r.markdown, '## User\n\nQ?\n\n## Assistant\n\nA.\n\n## User\n\n**Image** `image/png`, 3 bytes: `prompt-image-1.png`\n');
    assert.equal(renderPromptMessages({ messages: [{ role: 'user', content: { type: 'text', text: 'only' } }] }).text, 'only');
  });

  void test('a prompt with a huge embedded resource is bounded in markdown but exact in text', () => {
    const big = 'r'.repeat(2 * 1024 * 1024);
    const r = renderPromptMessages({ messages: [{ role: 'user', content: { type: 'resource', resource: { uri: 'file:///big.log', text: big } } }] }, { maxDisplayBytes: 1024 });
    assert.ok(r.markdown.length < 2048);
    assert.match(r.markdown, /… truncated: showing 1 KB of 2 MB/);
    assert.deepEqual(r.truncated, { shownBytes: 1024, totalBytes: 2 * 1024 * 1024 });
    assert.equal(r.text, big);
  });

  void test('sizes and file names are readable and safe', () => {
    assert.deepEqual([formatBytes(1), formatBytes(1536), formatBytes(5 * 1024 * 1024), formatBytes(100 * 1024 * 1024)], ['1 byte', '1.5 KB', '5 MB', '100 MB']);
    assert.equal(safeFileName('../../etc/passwd'), '_.._etc_passwd');
    assert.equal(safeFileName('CON.txt'), '_CON.txt');
    assert.equal(safeFileName('a\u202eexe.txt'), 'a_exe.txt');
    assert.equal(safeFileName('...'), 'result');
  });
});
