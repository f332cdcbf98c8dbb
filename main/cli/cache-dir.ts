// The CLI's per-user cache folder: compiled code (code-cache.ts) and the restic runs to start early
// (early-spawn.ts). Only node's preloaded modules here: it is read before restic starts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Where the caches live: $DAPPLE_CODE_CACHE_DIR, else the platform's per-user cache folder. */
export function codeCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env.DAPPLE_CODE_CACHE_DIR) return env.DAPPLE_CODE_CACHE_DIR;
  const home = os.homedir();
  const base =
    process.platform === 'darwin'
      ? path.join(home, 'Library', 'Caches', 'Dapple')
      : process.platform === 'win32'
        ? path.join(env.LOCALAPPDATA ?? home, 'Dapple')
        : path.join(env.XDG_CACHE_HOME ?? path.join(home, '.cache'), 'dapple');
  return path.join(base, 'code-cache');
}

// What is in it runs as this user: a folder someone else owns or can write to is not used.
export function privateFolder(dir: string): boolean {
  try {
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    const info = fs.statSync(dir);
    const mine = typeof process.getuid !== 'function' || info.uid === process.getuid();
    return info.isDirectory() && mine && (info.mode & 0o022) === 0;
  } catch {
    return false;
  }
}
