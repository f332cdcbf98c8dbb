// The output sink: order across streams, chunks that never split a UTF-8 character, a bound.
import { describe, expect, it } from 'vitest';
import { OutputSink } from './output-sink';

function collect(limits = { chunkBytes: 8, flushMs: 5, totalBytes: 1000 }) {
  const written: { stream: string; text: string; valid: boolean }[] = [];
  const strict = new TextDecoder('utf-8', { fatal: true });
  const sink = new OutputSink(async (stream, bytes) => {
    let valid = true;
    try {
      strict.decode(bytes);
    } catch {
      valid = false;
    }
    written.push({ stream, text: bytes.toString('utf8'), valid });
  }, limits);
  return { sink, written };
}

describe('OutputSink', () => {
  it('keeps every chunk valid UTF-8 when reads and slices fall inside a character', async () => {
    const { sink, written } = collect();
    const text = 'ééé€€€😀😀 done';
    const bytes = Buffer.from(text);
    // One byte at a time: every read boundary falls inside some character.
    for (const b of bytes) sink.push('stdout', Buffer.from([b]));
    expect(await sink.close()).toBe(0);
    expect(written.every((w) => w.valid)).toBe(true);
    expect(written.every((w) => Buffer.byteLength(w.text) <= 8)).toBe(true);
    expect(written.map((w) => w.text).join('')).toBe(text);
  });

  it('keeps the order of stdout and stderr, and counts what is beyond the bound', async () => {
    const { sink, written } = collect({ chunkBytes: 64, flushMs: 5, totalBytes: 10 });
    sink.push('stdout', Buffer.from('abc'));
    sink.push('stderr', Buffer.from('de'));
    sink.push('stdout', Buffer.from('fghijkl'));
    expect(await sink.close()).toBe(2);
    expect(written).toEqual([
      { stream: 'stdout', text: 'abc', valid: true },
      { stream: 'stderr', text: 'de', valid: true },
      { stream: 'stdout', text: 'fghij', valid: true },
    ]);
  });
});
