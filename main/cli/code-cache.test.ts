// The CLI's code cache: out/cli/index.js (boot.ts) runs out/cli/dapple.js as a CommonJS module and
// keeps V8's compiled code per user and command. Tested on a small bundle in a child process,
// because the cache is written when the process exits.
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '../..');
let dir: string;

// A stand-in for the CLI bundle: module globals, require of a package, async work and an exit code.
const BUNDLE = `
const { parse } = require('yaml');
const path = require('node:path');
setImmediate(() => {
  process.stdout.write(JSON.stringify({
    file: __filename === module.filename && __dirname === path.dirname(__filename),
    yaml: parse('a: 1').a,
    argv: process.argv.slice(2),
  }) + '\\n');
  if (process.argv.includes('fail')) process.exitCode = 3;
});
`;

beforeAll(async () => {
  mkdirSync(join(root, '.cache'), { recursive: true });
  dir = mkdtempSync(join(root, '.cache', 'code-cache-'));
  await build({
    entryPoints: [join(root, 'main/cli/boot.ts')],
    outfile: join(dir, 'cli/index.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    packages: 'external',
    logLevel: 'silent',
  });
  writeFileSync(join(dir, 'cli/dapple.js'), BUNDLE);
}, 60_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(cacheDir: string, args: string[], extra: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, [join(dir, 'cli/index.js'), ...args], {
    env: { ...process.env, DAPPLE_CODE_CACHE_DIR: cacheDir, DAPPLE_CODE_CACHE: 'trace', ...extra },
    encoding: 'utf8',
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('the CLI code cache', () => {
  it('is written after a first run and used by the next, which behaves the same', () => {
    const cache = join(dir, 'caches-1');
    const first = run(cache, ['catalog', 'list', '--json']);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toEqual({
      file: true,
      yaml: 1,
      argv: ['catalog', 'list', '--json'],
    });
    expect(first.stderr).toMatch(/code cache absent/);
    expect(readdirSync(cache)).toEqual([expect.stringMatching(/^[0-9a-f]{32}-catalog-list\.bin$/)]);
    const second = run(cache, ['catalog', 'list', '--json']);
    expect(second.stderr).toMatch(/code cache used/);
    expect(second.stdout).toBe(first.stdout);
  });

  it('replaces a damaged cache file, and caches each command apart', () => {
    const cache = join(dir, 'caches-2');
    run(cache, ['groups', 'cuts']);
    const [name] = readdirSync(cache);
    writeFileSync(join(cache, name as string), 'not V8 code');
    const damaged = run(cache, ['groups', 'cuts']);
    expect(damaged.code).toBe(0);
    expect(damaged.stderr).toMatch(/code cache rejected/);
    expect(run(cache, ['groups', 'cuts']).stderr).toMatch(/code cache used/);
    run(cache, ['audit', 'verify']);
    expect(readdirSync(cache).sort()).toEqual([
      expect.stringMatching(/-audit-verify\.bin$/),
      expect.stringMatching(/-groups-cuts\.bin$/),
    ]);
  });

  it('keeps --help runs apart, and is not written after a failed run nor when turned off', () => {
    const cache = join(dir, 'caches-3');
    expect(run(cache, ['catalog', 'fail']).code).toBe(3);
    expect(readdirSync(cache)).toEqual([]);
    expect(run(cache, ['catalog', '--help']).code).toBe(0);
    expect(readdirSync(cache)).toEqual([expect.stringMatching(/-catalog-help\.bin$/)]);
    rmSync(join(cache, readdirSync(cache)[0] as string));
    const off = run(cache, ['catalog', 'list'], { DAPPLE_CODE_CACHE: 'off' });
    expect(off.code).toBe(0);
    expect(readdirSync(cache)).toEqual([]);
  });

  it('is not used in a folder others can write to', () => {
    const cache = join(dir, 'caches-4');
    mkdirSync(cache);
    chmodSync(cache, 0o777);
    const result = run(cache, ['catalog', 'list']);
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(/code cache unusable/);
    expect(readdirSync(cache)).toEqual([]);
  });
});
