// Binding tool-aware steps and the engineer's choice: argv built from the catalog's point and the
// workspace (never from free text), the target picked among those allowed, values checked as
// typed, a chain expanded oldest first, and problems said in sentences before anything runs.
import { describe, expect, it } from 'vitest';
import type { Cut } from '../../preload/schemas/groups';
import type { PlanChoice } from '../../preload/schemas/runbook';
import type { BackendConfig, SourceConfig, TargetConfig } from '../workspace/types';
import type { BoundPoint } from './params';
import { planRunbook, type RunbookFile } from './plan';

const target = (
  name: string,
  environment: TargetConfig['environment'],
  kind: TargetConfig['kind'],
  path: string,
  backend: string | null = null,
): [string, TargetConfig] => [name, { name, kind, environment, backend, path }];

const targets = new Map<string, TargetConfig>([
  target('prod', 'production', 'folder', '/srv/data'),
  target('sandbox', 'sandbox', 'folder', '/tmp/sandbox'),
  target('db-sandbox', 'sandbox', 'host', '/var/lib/pg-restore', 'db-host'),
]);
const backends = new Map<string, BackendConfig>([
  ['nas', { name: 'nas', type: 'local', path: '/nas', tags: [] }],
  [
    'db-host',
    {
      name: 'db-host',
      type: 'ssh',
      host: 'db1',
      port: 22,
      user: 'pg',
      identityFile: null,
      tags: [],
    },
  ],
]);
const sources = new Map<string, SourceConfig>([
  [
    'files',
    {
      name: 'files',
      type: 'restic',
      backend: 'nas',
      service: 'files',
      repository: '/nas/restic',
      password: null,
    },
  ],
  [
    'arch',
    {
      name: 'arch',
      type: 'borg',
      backend: 'nas',
      service: 'arch',
      repository: '/nas/borg',
      passphrase: null,
    },
  ],
  [
    'pg',
    {
      name: 'pg',
      type: 'pgbackrest',
      backend: 'db-host',
      service: 'db',
      stanza: 'main',
      config: '/etc/pgbackrest/pgbackrest.conf',
    },
  ],
  [
    'sets',
    {
      name: 'sets',
      type: 'manifest',
      backend: 'nas',
      service: 'orders',
      path: 'orders',
      bucket: null,
    },
  ],
]);

const member = (service: string, source: string, pointId: string) => ({
  service,
  source,
  pointId,
  windowId: null,
  time: '2026-11-20T03:00:00.000Z',
  lagSeconds: 0,
});
const cut: Cut = {
  group: 'g',
  time: '2026-11-20T03:00:00.000Z',
  skewSeconds: 0,
  toleranceSeconds: 60,
  consistent: true,
  reason: 'r',
  snapshotId: null,
  members: [
    member('files', 'files', 'a'.repeat(64)),
    member('arch', 'arch', 'arch-2026-11-20'),
    member('db', 'pg', '20261120-030000F_20261120-040000I'),
    member('orders', 'sets', 'incr-2'),
  ],
};
const link = (id: string, kind: string, size: number, files: number) => ({
  id,
  kind,
  time: '2026-11-20T03:00:00.000Z',
  sizeBytes: size,
  files,
  path: `/nas/orders/${id}`,
});
const points: Record<string, BoundPoint> = {
  files: {
    id: 'a'.repeat(64),
    source: 'files',
    service: 'files',
    time: cut.time,
    endTime: null,
    kind: 'snapshot',
    sizeBytes: 2048,
    path: null,
    chain: [link('a'.repeat(64), 'snapshot', 2048, 3)],
    missingParent: null,
    raw: {},
  },
  arch: {
    id: 'arch-2026-11-20',
    source: 'arch',
    service: 'arch',
    time: cut.time,
    endTime: null,
    kind: 'snapshot',
    sizeBytes: 4096,
    path: null,
    chain: [link('arch-2026-11-20', 'snapshot', 4096, 1)],
    missingParent: null,
    raw: {},
  },
  db: {
    id: '20261120-030000F_20261120-040000I',
    source: 'pg',
    service: 'db',
    time: '2026-11-20T04:00:00.000Z',
    endTime: null,
    kind: 'incr',
    sizeBytes: 100,
    path: null,
    chain: [
      link('20261120-030000F', 'full', 5000, 0),
      link('20261120-030000F_20261120-040000I', 'incr', 100, 0),
    ],
    missingParent: null,
    raw: { info: { size: 30_000_000 } },
  },
  orders: {
    id: 'incr-2',
    source: 'sets',
    service: 'orders',
    time: cut.time,
    endTime: null,
    kind: 'incr',
    sizeBytes: 10,
    path: '/nas/orders/incr-2',
    chain: [
      link('full-0', 'full', 1000, 4),
      link('incr-1', 'incr', 20, 1),
      link('incr-2', 'incr', 10, 2),
    ],
    missingParent: null,
    raw: {},
  },
};

