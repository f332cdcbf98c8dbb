// Where every part of the shop lives on this machine: the db host's folders (owned by postgres),
// the files host's restic repository, the app's folder, the sandboxes, the console's ssh setup,
// the generated workspace and the two machines' data folders.
import { chownSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { lookupUser } from '../postgres';

/** Every path of one shop. Folders marked (postgres) belong to the postgres OS user. */
export type ShopLayout = {
  root: string;
  db: {
    /** The "db host" folder: config, helper scripts, and the folders below. */
    dir: string;
    /** Production PGDATA (postgres). */
    data: string;
    /** Sandbox PGDATA, empty until a drill restores into it (postgres). */
    sandboxData: string;
    /** pgBackRest's repository, log, lock and spool (postgres). */
    repo: string;
    log: string;
    lock: string;
    spool: string;
    /** Unix sockets of both clusters (postgres). */
    socket: string;
    /** Server logs of pg_ctl (postgres). */
    serverLogs: string;
    /** The pgBackRest config the workspace's source names (restores read it). */
    pgbackrestConf: string;
    /** The same settings for archive_command, so a variant that swaps the first keeps WAL whole. */
    archiveConf: string;
    /** The db host's own tools (pg-cluster). */
    bin: string;
    /** "DATADIR PORT" lines: the port each cluster listens on (pg-cluster start, check-db). */
    ports: string;
  };
  files: {
    /** The restic repository, reached over SFTP as sftp:shop-files:<repo>. */
    repo: string;
    /** The app's production folder (what restic backs up). */
    app: string;
    /** The sandbox folder a drill restores files into. */
    sandbox: string;
    /** Where app folders are set aside before a restore (never deleted). */
    setAside: string;
  };
  console: {
    /** ssh_config and known_hosts that restic's ssh uses (never ~/.ssh). */
    sshConfig: string;
    knownHosts: string;
    /** Holds the `ssh` wrapper that passes -F sshConfig; first on PATH for Dapple. */
    bin: string;
    /** The restic repository password file. */
    resticPassword: string;
  };
  workspace: string;
  /** Facts recorded at t2 (what verify steps and tests compare with). */
  expected: string;
  machines: { operator: string; approver: string };
};

/** The layout under a root folder (nothing is created). */
export function shopLayout(root: string): ShopLayout {
  const db = join(root, 'db-host');
  const files = join(root, 'files-host');
  const console = join(root, 'console');
  return {
    root,
    db: {
      dir: db,
      data: join(db, 'data'),
      sandboxData: join(db, 'sandbox-data'),
      repo: join(db, 'pgbackrest-repo'),
      log: join(db, 'pgbackrest-log'),
      lock: join(db, 'pgbackrest-lock'),
      spool: join(db, 'pgbackrest-spool'),
      socket: join(db, 'sock'),
      serverLogs: join(db, 'server-logs'),
      pgbackrestConf: join(db, 'pgbackrest.conf'),
      archiveConf: join(db, 'pgbackrest-archive.conf'),
      bin: join(db, 'bin'),
      ports: join(db, 'ports'),
    },
    files: {
      repo: join(files, 'restic-repo'),
      app: join(root, 'app'),
      sandbox: join(root, 'sandbox', 'app-files'),
      setAside: join(root, 'set-aside'),
    },
    console: {
      sshConfig: join(console, 'ssh_config'),
      knownHosts: join(console, 'known_hosts'),
      bin: join(console, 'bin'),
      resticPassword: join(console, 'restic-password'),
    },
    workspace: join(root, 'workspace'),
    expected: join(root, 'expected'),
    machines: {
      operator: join(root, 'machines', 'operator'),
      approver: join(root, 'machines', 'approver'),
    },
  };
}

/** Create the folders; PostgreSQL's belong to postgres with mode 0700 (initdb and pgBackRest insist). */
export function makeFolders(layout: ShopLayout): void {
  const pg = lookupUser('postgres');
  const { db } = layout;
  mkdirSync(db.dir, { recursive: true, mode: 0o755 });
  for (const dir of [db.data, db.sandboxData, db.repo, db.log, db.lock, db.spool, db.serverLogs]) {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    chownSync(dir, pg.uid, pg.gid);
  }
  // The socket folder is entered by root's psql too.
  mkdirSync(db.socket, { recursive: true, mode: 0o755 });
  chownSync(db.socket, pg.uid, pg.gid);
  for (const dir of [
    db.bin,
    dirname(layout.files.repo),
    layout.files.app,
    layout.files.setAside,
    layout.console.bin,
    layout.expected,
    layout.machines.operator,
    layout.machines.approver,
  ])
    mkdirSync(dir, { recursive: true, mode: 0o755 });
}
