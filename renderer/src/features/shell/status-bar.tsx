// The status bar: connection, workspace name and path, problems, theme switch, version.
import { setTheme } from '../../store/actions';
import { useStore } from '../../store/index';

/** Always visible at the bottom: where am I, and is the engine answering? */
export function StatusBar() {
  const { workspace, connected, appInfo, theme } = useStore();
  const errors = workspace?.problems.filter((p) => p.severity === 'error').length ?? 0;
  return (
    <footer className="status-bar" aria-label="Status">
      <span className={connected ? 'conn conn-ok' : 'conn conn-down'} role="status">
        {connected ? '● Connected' : '○ Disconnected'}
        {appInfo ? ` (${appInfo.transport === 'electron' ? 'desktop' : 'browser mode'})` : ''}
      </span>
      <span className="status-workspace" title={workspace?.path}>
        Workspace: <strong>{workspace ? workspace.name : 'none open'}</strong>
        {workspace ? <span className="muted"> — {workspace.path}</span> : null}
      </span>
      {errors > 0 ? (
        <span className="status-problems">
          ⚠ {errors} workspace problem{errors > 1 ? 's' : ''}
        </span>
      ) : null}
      <span className="spacer" />
      <button className="link-button" onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}>
        {theme === 'dark' ? 'Light theme' : 'Dark theme'}
      </button>
      <span className="muted">v{appInfo?.version ?? '…'}</span>
    </footer>
  );
}
