// What every handler can reach: the open workspace, where to keep data, and how to tell the renderer.
import type { EventName, EventPayload } from '../../preload/contract';
import type { KeyStore } from '../audit/key-store';
import type { LoadResult } from '../workspace/load';
import type { Workspace } from '../workspace/types';
import { createPromptBroker, type PromptBroker } from './prompts';

/** The workspace as loaded: the parsed config (null when it could not load), its runbooks and problems. */
export type LoadedWorkspace = LoadResult;

/** Services a handler may use. One context lives as long as the app (or the bridge). */
export type AppContext = {
  version: string;
  transport: 'electron' | 'browser';
  /** Per-user data: caches, keys, window state. */
  dataDir: string;
  /** The open workspace, or null. Handlers replace it through setWorkspace. */
  current: LoadedWorkspace | null;
  /** The parsed workspace, or null: a shortcut for current?.workspace. */
  readonly workspace: Workspace | null;
  setWorkspace(loaded: LoadedWorkspace): void;
  /** Send an event to the renderer (validated against the contract). */
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void;
  /** A native folder picker where one exists (Electron); null in browser mode. */
  chooseFolder: (() => Promise<string | null>) | null;
  /** A native picker for one audit log file (Electron); null in browser mode. */
  chooseLogFile: (() => Promise<string | null>) | null;
  /** Render an HTML page to PDF where Electron runs (printToPDF); null in browser mode and the CLI. */
  printPdf: ((html: string) => Promise<Buffer>) | null;
  /** Questions for the person at the keyboard (SSH host keys, key passphrases), asked through events. */
  prompts: PromptBroker;
  /**
   * Where the operator's signing key lives: the keychain in the app, a passphrase file in browser
   * mode (set by the transport). Null: a key file under dataDir opened with DAPPLE_KEY_PASSPHRASE.
   */
  operatorKeys: (() => Promise<KeyStore>) | null;
};

/** Build a context; emit is supplied by the transport (IPC or the bridge). */
export function createContext(options: {
  version: string;
  transport: 'electron' | 'browser';
  dataDir: string;
  emit: AppContext['emit'];
  chooseFolder?: () => Promise<string | null>;
  printPdf?: (html: string) => Promise<Buffer>;
  chooseLogFile?: () => Promise<string | null>;
  /** How long a prompt waits before it counts as "no" (default 5 minutes). */
  promptTimeoutMs?: number;
  operatorKeys?: () => Promise<KeyStore>;
}): AppContext {
  const ctx: AppContext = {
    version: options.version,
    transport: options.transport,
    dataDir: options.dataDir,
    current: null,
    get workspace() {
      return ctx.current?.workspace ?? null;
    },
    setWorkspace(loaded) {
      ctx.current = loaded;
    },
    emit: options.emit,
    chooseFolder: options.chooseFolder ?? null,
    printPdf: options.printPdf ?? null,
    chooseLogFile: options.chooseLogFile ?? null,
    operatorKeys: options.operatorKeys ?? null,
    prompts: createPromptBroker(
      (name, payload) => ctx.emit(name, payload),
      options.promptTimeoutMs ? { timeoutMs: options.promptTimeoutMs } : {},
    ),
  };
  return ctx;
}
