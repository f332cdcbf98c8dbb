import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CanonicalJsonError, canonicalize, parseCanonical } from './canonical-json';

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

  it('names where the value is that has no canonical form, past siblings and wide arrays', () => {
    expect(() => canonicalize([1, { x: [true], y: NaN }])).toThrow(
      'value[1].y is not a finite number.',
    );
    expect(() => canonicalize({ a: { b: 1 }, c: [0, 1, Infinity] })).toThrow(
      'value.c[2] is not a finite number.',
    );
    // 100 items side by side are not 100 levels deep.
    expect(canonicalize(Array.from({ length: 100 }, (_, i) => ({ i })))).toMatch(/^\[\{"i":0\},/);
    expect(
      canonicalize(Object.fromEntries(Array.from({ length: 100 }, (_, i) => [`k${i}`, [i]]))),
    ).toContain('"k99":[99]');
  });

  it('refuses undefined, symbols and big integers as CanonicalJsonError, named as such', () => {
    for (const value of [undefined, Symbol('s'), 10n]) {
      expect(() => canonicalize(value)).toThrow(CanonicalJsonError);
      expect(() => canonicalize(value)).toThrow(
        `value is a ${typeof value}, which JSON cannot hold.`,
      );
    }
    try {
      canonicalize({ n: NaN });
      expect.unreachable();
    } catch (error) {
      expect(String(error)).toBe('CanonicalJsonError: value.n is not a finite number.');
    }
  });

  it('writes true, false and null at the top level and inside objects and arrays', () => {
    expect(canonicalize(false)).toBe('false');
    expect(canonicalize(true)).toBe('true');
    expect(canonicalize(null)).toBe('null');
    expect(canonicalize({ no: false, yes: true, none: null, list: [false] })).toBe(
      '{"list":[false],"no":false,"none":null,"yes":true}',
    );
  });

  it('writes 64 levels of nesting and refuses the 65th, naming where', () => {
    const nest = (levels: number, inner: unknown): unknown =>
      levels === 0
        ? inner
        : levels % 2
          ? [nest(levels - 1, inner)]
          : { k: nest(levels - 1, inner) };
    expect(canonicalize(nest(64, 1))).toBe(`${'{"k":['.repeat(32)}1${']}'.repeat(32)}`);
    expect(() => canonicalize(nest(65, 1))).toThrow(
      /^value(\[0\]\.k){32}\[0\] is nested more than 64 levels deep\.$/,
    );
    // Empty containers count as a level too.
    expect(() => canonicalize(nest(65, []))).toThrow(/nested more than 64 levels deep/);
  });

  // Any JSON value built from the JSON grammar (not filtered through canonicalize itself): safe
  // integers, finite doubles that are not integers beyond 2^53, well-formed strings, arrays, objects.
  const leaf = fc.oneof(
    fc.constant(null),
    fc.boolean(),
    fc.maxSafeInteger(),
    fc
      .double({ noNaN: true, noDefaultInfinity: true })
      .filter((n) => !Number.isInteger(n) || Number.isSafeInteger(n)),
    fc.string({ unit: 'binary', maxLength: 8 }),
  );
  const json = fc.letrec((tie) => ({
    value: fc.oneof({ depthSize: 'small' }, leaf, tie('array'), tie('object')),
    array: fc.array(tie('value'), { maxLength: 4 }),
    object: fc.dictionary(fc.string({ unit: 'binary', maxLength: 6 }), tie('value'), {
      maxKeys: 4,
      noNullPrototype: true,
    }),
  })).value;
  /** The same value with every object's keys sorted by UTF-16 code units (the RFC order). */
  const sorted = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sorted)
      : v !== null && typeof v === 'object'
        ? Object.fromEntries(
            Object.keys(v)
              .sort()
              .map((k) => [k, sorted((v as Record<string, unknown>)[k])]),
          )
        : v;

  it('writes any JSON value as JSON.stringify writes it with sorted keys, and reads it back', () => {
    fc.assert(
      fc.property(json, (value) => {
        const text = canonicalize(value);
        expect(text).toBe(JSON.stringify(sorted(value)));
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

  it('says why a text is refused', () => {
    expect(parseCanonical('{"a":')).toEqual({ ok: false, reason: 'the payload is not JSON' });
    expect(parseCanonical('{"n":1e400}')).toEqual({
      ok: false,
      reason: 'the payload has no canonical form: value.n is not a finite number.',
    });
    expect(parseCanonical('{"b":1,"a":2}')).toEqual({
      ok: false,
      reason:
        'the payload is not in canonical JSON (whitespace, key order, duplicates or number form)',
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
