// A sandbox target that reaches production's bytes — by `..`, a symlink (dangling too), the same
// folder written two ways, the same ssh host under another name, an overlapping bucket prefix —
// is a workspace error, and `dapple workspace check` fails on it. Real folders and links on disk.
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CliIo } from '../cli/command';
import { workspaceCommand } from '../cli/commands/workspace';
import {
  assertConfined,
  boundTargets,
  confinementProblem,
  productionByPlace,
} from '../restore/confine';
import type { RunbookPlan } from '../../preload/schemas/runbook';
import { loadWorkspace } from './load';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

const BACKENDS = `backends:
  prod-ssh: { type: ssh, host: db1.example.org, port: 2222 }
  other-ssh: { type: ssh, host: DB1.Example.org., port: 2222 }
  far-ssh: { type: ssh, host: db1.example.org, port: 22 }
  s3a: { type: s3, endpoint: "http://127.0.0.1:9000" }
  s3b: { type: s3, endpoint: "http://localhost:9000/" }
`;

/** A workspace with a production folder `prod/` and the given targets (YAML lines). */
async function workspace(targets: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dapple-confine-'));
  dirs.push(dir);
  await mkdir(join(dir, 'prod', 'data'), { recursive: true });
  await mkdir(join(dir, 'keys'));
  await writeFile(join(dir, 'keys', 'trusted.json'), '{}');
  const yaml = `name: c\n${BACKENDS}targets:\n  production:\n    { kind: folder, environment: production, path: prod }\n${targets}`;
  await writeFile(join(dir, 'dapple.yaml'), yaml);
  return dir;
}

const errors = async (dir: string) =>
  (await loadWorkspace(dir)).problems.filter((p) => p.severity === 'error').map((p) => p.message);

describe('sandbox targets that reach production are workspace errors', () => {
  it('refuses a sandbox reaching the production folder through ..', async () => {
    const dir = await workspace(
      '  sb: { kind: folder, environment: sandbox, path: "scratch/../prod/data" }\n',
    );
    const [message] = await errors(dir);
    expect(message).toBe(
      `dapple.yaml line 11: targets.sb is a sandbox, but it writes to ${join(dir, 'prod', 'data')}, which lies inside the production target production (${join(dir, 'prod')}): a drill bound to it would write into production. Point the sandbox at a place that shares no folder, host path or bucket prefix with a production target.`,
    );
  });

  it('refuses a sandbox that is a symlink into production, a dangling one, and one that contains it', async () => {
    const dir = await workspace(
      [
        '  link: { kind: folder, environment: sandbox, path: link }',
        '  dangling: { kind: folder, environment: sandbox, path: later/new }',
        '  above: { kind: folder, environment: sandbox, path: . }',
        '  twice: { kind: folder, environment: sandbox, path: "./prod//" }',
        '  fine: { kind: folder, environment: sandbox, path: scratch/sb }',
        '',
      ].join('\n'),
    );
    await symlink(join(dir, 'prod', 'data'), join(dir, 'link'));
    // A link whose target does not exist yet: writing through it creates a folder in production.
    await symlink(join(dir, 'prod', 'not-yet'), join(dir, 'later'));
    const found = await errors(dir);
    expect(found.map((m) => /targets\.(\w+) is a sandbox/.exec(m)?.[1])).toEqual([
      'link',
      'dangling',
      'above',
      'twice',
    ]);
    expect(found[2]).toContain('which contains the production target production');
    expect(found[3]).toContain('which is the same place as the production target production');
  });

  it('refuses the same ssh host under another name and an overlapping path, not another port', async () => {
    const dir = await workspace(
      [
        '  prod-host: { kind: host, environment: production, backend: prod-ssh, path: /srv/db }',
        '  sb-host: { kind: host, environment: sandbox, backend: other-ssh, path: /srv/x/../db/sb }',
        '  sb-far: { kind: host, environment: sandbox, backend: far-ssh, path: /srv/db }',
        '',
      ].join('\n'),
    );
    const found = await errors(dir);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(
      'targets.sb-host is a sandbox, but it writes to db1.example.org:2222:/srv/db/sb, which lies inside the production target prod-host (db1.example.org:2222:/srv/db)',
    );
  });

  it('refuses the same bucket through another spelling of its endpoint with an overlapping prefix', async () => {
    const dir = await workspace(
      [
        '  prod-b: { kind: bucket, environment: production, backend: s3a, path: shop/data }',
        '  sb-b: { kind: bucket, environment: sandbox, backend: s3b, path: shop }',
        '  sb-ok: { kind: bucket, environment: sandbox, backend: s3b, path: shop-sandbox }',
        '  sb-ok2: { kind: bucket, environment: sandbox, backend: s3b, path: shop/sandbox }',
        '',
      ].join('\n'),
    );
    const found = await errors(dir);
    expect(found).toHaveLength(1);
    expect(found[0]).toContain(
      'targets.sb-b is a sandbox, but it writes to s3://shop/ at localhost:9000, which contains the production target prod-b (s3://shop/data at localhost:9000)',
    );
  });

  it('makes `dapple workspace check` fail', async () => {
    const dir = await workspace('  sb: { kind: folder, environment: sandbox, path: prod }\n');
    let out = '';
    const io: CliIo = { stdout: (t) => (out += t), stderr: (t) => (out += t), env: {}, cwd: dir };
    expect(await workspaceCommand.run(['check'], io)).toBe(1);
    expect(out).toContain('targets.sb is a sandbox, but it writes to');
  });
});

