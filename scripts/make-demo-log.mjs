// Regenerates the demo workspace's audit log (resources/demo/audit/drill-<date>.jsonl) with the
// project's own audit code: `node scripts/make-demo-log.mjs`. Run it whenever the format changes.
// (After `npm run build`, `node out/cli/index.js audit make-demo-log resources/demo` does the same.)
import { build } from 'esbuild';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
// Under .cache/ (git-ignored), next to node_modules so the bundle finds its packages.
mkdirSync(path.join(root, '.cache'), { recursive: true });
const tmp = mkdtempSync(path.join(root, '.cache', 'demo-log-'));
try {
  const outfile = path.join(tmp, 'demo-log.cjs');
  await build({
    entryPoints: [path.join(root, 'main/audit/demo-log.ts')],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    packages: 'external',
    outfile,
    logLevel: 'warning',
    absWorkingDir: root,
  });
  const { makeDemoLog } = createRequire(import.meta.url)(outfile);
  const file = await makeDemoLog(path.join(root, 'resources/demo'));
  console.log(`wrote ${path.relative(root, file)}`);
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
