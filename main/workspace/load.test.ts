import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadWorkspace, toWorkspaceView } from './load';

const dirs: string[] = [];
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});

const GOOD = `name: shop
backends:
  nas:
    type: local
    path: backups/nas
    tags: [onsite]
  db-host: { type: ssh, host: db1.internal, port: 2222, user: backup }
sources:
  orders-restic:
    type: restic
    backend: db-host
    service: orders-db
    repository: /srv/restic
    password: { file: /etc/restic/secret-password }
  nas-manifests: { type: manifest, backend: nas, path: manifests }
services:
  orders-db: { owner: dba-oncall, rpo: 1h, rto: 1h30m, retention: { daily: 7d } }
  uploads: { owner: web-oncall, rpo: 15m, rto: 2h }
groups:
  shop:
    members: [orders-db, uploads]
    tolerance: 5m
    order: [orders-db, uploads]
    runbook: runbooks/shop.yaml
targets:
  sandbox: { kind: folder, environment: sandbox, path: sandbox }
  prod-db: { kind: host, environment: production, backend: db-host, path: /var/lib/postgresql }
`;

const RUNBOOK = `title: Restore the shop
version: 1
rto: 1h
params:
  point: { type: recovery-point, service: orders-db }
  target: { type: target, environment: [sandbox] }
steps:
  - { id: announce, kind: manual, title: Announce, checklist: [Post in the incident channel] }
  - { id: copy, kind: local, title: Copy, destructive: true, run: [cp, -R, '{{point.path}}/.', '{{target.path}}'] }
`;

async function workspace(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'dapple-ws-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    await mkdir(join(dir, name, '..'), { recursive: true });
    await writeFile(join(dir, name), text);
  }
  return dir;
}

const withKeys = (files: Record<string, string>) => ({
  'keys/trusted.json': '{"keys":[]}',
  ...files,
});
const messages = (result: Awaited<ReturnType<typeof loadWorkspace>>) =>
  result.problems.map((p) => p.message);

