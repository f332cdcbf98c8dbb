// Run one benchmark: bundle bench/<name>.ts with esbuild (ESM, npm packages left external so
// Playwright and the AWS SDK load as usual) into .cache/bench/ and run it with node.
// Usage: node bench/run.mjs <name> [args...]     e.g. node bench/run.mjs cuts
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here);
const [name, ...args] = process.argv.slice(2);
if (!name || !/^[a-z0-9-]+$/.test(name) || !existsSync(join(here, `${name}.ts`))) {
  console.error(
    `usage: node bench/run.mjs <name>   (a file bench/<name>.ts; got ${JSON.stringify(name ?? '')})`,
  );
  process.exit(2);
}
// Inside the repo, so that node finds node_modules for the external packages.
mkdirSync(join(root, '.cache'), { recursive: true });
const dir = mkdtempSync(join(root, '.cache', 'bench-'));
try {
  const outfile = join(dir, `${name}.mjs`);
  await build({
    entryPoints: [join(here, `${name}.ts`)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    packages: 'external',
    target: 'node20',
    outfile,
    absWorkingDir: root,
    logLevel: 'warning',
  });
  const run = spawnSync(
    process.execPath,
    ['--expose-gc', '--max-old-space-size=4096', outfile, ...args],
    {
      stdio: 'inherit',
    },
  );
  process.exitCode = run.status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
