// Each S3 request gets its own abort signal that follows the caller's, and leaves nothing on it.
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { withOwnAbort } from './s3-abort';

describe('withOwnAbort', () => {
  it('leaves no listener on the caller’s signal once a request is done, page after page', async () => {
    const caller = new AbortController();
    for (let page = 0; page < 100; page++) {
      await withOwnAbort(caller.signal, async ({ abortSignal }) => {
        expect(abortSignal).not.toBe(caller.signal);
        expect(abortSignal?.aborted).toBe(false);
      });
    }
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0);
  });

  it('aborts the request when the caller aborts, with the caller’s reason', async () => {
    const caller = new AbortController();
    const reason = new Error('cancelled by the engineer');
    const seen = withOwnAbort(
      caller.signal,
      ({ abortSignal }) =>
        new Promise((_resolve, reject) =>
          abortSignal?.addEventListener('abort', () => reject(abortSignal.reason as Error)),
        ),
    );
    caller.abort(reason);
    await expect(seen).rejects.toBe(reason);
    expect(getEventListeners(caller.signal, 'abort')).toHaveLength(0);
  });

  it('starts a request already aborted when the caller was, and passes no signal without one', async () => {
    const caller = new AbortController();
    caller.abort();
    await withOwnAbort(caller.signal, async ({ abortSignal }) => {
      expect(abortSignal?.aborted).toBe(true);
    });
    await withOwnAbort(undefined, async (options) => expect(options).toEqual({}));
  });
});
