// Progress on its way to the log: at most one record per interval (the last one always kept),
// with an ETA computed from the pace so far when the tool gives none.
import type { AuditWriter } from '../../audit/writer';
import type { ProgressUpdate } from './types';

/** How often a running step's progress is recorded at most. */
export const PROGRESS_INTERVAL_MS = 1000;

// A pace measured over less than this is noise: no ETA yet.
const MIN_PACE_MS = 1500;

/** The seconds left at the pace from `first` to `now`, or null when it cannot be told yet. */
export function etaFrom(
  first: { at: number; done: number },
  now: { at: number; done: number },
  total: number | null,
): number | null {
  const spent = now.at - first.at;
  const gained = now.done - first.done;
  if (total === null || spent < MIN_PACE_MS || gained <= 0) return null;
  const left = Math.max(0, total - now.done);
  return Math.round(((left / gained) * spent) / 1000);
}

/** Records one step attempt's progress; `close` writes what is still pending. */
export class ProgressRecorder {
  private first: { at: number; done: number } | null = null;
  private lastAt = -Infinity;
  private pending: ProgressUpdate | null = null;
  private timer: NodeJS.Timeout | null = null;
  private chain: Promise<unknown> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly writer: AuditWriter,
    private readonly step: string,
    private readonly clock: () => number = () => performance.now(),
    private readonly intervalMs = PROGRESS_INTERVAL_MS,
  ) {}

  /** Take an update from the executor (called as often as the tool prints). */
  readonly report = (update: ProgressUpdate): void => {
    if (this.closed) return;
    this.pending = update;
    const wait = this.lastAt + this.intervalMs - this.clock();
    if (wait <= 0) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), wait);
  };

  private flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const update = this.pending;
    if (!update) return;
    this.pending = null;
    const at = this.clock();
    this.lastAt = at;
    // Bytes move more evenly than file counts: pace on bytes when their total is known.
    const byBytes = update.bytesTotal !== null && update.bytesDone !== null;
    const done = byBytes ? (update.bytesDone ?? 0) : update.done;
    const total = byBytes ? update.bytesTotal : update.total;
    if (this.first === null || done < this.first.done) this.first = { at, done };
    const eta = update.etaSeconds ?? etaFrom(this.first, { at, done }, total);
    // Bytes can all be read while the last files are still being checked: done means both.
    const finished =
      total !== null && done >= total && (update.total === null || update.done >= update.total);
    const data = {
      step: this.step,
      unit: update.unit,
      done: update.done,
      total: update.total,
      bytesDone: update.bytesDone,
      bytesTotal: update.bytesTotal,
      // Zero means done: an unfinished step has at least a second left.
      etaSeconds: finished ? 0 : eta === null ? null : Math.max(1, Math.round(eta)),
      detail: update.detail === null ? null : update.detail.slice(0, 200),
    };
    this.chain = this.chain.then(() => this.writer.append('progress', data)).catch(() => undefined);
  }

  /** Write the last pending update, then stop taking more. */
  async close(): Promise<void> {
    if (!this.closed) this.flush();
    this.closed = true;
    await this.chain;
  }
}
