// Remembers the window's size and position between runs (a small JSON file in the data folder).
import fs from 'node:fs';
import path from 'node:path';
import type { WindowBounds } from './window-options';

const fallback: WindowBounds = { width: 1280, height: 820, maximized: false };

/** Read saved bounds; anything unreadable or implausible gives the default size. */
export function loadWindowState(dataDir: string): WindowBounds {
  try {
    const saved = JSON.parse(
      fs.readFileSync(path.join(dataDir, 'window-state.json'), 'utf8'),
    ) as Partial<WindowBounds>;
    const width = Number(saved.width);
    const height = Number(saved.height);
    if (!(width >= 600 && width <= 10000 && height >= 400 && height <= 10000)) return fallback;
    const bounds: WindowBounds = { width, height, maximized: saved.maximized === true };
    if (Number.isFinite(saved.x) && Number.isFinite(saved.y)) {
      bounds.x = saved.x as number;
      bounds.y = saved.y as number;
    }
    return bounds;
  } catch {
    return fallback;
  }
}

/** Save bounds atomically (write a temp file, then rename). */
export function saveWindowState(dataDir: string, bounds: WindowBounds): void {
  fs.mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, 'window-state.json');
  fs.writeFileSync(`${file}.tmp`, JSON.stringify(bounds));
  fs.renameSync(`${file}.tmp`, file);
}
