import * as assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import { renderToolResult, TOOL_ERROR_HEADING, type BinaryPart, type ResourcePart } from '../../../src/core/content';
import { startEverything, type Everything } from '../schema/everything';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

void describe('tool results from a real server-everything', { timeout: 60_000 }, () => {
  let server: Everything;
  const call = async (name: string, args: Record<string, unknown> = {}): Promise<CallToolResult> =>
    (await server.client.callTool({ name, arguments: args })) as CallToolResult;
  before(async () => {
    server = await startEverything();
  });
  after(async () => {
    await server?.close();
  });

  void test('the echo result is shown as markdown and inserted exactly', async () => {
    const r = renderToolResult(await call('echo', { message: 'hello *world*' }));
    assert.equal(r.isError, false);
    assert.equal(r.document.language, 'markdown');
    assert.equal(r.document.content, 'Echo: hello *world*');
    assert.equal(r.text, 'Echo: hello *world*');
    assert.equal(r.document.truncated, undefined);
    assert.deepEqual(r.parts, [{ kind: 'text', text: 'Echo: hello *world*' }]);
  });

  void test('structured content that repeats the JSON text is shown once, pretty-printed as JSON', async () => {
    const r = renderToolResult(await call('get-structured-content', { location: 'Chicago' }));
    assert.equal(r.document.language, 'json');
    assert.match(r.document.content, /^\{\n {2}"temperature": /);
    assert.equal(r.document.content.match(/"temperature"/g)?.length, 1);
    const structured = r.parts.find((p) => p.kind === 'structured');
    assert.ok(structured && typeof (structured.value as { humidity?: unknown }).humidity === 'number');
    assert.equal(r.text, (r.parts[0] as { text: string }).text, 'insert keeps the server text, not the reformatted JSON');
  });

  void test('an image is decoded to PNG bytes with a safe file name, and listed in a markdown document', async () => {
    const r = renderToolResult(await call('get-tiny-image'), { baseName: 'get-tiny-image' });
    const image = r.parts.find((p): p is BinaryPart => p.kind === 'binary');
    assert.ok(image);
    assert.equal(image.mimeType, 'image/png');
    assert.deepEqual(image.data.subarray(0, 8), PNG_SIGNATURE);
    assert.equal(image.size, image.data.length);
    assert.equal(image.suggestedFileName, 'get-tiny-image-image-1.png');
    assert.equal(r.document.language, 'markdown');
    assert.match(r.document.content, /\*\*Image\*\* `image\/png`, [\d.]+ KB: `get-tiny-image-image-1\.png`/);
    assert.ok(!r.document.content.includes(image.data.toString('base64').slice(0, 40)), 'no base64 in the document');
  });

  void test('resource links are listed as openable items with uri, name and MIME type', async () => {
    const r = renderToolResult(await call('get-resource-links', { count: 2 }));
    const links = r.parts.filter((p): p is ResourcePart => p.kind === 'resource');
    assert.equal(links.length, 2);
    for (const link of links) {
      assert.equal(link.embedded, false);
      assert.match(link.uri, /^demo:\/\/resource\/dynamic\//);
      assert.ok(link.name);
      assert.equal(link.mimeType, 'text/plain');
    }
    assert.match(r.document.content, /\*\*Resource link\*\* `demo:\/\/resource\/dynamic\/blob\/1` `Blob Resource 1` \(text\/plain\)/);
    assert.equal(r.text, 'Here are 2 resource links to resources available in this server:');
  });

  void test('embedded text and blob resources carry their text or decoded bytes', async () => {
    const text = renderToolResult(await call('get-resource-reference', { resourceType: 'Text', resourceId: 1 }));
    const t = text.parts.find((p): p is ResourcePart => p.kind === 'resource')!;
    assert.equal(t.embedded, true);
    assert.match(t.text ?? '', /^Resource 1: This is a plaintext resource/);
    assert.equal(t.language, 'plaintext');
    assert.ok(text.document.content.includes(`\`\`\`text\n${t.text}\n\`\`\``), 'embedded text is fenced as is');
    const blob = renderToolResult(await call('get-resource-reference', { resourceType: 'Blob', resourceId: 2 }));
    const b = blob.parts.find((p): p is ResourcePart => p.kind === 'resource')!;
    assert.match(b.data?.toString('utf8') ?? '', /^Resource 2: This is a base64 blob/);
    assert.equal(b.size, b.data?.length);
  });

  void test("a server's validation error is flagged with its text", async () => {
    const r = renderToolResult(await call('get-sum', { a: 'x', b: 1 }));
    assert.equal(r.isError, true);
    assert.match(r.errorText ?? '', /Input validation error/);
    assert.equal(r.document.content, `${TOOL_ERROR_HEADING}${r.errorText}\n`, 'the document says it is an error at its top, then the text');
  });
});

void describe('tool results: formats and exactness', () => {
  const text = (t: string): CallToolResult => ({ content: [{ type: 'text', text: t }] });

  void test('JSON text is re-indented with every number kept exactly; insert text stays as sent', () => {
    const raw = '{"id":12345678901234567890,"f":1.50,"neg":-0,"s":"a\\"b,c:{d}","e":[],"o":{},"n":[1,[2,{"x":null}]]}';
    const r = renderToolResult(text(raw));
    assert.equal(r.document.language, 'json');
    assert.equal(
      r.document.content,
      '{\n  "id": 12345678901234567890,\n  "f": 1.50,\n  "neg": -0,\n  "s": "a\\"b,c:{d}",\n  "e": [],\n  "o": {},\n  "n": [\n    1,\n    [\n      2,\n      {\n        "x": null\n      }\n    ]\n  ]\n}',
    );
    assert.deepEqual(JSON.parse(r.document.content), JSON.parse(raw));
    assert.equal(r.text, raw);
  });

  void test('text that is not a JSON object or array is markdown (a JSON scalar or broken JSON too), kept exactly', () => {
    assert.equal(renderToolResult(text('# Report\n\nAll good.')).document.language, 'markdown');
    assert.equal(renderToolResult(text('Results:\n- one [link](https://x.y)\n- two')).document.language, 'markdown');
    assert.equal(renderToolResult(text('2025-01-01 INFO started\n2025-01-01 WARN slow_call took 3s')).document.language, 'markdown');
    assert.equal(renderToolResult(text('42')).document.language, 'markdown');
    assert.equal(renderToolResult(text('{not json}')).document.language, 'markdown');
    assert.equal(renderToolResult(text('{not json}')).document.content, '{not json}');
  });

  void test('markdown detection stays linear on hostile text', () => {
    const hostile = `${'[['.repeat(20_000)}\n${'**a'.repeat(20_000)}\n${'__ '.repeat(20_000)}`;
    const started = Date.now();
    renderToolResult(text(hostile));
    assert.ok(Date.now() - started < 1000, `took ${Date.now() - started} ms`);
  });

  void test('several text blocks are joined with newlines for both the document and insert', () => {
    const r = renderToolResult({ content: [{ type: 'text', text: 'a' }, { type: 'text', text: 'b' }] });
    assert.equal(r.text, 'a\nb');
    assert.equal(r.document.content, 'a\nb');
  });

  void test('server text cannot break out of our code fences, and our markup never links anywhere', () => {
    const hostile = 'before\n```\n[click](command:workbench.action.terminal.new)\n```\nafter';
    const r = renderToolResult({
      content: [
        { type: 'text', text: 'intro' },
        { type: 'resource', resource: { uri: 'command:evil`x`', mimeType: 'text/markdown', text: hostile } },
        { type: 'resource_link', uri: 'https://example.com/a', name: 'A\n# heading', description: 'x](command:y)' },
      ],
    });
    assert.match(r.document.content, /````markdown\nbefore\n```\n\[click\]\(command:workbench\.action\.terminal\.new\)\n```\nafter\n````/);
    // The only `](` in the document comes from the server's own text inside the fence.
    assert.equal(r.document.content.split('](').length - 1, 2);
    assert.match(r.document.content, /`A # heading`/, 'names stay on one line in inline code');
    assert.equal((r.parts[1] as ResourcePart).text, hostile, 'embedded text is kept exactly');
  });

  void test('structured content that differs from the text is shown as its own JSON section', () => {
    const r = renderToolResult({ content: [{ type: 'text', text: 'Done.' }], structuredContent: { count: 3 } });
    assert.equal(r.document.language, 'markdown');
    assert.match(r.document.content, /^Done\.\n\n\*\*Structured content\*\*\n\n```json\n\{\n {2}"count": 3\n\}\n```\n$/);
    assert.equal(r.text, 'Done.');
    const only = renderToolResult({ content: [], structuredContent: { count: 3 } });
    assert.equal(only.document.language, 'json');
    assert.equal(only.text, '{\n  "count": 3\n}');
  });

  void test('audio gets a file name from its MIME type; unknown block types are kept, not dropped', () => {
    const r = renderToolResult({
      content: [
        { type: 'audio', data: Buffer.from('RIFF').toString('base64'), mimeType: 'audio/wav' },
        { type: 'future_thing', x: 1 } as unknown as CallToolResult['content'][number],
      ],
    });
    assert.equal((r.parts[0] as BinaryPart).suggestedFileName, 'audio-1.wav');
    assert.equal((r.parts[0] as BinaryPart).data.toString(), 'RIFF');
    assert.equal(r.parts[1]?.kind, 'unknown');
    assert.match(r.document.content, /\*\*Unknown content\*\* `future_thing`/);
  });

  void test('an error result says so at the top of its document, whatever its content', () => {
    const json = renderToolResult({ isError: true, content: [{ type: 'text', text: '{"code":"E_DISK","free":0}' }] });
    assert.equal(json.document.language, 'markdown', 'not a JSON document: the heading is not JSON');
    assert.ok(json.document.content.startsWith(TOOL_ERROR_HEADING), json.document.content);
    assert.match(json.document.content, /```json\n\{\n {2}"code": "E_DISK"/, 'the JSON is still shown indented, fenced');
    assert.equal(json.text, '{"code":"E_DISK","free":0}', 'insert text stays exactly as sent');
    const structured = renderToolResult({ isError: true, content: [], structuredContent: { reason: 'quota' } });
    assert.ok(structured.document.content.startsWith(TOOL_ERROR_HEADING), structured.document.content);
    const ok = renderToolResult({ content: [{ type: 'text', text: 'fine' }] });
    assert.equal(ok.document.content, 'fine', 'a result that is not an error has no heading');
  });

  void test('an empty result and an empty error say so', () => {
    assert.equal(renderToolResult({ content: [] }).document.content, 'The tool returned no content.\n');
    const err = renderToolResult({ content: [], isError: true });
    assert.equal(err.isError, true);
    assert.equal(err.errorText, 'The tool reported an error without any text.');
  });

  void test('file names from servers cannot escape a folder', () => {
    const r = renderToolResult(
      { content: [{ type: 'resource', resource: { uri: 'file:///tmp/..%2F..%2Fetc%2Fpasswd', blob: 'AA==', mimeType: 'application/octet-stream' } }] },
      { baseName: '../../evil' },
    );
    const name = (r.parts[0] as ResourcePart).suggestedFileName ?? '';
    assert.ok(!name.includes('/') && !name.includes('\\') && !name.startsWith('.'), name);
  });
});
