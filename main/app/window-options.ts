// The main window's options in one pure function, so a test can hold us to the hardening rules.
import type { BrowserWindowConstructorOptions } from 'electron';

/** Remembered window geometry. */
export type WindowBounds = {
  x?: number;
  y?: number;
  width: number;
  height: number;
  maximized: boolean;
};

/** Options for the one main window: isolated, sandboxed, no node in the page. */
export function mainWindowOptions(
  preloadPath: string,
  bounds: WindowBounds,
): BrowserWindowConstructorOptions {
  return {
    ...(bounds.x !== undefined && bounds.y !== undefined ? { x: bounds.x, y: bounds.y } : {}),
    width: bounds.width,
    height: bounds.height,
    minWidth: 900,
    minHeight: 600,
    show: false,
    backgroundColor: '#0f1115',
    title: 'Dapple',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
    },
  };
}
