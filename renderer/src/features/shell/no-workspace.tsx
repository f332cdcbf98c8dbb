// Shown when no workspace is open: how to open one, by picker or by path.
import { useState } from 'react';
import { api, unwrap } from '../../ipc';
import { openWorkspace } from '../../store/actions';
import { useStore } from '../../store/index';
import { EmptyState } from '../../ui/empty-state';
import { ErrorText } from '../../ui/error-text';

/** Open a workspace folder. */
export function NoWorkspace() {
  const [path, setPath] = useState('');
  const error = useStore((s) => s.workspaceError);
  const desktop = useStore((s) => s.appInfo?.transport === 'electron');
  const choose = async () => {
    const dir = await unwrap(api().workspace.choose({})).catch(() => null);
    if (dir) await openWorkspace(dir);
  };
  return (
    <EmptyState title="No workspace is open">
      <p>A workspace is a folder with dapple.yaml, runbooks/ and keys/trusted.json.</p>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (path.trim()) void openWorkspace(path.trim());
        }}
      >
        <label htmlFor="workspace-path">Workspace folder</label>
        <input
          id="workspace-path"
          value={path}
          onChange={(e) => setPath(e.target.value)}
          placeholder="/srv/backup-config/shop"
        />
        <button type="submit">Open</button>
        {desktop ? (
          <button type="button" onClick={() => void choose()}>
            Choose…
          </button>
        ) : null}
      </form>
      {error ? <ErrorText error={error} /> : null}
    </EmptyState>
  );
}
