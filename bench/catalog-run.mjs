// Run a catalog benchmark: bundle bench/catalog-<name>.ts with esbuild as CommonJS (the AWS SDK
// requires node built-ins at run time, which an ESM bundle cannot do) and run it with node.
// Usage: node bench/catalog-run.mjs <name> [args...]   e.g. node bench/catalog-run.mjs s3-versions 100000
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const [name, ...args] = process.argv.slice(2);
const entry = join(here, `catalog-${name ?? ''}.ts`);
if (!name || !/^[a-z0-9-]+$/.test(name) || !existsSync(entry)) {
  console.error('usage: node bench/catalog-run.mjs <s3-versions|cache> [args...]');
  process.exit(2);
}
// Inside the repo (.cache/ is ignored) so that external packages resolve from node_modules.
const cache = join(here, '..', '.cache');
mkdirSync(cache, { recursive: true });
const dir = mkdtempSync(join(cache, 'bench-catalog-'));
try {
  const outfile = join(dir, `catalog-${name}.cjs`);
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile,
    logLevel: 'warning',
    // ssh2 loads native addons; it stays a plain require from node_modules.
    external: ['ssh2', 'cpu-features'],
  });
  const run = spawnSync(process.execPath, ['--expose-gc', outfile, ...args], { stdio: 'inherit' });
  process.exitCode = run.status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
