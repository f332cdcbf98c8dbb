// Runs an audit benchmark written in TypeScript: bundles bench/audit-<name>.ts with esbuild, then
// runs it. Usage: node bench/audit-run.mjs <append|verify> [args]
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';

const [name, ...args] = process.argv.slice(2);
if (!['append', 'verify'].includes(name ?? '')) {
  console.error('Usage: node bench/audit-run.mjs <append|verify> [args]');
  process.exit(2);
}
const root = path.resolve(import.meta.dirname, '..');
// Under .cache/ (git-ignored), next to node_modules so the bundle finds its packages.
mkdirSync(path.join(root, '.cache'), { recursive: true });
const tmp = mkdtempSync(path.join(root, '.cache', 'bench-'));
try {
  const outfile = path.join(tmp, `${name}.cjs`);
  await build({
    entryPoints: [path.join(root, `bench/audit-${name}.ts`)],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    packages: 'external',
    outfile,
    logLevel: 'warning',
    absWorkingDir: root,
  });
  process.exitCode =
    spawnSync(process.execPath, [outfile, ...args], { stdio: 'inherit' }).status ?? 1;
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
