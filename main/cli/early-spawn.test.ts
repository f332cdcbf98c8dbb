// restic started before the CLI bundle loads (early-spawn.ts, catalog/sources/restic-early.ts): the
// real command, built as the build does, over real restic repositories. Every case compares with
// the same run with DAPPLE_EARLY_SPAWN=off: same stdout, same sentences, same exit code.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeResticRepo, type TestRepo } from '../../test-support/backup-repos';
import { requireProgram } from '../../test-support/programs';

const root = resolve(import.meta.dirname, '../..');
let dir: string;
let repos: TestRepo[];
const ws = () => join(dir, 'ws');
const wrapper = () => join(dir, 'bin');
const log = () => join(dir, 'restic.log');
const mode = () => join(dir, 'mode');

// restic as the CLI finds it on PATH: logs each start, then prints junk, sleeps, or is restic.
const fakeRestic = (real: string) => `#!/bin/sh
echo "$$ $*" >> "${log()}"
case "$(cat "${mode()}" 2>/dev/null)" in
  junk) echo 'Warning: something'; exit 0 ;;
  sleep) exec sleep 60 ;;
esac
exec "${real}" "$@"
`;

function workspace(sources: string[]): void {
  const lines = sources.map((name, i) => {
    const repo = repos[i] as TestRepo;
    const password =
      name === 'vault'
        ? '{ env: EARLY_TEST_PASSWORD }'
        : `{ file: ${JSON.stringify(repo.passwordFile)} }`;
    return `  ${name}: { type: restic, backend: nas, service: ${name}, repository: ${JSON.stringify(repo.repository)}, password: ${password} }`;
  });
  writeFileSync(
    join(ws(), 'dapple.yaml'),
    `name: early\nbackends:\n  nas: { type: local, path: ${JSON.stringify(dir)} }\nsources:\n${lines.join('\n')}\nservices:\n` +
      sources.map((name) => `  ${name}: { owner: ops, rpo: 1h, rto: 1h }\n`).join(''),
  );
}

type Run = { code: number | null; stdout: string; stderr: string; trace: string };

function cli(args: string[], early: 'trace' | 'off', path = `${wrapper()}:${process.env.PATH}`) {
  const result = spawnSync(
    process.execPath,
    [join(dir, 'cli/index.js'), 'catalog', 'list', '--workspace', ws(), ...args],
    {
      env: {
        ...process.env,
        PATH: path,
        TZ: 'UTC',
        DAPPLE_CODE_CACHE_DIR: join(dir, 'code-cache'),
        DAPPLE_DATA_DIR: join(dir, 'data'),
        DAPPLE_EARLY_SPAWN: early,
        EARLY_TEST_PASSWORD: repos[0]?.password,
        RESTIC_CACHE_DIR: join(dir, 'restic-cache'),
      },
      encoding: 'utf8',
      timeout: 30_000,
    },
  );
  const trace = /dapple: early runs: (.*)\n/.exec(result.stderr)?.[1] ?? '';
  const stderr = result.stderr.replace(/dapple: early runs: .*\n/, '');
  return { code: result.status, stdout: result.stdout, stderr, trace } satisfies Run;
}

/** The run with early starts, checked against the same run without. */
function compared(args: string[], path?: string): Run {
  const early = cli(args, 'trace', path);
  const plain = cli(args, 'off', path);
  expect({ ...early, trace: '' }).toEqual({ ...plain, trace: '' });
  return early;
}

