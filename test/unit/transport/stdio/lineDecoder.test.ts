import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { LineDecoder, type OversizedLine } from '../../../../src/core/transport/stdio/lineDecoder';

function decode(chunks: (string | Buffer)[], maxLineBytes = 1024) {
  const lines: string[] = [];
  const oversized: OversizedLine[] = [];
  const starts: number[] = [];
  const d = new LineDecoder({
    maxLineBytes,
    keepBytes: 16,
    onLine: (l) => lines.push(l),
    onOverflowStart: (n) => starts.push(n),
    onOversizedLine: (o) => oversized.push(o),
  });
  for (const c of chunks) d.push(typeof c === 'string' ? Buffer.from(c) : c);
  d.end();
  return { lines, oversized, starts, decoder: d };
}

void test('lines split across chunks are joined, CRLF is tolerated and a final unterminated line is delivered', () => {
  const { lines } = decode(['{"a":', '1}\r', '\n{"b"', ':2}\n\nlast']);
  assert.deepEqual(lines, ['{"a":1}', '{"b":2}', '', 'last']);
});

void test('a multi-byte character split between chunks decodes intact', () => {
  const bytes = Buffer.from('{"t":"héllo ✓"}\n');
  const { lines } = decode([bytes.subarray(0, 8), bytes.subarray(8, 14), bytes.subarray(14)]);
  assert.deepEqual(lines, ['{"t":"héllo ✓"}']);
});

void test('a line over the limit is dropped with its head and tail, and the next line still arrives', () => {
  const long = 'H'.repeat(10) + 'x'.repeat(3000) + 'T'.repeat(10);
  const { lines, oversized, starts } = decode([long.slice(0, 500), long.slice(500), '\n{"ok":true}\n'], 1024);
  assert.deepEqual(lines, ['{"ok":true}']);
  assert.equal(starts.length, 1);
  assert.equal(oversized.length, 1);
  assert.equal(oversized[0]?.bytes, long.length);
  assert.equal(oversized[0]?.terminated, true);
  assert.ok(oversized[0]?.head.startsWith('HHHHHHHHHH'));
  assert.ok(oversized[0]?.tail.endsWith('TTTTTTTTTT'));
});

void test('an endless line keeps at most the limit buffered, however much arrives', () => {
  const d = new LineDecoder({ maxLineBytes: 64 * 1024, onLine: () => assert.fail('no line expected'), onOversizedLine: () => {} });
  const chunk = Buffer.alloc(16 * 1024, 0x78);
  let maxBuffered = 0;
  for (let i = 0; i < 2000; i++) {
    d.push(chunk); // 32 MiB in total
    maxBuffered = Math.max(maxBuffered, d.bufferedBytes);
  }
  assert.ok(maxBuffered <= 64 * 1024, `buffered ${maxBuffered}`);
  assert.equal(d.bufferedBytes, 0);
});

void test('a line exactly at the limit passes', () => {
  const { lines, oversized } = decode(['y'.repeat(1024) + '\n'], 1024);
  assert.equal(lines[0]?.length, 1024);
  assert.equal(oversized.length, 0);
});

void test('framing a 20 MiB line delivered in 64 KiB chunks takes linear time', () => {
  const total = 20 * 1024 * 1024;
  const chunk = Buffer.alloc(64 * 1024, 0x61);
  let got = 0;
  const d = new LineDecoder({ maxLineBytes: 256 * 1024 * 1024, onLine: (l) => (got = l.length), onOversizedLine: () => {} });
  const t0 = process.hrtime.bigint();
  for (let n = 0; n < total; n += chunk.length) d.push(chunk);
  d.push(Buffer.from('\n'));
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  assert.equal(got, total);
  // The SDK's rescanning buffer needs seconds here; one join is tens of ms even on a loaded machine.
  assert.ok(ms < 1500, `took ${ms} ms`);
});
