import { describe, expect, it } from 'vitest';
import type { Cut } from '../../preload/schemas/groups';
import type { PlanChoice } from '../../preload/schemas/runbook';
import type { TargetConfig } from '../workspace/types';
import { planRunbook, type RunbookFile } from './plan';

const runbook: RunbookFile = {
  title: 'Restore',
  rto: '30m',
  params: {
    db: { type: 'recovery-point', service: 'orders-db' },
    target: { type: 'target', default: 'sandbox' },
  },
  steps: [
    {
      id: 'copy',
      kind: 'local',
      title: 'Copy',
      run: ['cp', '-R', '{{db.path}}', '{{target.path}}/'],
      destructive: true,
      target: 'target',
    },
    { id: 'note', kind: 'manual', title: 'Note', checklist: ['done'] },
    { id: 'later', kind: 'local', title: 'Later', run: ['echo', '{{missing.path}}'] },
  ],
};

const cut = (pointId: string): Cut => ({
  group: 'shop',
  time: '2026-11-20T03:00:00.000Z',
  skewSeconds: 0,
  toleranceSeconds: 300,
  consistent: true,
  reason: 'all members within 0s',
  snapshotId: null,
  members: [
    {
      service: 'orders-db',
      pointId,
      windowId: null,
      source: 'nas',
      time: '2026-11-20T03:00:00.000Z',
      lagSeconds: 0,
    },
  ],
});

const targets = new Map<string, TargetConfig>([
  [
    'sandbox',
    {
      name: 'sandbox',
      kind: 'folder',
      environment: 'sandbox',
      backend: null,
      path: '/tmp/sandbox dir',
    },
  ],
]);

describe('planRunbook', () => {
  it('binds recovery points and targets into argv words', () => {
    const plan = planRunbook('runbooks/r.yaml', runbook, {
      cut: cut('set-1'),
      targets,
      pointPath: (_s, id) => `/backups/${id}`,
      rtoSeconds: () => 1800,
    });
    expect(plan.steps[0]?.argv).toEqual(['cp', '-R', '/backups/set-1', '/tmp/sandbox dir/']);
    expect(plan.steps[0]?.confirmTarget).toBe('sandbox');
    expect(plan.steps[0]?.production).toBe(false);
    expect(plan.params.map((p) => p.bound)).toEqual(['set-1', 'sandbox']);
    expect(plan.rtoSeconds).toBe(1800);
  });

  it('keeps hostile catalog text inside one argv word, never split or interpreted', () => {
    const hostile = 'x; rm -rf / $(reboot) `id` "\'\n🔥';
    const plan = planRunbook('r', runbook, {
      cut: cut(hostile),
      targets,
      pointPath: (_s, id) => `/b/${id}`,
      rtoSeconds: () => null,
    });
    expect(plan.steps[0]?.argv).toHaveLength(4);
    expect(plan.steps[0]?.argv?.[2]).toBe(`/b/${hostile}`);
  });

  it('reports placeholders it cannot bind instead of guessing', () => {
    const plan = planRunbook('r', runbook, {
      cut: null,
      targets,
      pointPath: () => null,
      rtoSeconds: () => null,
    });
    expect(plan.steps[0]?.unbound).toEqual(['db.path']);
    expect(plan.steps[2]?.unbound).toEqual(['missing.path']);
    expect(plan.steps[2]?.argv).toEqual(['echo', '{{missing.path}}']);
  });

  it('moves a following target parameter with the one it follows: production with production, unless chosen itself', () => {
    const t = (
      name: string,
      kind: TargetConfig['kind'],
      environment: TargetConfig['environment'],
    ) => [name, { name, kind, environment, backend: null, path: `/${name}` }] as const;
    const all = new Map<string, TargetConfig>([
      t('db-sandbox', 'folder', 'sandbox'),
      t('db-prod', 'folder', 'production'),
      t('files-sandbox', 'folder', 'sandbox'),
      t('files-prod', 'folder', 'production'),
    ]);
    const book: RunbookFile = {
      title: 'Two targets',
      params: {
        db: { type: 'target', default: 'db-sandbox' },
        files: { type: 'target', default: 'files-sandbox', follows: 'db' },
      },
      steps: [{ id: 'a', kind: 'local', title: 'A', run: ['ls', '{{files.path}}'] }],
    };
    // No kind on the follower: two production folders match, so it does not guess.
    const bound = (choice: PlanChoice) =>
      planRunbook('runbooks/two.yaml', book, {
        cut: null,
        targets: all,
        choice,
        pointPath: () => null,
        rtoSeconds: () => null,
      }).params.map((p) => p.bound);
    expect(bound({})).toEqual(['db-sandbox', 'files-sandbox']);
    expect(bound({ target: 'db-prod' })).toEqual(['db-prod', 'files-sandbox']);
    const kinds: RunbookFile = {
      ...book,
      params: {
        db: { type: 'target', default: 'db-sandbox', kind: 'folder' },
        files: { type: 'target', default: 'files-sandbox', kind: 'bucket', follows: 'db' },
      },
    };
    const buckets = new Map<string, TargetConfig>([
      t('db-sandbox', 'folder', 'sandbox'),
      t('db-prod', 'folder', 'production'),
      t('files-sandbox', 'bucket', 'sandbox'),
      t('files-prod', 'bucket', 'production'),
    ]);
    const plan = (choice: PlanChoice) =>
      planRunbook('runbooks/two.yaml', kinds, {
        cut: null,
        targets: buckets,
        choice,
        pointPath: () => null,
        rtoSeconds: () => null,
      });
    expect(plan({ target: 'db-prod' }).params.map((p) => p.bound)).toEqual([
      'db-prod',
      'files-prod',
    ]);
    expect(plan({ target: 'db-prod' }).steps[0]?.argv).toEqual(['ls', '/files-prod']);
    // Chosen itself, it keeps that choice.
    expect(
      plan({ target: 'db-prod', params: { files: 'files-sandbox' } }).params.map((p) => p.bound),
    ).toEqual(['db-prod', 'files-sandbox']);
  });
});
