// Real restic and borg repositories made by the real tools, with small files, tags and hostnames.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { runCommand } from './process';
import { requireProgram } from './programs';

/** One snapshot to create: files (relative path → content) and the metadata to record. */
export type SnapshotSpec = {
  files: Record<string, string>;
  tags?: string[];
  host?: string;
  /** ISO time the snapshot claims (restic --time / borg --timestamp). */
  time?: string;
};

/** A repository on disk and how to open it. */
export type TestRepo = {
  repository: string;
  password: string;
  passwordFile: string;
  dataDirs: string[];
};

function writeFiles(root: string, files: Record<string, string>): void {
  for (const [relative, content] of Object.entries(files)) {
    const path = join(root, relative);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
  }
}

function prepare(dir: string, password: string, count: number) {
  mkdirSync(dir, { recursive: true });
  const passwordFile = join(dir, 'password');
  writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  const dataDirs = Array.from({ length: count }, (_, i) => join(dir, `data-${i}`));
  return { passwordFile, dataDirs };
}

/** restic's time format for --time: "YYYY-MM-DD HH:MM:SS" in local time of the process (we pass TZ=UTC). */
function resticTime(iso: string): string {
  return new Date(iso).toISOString().replace('T', ' ').slice(0, 19);
}

/** Make a restic repository at dir/repo with the given snapshots (created in parallel: restic's key derivation is slow). */
export async function makeResticRepo(
  dir: string,
  options: { snapshots: SnapshotSpec[]; password?: string },
): Promise<TestRepo> {
  const restic = requireProgram('restic', 'restic');
  const password = options.password ?? 'correct horse battery staple';
  const { passwordFile, dataDirs } = prepare(dir, password, options.snapshots.length);
  const repository = join(dir, 'repo');
  const env = {
    ...process.env,
    TZ: 'UTC',
    RESTIC_PASSWORD_FILE: passwordFile,
    RESTIC_CACHE_DIR: join(dir, 'cache'),
  };
  await runCommand(restic, ['--repo', repository, 'init'], { env });
  await Promise.all(
    options.snapshots.map((spec, i) => {
      const data = dataDirs[i] ?? '';
      writeFiles(data, spec.files);
      const args = ['--repo', repository, 'backup', '--quiet', data];
      for (const tag of spec.tags ?? []) args.push('--tag', tag);
      if (spec.host) args.push('--host', spec.host);
      if (spec.time) args.push('--time', resticTime(spec.time));
      return runCommand(restic, args, { env });
    }),
  );
  return { repository, password, passwordFile, dataDirs };
}

/** One borg archive: its name (any text borg accepts) and a snapshot spec; tags go into the comment. */
export type ArchiveSpec = SnapshotSpec & { name: string; comment?: string };

/** Make a borg repository (repokey encryption) at dir/repo with the given archives, one after another (borg locks). */
export async function makeBorgRepo(
  dir: string,
  options: { archives: ArchiveSpec[]; password?: string },
): Promise<TestRepo> {
  const borg = requireProgram('borg', 'borgbackup');
  const password = options.password ?? 'correct horse battery staple';
  const { passwordFile, dataDirs } = prepare(dir, password, options.archives.length);
  const repository = join(dir, 'repo');
  const env = {
    ...process.env,
    TZ: 'UTC',
    BORG_PASSPHRASE: password,
    BORG_BASE_DIR: join(dir, 'borg-home'),
    BORG_RELOCATED_REPO_ACCESS_IS_OK: 'yes',
  };
  await runCommand(borg, ['init', '--encryption=repokey', repository], { env });
  for (const [i, spec] of options.archives.entries()) {
    const data = dataDirs[i] ?? '';
    writeFiles(data, spec.files);
    const args = ['create', '--compression', 'none'];
    if (spec.time) args.push('--timestamp', new Date(spec.time).toISOString().slice(0, 19));
    if (spec.comment) args.push('--comment', spec.comment);
    // Archive paths are stored relative to the working directory (borg strips the leading slash).
    args.push(`${repository}::${spec.name}`, '.');
    await runCommand(borg, args, { env, cwd: data });
  }
  return { repository, password, passwordFile, dataDirs };
}
