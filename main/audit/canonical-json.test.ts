import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalize, parseCanonical } from './canonical-json';

describe('canonicalize (RFC 8785)', () => {
  it('sorts keys by UTF-16 code units, as in the RFC example', () => {
    const value = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    expect(canonicalize(value)).toBe(
      '{"\\r":"Carriage Return","1":"One","\u0080":"Control","\u00f6":"Latin Small Letter O With Diaeresis","\u20ac":"Euro Sign","\ud83d\ude00":"Emoji: Grinning Face","\ufb33":"Hebrew Letter Dalet With Dagesh"}',
    );
  });

  it('writes numbers in the ES form the RFC uses', () => {
    const cases: [number, string][] = [
      [0, '0'],
      [-0, '0'],
      [5e-324, '5e-324'],
      [1e-7, '1e-7'],
      [0.000001, '0.000001'],
      [4.5, '4.5'],
      [0.002, '0.002'],
      [1e-27, '1e-27'],
      [333333333.3333333, '333333333.3333333'],
      [-1.5, '-1.5'],
      [9007199254740991, '9007199254740991'],
      [-9007199254740991, '-9007199254740991'],
    ];
    for (const [n, text] of cases) expect(canonicalize(n)).toBe(text);
  });

  it('escapes strings minimally, as the RFC example does', () => {
    expect(canonicalize({ s: '\u20ac$\u000f\nA\'B"\\\\"/' })).toBe(
      '{"s":"\u20ac$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
    expect(canonicalize('\b\t\f\r\u001f\u007f')).toBe('"\\b\\t\\f\\r\\u001f\u007f"');
  });

  it('drops undefined members and writes nested arrays and objects without whitespace', () => {
    expect(canonicalize({ b: [1, { d: true, c: null }], a: undefined, e: 'x' })).toBe(
      '{"b":[1,{"c":null,"d":true}],"e":"x"}',
    );
  });

  it('refuses what has no canonical form', () => {
    expect(() => canonicalize(NaN)).toThrow(/not a finite number/);
    expect(() => canonicalize({ x: Infinity })).toThrow(/value\.x is not a finite number/);
    expect(() => canonicalize(2 ** 53 + 2)).toThrow(/beyond 2\^53/);
    expect(() => canonicalize(1e21)).toThrow(/beyond 2\^53/);
    expect(() => canonicalize('a\ud800b')).toThrow(/lone surrogate/);
    expect(() => canonicalize({ ['\udc00']: 1 })).toThrow(/lone surrogate/);
    expect(() => canonicalize({ d: new Date(0) })).toThrow(/JSON cannot hold/);
    expect(() => canonicalize(() => 1)).toThrow(/function/);
  });

  it('round-trips any JSON value through parseCanonical', () => {
    const json = fc.jsonValue({ maxDepth: 4 }).filter((v) => {
      try {
        canonicalize(v);
        return true;
      } catch {
        return false;
      }
    });
    fc.assert(
      fc.property(json, (value) => {
        const text = canonicalize(value);
        const parsed = parseCanonical(text);
        expect(parsed.ok).toBe(true);
        if (parsed.ok) expect(canonicalize(parsed.value)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });
});

describe('parseCanonical', () => {
  it('accepts exactly the canonical spelling', () => {
    expect(parseCanonical('{"a":1,"b":[true,null,"x"]}')).toEqual({
      ok: true,
      value: { a: 1, b: [true, null, 'x'] },
    });
  });

  it.each([
    ['whitespace', '{"a": 1}'],
    ['a trailing newline', '{"a":1}\n'],
    ['unsorted keys', '{"b":1,"a":2}'],
    ['duplicate keys', '{"a":1,"a":1}'],
    ['a number beyond 2^53', '{"n":9007199254740993}'],
    ['a number written differently', '{"n":1.0}'],
    ['an escaped lone surrogate', '{"s":"\\ud800"}'],
    ['an unnecessary escape', '{"s":"\\u0041"}'],
    ['not JSON at all', '{"a":'],
  ])('rejects %s', (_name, text) => {
    const result = parseCanonical(text);
    expect(result.ok).toBe(false);
  });
});
