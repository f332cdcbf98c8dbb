// The console's frame: navigation, the current section, the status bar, and global shortcuts.
import { useEffect } from 'react';
import { AuditView } from '../audit/audit-view';
import { CatalogView } from '../catalog/catalog-view';
import { DrillsView } from '../drills/drills-view';
import { HealthView } from '../health/health-view';
import { PromptDialog } from '../prompts/prompt-dialog';
import { RestoreView } from '../restore/restore-view';
import { TimelineView } from '../timeline/timeline-view';
import { bootstrap, navigate, wireEvents } from '../../store/actions';
import { useStore } from '../../store/index';
import { NoWorkspace } from './no-workspace';
import { sectionShortcuts } from './shortcuts';
import { Sidebar } from './sidebar';
import { StatusBar } from './status-bar';

const views = {
  catalog: CatalogView,
  timeline: TimelineView,
  restore: RestoreView,
  drills: DrillsView,
  audit: AuditView,
  health: HealthView,
};

/** The whole console. */
export function App() {
  const section = useStore((s) => s.section);
  const theme = useStore((s) => s.theme);
  const hasWorkspace = useStore((s) => s.workspace !== null);
  const loading = useStore((s) => s.workspaceLoading);

  useEffect(() => {
    const off = wireEvents();
    void bootstrap();
    return off;
  }, []);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  useEffect(() => {
    // G then a letter everywhere; Ctrl/Cmd+1..6 only in the desktop app (a browser owns them).
    const onKey = sectionShortcuts(
      () => useStore.getState().appInfo?.transport === 'electron',
      navigate,
    );
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => {
    // Move focus to the new section's title so keyboard and screen-reader users land in it.
    document.querySelector<HTMLElement>('[data-section-title]')?.focus({ preventScroll: true });
  }, [section]);

  const View = views[section];
  return (
    <div className="app">
      <a className="skip-link" href="#main">
        Skip to content
      </a>
      <Sidebar />
      <main id="main" className="main" aria-busy={loading}>
        {loading ? (
          <p className="loading">Opening workspace…</p>
        ) : hasWorkspace ? (
          <View />
        ) : (
          <NoWorkspace />
        )}
      </main>
      <StatusBar />
      <PromptDialog />
    </div>
  );
}
