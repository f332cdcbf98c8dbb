// The Electron main process: one hardened window, the contract over IPC, the menu, remembered geometry.
import path from 'node:path';
import { app, BrowserWindow, dialog, safeStorage } from 'electron';
import { createContext, type AppContext } from '../api/context';
import type { KeyStore } from '../audit/key-store';
import { operatorKeyFile, passphraseKeyStore } from '../restore/operator';
import { openWorkspace } from '../api/handlers/workspace';
import { defaultDataDir, rendererDir } from '../paths';
import { prepareDemoWorkspace } from '../workspace/demo';
import { registerIpc, sendEvent } from './ipc';
import { installMenu } from './menu';
import { installSecurity } from './security';
import { mainWindowOptions } from './window-options';
import { loadWindowState, saveWindowState } from './window-state';
import { printHtmlToPdf } from './print-pdf';
import { safeStorageCipher, sealedKeyStore } from './safe-storage-key-store';

const dataDir = process.env.DAPPLE_DATA_DIR ?? path.join(app.getPath('userData'));
let mainWindow: BrowserWindow | null = null;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    if (mainWindow) {
      if (mainWindow.isMinimized()) mainWindow.restore();
      mainWindow.focus();
    }
  });
  void app.whenReady().then(start);
  app.on('window-all-closed', () => app.quit());
}

const chooseFolder = async (): Promise<string | null> => {
  const options = { title: 'Open a Dapple workspace', properties: ['openDirectory' as const] };
  const result = mainWindow
    ? await dialog.showOpenDialog(mainWindow, options)
    : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
};

const chooseLogFile = async (): Promise<string | null> => {
  const options = {
    title: 'Open an audit log',
    properties: ['openFile' as const],
    filters: [{ name: 'Dapple audit logs', extensions: ['jsonl'] }],
  };
  const result = mainWindow
    ? await dialog.showOpenDialog(mainWindow, options)
    : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
};

/** The operator's signing key sealed by the OS keychain; without a keychain, the passphrase file (and why). */
async function desktopKeyStore(ctx: AppContext): Promise<KeyStore> {
  const cipher = safeStorageCipher(safeStorage);
  const sealedFile = path.join(ctx.dataDir, 'keys', 'operator.keychain.json');
  const fallback =
    (await cipher.available()) === null
      ? null
      : await passphraseKeyStore(operatorKeyFile(ctx.dataDir), process.env, ctx.prompts);
  const store = await sealedKeyStore(sealedFile, cipher, () => fallback as KeyStore);
  const reason = store.fallbackReason;
  return reason ? { ...store, describe: () => reason } : store;
}

async function start(): Promise<void> {
  installSecurity();
  const ctx = createContext({
    version: app.getVersion(),
    transport: 'electron',
    dataDir: dataDir || defaultDataDir(),
    emit: (name, payload) => sendEvent(mainWindow, name, payload),
    chooseFolder,
    printPdf: printHtmlToPdf,
    chooseLogFile,
  });
  ctx.operatorKeys = () => desktopKeyStore(ctx);
  registerIpc(ctx, () => mainWindow);
  installMenu({
    navigate: (section) => sendEvent(mainWindow, 'menu.navigate', { section }),
    openWorkspace: () => {
      void chooseFolder().then((dir) => (dir ? openWorkspace(dir, ctx) : null));
    },
    reloadWorkspace: () => {
      if (ctx.current) void openWorkspace(ctx.current.root, ctx);
    },
    getWindow: () => mainWindow,
  });

  const bounds = loadWindowState(ctx.dataDir);
  mainWindow = new BrowserWindow(
    mainWindowOptions(path.join(__dirname, '../preload/index.js'), bounds),
  );
  if (bounds.maximized) mainWindow.maximize();
  const remember = () => {
    if (!mainWindow || mainWindow.isDestroyed()) return;
    saveWindowState(ctx.dataDir, {
      ...mainWindow.getNormalBounds(),
      maximized: mainWindow.isMaximized(),
    });
  };
  mainWindow.on('close', remember);
  mainWindow.once('ready-to-show', () => mainWindow?.show());

  const flag = process.argv.indexOf('--workspace');
  const requested = flag > 0 ? process.argv[flag + 1] : process.env.DAPPLE_WORKSPACE;
  const dir = requested ?? (await prepareDemoWorkspace({ now: new Date() }));
  await openWorkspace(dir, ctx);
  await mainWindow.loadFile(path.join(rendererDir(), 'index.html'));
}
