// A correctly signed, correctly chained payload with one bad field, or record data that breaks its
// record type's schema: the verifier says INVALID at that record and names the field.
import { describe, expect, it } from 'vitest';
import { forge, logs, useForgeryLogs, verdictOf, type Edit } from './forge-kit';

useForgeryLogs();

describe('a correctly signed payload with a bad field', () => {
  const cases: [string, Edit, string][] = [
    [
      'format version 2',
      (p) => ({ ...p, v: 2 }),
      'the payload format version 2 is not one this verifier knows',
    ],
    [
      'format version "1"',
      (p) => ({ ...p, v: '1' }),
      'the payload format version 1 is not one this verifier knows',
    ],
    [
      'an upper-case log id',
      (p) => ({ ...p, log: p.log.toUpperCase() }),
      'the log id is not lowercase hex',
    ],
    [
      'a short log id',
      (p) => ({ ...p, log: p.log.slice(0, 15) }),
      'the log id is not lowercase hex',
    ],
    [
      'a log id with a newline after it',
      (p) => ({ ...p, log: `${p.log}\n` }),
      'the log id is not lowercase hex',
    ],
    [
      'a numeric log id',
      (p) => ({ ...p, log: 1234567890123456 }),
      'the log id is not lowercase hex',
    ],
    ['a negative seq', (p) => ({ ...p, seq: -1 }), 'seq is not a whole number'],
    ['a fractional seq', (p) => ({ ...p, seq: 4.5 }), 'seq is not a whole number'],
    ['seq as text', (p) => ({ ...p, seq: '4' }), 'seq is not a whole number'],
    [
      'a local time',
      (p) => ({ ...p, ts: p.ts.replace('Z', '+01:00') }),
      'ts is not a UTC ISO 8601 time',
    ],
    [
      'a time with a space',
      (p) => ({ ...p, ts: p.ts.replace('T', ' ') }),
      'ts is not a UTC ISO 8601 time',
    ],
    [
      'month 13',
      (p) => ({ ...p, ts: '2026-13-10T10:00:05.000Z' }),
      'ts is not a UTC ISO 8601 time',
    ],
    [
      'a time with text before it',
      (p) => ({ ...p, ts: `x${p.ts}` }),
      'ts is not a UTC ISO 8601 time',
    ],
    ['a numeric time', (p) => ({ ...p, ts: 1768039205000 }), 'ts is not a UTC ISO 8601 time'],
    ['an unknown type', (p) => ({ ...p, type: 'delete' }), 'the record type "delete" is unknown'],
    ['a numeric type', (p) => ({ ...p, type: 7 }), 'the record type "7" is unknown'],
    ['a numeric actor', (p) => ({ ...p, actor: 7 }), 'actor is not a string'],
    ['a short prev', (p) => ({ ...p, prev: p.prev.slice(1) }), 'prev is not a SHA-256 hex digest'],
    [
      'an upper-case prev',
      (p) => ({ ...p, prev: p.prev.toUpperCase() }),
      'prev is not a SHA-256 hex digest',
    ],
    [
      'a prev with text after it',
      (p) => ({ ...p, prev: `${p.prev}00` }),
      'prev is not a SHA-256 hex digest',
    ],
    ['data as a list', (p) => ({ ...p, data: [] }), 'data is not an object'],
    ['data as null', (p) => ({ ...p, data: null }), 'data is not an object'],
    ['data as text', (p) => ({ ...p, data: 'x' }), 'data is not an object'],
    [
      'an extra field',
      (p) => ({ ...p, why: 'because' }),
      'the payload does not have exactly the fields v, log, seq, ts, type, actor, prev, data',
    ],
    [
      'a missing field',
      ({ actor: _actor, ...p }) => p,
      'the payload does not have exactly the fields v, log, seq, ts, type, actor, prev, data',
    ],
  ];
  it.each(cases)('%s: INVALID at that record, saying which field', async (_name, edit, reason) => {
    const report = await verdictOf(forge(logs.good, { 4: edit }, { rechain: true }));
    expect(report).toMatchObject({
      verdict: 'INVALID',
      records: 4,
      firstError: { line: 5, reason },
    });
  });

  it.each([
    ['cmd.end', 4, { exitCode: 'zero' }, /^the cmd\.end data is malformed \(exitCode: /],
    ['cmd.start', 2, { argv: 'rm -rf /' }, /^the cmd\.start data is malformed \(argv: /],
    ['approval', 9, { decision: 'maybe' }, /^the approval data is malformed \(decision: /],
    ['seal', 10, { reason: 'because' }, /^the seal data is malformed \(reason: /],
    ['open', 0, { mode: 'yolo' }, /^the open data is malformed \(mode: /],
  ])('%s data that breaks its schema: INVALID, naming the field', async (_t, at, data, reason) => {
    const lines = forge(
      logs.good,
      { [at]: (p) => ({ ...p, data: { ...p.data, ...data } }) },
      { rechain: true },
    );
    const report = await verdictOf(lines);
    expect(report).toMatchObject({
      verdict: 'INVALID',
      records: at,
      firstError: { line: at + 1, seq: at, reason: expect.stringMatching(reason) },
    });
  });
});
