// Run one benchmark: bundle bench/<name>.ts with esbuild to a temp file and run it with node.
// Usage: node bench/run.mjs <name> [args...]
import { build } from 'esbuild';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const [name, ...args] = process.argv.slice(2);
if (!name || !/^[a-z0-9-]+$/.test(name) || !existsSync(join(here, `${name}.ts`))) {
  console.error(
    `usage: node bench/run.mjs <name>   (a file bench/<name>.ts; got ${JSON.stringify(name ?? '')})`,
  );
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'dapple-bench-'));
try {
  const outfile = join(dir, `${name}.mjs`);
  await build({
    entryPoints: [join(here, `${name}.ts`)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    outfile,
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
