// Bounded concurrency for S3 work: at most `concurrency` requests in flight, items pulled lazily
// (a spool of a million keys never sits in memory), and adaptive on throttling: a SlowDown
// halves the window and puts the item back after a backoff; steady success widens it again.

/** How a pool runs. */
export type PoolOptions<T> = {
  concurrency: number;
  signal?: AbortSignal;
  run: (item: T) => Promise<void>;
  /** True for errors worth another try later (throttling, a dropped connection). */
  retryable: (error: unknown) => boolean;
  /** An item that failed for good (or ran out of retries); the pool carries on. */
  failed: (item: T, error: unknown) => void | Promise<void>;
  /** Tries after the first for a retryable failure (default 8: about a minute of backoff). */
  maxRetries?: number;
  /** Backoff before the first retry, doubled each time (default 250 ms, at most 20 s). */
  baseDelayMs?: number;
  /** Heard each time the window shrinks (for a note: "S3 asked to slow down"). */
  onThrottle?: (window: number) => void;
};

/** Wait `ms`, or less if the signal aborts. */
function pause(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

/** Run every item; resolves when all are done or failed, or (after an abort) when in-flight work settled. */
export async function runPool<T>(
  items: AsyncIterable<T> | Iterable<T>,
  options: PoolOptions<T>,
): Promise<void> {
  const iterator =
    Symbol.asyncIterator in items
      ? (items as AsyncIterable<T>)[Symbol.asyncIterator]()
      : (items as Iterable<T>)[Symbol.iterator]();
  const maxRetries = options.maxRetries ?? 8;
  const base = options.baseDelayMs ?? 250;
  let window = Math.max(1, options.concurrency);
  let streak = 0;
  let active = 0;
  let exhausted = false;
  let pulling: Promise<void> | null = null;
  const retries: { item: T; attempt: number }[] = [];
  let wake: (() => void) | null = null;
  // A failure of the source or of `failed` itself stops the pool and is rethrown at the end.
  let fatal: { error: unknown } | null = null;
  const settled = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  options.signal?.addEventListener('abort', settled, { once: true });

  const attempt = async (item: T, tries: number): Promise<void> => {
    try {
      await options.run(item);
      if (++streak >= window && window < options.concurrency) {
        window++;
        streak = 0;
      }
    } catch (error) {
      streak = 0;
      if (options.retryable(error) && tries < maxRetries && !options.signal?.aborted) {
        window = Math.max(1, Math.floor(window / 2));
        options.onThrottle?.(window);
        const delay = Math.min(20_000, base * 2 ** tries) * (0.5 + Math.random() / 2);
        await pause(delay, options.signal);
        retries.push({ item, attempt: tries + 1 });
      } else {
        try {
          await options.failed(item, error);
        } catch (failure) {
          fatal ??= { error: failure };
        }
      }
    }
  };

  const start = (item: T, tries: number) => {
    active++;
    void attempt(item, tries).finally(() => {
      active--;
      settled();
    });
  };

  // Pull the next item from the source (one pull at a time: iterators are not re-entrant).
  const pull = async (): Promise<void> => {
    try {
      const next = await iterator.next();
      if (next.done) exhausted = true;
      else start(next.value, 0);
    } catch (error) {
      fatal ??= { error };
      exhausted = true;
    }
  };

  for (;;) {
    if (options.signal?.aborted || fatal) break;
    // A pull under way holds a place in the window too: the item it brings starts at once.
    const busy = () => active + (pulling === null ? 0 : 1);
    while (busy() < window && retries.length > 0) {
      const retry = retries.shift() as { item: T; attempt: number };
      start(retry.item, retry.attempt);
    }
    if (busy() < window && !exhausted && pulling === null) {
      pulling = pull().finally(() => {
        pulling = null;
        settled();
      });
      continue;
    }
    if (exhausted && active === 0 && retries.length === 0 && pulling === null) break;
    await new Promise<void>((resolve) => (wake = resolve));
  }
  options.signal?.removeEventListener('abort', settled);
  // After an abort, let what is in flight settle (its requests are aborted too).
  while (active > 0 || pulling !== null) await new Promise<void>((resolve) => (wake = resolve));
  if (fatal) throw (fatal as { error: unknown }).error;
}
