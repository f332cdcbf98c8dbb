// The bridge's JSON for answers with frozen columns: the same text JSON.stringify gives.
import { describe, expect, it } from 'vitest';
import { encodeWithColumns, stringifyWithColumns } from './json';

const frozen = <T>(xs: T[]): T[] => {
  Object.freeze(xs);
  return xs;
};

describe('stringifyWithColumns', () => {
  it('writes the same text as JSON.stringify, frozen columns spliced from their kept text', () => {
    const at = frozen(Array.from({ length: 500 }, (_, i) => 1.7e12 + i * 0.5));
    const id = frozen(Array.from({ length: 500 }, (_, i) => `p-"${i}"\u2028`));
    const ids = Array.from({ length: 2000 }, (_, i) => `é-${i}`).join('\u007f');
    const value = {
      ok: true,
      value: {
        lanes: [
          { at, id, ids, small: frozen([1, 2]), gaps: { start: [], end: [] } },
          { at, ids },
        ],
        text: 'a "quoted" \\ string with \u0000 and $1 and $&',
        none: undefined,
        when: new Date(0),
      },
    };
    expect(stringifyWithColumns(value)).toBe(JSON.stringify(value));
    // Kept: the second answer is spliced from the bytes made for the first.
    expect(stringifyWithColumns(value)).toBe(JSON.stringify(value));
    expect(encodeWithColumns(value).equals(Buffer.from(JSON.stringify(value)))).toBe(true);
  });

  it('leaves text that looks like a placeholder alone', () => {
    const value = { a: '\u0000deadbeef:0', b: frozen(Array.from({ length: 100 }, () => 7)) };
    expect(JSON.parse(stringifyWithColumns(value))).toEqual(value);
  });

  it('writes unfrozen arrays as they are now, not as they were', () => {
    const xs = Array.from({ length: 100 }, () => 1);
    const first = stringifyWithColumns({ xs });
    xs[0] = 2;
    expect(stringifyWithColumns({ xs })).not.toBe(first);
    expect(stringifyWithColumns({ xs })).toBe(JSON.stringify({ xs }));
  });
});
