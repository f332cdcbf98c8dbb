// JSON for answers that carry large frozen columns (the timeline's lanes): each frozen array of
// a catalog version is turned into text once and spliced into every later answer that sends it,
// instead of being written again on every call (4 MB of lanes took ~40 ms per call).
import { randomBytes } from 'node:crypto';

const texts = new WeakMap<readonly unknown[], string>();
// Smaller arrays are cheaper to write again than to look up.
const MIN_ROWS = 64;
// A placeholder no data can spell: a NUL (written escaped in JSON) and a per-process secret.
const marker = `\u0000${randomBytes(12).toString('hex')}:`;
const quotedMarker = JSON.stringify(marker).slice(0, -1);
const placeholder = new RegExp(`${quotedMarker.replace(/\\/g, '\\\\')}(\\d+)"`, 'g');

/** The JSON text of a frozen array, made once. */
export function frozenText(v: readonly unknown[]): string {
  let text = texts.get(v);
  if (text === undefined) {
    text = JSON.stringify(v);
    texts.set(v, text);
  }
  return text;
}

/** JSON.stringify, with every large frozen array written from its kept text. */
export function stringifyWithColumns(value: unknown): string {
  const parts: string[] = [];
  const body = JSON.stringify(value, (_key, v: unknown) => {
    if (Array.isArray(v) && v.length >= MIN_ROWS && Object.isFrozen(v)) {
      parts.push(frozenText(v));
      return `${marker}${parts.length - 1}`;
    }
    return v;
  });
  if (parts.length === 0) return body;
  return body.replace(placeholder, (_m, i: string) => parts[Number(i)] as string);
}

/** Make the texts of an answer's frozen columns ahead of its first call (workspace warm-up). */
export function warmColumns(value: unknown): void {
  stringifyWithColumns(value);
}