beforeAll(async () => {
  mkdirSync(join(root, '.cache'), { recursive: true });
  dir = mkdtempSync(join(root, '.cache', 'early-spawn-'));
  mkdirSync(ws());
  mkdirSync(wrapper());
  writeFileSync(join(wrapper(), 'restic'), fakeRestic(requireProgram('restic', 'restic')));
  chmodSync(join(wrapper(), 'restic'), 0o755);
  const node = {
    bundle: true,
    platform: 'node',
    format: 'cjs',
    packages: 'external',
    logLevel: 'silent',
    supported: { 'dynamic-import': false }, // as the build: the bundle runs as a vm.Script
  } as const;
  const snapshot = (i: number, host: string) => ({
    files: { 'a.txt': `${host} ${i}` },
    host,
    tags: ['daily'],
    time: `2024-05-0${i + 1}T01:00:00Z`,
  });
  const [, , ...made] = await Promise.all([
    build({
      ...node,
      entryPoints: [join(root, 'main/cli/boot.ts')],
      outfile: join(dir, 'cli/index.js'),
    }),
    build({
      ...node,
      entryPoints: [join(root, 'main/cli/index.ts')],
      outfile: join(dir, 'cli/dapple.js'),
    }),
    makeResticRepo(join(dir, 'r0'), { snapshots: [snapshot(0, 'db1'), snapshot(1, 'db1')] }),
    makeResticRepo(join(dir, 'r1'), { snapshots: [snapshot(2, 'web1')], password: 'other' }),
  ]);
  repos = made as TestRepo[];
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('restic started before the CLI bundle loads', () => {
  it('is remembered by a first run and adopted by the next, which prints the same points', () => {
    // A damaged note is replaced, not trusted.
    mkdirSync(join(dir, 'code-cache'), { recursive: true, mode: 0o700 });
    writeFileSync(
      join(dir, 'code-cache', 'early-runs.json'),
      JSON.stringify({ format: 'dapple-early-runs/1', workspaces: { [ws()]: { runs: 7 } } }),
    );
    workspace(['db']);
    const first = cli(['--refresh', '--json'], 'trace');
    expect(first.trace).toBe('0 started, 0 adopted');
    const hints = readFileSync(join(dir, 'code-cache', 'early-runs.json'), 'utf8');
    expect(hints).toContain(repos[0]?.passwordFile);
    writeFileSync(log(), '');
    const second = compared(['--refresh', '--json']);
    expect(second.trace).toBe('1 started, 1 adopted');
    expect(second.code).toBe(0);
    expect((JSON.parse(second.stdout) as { id: string }[]).length).toBe(2);
    expect(second.stdout).toBe(first.stdout);
    // One restic per run: the adopted one was not run a second time.
    expect(readFileSync(log(), 'utf8').trim().split('\n')).toHaveLength(2);
  });

  it('reports a wrong password, junk output and a missing restic in the same sentences', () => {
    workspace(['db']);
    cli(['--refresh', '--json'], 'trace');
    const password = repos[0]?.passwordFile as string;
    writeFileSync(password, 'not the password\n');
    try {
      const wrong = compared(['--refresh', '--json']);
      expect(wrong.trace).toBe('1 started, 1 adopted');
      expect(wrong.code).toBe(1);
      expect(wrong.stderr).toMatch(
        /source db: restic could not open the repository .* password is wrong/,
      );
    } finally {
      writeFileSync(password, `${repos[0]?.password}\n`);
    }
    writeFileSync(mode(), 'junk');
    try {
      const junk = compared(['--refresh', '--json']);
      expect(junk.trace).toBe('1 started, 1 adopted');
      expect(junk.stderr).toMatch(/source db: restic on local printed output Dapple cannot read/);
    } finally {
      rmSync(mode());
    }
    const missing = compared(['--refresh', '--json'], '/nonexistent');
    expect(missing.trace).toBe('1 started, 1 adopted');
    expect(missing.stderr).toMatch(/source db: restic is not installed on local/);
  });

  it('stops a run nobody adopts at once, and starts nothing after dapple.yaml changed', () => {
    workspace(['db']);
    cli(['--refresh', '--json'], 'trace');
    writeFileSync(log(), '');
    writeFileSync(mode(), 'sleep');
    try {
      const started = Date.now();
      const refused = compared(['--refresh', '--service', 'nope']);
      expect(Date.now() - started).toBeLessThan(20_000); // restic "sleeps" 60 s
      expect(refused.trace).toBe('1 started, 0 adopted');
      expect(refused.stderr).toMatch(/has no service named "nope"/);
      const pid = Number(readFileSync(log(), 'utf8').split(' ')[0]);
      expect(() => process.kill(pid, 0)).toThrow(/ESRCH/);
    } finally {
      rmSync(mode());
    }
    const notFolder = compared(['--refresh', '--workspace', join(ws(), 'dapple.yaml')]);
    expect(notFolder.code).not.toBe(0);
    expect(notFolder.trace).toBe(''); // no dapple.yaml there: nothing to start, nothing to note
    workspace(['db', 'web']);
    const edited = compared(['--refresh', '--json']);
    expect(edited.trace).toBe('0 started, 0 adopted');
    expect(JSON.parse(edited.stdout)).toHaveLength(3);
  });

  it('starts every source of a workspace at once, but none whose password is a secret', () => {
    workspace(['db', 'web']);
    cli(['--refresh', '--json'], 'trace');
    const both = compared(['--refresh', '--json']);
    expect(both.trace).toBe('2 started, 2 adopted');
    expect((JSON.parse(both.stdout) as { source: string }[]).map((p) => p.source)).toEqual([
      'db',
      'db',
      'web',
    ]);
    workspace(['vault']);
    cli(['--refresh', '--json'], 'trace');
    const secret = compared(['--refresh', '--json']);
    expect(secret.code).toBe(0);
    expect(secret.trace).toBe('0 started, 0 adopted');
    expect(readFileSync(join(dir, 'code-cache', 'early-runs.json'), 'utf8')).not.toContain(
      repos[0]?.password,
    );
  });
});
