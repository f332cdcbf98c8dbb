// Command output on its way to the log: small pieces are gathered into chunks (a record per
// chunk, not per read), order across stdout and stderr is kept, and the total is bounded so a
// runaway command cannot fill the disk with its log.
import { INLINE_MAX } from '../audit/blobs';

type Stream = 'stdout' | 'stderr';

/** Limits: chunk size, how long a partial chunk may wait, and the total kept per command. */
export type SinkLimits = { chunkBytes: number; flushMs: number; totalBytes: number };

// Chunks up to the inline limit stay readable text in the log, so the console shows output live.
export const DEFAULT_SINK_LIMITS: SinkLimits = {
  chunkBytes: INLINE_MAX,
  flushMs: 100,
  totalBytes: 64 * 1024 * 1024,
};

const continuation = (byte: number | undefined): boolean =>
  byte !== undefined && (byte & 0xc0) === 0x80;

/** Where to end a slice at or before `end` without splitting a UTF-8 character (binary: at `end`). */
function charStart(bytes: Buffer, end: number, from: number): number {
  let at = end;
  while (at < bytes.length && at > from && continuation(bytes[at])) at--;
  return at === from ? end : at;
}

/** The length of `bytes` without an incomplete UTF-8 character at its end. */
function completeUtf8(bytes: Buffer): number {
  for (let back = 1; back <= Math.min(3, bytes.length); back++) {
    const byte = bytes[bytes.length - back] as number;
    if (continuation(byte)) continue;
    const need = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return need > back ? bytes.length - back : bytes.length;
  }
  return bytes.length;
}

/** Gathers output and hands it to `write` in order; close() says how many bytes were not kept. */
export class OutputSink {
  private pending: { stream: Stream; parts: Buffer[]; size: number } | null = null;
  private timer: NodeJS.Timeout | null = null;
  private kept = 0;
  private dropped = 0;
  private chain: Promise<void> = Promise.resolve();
  private failure: unknown = null;

  constructor(
    private readonly write: (stream: Stream, bytes: Buffer) => Promise<unknown>,
    private readonly limits: SinkLimits = DEFAULT_SINK_LIMITS,
  ) {}

  push(stream: Stream, bytes: Buffer): void {
    const room = this.limits.totalBytes - this.kept;
    if (bytes.length > room) {
      this.dropped += bytes.length - Math.max(room, 0);
      bytes = bytes.subarray(0, Math.max(room, 0));
    }
    if (bytes.length === 0) return;
    this.kept += bytes.length;
    if (this.pending && this.pending.stream !== stream) this.flush();
    this.pending ??= { stream, parts: [], size: 0 };
    this.pending.parts.push(bytes);
    this.pending.size += bytes.length;
    if (this.pending.size >= this.limits.chunkBytes) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.limits.flushMs);
  }

  private flush(final = false): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending;
    this.pending = null;
    if (!batch) return;
    let bytes = Buffer.concat(batch.parts);
    // A character split across reads waits for its last bytes, so every chunk stays valid text.
    const cut = final ? bytes.length : completeUtf8(bytes);
    if (cut < bytes.length && cut > 0) {
      this.pending = {
        stream: batch.stream,
        parts: [bytes.subarray(cut)],
        size: bytes.length - cut,
      };
      this.timer = setTimeout(() => this.flush(true), this.limits.flushMs);
      bytes = bytes.subarray(0, cut);
    }
    const size = this.limits.chunkBytes;
    this.chain = this.chain
      .then(async () => {
        for (let at = 0; at < bytes.length;) {
          const end = charStart(bytes, Math.min(at + size, bytes.length), at);
          await this.write(batch.stream, bytes.subarray(at, end));
          at = end;
        }
      })
      .then(
        () => undefined,
        (error: unknown) => {
          this.failure ??= error;
        },
      );
  }

  /** Write what is left and wait for it; resolves to the bytes beyond the limit, rejects on a write failure. */
  async close(): Promise<number> {
    this.flush(true);
    await this.chain;
    if (this.failure) throw this.failure;
    return this.dropped;
  }
}
