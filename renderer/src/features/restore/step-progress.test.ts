// The ETA the console counts down between progress records: it never reads "done" before the
// engine's record says so (a copy slower than its last pace used to show "74 % … done").
import { describe, expect, it } from 'vitest';
import type { StepProgress } from '../../../../preload/schemas/audit';
import { etaLeft } from './step-progress';

const at = (etaSeconds: number | null): StepProgress => ({
  ts: '2026-12-04T02:00:00.000Z',
  unit: 'files',
  done: 4470,
  total: 6000,
  bytesDone: null,
  bytesTotal: null,
  etaSeconds,
  detail: null,
});
const t0 = Date.parse('2026-12-04T02:00:00.000Z');

describe('etaLeft', () => {
  it('counts the recorded ETA down as time passes', () => {
    expect(etaLeft(at(10), t0)).toBe(10);
    expect(etaLeft(at(10), t0 + 4_000)).toBe(6);
  });

  it('stays at a second when the countdown runs out before the step is done', () => {
    expect(etaLeft(at(3), t0 + 9_000)).toBe(1);
  });

  it('is 0 only when the record says the step is done, and null without an ETA', () => {
    expect(etaLeft(at(0), t0)).toBe(0);
    expect(etaLeft(at(null), t0 + 1_000)).toBeNull();
  });
});
