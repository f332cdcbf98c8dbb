// The PostgreSQL + pgBackRest helper archives WAL and takes full, diff and incr backups that info lists.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPostgresWithPgbackrest } from './postgres';
import type { TestPostgres } from './postgres';

describe('startPostgresWithPgbackrest', () => {
  let pg: TestPostgres;
  beforeAll(async () => {
    pg = await startPostgresWithPgbackrest();
  });
  afterAll(async () => {
    await pg?.stop();
  });

  it('serves SQL on its own port', async () => {
    expect((await pg.sql('select 40 + 2')).trim()).toBe('42');
  });

  it('takes a full, a diff and an incr backup that pgbackrest info lists', async () => {
    await pg.backup('full');
    await pg.sql('create table t as select generate_series(1, 1000) as n');
    await pg.backup('diff');
    await pg.sql('insert into t select generate_series(1, 10)');
    await pg.backup('incr');
    const info = JSON.parse(await pg.pgbackrest(['info', '--output=json'])) as {
      name: string;
      backup: { type: string }[];
      archive: { min: string; max: string }[];
    }[];
    expect(info[0]?.name).toBe(pg.stanza);
    expect(info[0]?.backup.map((b) => b.type)).toEqual(['full', 'diff', 'incr']);
    expect(info[0]?.archive[0]?.min).toMatch(/^[0-9A-F]{24}$/);
  });
});
