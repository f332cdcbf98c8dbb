// Temporary folders for tests: removed by their owner, or at exit if a test crashed first.
import { chmodSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { onExitCleanup, removeDir } from './cleanup';

/** A fresh temp folder and the function that removes it. */
export type TempDir = { path: string; remove: () => void };

/** Create a temp folder named dapple-<label>-XXXX; mode 0o755 lets other OS users (postgres) enter it. */
export function makeTempDir(label: string, mode = 0o700): TempDir {
  const path = mkdtempSync(join(tmpdir(), `dapple-${label}-`));
  chmodSync(path, mode);
  const unregister = onExitCleanup(`temp ${path}`, () => removeDir(path));
  return {
    path,
    remove: () => {
      unregister();
      removeDir(path);
    },
  };
}
