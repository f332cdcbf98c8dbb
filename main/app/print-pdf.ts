// Review reports as PDF, with Chromium's own printToPDF: the report's HTML in a hidden window
// that runs no script and is thrown away once printed.
import { BrowserWindow } from 'electron';

/** Print a self-contained HTML page (no scripts, no remote content) to an A4 PDF. */
export async function printHtmlToPdf(html: string): Promise<Buffer> {
  const window = new BrowserWindow({
    show: false,
    webPreferences: {
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      javascript: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  try {
    const url = `data:text/html;charset=utf-8;base64,${Buffer.from(html, 'utf8').toString('base64')}`;
    await window.loadURL(url);
    return await window.webContents.printToPDF({ printBackground: true, pageSize: 'A4' });
  } finally {
    window.destroy();
  }
}
