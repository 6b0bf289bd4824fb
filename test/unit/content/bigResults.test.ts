import * as assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { renderResourceContents, renderToolResult, type BinaryPart } from '../../../src/core/content';

const MiB = 1024 * 1024;

function ms(since: bigint): number {
  return Number(process.hrtime.bigint() - since) / 1e6;
}

// Generous bounds: 2 shared cores under load. The numbers are reported as diagnostics.
void describe('big results stay bounded', { timeout: 120_000 }, () => {
  void test('a 50 MiB text result shows 5 MB with a clear marker, keeps everything for Save As, and renders fast', (t) => {
    const line = `${'x'.repeat(99)}\n`;
    const huge = line.repeat((50 * MiB) / line.length);
    const started = process.hrtime.bigint();
    const r = renderToolResult({ content: [{ type: 'text', text: huge }] }, { maxDisplayBytes: 5 * MiB });
    const elapsed = ms(started);
    t.diagnostic(`render 50 MiB text: ${elapsed.toFixed(1)} ms`);
    assert.ok(elapsed < 3000, `took ${elapsed} ms`);
    assert.ok(r.document.content.length < 5 * MiB + 200);
    assert.match(r.document.content, /\n\n… truncated: showing 5 MB of 50 MB; use the Save As button in the editor title to get everything\n$/);
    const shown = r.document.truncated?.shownBytes ?? 0;
    assert.equal(r.document.truncated?.totalBytes, 50 * MiB);
    assert.ok(shown <= 5 * MiB && shown > 5 * MiB - 4096, `shown ${shown}`);
    assert.equal(shown % line.length, 0, 'cut at a line break');
    assert.equal(r.document.content.slice(0, shown), huge.slice(0, shown));
    assert.equal(r.text, huge, 'insert and save get the full text');
    assert.equal(r.document.full(), huge);
  });

  void test('multi-byte text is cut on a character boundary within the byte budget', () => {
    const text = '€'.repeat(1000); // 3 bytes each
    const r = renderToolResult({ content: [{ type: 'text', text }] }, { maxDisplayBytes: 100 });
    assert.deepEqual(r.document.truncated, { shownBytes: 99, totalBytes: 3000 });
    assert.ok(r.document.content.startsWith('€'.repeat(33) + '\n'));
    const emoji = renderToolResult({ content: [{ type: 'text', text: '😀'.repeat(100) }] }, { maxDisplayBytes: 10 });
    assert.ok(emoji.document.content.startsWith('😀😀\n'), 'a surrogate pair is never split');
  });

  void test('a 30 MB JSON result is re-indented only as far as it is shown', (t) => {
    const raw = JSON.stringify(Array.from({ length: 500_000 }, (_, i) => ({ id: i, name: `item ${i}`, tags: ['a', 'b'], n: 1.5 })));
    const started = process.hrtime.bigint();
    const r = renderToolResult({ content: [{ type: 'text', text: raw }] }, { maxDisplayBytes: 5 * MiB });
    const elapsed = ms(started);
    t.diagnostic(`render ${(raw.length / MiB).toFixed(1)} MiB JSON: ${elapsed.toFixed(1)} ms`);
    assert.ok(elapsed < 5000, `took ${elapsed} ms`);
    assert.equal(r.document.language, 'json');
    assert.match(r.document.content, /^\[\n {2}\{\n {4}"id": 0,\n {4}"name": "item 0",/);
    assert.match(r.document.content, /… truncated: showing 5 MB of [\d.]+ MB; use the Save As button in the editor title to get everything\n$/);
    assert.equal(r.text, raw);
  });

  void test('a 20 MiB base64 image is decoded once and the document stays tiny', (t) => {
    const bytes = Buffer.alloc(15 * MiB, 7);
    const data = bytes.toString('base64');
    const started = process.hrtime.bigint();
    const r = renderToolResult({ content: [{ type: 'image', data, mimeType: 'image/png' }] });
    const elapsed = ms(started);
    t.diagnostic(`render ${(data.length / MiB).toFixed(1)} MiB base64 image: ${elapsed.toFixed(1)} ms`);
    assert.ok(elapsed < 3000, `took ${elapsed} ms`);
    const image = r.parts[0] as BinaryPart;
    assert.equal(image.size, 15 * MiB);
    assert.ok(image.data.equals(bytes));
    assert.ok(r.document.content.length < 200, r.document.content);
    assert.match(r.document.content, /15 MB/);
  });

  void test('after a huge text, later blocks are still listed in the document', () => {
    const r = renderToolResult(
      {
        content: [
          { type: 'text', text: 'y'.repeat(2 * MiB) },
          { type: 'image', data: 'AAAA', mimeType: 'image/gif' },
          { type: 'text', text: 'tail text' },
        ],
      },
      { maxDisplayBytes: MiB },
    );
    assert.match(r.document.content, /… truncated: showing 1 MB of 2 MB/);
    assert.match(r.document.content, /\*\*Image\*\* `image\/gif`/);
    assert.match(r.document.content, /… truncated: showing 0 bytes of 9 bytes/);
    assert.ok(r.document.full().includes('tail text'));
    assert.ok(r.document.full().includes('y'.repeat(2 * MiB)));
  });

  void test('a result of 200,000 resource links makes a bounded document but lists every link as a part', () => {
    const content = Array.from({ length: 200_000 }, (_, i) => ({ type: 'resource_link' as const, uri: `file:///f/${i}.txt`, name: `file ${i}` }));
    const r = renderToolResult({ content });
    assert.equal(r.parts.length, 200_000);
    assert.ok(r.document.content.length < 300 * 1024, `${r.document.content.length} chars`);
    assert.match(r.document.content, /… more items not shown; use the Save As button in the editor title to get everything\n/);
    assert.ok(r.document.truncated);
    assert.ok(r.document.full().includes('`file:///f/199999.txt`'));
  });

  void test('a big resource text is bounded in the document but exact for insert', () => {
    const text = 'z'.repeat(3 * MiB);
    const r = renderResourceContents({ contents: [{ uri: 'file:///big.txt', mimeType: 'text/plain', text }] }, { maxDisplayBytes: MiB });
    assert.deepEqual(r.document.truncated, { shownBytes: MiB, totalBytes: 3 * MiB });
    assert.equal(r.text, text);
  });
});
