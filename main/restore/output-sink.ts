// Command output on its way to the log: small pieces are gathered into chunks (a record per
// chunk, not per read), order across stdout and stderr is kept, and the total is bounded so a
// runaway command cannot fill the disk with its log.
type Stream = 'stdout' | 'stderr';

/** Limits: chunk size, how long a partial chunk may wait, and the total kept per command. */
export type SinkLimits = { chunkBytes: number; flushMs: number; totalBytes: number };

export const DEFAULT_SINK_LIMITS: SinkLimits = {
  chunkBytes: 64 * 1024,
  flushMs: 100,
  totalBytes: 64 * 1024 * 1024,
};

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

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const batch = this.pending;
    this.pending = null;
    if (!batch) return;
    const bytes = Buffer.concat(batch.parts);
    this.chain = this.chain
      .then(() => this.write(batch.stream, bytes))
      .then(
        () => undefined,
        (error: unknown) => {
          this.failure ??= error;
        },
      );
  }

  /** Write what is left and wait for it; resolves to the bytes beyond the limit, rejects on a write failure. */
  async close(): Promise<number> {
    this.flush();
    await this.chain;
    if (this.failure) throw this.failure;
    return this.dropped;
  }
}
