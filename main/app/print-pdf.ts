// Review reports as PDF, with Chromium's own printToPDF: the report's HTML in a hidden window
// that runs no script and is thrown away once printed.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BrowserWindow } from 'electron';

/** Print a self-contained HTML page (no scripts, no remote content) to an A4 PDF. */
export async function printHtmlToPdf(html: string): Promise<Buffer> {
  // A file rather than a data: URL, which Chromium limits in size; private, and removed after.
  const dir = await mkdtemp(path.join(tmpdir(), 'dapple-report-'));
  const file = path.join(dir, 'report.html');
  await writeFile(file, html, { encoding: 'utf8', mode: 0o600 });
  const window = new BrowserWindow({
    show: false,
    webPreferences: {
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      javascript: false,
      webSecurity: true,
      spellcheck: false,
      // Its own in-memory session: the app's CSP header (no inline styles) is not for the report.
      partition: 'dapple-report-print',
    },
  });
  try {
    await window.loadFile(file);
    return await window.webContents.printToPDF({ printBackground: true, pageSize: 'A4' });
  } finally {
    window.destroy();
    await rm(dir, { recursive: true, force: true });
  }
}
