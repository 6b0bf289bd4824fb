/**
 * Newline framing for a server's stdout (and, with a small limit, its stderr).
 *
 * Linear time: chunks are kept as they arrive and joined once per line, so a 50 MiB message costs one copy and
 * one scan, unlike the SDK's ReadBuffer, which concatenates and rescans its whole buffer for every 64 KiB chunk.
 *
 * An over-long line never grows memory past `maxLineBytes`: from the moment the limit is crossed the decoder
 * drops the line's bytes until the next newline, keeping only a short head and tail of it (enough for the
 * transport to find the JSON-RPC `id` and fail that one request). The stream stays usable afterwards.
 */

/** What the decoder keeps of a line that exceeded the limit. */
export interface OversizedLine {
  /** Total bytes of the line seen so far (for a line cut by end of stream: up to the end). */
  readonly bytes: number;
  /** The first bytes of the line (decoded, up to `keepBytes`). */
  readonly head: string;
  /** The last bytes of the line (decoded, up to `keepBytes`). */
  readonly tail: string;
  /** False when the stream ended before a newline. */
  readonly terminated: boolean;
}

export interface LineDecoderOptions {
  /** Lines longer than this (excluding the newline) are not delivered. */
  readonly maxLineBytes: number;
  /** A complete line, without its `\n` and a trailing `\r`. */
  readonly onLine: (line: string) => void;
  /** Called once when a line crosses the limit (`terminated: false`, the line is still arriving). */
  readonly onOverflowStart?: (bytesSoFar: number) => void;
  /** Called when an oversized line ends (or the stream ends inside it). */
  readonly onOversizedLine: (info: OversizedLine) => void;
  /** How much of an oversized line's head and tail to keep (default 256 bytes each). */
  readonly keepBytes?: number;
}

const NL = 0x0a;
const CR = 0x0d;

export class LineDecoder {
  private chunks: Buffer[] = [];
  private pending = 0;
  /** Set while discarding an oversized line. */
  private overflow: { bytes: number; head: Buffer; tail: Buffer } | undefined;
  private readonly keep: number;

  constructor(private readonly options: LineDecoderOptions) {
    this.keep = options.keepBytes ?? 256;
  }

  /** Bytes held for the current, unfinished line (bounded by maxLineBytes). */
  get bufferedBytes(): number {
    return this.pending;
  }

  push(chunk: Buffer): void {
    let start = 0;
    const len = chunk.length;
    while (start < len) {
      const nl = chunk.indexOf(NL, start);
      const end = nl === -1 ? len : nl;
      this.append(chunk, start, end);
      if (nl === -1) return;
      this.finishLine(true);
      start = nl + 1;
    }
  }

  /** The stream ended: deliver a final unterminated line, if any. */
  end(): void {
    if (this.pending > 0 || this.overflow) this.finishLine(false);
  }

  private append(chunk: Buffer, start: number, end: number): void {
    if (end <= start) return;
    const n = end - start;
    if (this.overflow) {
      this.overflow.bytes += n;
      this.overflow.tail = keepTail(this.overflow.tail, chunk.subarray(start, end), this.keep);
      return;
    }
    if (this.pending + n > this.options.maxLineBytes) {
      const parts = [...this.chunks, chunk.subarray(start, end)];
      this.overflow = { bytes: this.pending + n, head: takeHead(parts, this.keep), tail: Buffer.alloc(0) };
      for (const p of parts) this.overflow.tail = keepTail(this.overflow.tail, p, this.keep);
      this.chunks = [];
      this.pending = 0;
      this.options.onOverflowStart?.(this.overflow.bytes);
      return;
    }
    // Keep a view when the chunk is consumed to its end, else a view too: Buffers from a pipe are not reused.
    this.chunks.push(start === 0 && end === chunk.length ? chunk : chunk.subarray(start, end));
    this.pending += n;
  }

  private finishLine(terminated: boolean): void {
    if (this.overflow) {
      const o = this.overflow;
      this.overflow = undefined;
      this.options.onOversizedLine({
        bytes: o.bytes,
        head: o.head.toString('utf8'),
        tail: o.tail.toString('utf8'),
        terminated,
      });
      return;
    }
    const chunks = this.chunks;
    let total = this.pending;
    this.chunks = [];
    this.pending = 0;
    let buf: Buffer;
    if (chunks.length === 0) buf = Buffer.alloc(0);
    else if (chunks.length === 1) buf = chunks[0] as Buffer;
    else buf = Buffer.concat(chunks, total);
    if (total > 0 && buf[total - 1] === CR) total--;
    this.options.onLine(buf.toString('utf8', 0, total));
  }
}

function takeHead(parts: readonly Buffer[], keep: number): Buffer {
  const out: Buffer[] = [];
  let n = 0;
  for (const p of parts) {
    if (n >= keep) break;
    const piece = p.subarray(0, keep - n);
    out.push(piece);
    n += piece.length;
  }
  return Buffer.concat(out, n);
}

function keepTail(prev: Buffer, next: Buffer, keep: number): Buffer {
  if (next.length >= keep) return Buffer.from(next.subarray(next.length - keep));
  const joined = Buffer.concat([prev, next]);
  return joined.length > keep ? Buffer.from(joined.subarray(joined.length - keep)) : joined;
}
