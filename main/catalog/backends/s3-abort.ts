// One abort signal per S3 request, following the caller's. The SDK drops its abort listener only
// when the request's socket closes, and a kept-alive socket outlives the request: on one signal
// shared by a whole listing, every page's request and response stayed reachable until the end.
// 100,000 versions in 100 pages then cost ~25 % more client CPU, mostly in garbage collection.

/** Run one request with its own signal, aborted when `signal` is; nothing is left on `signal`. */
export async function withOwnAbort<T>(
  signal: AbortSignal | undefined,
  run: (options: { abortSignal?: AbortSignal }) => Promise<T>,
): Promise<T> {
  if (!signal) return run({});
  const own = new AbortController();
  const forward = (): void => own.abort(signal.reason);
  if (signal.aborted) forward();
  else signal.addEventListener('abort', forward, { once: true });
  try {
    return await run({ abortSignal: own.signal });
  } finally {
    signal.removeEventListener('abort', forward);
  }
}