const runbook: RunbookFile = {
  title: 'Tools',
  params: {
    files: { type: 'recovery-point', service: 'files' },
    arch: { type: 'recovery-point', service: 'arch' },
    db: { type: 'recovery-point', service: 'db' },
    orders: { type: 'recovery-point', service: 'orders' },
    target: { type: 'target', default: 'sandbox' },
    when: { type: 'instant' },
    port: { type: 'string', pattern: '[0-9]{2,5}', default: '5433' },
  },
  steps: [
    { id: 'restic', kind: 'restic-restore', title: 'Restic', point: 'files', paths: ['/etc'] },
    { id: 'borg', kind: 'borg-extract', title: 'Borg', point: 'arch', destructive: true },
    { id: 'pg', kind: 'pgbackrest-restore', title: 'PG', point: 'db', pgbackrest: { delta: true } },
    { id: 'sets', kind: 'manifest-restore', title: 'Sets', point: 'orders' },
    {
      id: 'sums',
      kind: 'verify',
      title: 'Sums',
      run: ['sha256sum', '--check', '{{orders.chain}}.sha256'],
      cwd: '{{target.path}}',
    },
    {
      id: 'pg-time',
      kind: 'pgbackrest-restore',
      title: 'PG at',
      point: 'db',
      pgbackrest: { recovery: 'time', at: '{{when}}' },
    },
  ],
};

const plan = (choice: PlanChoice = {}) =>
  planRunbook('r', runbook, {
    cut,
    targets,
    sources,
    backends,
    pointPath: () => null,
    point: (m) => points[m.service] ?? null,
    rtoSeconds: () => null,
    choice,
  });
const step = (p: ReturnType<typeof plan>, id: string) => p.steps.find((s) => s.id === id);

describe('tool-aware steps', () => {
  it('build their argv from the point, the source and the chosen target', () => {
    const p = plan({
      selection: { source: 'files', pointId: 'a'.repeat(64), paths: ['/home/a b'] },
    });
    expect(step(p, 'restic')).toMatchObject({
      argv: [
        'restic',
        '--repo=/nas/restic',
        'restore',
        'a'.repeat(64),
        '--target=/tmp/sandbox',
        '--include=/etc',
        '--include=/home/a b',
        '--json',
      ],
      where: 'this machine',
      source: 'files',
      problems: [],
    });
    expect(step(p, 'borg')).toMatchObject({
      argv: ['borg', 'extract', '--progress', '--log-json', '--', '/nas/borg::arch-2026-11-20'],
      cwd: '/tmp/sandbox',
      confirmTarget: 'sandbox',
    });
    expect(step(p, 'sets')?.work).toMatchObject({ sets: 3, files: 7 });
    expect(step(p, 'sets')?.work?.summary).toContain('3 sets (1 full + 2 incr)');
    expect(p.params.find((x) => x.name === 'orders')?.chain).toMatchObject({
      sets: 3,
      bytes: 1030,
    });
  });

  it('expand a chain oldest first, one word per set', () => {
    expect(step(plan(), 'sums')?.argv).toEqual([
      'sha256sum',
      '--check',
      '/nas/orders/full-0.sha256',
      '/nas/orders/incr-1.sha256',
      '/nas/orders/incr-2.sha256',
    ]);
  });

  it('run pgBackRest where the host target is, with --archive-mode=off for a sandbox', () => {
    const p = plan({ target: 'db-sandbox', params: { when: '2026-11-20T05:30:00+01:00' } });
    expect(step(p, 'pg')).toMatchObject({
      where: 'db-sandbox',
      argv: [
        'pgbackrest',
        '--config=/etc/pgbackrest/pgbackrest.conf',
        '--stanza=main',
        '--pg1-path=/var/lib/pg-restore',
        '--set=20261120-030000F_20261120-040000I',
        '--type=immediate',
        '--target-action=promote',
        '--delta',
        '--archive-mode=off',
        '--log-level-console=detail',
        '--log-level-stderr=off',
        '--log-level-file=off',
        'restore',
      ],
      problems: [],
    });
    expect(step(p, 'pg')?.work?.bytes).toBe(30_000_000);
    expect(step(p, 'pg-time')?.argv).toContain('--target=2026-11-20 04:30:00+00');
    // The repository is on db-host: restoring it into a folder here cannot work.
    expect(step(plan(), 'pg')?.problems.join(' ')).toMatch(/repository of source pg is on db-host/);
  });

  it('refuse a time before the backup, and a time recovery without an instant', () => {
    expect(
      step(
        plan({ target: 'db-sandbox', params: { when: '2026-11-19T00:00:00Z' } }),
        'pg-time',
      )?.problems.join(' '),
    ).toMatch(/before backup/);
    expect(step(plan({ target: 'db-sandbox' }), 'pg-time')?.problems.join(' ')).toMatch(
      /needs an instant/,
    );
  });
});

