// JSON for answers that carry large frozen columns (the timeline's lanes): each frozen array of
// a catalog version, and each long text such as a lane's ids, is encoded once and its bytes are
// spliced into every later answer that sends it, instead of being written again on every call
// (4 MB of lanes took ~40 ms per call).
import { randomBytes } from 'node:crypto';

const arrays = new WeakMap<readonly unknown[], Buffer>();
// Long texts are kept by value (a string cannot key a WeakMap): the newest few only.
const texts = new Map<string, Buffer>();
const MAX_TEXTS = 64;
// Smaller values are cheaper to write again than to look up.
const MIN_ROWS = 64;
const MIN_CHARS = 4096;
// A placeholder no data can spell: a NUL (written escaped in JSON) and a per-process secret.
const marker = `\u0000${randomBytes(12).toString('hex')}:`;
const quotedMarker = JSON.stringify(marker).slice(0, -1);
const placeholder = new RegExp(`${quotedMarker.replace(/\\/g, '\\\\')}(\\d+)"`, 'g');

function arrayBytes(v: readonly unknown[]): Buffer {
  let bytes = arrays.get(v);
  if (bytes === undefined) {
    bytes = Buffer.from(JSON.stringify(v));
    arrays.set(v, bytes);
  }
  return bytes;
}

function textBytes(v: string): Buffer {
  let bytes = texts.get(v);
  if (bytes === undefined) {
    bytes = Buffer.from(JSON.stringify(v));
    texts.set(v, bytes);
    if (texts.size > MAX_TEXTS) texts.delete(texts.keys().next().value as string);
  }
  return bytes;
}

/** The UTF-8 JSON of `value`, large frozen arrays and long texts spliced from kept bytes. */
export function encodeWithColumns(value: unknown): Buffer {
  const kept: Buffer[] = [];
  const body = JSON.stringify(value, (_key, v: unknown) => {
    let bytes: Buffer | null = null;
    if (typeof v === 'string') {
      if (v.length >= MIN_CHARS) bytes = textBytes(v);
    } else if (Array.isArray(v) && v.length >= MIN_ROWS && Object.isFrozen(v)) {
      bytes = arrayBytes(v);
    }
    if (bytes === null) return v;
    kept.push(bytes);
    return `${marker}${kept.length - 1}`;
  });
  if (kept.length === 0) return Buffer.from(body);
  const pieces: Buffer[] = [];
  let at = 0;
  for (const m of body.matchAll(placeholder)) {
    pieces.push(Buffer.from(body.slice(at, m.index)), kept[Number(m[1])] as Buffer);
    at = m.index + m[0].length;
  }
  pieces.push(Buffer.from(body.slice(at)));
  return Buffer.concat(pieces);
}

/** The same as text (tests and the benchmark). */
export const stringifyWithColumns = (value: unknown): string =>
  encodeWithColumns(value).toString('utf8');

/** Encode an answer's frozen columns ahead of its first call (workspace warm-up). */
export function warmColumns(value: unknown): void {
  encodeWithColumns(value);
}
