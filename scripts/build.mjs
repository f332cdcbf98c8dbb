// Bundles main, preload, the CLI and the renderer with esbuild (a sandboxed preload cannot require
// npm modules at run time, and the renderer loads from file:// in Electron).
import { build } from 'esbuild';
import fs from 'node:fs/promises';
import path from 'node:path';
import { precompiledValidators } from './ajv-precompile.mjs';
import { bundlePackages } from './bundle-packages.mjs';

const root = path.resolve(import.meta.dirname, '..');
const out = path.join(root, 'out');
const watchless = {
  logLevel: 'warning',
  sourcemap: 'linked',
  target: 'es2023',
  absWorkingDir: root,
};
const node = {
  ...watchless,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  packages: 'external',
  // The workspace/runbook schemas as ajv standalone code: no compiling when the app or CLI starts.
  plugins: [precompiledValidators],
  // Lazy import() of a package becomes a lazy require(): one copy of it (not also its ESM build), and
  // the CLI bundle runs as a vm.Script (main/cli/code-cache.ts), which has no import().
  supported: { 'dynamic-import': false },
};

const started = Date.now();
await fs.rm(out, { recursive: true, force: true });
await Promise.all([
  build({
    ...node,
    entryPoints: ['main/app/main.ts'],
    outfile: 'out/main/index.js',
    external: ['electron'],
  }),
  // out/cli/index.js (the command) runs out/cli/dapple.js with a V8 code cache: main/cli/boot.ts.
  build({ ...node, entryPoints: ['main/cli/boot.ts'], outfile: 'out/cli/index.js' }),
  build({
    ...node,
    entryPoints: ['main/cli/index.ts'],
    outfile: 'out/cli/dapple.js',
    // Every CLI run reads a workspace: its YAML parser loads faster as one bundled file.
    plugins: [...node.plugins, bundlePackages(['yaml'])],
  }),
  build({
    ...node,
    packages: undefined,
    entryPoints: ['preload/index.ts'],
    outfile: 'out/preload/index.js',
    external: ['electron'],
  }),
  build({
    ...watchless,
    bundle: true,
    platform: 'browser',
    format: 'iife',
    entryPoints: ['preload/http-client.ts'],
    outfile: 'out/renderer/bridge-client.js',
    minify: true,
  }),
  build({
    ...watchless,
    bundle: true,
    platform: 'browser',
    format: 'iife',
    jsx: 'automatic',
    entryPoints: { app: 'renderer/src/main.tsx' },
    outdir: 'out/renderer',
    define: { 'process.env.NODE_ENV': '"production"' },
    minify: true,
    loader: { '.png': 'file', '.svg': 'file', '.woff2': 'file' },
  }),
]);
await fs.copyFile(path.join(root, 'renderer/index.html'), path.join(out, 'renderer/index.html'));
await fs.copyFile(path.join(root, 'resources/icon.png'), path.join(out, 'renderer/icon.png'));
console.log(`built out/ in ${Date.now() - started} ms`);