describe('loadWorkspace', () => {
  it('loads a good workspace with durations in seconds and absolute folders', async () => {
    const dir = await workspace(withKeys({ 'dapple.yaml': GOOD, 'runbooks/shop.yaml': RUNBOOK }));
    const result = await loadWorkspace(dir);
    expect(result.problems).toEqual([]);
    const ws = result.workspace;
    expect(ws?.name).toBe('shop');
    expect(ws?.backends.get('nas')).toEqual({
      name: 'nas',
      type: 'local',
      path: join(dir, 'backups/nas'),
      tags: ['onsite'],
    });
    expect(ws?.services.get('orders-db')).toMatchObject({
      rpoSeconds: 3600,
      rtoSeconds: 5400,
      retention: { daily: 7, yearly: 2555 },
    });
    expect(ws?.groups.get('shop')).toMatchObject({
      toleranceSeconds: 300,
      order: ['orders-db', 'uploads'],
    });
    expect(ws?.targets.get('sandbox')?.path).toBe(join(dir, 'sandbox'));
    expect(ws?.sources.get('orders-restic')).toMatchObject({
      password: { from: 'file', path: '/etc/restic/secret-password' },
    });
    expect(result.runbooks).toEqual([
      {
        file: 'runbooks/shop.yaml',
        path: join(dir, 'runbooks/shop.yaml'),
        title: 'Restore the shop',
        steps: 2,
        valid: true,
      },
    ]);
    expect(result.trustedKeys).toBe(join(dir, 'keys/trusted.json'));

    const view = toWorkspaceView(result);
    expect(view.backends.map((b) => b.location)).toEqual([
      join(dir, 'backups/nas'),
      'backup@db1.internal:2222',
    ]);
    expect(view.targets.find((t) => t.name === 'prod-db')?.location).toBe(
      'backup@db1.internal:2222:/var/lib/postgresql',
    );
    expect(view.runbooks).toEqual([
      { file: 'runbooks/shop.yaml', title: 'Restore the shop', steps: 2 },
    ]);
    // The renderer never sees where secrets are kept.
    expect(JSON.stringify(view)).not.toContain('secret-password');
  });

  it('says so when the folder or dapple.yaml is missing', async () => {
    const dir = await workspace({});
    expect(messages(await loadWorkspace(dir))[0]).toMatch(
      /there is no dapple\.yaml in .*create one/,
    );
    const gone = await loadWorkspace(join(dir, 'nope'));
    expect(gone.workspace).toBeNull();
    expect(gone.problems[0]?.message).toMatch(/the workspace folder does not exist/);
  });

  it('reports bad YAML with its line', async () => {
    const dir = await workspace(
      withKeys({ 'dapple.yaml': 'name: shop\nbackends:\n  nas: { type: local\n  usb: 3\n' }),
    );
    const result = await loadWorkspace(dir);
    expect(result.workspace).toBeNull();
    expect(result.problems[0]).toMatchObject({ file: 'dapple.yaml', severity: 'error' });
    expect(result.problems[0]?.line).toBeGreaterThanOrEqual(3);
    expect(result.problems[0]?.message).toMatch(/^dapple\.yaml line \d+: the YAML cannot be read/);
  });

  it('reports duplicate keys and an empty file', async () => {
    const dup = await workspace(withKeys({ 'dapple.yaml': 'name: shop\nname: other\n' }));
    expect((await loadWorkspace(dup)).problems[0]).toMatchObject({ line: 2 });
    const empty = await workspace(withKeys({ 'dapple.yaml': '# nothing yet\n' }));
    expect(messages(await loadWorkspace(empty))).toEqual([
      expect.stringMatching(/dapple\.yaml line 1: the file is empty/),
    ]);
  });

  it('catches a typo in a field name and suggests the right one', async () => {
    const dir = await workspace(
      withKeys({ 'dapple.yaml': GOOD.replace('    path: backups/nas', '    pth: backups/nas') }),
    );
    const result = await loadWorkspace(dir);
    expect(result.workspace).toBeNull();
    expect(messages(result)).toContain(
      "dapple.yaml line 5: backends.nas has an unknown field 'pth' — did you mean 'path'?",
    );
    expect(messages(result)).toContain(
      "dapple.yaml line 3: backends.nas is missing 'path' (The folder, absolute or relative to the workspace).",
    );
  });

  it('explains a duration it cannot read, a wrong choice and a wrong type', async () => {
    const text = GOOD.replace('rpo: 15m', "rpo: '5 minutes'")
      .replace('environment: production', 'environment: prod')
      .replace('port: 2222', 'port: twenty');
    const result = await loadWorkspace(await workspace(withKeys({ 'dapple.yaml': text })));
    expect(messages(result)).toEqual([
      "dapple.yaml line 7: backends.db-host.port should be a whole number, but it is the text 'twenty'.",
      "dapple.yaml line 18: services.uploads.rpo '5 minutes' is not a duration like 30s, 5m, 1h or 7d.",
      "dapple.yaml line 27: targets.prod-db.environment is 'prod', but it must be one of: production, sandbox — did you mean 'production'?",
    ]);
  });

  it('checks that names refer to things that exist', async () => {
    const text = GOOD.replace(
      'backend: db-host\n    service: orders-db',
      'backend: db-hots\n    service: orders-db',
    )
      .replace('members: [orders-db, uploads]', 'members: [orders-db, uploads, search]')
      .replace('order: [orders-db, uploads]', 'order: [orders-db]')
      .replace('backend: db-host, path: /var', 'backend: nas2, path: /var');
    const result = await loadWorkspace(await workspace(withKeys({ 'dapple.yaml': text })));
    expect(result.workspace).not.toBeNull();
    expect(messages(result)).toEqual([
      "dapple.yaml line 11: sources.orders-restic uses backend 'db-hots', which is not defined (known backends: nas, db-host).",
      "dapple.yaml line 21: groups.shop lists member 'search', which is not a service (known services: orders-db, uploads).",
      "dapple.yaml line 23: groups.shop.order leaves out 'uploads': list every member once, in restore order.",
      "dapple.yaml line 24: groups.shop.runbook 'runbooks/shop.yaml' does not exist in the workspace: check the file name under runbooks/.",
      "dapple.yaml line 27: targets.prod-db uses backend 'nas2', which is not defined (known backends: nas, db-host).",
    ]);
    // What still makes sense is kept: the group without its unknown member, the order completed.
    expect(result.workspace?.groups.get('shop')).toMatchObject({
      members: ['orders-db', 'uploads'],
      order: ['orders-db', 'uploads'],
    });
    expect(result.workspace?.sources.has('orders-restic')).toBe(false);
  });

  it('checks runbooks against their schema and their own parameters', async () => {
    const broken = RUNBOOK.replace("'{{target.path}}'", "'{{destination}}'").replace(
      'kind: manual',
      'kind: manul',
    );
    const result = await loadWorkspace(
      await workspace(withKeys({ 'dapple.yaml': GOOD, 'runbooks/shop.yaml': broken })),
    );
    expect(messages(result)).toEqual([
      "runbooks/shop.yaml line 8: steps[0].kind is 'manul', but it must be one of: manual, approval, ssh, s3, local, verify, restic-restore, borg-extract, pgbackrest-restore, manifest-restore — did you mean 'manual'?",
    ]);
    const unknownParam = RUNBOOK.replace("'{{target.path}}'", "'{{destination}}'");
    const second = await loadWorkspace(
      await workspace(withKeys({ 'dapple.yaml': GOOD, 'runbooks/shop.yaml': unknownParam })),
    );
    expect(messages(second)).toEqual([
      "runbooks/shop.yaml line 9: step 'copy' uses {{destination}}, but the runbook declares no parameter 'destination' under params.",
    ]);
    expect(second.runbooks[0]).toMatchObject({ title: 'Restore the shop', valid: false });
  });

  it('checks what runbooks name against dapple.yaml and the trusted keys', async () => {
    const runbook = `title: Restore orders
version: 2
params:
  point: { type: recovery-point, service: orders }
  target: { type: target, environment: [sandbox], default: prod-db }
  spare: { type: target, default: nowhere }
steps:
  - { id: approve, kind: approval, title: Approve, approvers: [alice, mallory] }
  - { id: stop, kind: ssh, title: Stop, on: nas, run: [systemctl, stop, shop] }
  - { id: start, kind: ssh, title: Start, on: db-host, run: [systemctl, start, shop] }
`;
    const keys = JSON.stringify({ v: 1, keys: [{ name: 'alice' }] });
    const result = await loadWorkspace(
      await workspace({
        'dapple.yaml': GOOD,
        'runbooks/shop.yaml': runbook,
        'keys/trusted.json': keys,
      }),
    );
    expect(result.problems.map((p) => [p.severity, p.message])).toEqual([
      [
        'error',
        "runbooks/shop.yaml line 4: params.point wants a point of service 'orders', which dapple.yaml does not define (services: orders-db, uploads).",
      ],
      [
        'error',
        "runbooks/shop.yaml line 5: params.target.default 'prod-db' is a production target, which this parameter does not allow (sandbox).",
      ],
      [
        'error',
        "runbooks/shop.yaml line 6: params.spare.default 'nowhere' is not a target in dapple.yaml (targets: sandbox, prod-db).",
      ],
      [
        'warning',
        "runbooks/shop.yaml line 8: step 'approve' names approver 'mallory', who has no key in keys/trusted.json, so their approval could not be verified.",
      ],
      [
        'error',
        "runbooks/shop.yaml line 9: step 'stop' runs on 'nas', which is not an ssh backend in dapple.yaml (ssh backends: db-host).",
      ],
    ]);
  });

  it('warns when keys/trusted.json is missing, and when a service has no source', async () => {
    const text = GOOD.replace(
      '  nas-manifests: { type: manifest, backend: nas, path: manifests }\n',
      '',
    );
    const result = await loadWorkspace(
      await workspace({ 'dapple.yaml': text, 'runbooks/shop.yaml': RUNBOOK }),
    );
    expect(result.workspace).not.toBeNull();
    expect(result.problems.map((p) => [p.severity, p.message])).toEqual([
      [
        'warning',
        'dapple.yaml line 17: services.uploads has no source, so no backups of it will be found: add a source with service: uploads.',
      ],
      ['warning', expect.stringMatching(/^keys\/trusted\.json: there is no list of trusted keys/)],
    ]);
  });
});
