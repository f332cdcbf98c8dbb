// Run the catalog table benchmark: bundle bench/catalog-table.ts as CommonJS with npm packages left
// external (Playwright must load from node_modules, not from a bundle) and run it with node.
// Usage: node scripts/build.mjs && node bench/catalog-table-run.mjs [points] [runs]
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const dir = mkdtempSync(join(tmpdir(), 'dapple-bench-'));
try {
  const outfile = join(dir, 'catalog-table.cjs');
  await build({
    entryPoints: [join(here, 'catalog-table.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    outfile,
    logLevel: 'warning',
  });
  const run = spawnSync(process.execPath, [outfile, ...process.argv.slice(2)], {
    stdio: 'inherit',
    // The bundle sits in a temp folder: let require() find the project's node_modules.
    env: { ...process.env, NODE_PATH: join(root, 'node_modules'), DAPPLE_ROOT: root },
  });
  process.exitCode = run.status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