describe('the engineer’s choice', () => {
  it('binds the chosen target and lists the allowed ones, production first', () => {
    const p = plan({ target: 'prod' });
    const param = p.params.find((x) => x.name === 'target');
    expect(param?.bound).toBe('prod');
    expect(param?.choices.map((c) => c.name)).toEqual(['prod', 'sandbox', 'db-sandbox']);
    expect(step(p, 'borg')).toMatchObject({
      production: true,
      confirmTarget: 'prod',
      cwd: '/srv/data',
    });
  });

  it('refuses a target that does not exist or that the parameter does not allow', () => {
    expect(() => plan({ target: 'nope' })).toThrow(/no target "nope"/);
    const strict: RunbookFile = {
      ...runbook,
      params: { ...runbook.params, target: { type: 'target', environment: ['sandbox'] } },
    };
    expect(() =>
      planRunbook('r', strict, {
        cut,
        targets,
        pointPath: () => null,
        rtoSeconds: () => null,
        choice: { target: 'prod' },
      }),
    ).toThrow(/does not allow prod/);
  });

  it('checks values as typed: instants, patterns, unknown names, points', () => {
    expect(() => plan({ params: { when: 'yesterday' } })).toThrow(/not an instant/);
    expect(() => plan({ params: { port: '5433; rm -rf /' } })).toThrow(/must match/);
    expect(() => plan({ params: { nope: 'x' } })).toThrow(/no parameter "nope"/);
    expect(() => plan({ params: { db: 'other-label' } })).toThrow(/comes from the cut/);
    expect(plan({ params: { port: '6543' } }).params.find((x) => x.name === 'port')?.bound).toBe(
      '6543',
    );
  });
});

describe("the README's tool steps", () => {
  it('validate against the runbook schema and bind without a problem', async () => {
    const { readFileSync } = await import('node:fs');
    const { parse } = await import('yaml');
    const { validators } = await import('../workspace/validators');
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const block = readme.split('### Tool steps')[1]?.split('```yaml')[1]?.split('```')[0] ?? '';
    const file = parse(`title: Tools\nversion: 1\n${block}`) as RunbookFile;
    const validate = validators().runbook;
    expect(validate(file), JSON.stringify(validate.errors)).toBe(true);
    const p = planRunbook('runbooks/tools.yaml', file, {
      cut,
      targets,
      sources,
      backends,
      pointPath: () => null,
      point: (m) => points[m.service] ?? null,
      rtoSeconds: () => null,
      choice: { params: { when: '2026-11-20T04:30:00Z' } },
    });
    for (const s of [...p.steps, ...p.rollback]) {
      expect(s.problems, s.id).toEqual([]);
      expect(s.unbound, s.id).toEqual([]);
    }
    expect(step(p, 'restore-db')).toMatchObject({ where: 'db-sandbox' });
    expect(step(p, 'restore-db')?.argv).toEqual(
      expect.arrayContaining(['--type=time', '--target=2026-11-20 04:30:00+00', '--delta']),
    );
    expect(step(p, 'restore-etc')?.argv).toEqual(
      expect.arrayContaining(['--target=/tmp/sandbox', '--include=/etc']),
    );
    expect(p.rollback.map((s) => [s.id, s.argv, s.cwd])).toEqual([
      ['remove-etc', ['rm', '-rf', '--', 'etc'], '/tmp/sandbox'],
    ]);
  });
});
