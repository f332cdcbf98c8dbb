// Choosing a log: the workspace's own logs with one click, a path, or a dropped/picked file.
import { useState } from 'react';
import { chooseAuditLog, openAuditFile, openAuditPath } from '../../store/audit-actions';
import { useStore } from '../../store/index';
import { formatBytes, formatTime } from '../../ui/format';

/** The ways to open a log. */
export function OpenLog() {
  const logs = useStore((s) => s.auditLogs);
  const loading = useStore((s) => s.auditLoading);
  const [path, setPath] = useState('');
  // The desktop app can pick a file by path, so its blob folder comes along.
  const desktop = useStore((s) => s.appInfo?.transport === 'electron');
  return (
    <div className="audit-open">
      <section aria-label="Logs in this workspace">
        <h2 className="audit-subhead">Logs in this workspace</h2>
        <p className="muted">
          Every log is verified on this machine against the open workspace’s{' '}
          <code>keys/trusted.json</code>: only keys listed there are trusted.
        </p>
        {logs === null ? (
          <p className="muted">Looking in the workspace’s audit/ folder…</p>
        ) : logs.length === 0 ? (
          <p className="muted">The workspace’s audit/ folder holds no .jsonl logs.</p>
        ) : (
          <ul className="audit-log-list">
            {logs.map((log) => (
              <li key={log.path}>
                <button
                  type="button"
                  className="primary"
                  disabled={loading}
                  onClick={() => void openAuditPath(log.path)}
                >
                  Open {log.name}
                </button>
                <span className="muted">
                  {formatBytes(log.bytes)} · file modified {formatTime(log.modified)}
                </span>
              </li>
            ))}
          </ul>
        )}
      </section>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (path.trim()) void openAuditPath(path.trim());
        }}
      >
        <label htmlFor="audit-path">Log file path</label>
        <input
          id="audit-path"
          value={path}
          onChange={(e) => setPath(e.target.value)}
          placeholder="/srv/backup-config/shop/audit/drill-2026-11-12.jsonl"
          spellCheck={false}
        />
        <button type="submit" disabled={loading || !path.trim()}>
          Open and verify
        </button>
        {desktop ? (
          <button type="button" disabled={loading} onClick={() => void chooseAuditLog()}>
            Choose a log file…
          </button>
        ) : null}
      </form>
      <div className="audit-drop">
        <p>
          Or drop a <code>.jsonl</code> log anywhere in this section, or{' '}
          <label className="audit-file-label">
            choose a file
            <input
              type="file"
              accept=".jsonl"
              className="visually-hidden"
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (file) void openAuditFile(file);
                e.target.value = '';
              }}
            />
          </label>
          . A file opened this way comes without its <code>.blobs</code> folder, so large output
          kept there is not shown.
        </p>
      </div>
    </div>
  );
}
