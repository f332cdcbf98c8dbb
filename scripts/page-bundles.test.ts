// What the page loads: the console and browser mode's transport script must not carry zod (the
// engine checks every message; the page only needs names and plain helpers), and the transport's
// list of names must match the contract, or a call would be missing from window.dapple.
import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { callNames, eventNames } from '../preload/contract-names';
import { calls, events } from '../preload/contract';

const root = path.resolve(__dirname, '..');

async function inputsOf(entry: string): Promise<{ bytes: number; packages: Set<string> }> {
  const result = await build({
    entryPoints: [path.join(root, entry)],
    bundle: true,
    platform: 'browser',
    format: 'iife',
    jsx: 'automatic',
    minify: true,
    define: { 'process.env.NODE_ENV': '"production"' },
    loader: { '.png': 'file', '.svg': 'file', '.woff2': 'file' },
    outdir: path.join(root, '.cache', 'page-bundles'),
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const output = Object.values(result.metafile.outputs).find((o) => o.entryPoint);
  const packages = new Set(
    Object.keys(output?.inputs ?? {})
      .filter((file) => file.includes('node_modules/'))
      .map((file) => file.split('node_modules/')[1]?.split('/')[0] ?? ''),
  );
  return { bytes: output?.bytes ?? 0, packages };
}

describe('the page bundles', () => {
  it('the console does not load zod', async () => {
    const { bytes, packages } = await inputsOf('renderer/src/main.tsx');
    expect([...packages].sort()).toEqual(['react', 'react-dom', 'scheduler', 'zustand']);
    // React is ~220 KB of it; the bound catches a schema library creeping back in.
    expect(bytes).toBeLessThan(500_000);
  });

  it("browser mode's transport script is small and names every call and event", async () => {
    const { bytes, packages } = await inputsOf('preload/http-client.ts');
    expect([...packages]).toEqual([]);
    expect(bytes).toBeLessThan(10_000);
    expect([...callNames].sort()).toEqual(Object.keys(calls).sort());
    expect([...eventNames].sort()).toEqual(Object.keys(events).sort());
  });
});
