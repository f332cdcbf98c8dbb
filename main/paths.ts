// Where Dapple's own files are: the package root holds resources/ and the built out/ folder.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

let cachedRoot: string | null = null;

/** The package root (the folder with package.json named "dapple"), found from this file upwards. */
export function appRoot(): string {
  if (cachedRoot) return cachedRoot;
  let dir = __dirname;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (fs.existsSync(manifest)) {
      try {
        if (
          (JSON.parse(fs.readFileSync(manifest, 'utf8')) as { name?: string }).name === 'dapple'
        ) {
          cachedRoot = dir;
          return dir;
        }
      } catch {
        // not ours; keep walking
      }
    }
    const parent = path.dirname(dir);
    if (parent === dir)
      throw new Error('Dapple cannot find its own package folder (package.json named dapple).');
    dir = parent;
  }
}

/** resources/ (schemas, demo workspace, icons). */
export const resourcesDir = (): string => path.join(appRoot(), 'resources');

/** The built renderer (index.html, app.js, app.css). */
export const rendererDir = (): string => path.join(appRoot(), 'out', 'renderer');

/** Per-user data (caches, keys): $DAPPLE_DATA_DIR, else the platform's usual place. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DAPPLE_DATA_DIR) return env.DAPPLE_DATA_DIR;
  if (process.platform === 'darwin')
    return path.join(os.homedir(), 'Library', 'Application Support', 'Dapple');
  if (process.platform === 'win32') return path.join(env.APPDATA ?? os.homedir(), 'Dapple');
  return path.join(env.XDG_DATA_HOME ?? path.join(os.homedir(), '.local', 'share'), 'dapple');
}
