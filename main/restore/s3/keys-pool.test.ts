// The pure parts of the S3 engine: key order as S3 lists it, version pages merged back into that
// order, the version at T, and the pool's window under throttling and Cancel.
import { describe, expect, it } from 'vitest';
import { compareKeys, copySource, decodeListedKey } from './keys';
import { keyHistories, mergePage, stateAt, type VersionPage } from './listing';
import { runPool } from './pool';

const at = (s: number) => new Date(Date.UTC(2026, 2, 1, 8, 0, s));

describe('S3 keys', () => {
  it('orders keys by UTF-8 bytes, as S3 lists them (not by UTF-16 units)', () => {
    const keys = ['\u{1f600}', '\uff21', 'a', 'Z', 'a/b', 'a b'];
    expect([...keys].sort(compareKeys)).toEqual(['Z', 'a', 'a b', 'a/b', '\uff21', '\u{1f600}']);
    const bytes = [...keys].sort((x, y) => Buffer.compare(Buffer.from(x), Buffer.from(y)));
    expect([...keys].sort(compareKeys)).toEqual(bytes);
  });

  it('decodes URL-encoded listings as S3 encodes them, and encodes CopySource exactly', () => {
    expect(decodeListedKey('a+b%2Bc%25', true)).toBe('a b+c%');
    expect(decodeListedKey('a+b', false)).toBe('a+b');
    expect(copySource('bkt', 'dir/a+b %.txt', 'v/1')).toBe(
      'bkt/dir/a%2Bb%20%25.txt?versionId=v%2F1',
    );
  });
});

describe('version pages', () => {
  const page: VersionPage = {
    encoded: false,
    versions: [
      { Key: 'a', VersionId: 'a2', LastModified: at(5), ETag: '"2"', Size: 2, IsLatest: false },
      { Key: 'a', VersionId: 'a1', LastModified: at(1), ETag: '"1"', Size: 1, IsLatest: false },
      { Key: 'c', VersionId: 'c1', LastModified: at(9), ETag: '"3"', Size: 3, IsLatest: true },
    ],
    markers: [
      { Key: 'a', VersionId: 'am', LastModified: at(7), IsLatest: true },
      { Key: 'b', VersionId: 'bm', LastModified: at(2), IsLatest: true },
    ],
  };

  it('merges versions and delete markers back into key order, newest first', () => {
    expect(mergePage(page).map((m) => m.entry.versionId)).toEqual(['am', 'a2', 'a1', 'bm', 'c1']);
  });

  it('finds each key at T: the newest version at or before T, a marker meaning absent', async () => {
    const histories = [];
    async function* pages() {
      yield page;
    }
    for await (const batch of keyHistories(pages())) histories.push(...batch);
    const [a, b, c] = histories;
    expect(stateAt(a!, at(6).getTime()).atT?.versionId).toBe('a2');
    expect(stateAt(a!, at(6).getTime()).current?.marker).toBe(true);
    expect(stateAt(a!, at(0).getTime()).atT).toBeNull();
    expect(stateAt(b!, at(3).getTime()).atT).toBeNull();
    expect(stateAt(c!, at(8).getTime()).atT).toBeNull();
  });
});

describe('runPool', () => {
  const slowDown = Object.assign(new Error('SlowDown'), { name: 'SlowDown' });

  it('never runs more than the window, halves it on throttling, retries, and finishes every item', async () => {
    let inFlight = 0;
    let most = 0;
    const refused = new Map<number, number>();
    const windows: number[] = [];
    const done: number[] = [];
    await runPool(
      Array.from({ length: 40 }, (_, i) => i),
      {
        concurrency: 6,
        baseDelayMs: 1,
        run: async (i) => {
          inFlight++;
          most = Math.max(most, inFlight);
          await new Promise((resolve) => setTimeout(resolve, 2));
          inFlight--;
          const times = refused.get(i) ?? 0;
          if (i % 5 === 0 && times < 2) {
            refused.set(i, times + 1);
            throw slowDown;
          }
          done.push(i);
        },
        retryable: (e) => e === slowDown,
        failed: () => {
          throw new Error('nothing should fail for good');
        },
        onThrottle: (w) => windows.push(w),
      },
    );
    expect(most).toBeLessThanOrEqual(6);
    expect(done.sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i));
    expect(Math.min(...windows)).toBe(1);
  });

  it('stops taking items on abort and lets the ones in flight settle', async () => {
    const controller = new AbortController();
    let started = 0;
    await runPool(
      Array.from({ length: 100 }, (_, i) => i),
      {
        concurrency: 3,
        signal: controller.signal,
        run: async () => {
          if (++started === 5) controller.abort();
          await new Promise((resolve) => setTimeout(resolve, 1));
        },
        retryable: () => false,
        failed: () => undefined,
      },
    );
    expect(started).toBeLessThanOrEqual(7);
  });
});
