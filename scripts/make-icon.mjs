#!/usr/bin/env node
// Draws media/icon.png (128x128, the marketplace icon) with no image library: a hub with three servers
// on a rounded blue square, anti-aliased by 4x4 supersampling, written as a PNG with zlib.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const N = 128;
const S = 4;
/** @typedef {[number, number, number]} Rgb */
/** @type {Rgb} */
const bg = [0x1f, 0x4e, 0x8c];
/** @type {Rgb} */
const fg = [0xff, 0xff, 0xff];
/** @type {Rgb} */
const accent = [0x7f, 0xd1, 0xff];

function roundedSquare(x, y) {
  const r = 26;
  const cx = Math.min(Math.max(x, r), N - r);
  const cy = Math.min(Math.max(y, r), N - r);
  return (x - cx) ** 2 + (y - cy) ** 2 <= r * r;
}
const dist2Seg = (px, py, ax, ay, bx, by) => {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return (px - ax - t * dx) ** 2 + (py - ay - t * dy) ** 2;
};
/** @type {[number, number]} */
const hub = [64, 70];
/** @type {[number, number][]} */
const nodes = [
  [64, 28],
  [28, 98],
  [100, 98],
];
function colorAt(x, y) {
  if (!roundedSquare(x, y)) return null;
  for (const [nx, ny] of nodes) if ((x - nx) ** 2 + (y - ny) ** 2 <= 13 ** 2) return (x - nx) ** 2 + (y - ny) ** 2 <= 7 ** 2 ? accent : fg;
  if ((x - hub[0]) ** 2 + (y - hub[1]) ** 2 <= 17 ** 2) return fg;
  for (const [nx, ny] of nodes) if (dist2Seg(x, y, hub[0], hub[1], nx, ny) <= 4.5 ** 2) return fg;
  return bg;
}

const raw = Buffer.alloc(N * (N * 4 + 1));
for (let y = 0; y < N; y++) {
  raw[y * (N * 4 + 1)] = 0;
  for (let x = 0; x < N; x++) {
    let r = 0, g = 0, b = 0, a = 0;
    for (let sy = 0; sy < S; sy++)
      for (let sx = 0; sx < S; sx++) {
        const c = colorAt(x + (sx + 0.5) / S, y + (sy + 0.5) / S);
        if (!c) continue;
        r += c[0]; g += c[1]; b += c[2]; a++;
      }
    const o = y * (N * 4 + 1) + 1 + x * 4;
    if (a) {
      raw[o] = Math.round(r / a); raw[o + 1] = Math.round(g / a); raw[o + 2] = Math.round(b / a);
    }
    raw[o + 3] = Math.round((a / (S * S)) * 255);
  }
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (buf) => {
  let c = 0xffffffff;
  for (const byte of buf) c = (crcTable[(c ^ byte) & 0xff] ?? 0) ^ (c >>> 8); // the index is a byte: always present
  return (c ^ 0xffffffff) >>> 0;
};
const chunk = (type, data) => {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(td));
  return Buffer.concat([len, td, crc]);
};
const ihdr = Buffer.alloc(13);
ihdr.writeUInt32BE(N, 0);
ihdr.writeUInt32BE(N, 4);
ihdr[8] = 8; // bit depth
ihdr[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk('IHDR', ihdr),
  chunk('IDAT', zlib.deflateSync(raw, { level: 9 })),
  chunk('IEND', Buffer.alloc(0)),
]);
const out = path.resolve(import.meta.dirname, '../media/icon.png');
fs.writeFileSync(out, png);
console.log(`${out}: ${png.length} bytes`);
