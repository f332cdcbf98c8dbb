// A PostgreSQL 15 cluster archiving WAL into its own pgBackRest stanza, run as the postgres OS user.
import { appendFileSync, chownSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort } from './ports';
import { runCommand, startServer } from './process';
import { requireProgram } from './programs';
import { makeTempDir } from './temp';

/** Where Debian's PostgreSQL 15 programs are. */
export const PG_BIN = '/usr/lib/postgresql/15/bin';

/** A running cluster with a pgBackRest stanza, and helpers to back it up. */
export type TestPostgres = {
  port: number;
  /** The folder of the unix socket (also a valid host for psql -h). */
  socketDir: string;
  /** pgBackRest config file naming repo, log and lock paths of this test only. */
  configPath: string;
  stanza: string;
  repoPath: string;
  /** Take a backup; resolves when pgBackRest has finished. */
  backup: (type: 'full' | 'diff' | 'incr') => Promise<void>;
  /** Run SQL as the postgres user (to make changes between backups). */
  sql: (statement: string) => Promise<string>;
  /** Run pgbackrest with this test's config and stanza, as the postgres user; returns stdout. */
  pgbackrest: (args: string[]) => Promise<string>;
  stop: () => Promise<void>;
};

/** Start PostgreSQL 15 with archive_command into a fresh pgBackRest stanza (created and checked). */
export async function startPostgresWithPgbackrest(
  options: { stanza?: string } = {},
): Promise<TestPostgres> {
  requireProgram(`${PG_BIN}/initdb`, 'postgresql-15');
  const pgbackrestBin = requireProgram('pgbackrest', 'pgbackrest');
  requireProgram('runuser', 'util-linux');
  const stanza = options.stanza ?? 'main';
  // initdb refuses root: everything below belongs to postgres, and the folder must be enterable.
  const temp = makeTempDir('pg', 0o755);
  const base = temp.path;
  const pgUser = 'postgres';
  const paths = {
    data: join(base, 'data'),
    socket: join(base, 'sock'),
    repo: join(base, 'repo'),
    log: join(base, 'log'),
    lock: join(base, 'lock'),
    spool: join(base, 'spool'),
  };
  const { uid, gid } = lookupUser(pgUser);
  for (const path of Object.values(paths)) {
    mkdirSync(path, { recursive: true, mode: 0o700 });
    chownSync(path, uid, gid);
  }
  const port = await freePort();
  const configPath = join(base, 'pgbackrest.conf');
  writeFileSync(
    configPath,
    [
      '[global]',
      `repo1-path=${paths.repo}`,
      `log-path=${paths.log}`,
      `lock-path=${paths.lock}`,
      `spool-path=${paths.spool}`,
      'log-level-console=warn',
      'log-level-file=off',
      'start-fast=y',
      'compress-type=none',
      'repo1-retention-full=10',
      '',
      `[${stanza}]`,
      `pg1-path=${paths.data}`,
      `pg1-port=${port}`,
      `pg1-socket-path=${paths.socket}`,
      '',
    ].join('\n'),
    { mode: 0o644 },
  );
  const asPg = { asUser: pgUser };
  await runCommand(
    `${PG_BIN}/initdb`,
    ['-D', paths.data, '-A', 'trust', '-U', pgUser, '-N', '--no-instructions'],
    asPg,
  );
  appendFileSync(
    join(paths.data, 'postgresql.conf'),
    [
      `port = ${port}`,
      "listen_addresses = '127.0.0.1'",
      `unix_socket_directories = '${paths.socket}'`,
      'wal_level = replica',
      'archive_mode = on',
      `archive_command = '${pgbackrestBin} --config=${configPath} --stanza=${stanza} archive-push %p'`,
      'max_wal_senders = 3',
      'fsync = off',
      'synchronous_commit = off',
      'full_page_writes = off',
      'logging_collector = off',
      '',
    ].join('\n'),
  );
  const server = startServer('runuser', [
    '-u',
    pgUser,
    '--',
    `${PG_BIN}/postgres`,
    '-D',
    paths.data,
  ]);
  await server.waitForOutput(/database system is ready to accept connections/, 30_000);

  const pgbackrest = (args: string[]) =>
    runCommand(pgbackrestBin, [`--config=${configPath}`, `--stanza=${stanza}`, ...args], asPg);
  const sql = (statement: string) =>
    runCommand(
      `${PG_BIN}/psql`,
      ['-h', paths.socket, '-p', String(port), '-U', pgUser, '-XAtqc', statement],
      asPg,
    );
  try {
    await pgbackrest(['stanza-create']);
    await pgbackrest(['check']);
  } catch (error) {
    await server.stop('SIGINT');
    temp.remove();
    throw error;
  }
  return {
    port,
    socketDir: paths.socket,
    configPath,
    stanza,
    repoPath: paths.repo,
    backup: async (type) => {
      await pgbackrest(['backup', `--type=${type}`]);
    },
    sql,
    pgbackrest,
    // SIGINT is PostgreSQL's fast shutdown.
    stop: async () => {
      await server.stop('SIGINT', 10_000);
      temp.remove();
    },
  };
}

/** The uid and gid of an OS user (to chown folders PostgreSQL must own). */
export function lookupUser(name: string): { uid: number; gid: number } {
  if (userInfo().username === name)
    return { uid: process.getuid?.() ?? 0, gid: process.getgid?.() ?? 0 };
  const line = requirePasswdLine(name);
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

function requirePasswdLine(name: string): string {
  const passwd = readFileSync('/etc/passwd', 'utf8');
  const line = passwd.split('\n').find((l) => l.startsWith(`${name}:`));
  if (!line) throw new Error(`the ${name} OS user does not exist: apt-get install postgresql-15`);
  return line;
}
