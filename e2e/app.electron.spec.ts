// The desktop app itself, driven through Playwright's _electron, where the Electron binary exists.
import path from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { electronBinary as findElectron } from '../scripts/electron-binary.mjs';

const root = path.resolve(__dirname, '..');
const electronBinary = findElectron(root);
const reason =
  'Electron binary not installed here (npm ci ran with ELECTRON_SKIP_BINARY_DOWNLOAD=1), so the desktop app cannot start';
if (!electronBinary) console.log(`electron project: skipped — ${reason}.`);

test('the desktop window is hardened and shows the demo workspace', async () => {
  test.skip(!electronBinary, reason);
  const app = await electron.launch({
    executablePath: electronBinary as string,
    args: [root],
    env: { ...(process.env as Record<string, string>) },
  });
  const window = await app.firstWindow();
  await expect(window.locator('.status-workspace')).toContainText('shop');
  // The page has no node: no require, no process, only the contract's window.dapple.
  const exposed = await window.evaluate(() => ({
    require: typeof (globalThis as Record<string, unknown>).require,
    process: typeof (globalThis as Record<string, unknown>).process,
    dapple: Object.keys((globalThis as unknown as { dapple: object }).dapple).sort(),
  }));
  expect(exposed.require).toBe('undefined');
  expect(exposed.process).toBe('undefined');
  expect(exposed.dapple).toContain('workspace');
  expect(exposed.dapple).not.toContain('invoke');
  await app.close();
});
