// npm start and the electron e2e find the Electron binary without require('electron'), which since
// Electron 45 starts a download (and prints its failure) where the binary was skipped.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { electronBinary } from './electron-binary.mjs';

let root = '';
afterEach(async () => {
  if (root) await rm(root, { recursive: true, force: true });
});

async function project(files: Record<string, string>): Promise<string> {
  root = await mkdtemp(path.join(tmpdir(), 'dapple-electron-bin-'));
  await writeFile(path.join(root, 'package.json'), '{"name":"p"}');
  const dir = path.join(root, 'node_modules', 'electron');
  await mkdir(path.join(dir, 'dist'), { recursive: true });
  await writeFile(path.join(dir, 'package.json'), '{"name":"electron","main":"index.js"}');
  // index.js would download: reading it at all is the bug this guards against.
  await writeFile(path.join(dir, 'index.js'), 'throw new Error("download attempted")');
  for (const [name, text] of Object.entries(files)) await writeFile(path.join(dir, name), text);
  return root;
}

describe('electronBinary', () => {
  it('is null when the download was skipped (no path.txt), without loading electron', async () => {
    expect(electronBinary(await project({}))).toBeNull();
  });

  it('is null when path.txt names a binary that is not there', async () => {
    expect(electronBinary(await project({ 'path.txt': 'electron' }))).toBeNull();
  });

  it('is the binary under dist/ when it was installed', async () => {
    const dir = await project({ 'path.txt': 'electron', 'dist/electron': '' });
    expect(electronBinary(dir)).toBe(
      path.join(dir, 'node_modules', 'electron', 'dist', 'electron'),
    );
  });

  it('is null for a project without electron', async () => {
    root = await mkdtemp(path.join(tmpdir(), 'dapple-electron-bin-'));
    expect(electronBinary(root)).toBeNull();
  });
});
