// Actions: plain functions that call main and set state (usable from IPC listeners and components).
import type { Section } from '../../../preload/contract';
import { api, errorOf, unwrap } from '../ipc';
import {
  askCatalogEarly,
  dropEarlyCatalog,
  onCatalogChanged,
  onCatalogProgress,
} from './catalog-actions';
import { loadPendingPrompts, onPromptClosed, onPromptShow } from './prompt-actions';
import { loadFindings } from './health-actions';
import { useStore } from './index';
import { loadActiveSession, onSessionChanged } from './session-actions';
import { refreshTimeline } from './timeline-actions';
import type { Theme } from './navigation-slice';

const set = useStore.setState;

/** Show a section. */
export const navigate = (section: Section): void => set({ section });

/** Switch and remember the theme. */
export function setTheme(theme: Theme): void {
  set({ theme });
  try {
    localStorage.setItem('dapple.theme', theme);
  } catch {
    // storage may be unavailable; the theme still applies for this session
  }
}

/** First load: engine facts and the workspace main already opened. */
export async function bootstrap(): Promise<void> {
  askCatalogEarly();
  try {
    const [info, workspace] = await Promise.all([
      unwrap(api().app.info({})),
      unwrap(api().workspace.get({})),
    ]);
    if (!workspace) dropEarlyCatalog();
    set({
      appInfo: info,
      workspace,
      workspaceLoading: false,
      connected: true,
      workspaceError: null,
    });
  } catch (error) {
    dropEarlyCatalog();
    set({ workspaceLoading: false, connected: false, workspaceError: errorOf(error) });
  }
}

/** Open a workspace folder by path. */
export async function openWorkspace(path: string): Promise<void> {
  set({ workspaceLoading: true });
  try {
    const workspace = await unwrap(api().workspace.open({ path }));
    set({ workspace, workspaceLoading: false, workspaceError: null, connected: true });
  } catch (error) {
    set({ workspaceLoading: false, workspaceError: errorOf(error) });
  }
}

/** Reload the workspace from disk. */
export async function reloadWorkspace(): Promise<void> {
  try {
    const workspace = await unwrap(api().workspace.reload({}));
    set({ workspace, workspaceError: null, connected: true });
  } catch (error) {
    set({ workspaceError: errorOf(error) });
  }
}

/** Subscribe to main's events once, at start-up. */
export function wireEvents(): () => void {
  const offs = [
    api().on['workspace.changed']((workspace) =>
      set({ workspace, workspaceLoading: false, connected: true }),
    ),
    api().on['menu.navigate'](({ section }) => navigate(section)),
    api().on['catalog.progress'](onCatalogProgress),
    api().on['catalog.changed'](onCatalogChanged),
    // Views derived from the catalog follow it.
    api().on['catalog.changed'](() => {
      void refreshTimeline();
      if (useStore.getState().findings !== null) void loadFindings();
    }),
    api().on['prompt.show'](onPromptShow),
    api().on['prompt.closed'](onPromptClosed),
    api().on['session.changed'](onSessionChanged),
  ];
  void loadPendingPrompts();
  // A session main still runs (after a reload of the page) comes back on screen.
  void loadActiveSession();
  return () => offs.forEach((off) => off());
}
