// Where the Electron binary is, or null when its download was skipped. Read without require('electron'):
// since Electron 45 that require tries to download the binary, which prints errors where there is no network.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

/** The absolute path of the Electron binary installed in the project at `root`, or null. */
export function electronBinary(root) {
  let dir;
  try {
    dir = path.dirname(
      createRequire(path.join(root, 'package.json')).resolve('electron/package.json'),
    );
  } catch {
    return null;
  }
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  let relative = null;
  try {
    relative = fs.readFileSync(path.join(dir, 'path.txt'), 'utf8').trim();
  } catch {
    relative = null;
  }
  if (override) return path.join(override, relative || 'electron');
  if (!relative) return null;
  const binary = path.join(dir, 'dist', relative);
  return fs.existsSync(binary) ? binary : null;
}