describe('confinementProblem at write time', () => {
  it('refuses a drill write that reaches production through a link made after loading', async () => {
    const dir = await workspace('  sb: { kind: folder, environment: sandbox, path: scratch }\n');
    const ws = (await loadWorkspace(dir)).workspace;
    if (!ws) throw new Error('no workspace');
    const place = { kind: 'folder', path: 'scratch/out' } as const;
    expect(confinementProblem(ws, place, 'drill')).toBeNull();
    await symlink(join(dir, 'prod'), join(dir, 'scratch'));
    expect(confinementProblem(ws, place, 'drill')).toBe(
      `a drill cannot write to ${join(dir, 'prod', 'out')}: it lies inside the production target production (${join(dir, 'prod')})`,
    );
    expect(confinementProblem(ws, place, 'live')).toBeNull();
    expect(
      confinementProblem(ws, { kind: 'bucket', backend: 'nope', bucket: 'b', prefix: '' }, 'drill'),
    ).toMatch(/backend nope is not an s3 backend of this workspace/);
  });

  it('names how a drill write meets production (the same place, inside, containing) and every target it meets; only a drill is held', async () => {
    const dir = await workspace(
      [
        '  prod2: { kind: folder, environment: production, path: prod/data }',
        '  prod-host: { kind: host, environment: production, backend: prod-ssh, path: /srv/db }',
        '  sb: { kind: folder, environment: sandbox, path: scratch }',
        '',
      ].join('\n'),
    );
    const ws = (await loadWorkspace(dir)).workspace;
    if (!ws) throw new Error('no workspace');
    const prod = join(dir, 'prod');
    const data = join(dir, 'prod', 'data');
    // The first target met says how; every target met is named.
    expect(confinementProblem(ws, { kind: 'folder', path: 'prod/data' }, 'drill')).toBe(
      `a drill cannot write to ${data}: it lies inside the production target production, prod2 (${prod})`,
    );
    expect(confinementProblem(ws, { kind: 'folder', path: 'prod' }, 'drill')).toBe(
      `a drill cannot write to ${prod}: it is the same place as the production target production, prod2 (${prod})`,
    );
    expect(confinementProblem(ws, { kind: 'folder', path: '.' }, 'drill')).toBe(
      `a drill cannot write to ${dir}: it contains the production target production, prod2 (${prod})`,
    );
    expect(confinementProblem(ws, { kind: 'folder', path: 'prod/data' }, 'rehearsal')).toBeNull();
    expect(
      confinementProblem(ws, { kind: 'host', backend: 'other-ssh', path: '/srv/db' }, 'drill'),
    ).toBe(
      'a drill cannot write to db1.example.org:2222:/srv/db: it is the same place as the production target prod-host (db1.example.org:2222:/srv/db)',
    );
    expect(
      confinementProblem(ws, { kind: 'host', backend: 'far-ssh', path: '/srv/db' }, 'drill'),
    ).toBeNull();
    expect(confinementProblem(ws, { kind: 'host', backend: 's3a', path: '/x' }, 'drill')).toBe(
      'a drill writes only where the workspace can tell what it reaches, and backend s3a is not an ssh backend of this workspace',
    );
    expect(() =>
      assertConfined(ws, { kind: 'folder', path: 'prod/data/x' }, 'drill', 'Step "Copy"'),
    ).toThrow(
      expect.objectContaining({
        code: 'WRITE_IN_PRODUCTION',
        message: `Step "Copy" was stopped before writing: a drill cannot write to ${join(data, 'x')}: it lies inside the production target production, prod2 (${prod}).`,
        hint: 'Bind the drill to a sandbox target that shares no folder, host path or bucket prefix with production.',
      }),
    );
    expect(() =>
      assertConfined(ws, { kind: 'folder', path: 'scratch/x' }, 'drill', 'Step "Copy"'),
    ).not.toThrow();
    expect(() =>
      assertConfined(ws, { kind: 'folder', path: 'prod' }, 'live', 'Step "Copy"'),
    ).not.toThrow();
  });

  it('lists the bound targets a drill must refuse: production ones and sandboxes that reach them', async () => {
    const dir = await workspace(
      [
        '  sb: { kind: folder, environment: sandbox, path: scratch }',
        '  sb-late: { kind: folder, environment: sandbox, path: later }',
        '',
      ].join('\n'),
    );
    const ws = (await loadWorkspace(dir)).workspace;
    if (!ws) throw new Error('no workspace');
    expect(productionByPlace(ws, ['sb', 'production', 'nobody', 'sb-late'])).toEqual([
      'production',
    ]);
    // A sandbox folder that became a link into production after loading is refused too.
    await symlink(join(dir, 'prod', 'data'), join(dir, 'later'));
    expect(productionByPlace(ws, ['sb', 'sb-late', 'production'])).toEqual([
      'sb-late',
      'production',
    ]);
    const plan = {
      params: [
        { name: 'to', type: 'target', bound: 'sb' },
        { name: 'from', type: 'target', bound: null },
        { name: 'n', type: 'string', bound: 'production' },
      ],
      steps: [{ confirmTarget: 'sb-late' }, { confirmTarget: null }, { confirmTarget: 'sb' }],
    } as unknown as RunbookPlan;
    expect(boundTargets(plan)).toEqual(['sb', 'sb-late']);
  });
});
