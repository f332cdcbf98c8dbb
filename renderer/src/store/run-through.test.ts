// Which steps one "in a row" click may run: the open command step and those after it that need
// nobody. A checklist, an approval, a typed confirmation (destructive), an S3 blast-radius check, a
// step with problems or a rollback step ends the row. Pure logic: no main, no mocks.
import { describe, expect, it } from 'vitest';
import type { PlanStep, S3Operation } from '../../../preload/schemas/runbook';
import type { LiveSession } from '../../../preload/schemas/session';
import { rowFrom } from './run-through';

const step = (id: string, over: Partial<PlanStep> = {}): PlanStep => ({
  id,
  kind: 'local',
  title: id,
  description: '',
  checklist: [],
  destructive: false,
  confirmTarget: null,
  production: false,
  argv: ['true'],
  where: null,
  cwd: null,
  unbound: [],
  point: null,
  source: null,
  work: null,
  problems: [],
  rollbackOf: null,
  s3: null,
  ...over,
});

const session = (steps: PlanStep[]): LiveSession =>
  ({
    id: 'log-1',
    plan: {
      file: 'r.yaml',
      title: 'R',
      description: '',
      rtoSeconds: 3600,
      params: [],
      steps,
      rollback: [],
    },
  }) as unknown as LiveSession;

describe('rowFrom', () => {
  it('takes the open command step and the command steps after it, up to the next person', () => {
    const s = session([
      step('announce', { kind: 'manual', argv: null, checklist: ['posted'] }),
      step('orders', { kind: 'manifest-restore', argv: null }),
      step('uploads', { kind: 'manifest-restore', argv: null }),
      step('verify', { kind: 'verify' }),
      step('done', { kind: 'manual', argv: null, checklist: ['noted'] }),
    ]);
    expect(rowFrom(s, 'orders')).toEqual(['orders', 'uploads', 'verify']);
    expect(rowFrom(s, 'verify')).toEqual([]);
    expect(rowFrom(s, 'announce')).toEqual([]);
  });

  it('stops before a step that needs a typed confirmation, an approval or a blast-radius check', () => {
    const s3 = { action: 'copy' } as unknown as S3Operation;
    const s = session([
      step('a'),
      step('b'),
      step('wipe', { destructive: true, confirmTarget: 'sandbox-restore' }),
      step('c'),
      step('ok', { kind: 'approval', argv: null }),
      step('d'),
      step('copy', { kind: 's3', argv: null, s3 }),
      step('e'),
      step('broken', { problems: ['The host is not in the workspace.'] }),
    ]);
    expect(rowFrom(s, 'a')).toEqual(['a', 'b']);
    expect(rowFrom(s, 'c')).toEqual([]);
    expect(rowFrom(s, 'd')).toEqual([]);
    expect(rowFrom(s, 'e')).toEqual([]);
    expect(rowFrom(s, 'missing')).toEqual([]);
  });
});
