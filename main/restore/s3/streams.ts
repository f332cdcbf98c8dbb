// Stream plumbing for planning: key histories one at a time with the next page already on its
// way, and two listings (source and destination) joined by their keys relative to each prefix.
import { compareKeys } from './keys';
import type { KeyHistory } from './listing';

/** Flatten batches into single histories, asking for the next batch as soon as one arrives. */
export async function* singles(
  batches: AsyncIterator<KeyHistory[]>,
  seen?: (history: KeyHistory) => void,
): AsyncGenerator<KeyHistory> {
  let next = batches.next();
  for (;;) {
    const current = await next;
    if (current.done) return;
    // Read ahead: the next page is listed while this one is decided.
    next = batches.next();
    // Nobody awaits a read-ahead that an early return abandons: keep its failure from escaping.
    next.catch(() => undefined);
    for (const history of current.value) {
      seen?.(history);
      yield history;
    }
  }
}

/** A key relative to its prefix, with the source and destination histories (null when absent). */
export type Pair = { rel: string; src: KeyHistory | null; dst: KeyHistory | null };

/** Both listings in one pass, by relative key (each listing is in S3's key order). */
export async function* joinByKey(
  source: AsyncIterator<KeyHistory>,
  sourcePrefix: string,
  dest: AsyncIterator<KeyHistory>,
  destPrefix: string,
): AsyncGenerator<Pair> {
  let a = await source.next();
  let b = await dest.next();
  while (!a.done || !b.done) {
    const ra = a.done ? null : a.value.key.slice(sourcePrefix.length);
    const rb = b.done ? null : b.value.key.slice(destPrefix.length);
    const order = ra === null ? 1 : rb === null ? -1 : compareKeys(ra, rb);
    if (order === 0) {
      yield { rel: ra as string, src: a.value as KeyHistory, dst: b.value as KeyHistory };
      [a, b] = await Promise.all([source.next(), dest.next()]);
    } else if (order < 0) {
      yield { rel: ra as string, src: a.value as KeyHistory, dst: null };
      a = await source.next();
    } else {
      yield { rel: rb as string, src: null, dst: b.value as KeyHistory };
      b = await dest.next();
    }
  }
}

/** One listing in place: each key is its own destination. */
export async function* inPlace(
  source: AsyncIterator<KeyHistory>,
  prefix: string,
): AsyncGenerator<Pair> {
  for (let a = await source.next(); !a.done; a = await source.next())
    yield { rel: a.value.key.slice(prefix.length), src: a.value, dst: a.value };
}
