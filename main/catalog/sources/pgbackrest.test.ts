// pgBackRest source against a real cluster and stanza with a full, a diff and an incr backup.
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecoveryPoint } from '../../../preload/schemas/catalog';
import { startPostgresWithPgbackrest } from '../../../test-support/postgres';
import type { TestPostgres } from '../../../test-support/postgres';
import { startSshd } from '../../../test-support/sshd';
import type { TestSshd } from '../../../test-support/sshd';
import { makeTempDir } from '../../../test-support/temp';
import { runnerBackend, sshBackendFor, swapProgram } from '../../../test-support/tool-backends';
import { localRunner } from '../backends/local-runner';
import { SshPool } from '../backends/ssh-pool';
import type { Backend, Runner } from '../types';
import { PgbackrestSource } from './pgbackrest';

type InfoBackup = {
  label: string;
  type: string;
  prior: string | null;
  timestamp: { start: number; stop: number };
  info: { repository: { delta: number } };
};

describe('pgbackrest source', () => {
  const temp = makeTempDir('pgbr-source');
  const pool = new SshPool();
  let pg: TestPostgres;
  let sshd: TestSshd;
  let truth: InfoBackup[];

  beforeAll(async () => {
    [pg, sshd] = await Promise.all([
      startPostgresWithPgbackrest({ stanza: 'orders' }),
      startSshd(),
    ]);
    await pg.backup('full');
    await pg.sql('create table orders as select generate_series(1, 5000) as id');
    await pg.backup('diff');
    await pg.sql('insert into orders select generate_series(1, 100)');
    await pg.backup('incr');
    truth =
      (JSON.parse(await pg.pgbackrest(['info', '--output=json'])) as { backup: InfoBackup[] }[])[0]
        ?.backup ?? [];
  }, 180_000);
  afterAll(async () => {
    await pool.closeAll();
    await Promise.all([pg?.stop(), sshd?.stop()]);
    temp.remove();
  });

  const source = (
    backend: Backend = runnerBackend('db-host', localRunner),
    stanza = pg.stanza,
    config: string | null = pg.configPath,
  ) =>
    new PgbackrestSource(
      {
        name: 'orders-pgbr',
        type: 'pgbackrest',
        backend: backend.name,
        service: 'orders-db',
        stanza,
        config,
      },
      backend,
    );

  function expectMatchesInfo(
    points: Awaited<ReturnType<PgbackrestSource['list']>>,
    backendName: string,
  ) {
    // Every point fits the one shape the contract carries to the renderer.
    expect(RecoveryPoint.array().safeParse(points).success).toBe(true);
    const backups = points.filter((p) => p.kind !== 'window');
    expect(backups.map((p) => [p.id, p.kind, p.parent])).toEqual(
      truth.map((b) => [b.label, b.type, b.prior]),
    );
    expect(backups.map((p) => p.kind)).toEqual(['full', 'diff', 'incr']);
    // The chain: incr depends on the diff, the diff on the full.
    expect(backups[2]?.parent).toBe(backups[1]?.id);
    expect(backups[1]?.parent).toBe(backups[0]?.id);
    for (const [i, b] of truth.entries()) {
      expect(backups[i]).toMatchObject({
        time: new Date(b.timestamp.stop * 1000).toISOString(),
        sizeBytes: b.info.repository.delta,
        copies: [backendName],
        service: 'orders-db',
        tags: ['postgres:15'],
      });
    }
    const window = points.find((p) => p.kind === 'window');
    expect(window).toMatchObject({ id: 'wal:15-1', time: backups[0]?.time, kind: 'window' });
    expect(Date.parse(window?.endTime ?? '')).toBeGreaterThanOrEqual(
      Date.parse(backups[2]?.time ?? ''),
    );
    expect(Date.parse(window?.endTime ?? '')).toBeLessThanOrEqual(Date.now());
  }

  it('lists full, diff and incr with their chain, sizes and the WAL window, locally', async () => {
    expectMatchesInfo(await source().list({}), 'db-host');
  });

  it('lists the same when pgbackrest runs on the host over SSH', async () => {
    expectMatchesInfo(await source(sshBackendFor(sshd, pool, 'pg-ssh')).list({}), 'pg-ssh');
  });

  it('names a missing stanza and a hostile stanza as sentences, executing nothing', async () => {
    await expect(source(undefined, 'nope').list({})).rejects.toMatchObject({
      code: 'STANZA_NOT_FOUND',
      message: expect.stringContaining('orders-pgbr'),
    });
    const hostile = 'x$(touch /tmp/dapple-pgbr-pwned)`touch /tmp/dapple-pgbr-pwned`';
    const error = await source(sshBackendFor(sshd, pool, 'pg-ssh'), hostile)
      .list({})
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ message: expect.stringContaining('orders-pgbr') });
    expect(existsSync('/tmp/dapple-pgbr-pwned')).toBe(false);
    await expect(source(undefined, 'x'.repeat(10_000)).list({})).rejects.toMatchObject({
      code: 'SOURCE_CONFIG_INVALID',
    });
  });

  it('explains a missing pgbackrest, junk output and permission denied', async () => {
    const missing = runnerBackend('db-host', swapProgram(localRunner, 'dapple-no-pgbackrest'));
    await expect(source(missing).list({})).rejects.toMatchObject({
      code: 'TOOL_MISSING',
      hint: expect.stringContaining('apt-get install pgbackrest'),
    });
    const junk = join(temp.path, 'junk-pgbackrest');
    writeFileSync(junk, '#!/bin/sh\necho "[{\\"name\\": \\"orders\\", \\"status\\": 0}]"\n');
    chmodSync(junk, 0o755);
    await expect(
      source(runnerBackend('db-host', swapProgram(localRunner, junk))).list({}),
    ).rejects.toMatchObject({ code: 'TOOL_OUTPUT_INVALID' });
    // As an OS user that cannot read the postgres-owned repository.
    const asNobody: Runner = {
      where: 'nobody@local',
      run: (argv, o) => localRunner.run(['runuser', '-u', 'nobody', '--', ...argv], o),
    };
    const denied = await source(runnerBackend('db-host', asNobody))
      .list({})
      .catch((e: unknown) => e);
    expect(denied).toMatchObject({
      code: 'PERMISSION_DENIED',
      message: expect.stringMatching(/orders-pgbr.*Permission denied/),
    });
  });
});
