// The shop's database host: a PostgreSQL 15 cluster archiving WAL into a pgBackRest stanza, run
// with pg_ctl (as on a real host, so runbook steps can stop and start it over SSH), plus the
// host's pg-cluster tool. stop() stops every cluster living in the host's data folders.
import { execFileSync } from 'node:child_process';
import { appendFileSync, chmodSync, copyFileSync, existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { onExitCleanup } from '../cleanup';
import { freePort } from '../ports';
import { PG_BIN } from '../postgres';
import { runCommand } from '../process';
import { requireProgram } from '../programs';
import type { ShopLayout } from './layout';

/** A pgBackRest backup as `pgbackrest info` reports it. */
export type BackupSet = { label: string; type: string; start: string; stop: string };

/** The running database host. */
export type ShopDb = {
  /** Production cluster port (127.0.0.1). */
  port: number;
  /** A free port for the sandbox cluster a drill starts. */
  sandboxPort: number;
  stanza: string;
  database: string;
  /** Run SQL in the shop database as postgres; returns psql's unaligned output. */
  sql: (statement: string, options?: { port?: number; database?: string }) => Promise<string>;
  /** pgbackrest with the host's config and stanza, as postgres. */
  pgbackrest: (args: string[]) => Promise<string>;
  /** Take a backup and return it as info lists it. */
  backup: (type: 'full' | 'incr' | 'diff') => Promise<BackupSet>;
  /** Switch WAL and wait until the segment is in the repository (pgbackrest check does both). */
  archiveNow: () => Promise<void>;
  /** The backups the stanza holds, oldest first. */
  backups: () => Promise<BackupSet[]>;
  /** Whether a cluster runs in this data folder. */
  running: (dataDir: string) => boolean;
  /** Stop whatever cluster runs in the production or sandbox folder (immediate shutdown). */
  stop: () => Promise<void>;
};

const STANZA = 'shop';
const DATABASE = 'shop';

/** The pgBackRest config of the host: one repository, the production cluster as pg1. */
export function pgbackrestConfig(layout: ShopLayout, port: number, repo = layout.db.repo): string {
  const { db } = layout;
  return [
    '[global]',
    `repo1-path=${repo}`,
    'repo1-retention-full=10',
    `log-path=${db.log}`,
    `lock-path=${db.lock}`,
    `spool-path=${db.spool}`,
    'log-level-console=warn',
    'log-level-file=off',
    'start-fast=y',
    'compress-type=none',
    '',
    `[${STANZA}]`,
    `pg1-path=${db.data}`,
    `pg1-port=${port}`,
    `pg1-socket-path=${db.socket}`,
    '',
  ].join('\n');
}

const asPg = { asUser: 'postgres' };

function stopSync(dataDir: string): void {
  if (!existsSync(join(dataDir, 'postmaster.pid'))) return;
  try {
    execFileSync(
      'runuser',
      ['-u', 'postgres', '--', `${PG_BIN}/pg_ctl`, '-D', dataDir, '-m', 'immediate', '-w', 'stop'],
      { stdio: 'ignore', timeout: 30_000 },
    );
  } catch {
    // already stopped, or stopping anyway: the folder is removed next
  }
}

/** Init the production cluster, start it with pg_ctl, create the stanza and the shop database. */
export async function startShopDb(layout: ShopLayout): Promise<ShopDb> {
  requireProgram(`${PG_BIN}/initdb`, 'postgresql-15');
  const pgbackrestBin = requireProgram('pgbackrest', 'pgbackrest');
  requireProgram('runuser', 'util-linux');
  const { db } = layout;
  const [port, sandboxPort] = [await freePort(), await freePort()];
  writeFileSync(db.pgbackrestConf, pgbackrestConfig(layout, port), { mode: 0o644 });
  writeFileSync(db.archiveConf, pgbackrestConfig(layout, port), { mode: 0o644 });
  writeFileSync(db.ports, `${db.data} ${port}\n${db.sandboxData} ${sandboxPort}\n`, {
    mode: 0o644,
  });
  const tool = join(db.bin, 'pg-cluster');
  copyFileSync(join(__dirname, 'host', 'pg-cluster.sh'), tool);
  chmodSync(tool, 0o755);

  await runCommand(
    `${PG_BIN}/initdb`,
    ['-D', db.data, '-A', 'trust', '-U', 'postgres', '-N', '--no-instructions'],
    { ...asPg, env: { ...process.env, TZ: 'UTC' } },
  );
  appendFileSync(
    join(db.data, 'postgresql.conf'),
    [
      `port = ${port}`,
      "listen_addresses = '127.0.0.1'",
      `unix_socket_directories = '${db.socket}'`,
      'wal_level = replica',
      'archive_mode = on',
      `archive_command = '${pgbackrestBin} --config=${db.archiveConf} --stanza=${STANZA} archive-push %p'`,
      "timezone = 'UTC'",
      'fsync = off',
      'synchronous_commit = off',
      'full_page_writes = off',
      'logging_collector = off',
      '',
    ].join('\n'),
  );
  const unregister = onExitCleanup('shop PostgreSQL', () => {
    stopSync(db.sandboxData);
    stopSync(db.data);
  });
  const pgbackrest = (args: string[]) =>
    runCommand(
      pgbackrestBin,
      [`--config=${db.pgbackrestConf}`, `--stanza=${STANZA}`, ...args],
      asPg,
    );
  const sql: ShopDb['sql'] = (statement, options = {}) =>
    runCommand(
      `${PG_BIN}/psql`,
      [
        '-h',
        db.socket,
        '-p',
        String(options.port ?? port),
        '-U',
        'postgres',
        '-d',
        options.database ?? DATABASE,
        '-v',
        'ON_ERROR_STOP=1',
        '-XAtqc',
        statement,
      ],
      asPg,
    );
  const backups = async (): Promise<BackupSet[]> => {
    const info = JSON.parse(await pgbackrest(['info', '--output=json'])) as {
      backup: { label: string; type: string; timestamp: { start: number; stop: number } }[];
    }[];
    return (info[0]?.backup ?? []).map((b) => ({
      label: b.label,
      type: b.type,
      start: new Date(b.timestamp.start * 1000).toISOString(),
      stop: new Date(b.timestamp.stop * 1000).toISOString(),
    }));
  };
  const stop = async () => {
    stopSync(db.sandboxData);
    stopSync(db.data);
    unregister();
  };
  try {
    await runCommand(
      `${PG_BIN}/pg_ctl`,
      ['-D', db.data, '-l', join(db.serverLogs, 'data.log'), '-w', '-t', '60', 'start'],
      asPg,
    );
    await pgbackrest(['stanza-create']);
    await runCommand(
      `${PG_BIN}/createdb`,
      ['-h', db.socket, '-p', String(port), '-U', 'postgres', DATABASE],
      asPg,
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    port,
    sandboxPort,
    stanza: STANZA,
    database: DATABASE,
    sql,
    pgbackrest,
    backup: async (type) => {
      await pgbackrest(['backup', `--type=${type}`]);
      const all = await backups();
      const last = all.at(-1);
      if (!last || last.type !== type)
        throw new Error(`pgbackrest info lists no new ${type} backup`);
      return last;
    },
    archiveNow: async () => {
      await pgbackrest(['check']);
    },
    backups,
    running: (dataDir) => existsSync(join(dataDir, 'postmaster.pid')),
    stop,
  };
}
