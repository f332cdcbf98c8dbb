// Browse a restic or borg snapshot folder by folder and tick files or folders to restore.
// The selection lives in the store (restoreSelection) for the restore flow.
import type { RecoveryPoint, SnapshotEntry } from '../../../../preload/schemas/catalog';
import {
  browseFiles,
  clearRestoreSelection,
  isUnder,
  toggleRestoreItem,
} from '../../store/catalog-actions';
import { useStore } from '../../store/index';
import { formatBytes, formatTime } from '../../ui/format';
import { clipText } from './point-cells';
import { ErrorText } from '../../ui/error-text';

/** The parent folder of an absolute snapshot path ('/' stays '/'). */
export const parentFolder = (path: string): string => {
  const trimmed = path.replace(/\/+$/, '');
  const cut = trimmed.lastIndexOf('/');
  return cut <= 0 ? '/' : trimmed.slice(0, cut);
};

/** Breadcrumbs of a folder: [['/', '/'], ['etc', '/etc'], ...]. */
function crumbs(path: string): [string, string][] {
  const parts = path.split('/').filter(Boolean);
  return [
    ['/', '/'],
    ...parts.map((name, i): [string, string] => [name, `/${parts.slice(0, i + 1).join('/')}`]),
  ];
}

const byFolderThenName = (a: SnapshotEntry, b: SnapshotEntry) =>
  Number(b.type === 'dir') - Number(a.type === 'dir') ||
  (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

/** The file browser of one snapshot point. */
export function FileBrowserPanel({ point }: { point: RecoveryPoint }) {
  const browser = useStore((s) => s.fileBrowser);
  const selection = useStore((s) => s.restoreSelection);
  const here =
    browser && browser.source === point.source && browser.pointId === point.id ? browser : null;
  const mine =
    selection && selection.source === point.source && selection.pointId === point.id
      ? selection
      : null;
  const go = (path: string) => void browseFiles(point.source, point.id, path);

  if (!here) {
    return (
      <>
        <h3>Files</h3>
        <p>
          <button type="button" onClick={() => go('/')}>
            Browse files in this snapshot
          </button>{' '}
          <span className="muted">to pick files or folders to restore.</span>
        </p>
        {selection && !mine ? (
          <p className="muted">
            {selection.items.length} item{selection.items.length === 1 ? '' : 's'} already selected
            from another snapshot ({clipText(selection.service, 60)}, {formatTime(selection.time)});
            ticking files here starts a new selection.
          </p>
        ) : null}
      </>
    );
  }
  const entries = here.entries ? [...here.entries].sort(byFolderThenName) : null;
  const selected = (path: string) => mine?.items.some((i) => i.path === path) ?? false;
  const covered = (path: string) =>
    mine?.items.some((i) => i.path !== path && i.type === 'dir' && isUnder(path, i.path)) ?? false;
  return (
    <div className="fb" data-testid="file-browser">
      <h3>Files</h3>
      <nav className="fb-crumbs" aria-label="Folder">
        {crumbs(here.path).map(([name, path], i, all) => (
          <span key={path}>
            {i === all.length - 1 ? (
              <strong>{clipText(name, 80)}</strong>
            ) : (
              <button type="button" className="link-button" onClick={() => go(path)}>
                {clipText(name, 80)}
              </button>
            )}
            {i > 0 && i < all.length - 1 ? ' / ' : i === 0 && all.length > 1 ? ' ' : ''}
          </span>
        ))}
      </nav>
      {here.loading ? <p className="loading">Listing {clipText(here.path, 200)}…</p> : null}
      {here.error ? <ErrorText error={here.error} /> : null}
      {entries && entries.length === 0 ? <p className="muted">This folder is empty.</p> : null}
      {entries && entries.length > 0 ? (
        <ul className="fb-list">
          {here.path !== '/' ? (
            <li>
              <span />
              <button
                type="button"
                className="link-button"
                onClick={() => go(parentFolder(here.path))}
              >
                ↑ up to {clipText(parentFolder(here.path), 80)}
              </button>
            </li>
          ) : null}
          {entries.map((e) => {
            const under = covered(e.path);
            return (
              <li key={e.path}>
                <input
                  type="checkbox"
                  aria-label={`Restore ${clipText(e.path, 200)}`}
                  checked={under || selected(e.path)}
                  disabled={under}
                  title={under ? 'Its folder is selected, which includes it.' : undefined}
                  onChange={() => toggleRestoreItem(point, e)}
                />
                {e.type === 'dir' ? (
                  <button type="button" className="link-button fb-dir" onClick={() => go(e.path)}>
                    ▸ {clipText(e.name, 160)}/
                  </button>
                ) : (
                  <span className="fb-file">
                    {e.type === 'symlink' ? '↪ ' : ''}
                    {clipText(e.name, 160)}
                  </span>
                )}
                <span className="muted fb-size">
                  {e.type === 'file' ? formatBytes(e.sizeBytes) : ''}
                </span>
                <span className="muted fb-time">{formatTime(e.modified)}</span>
              </li>
            );
          })}
        </ul>
      ) : null}
      <div className="fb-summary" role="status">
        <strong>
          Selected for restore: {mine ? mine.items.length : 0} item
          {mine?.items.length === 1 ? '' : 's'}
        </strong>
        {mine ? (
          <>
            {' '}
            <span className="muted">
              {clipText(mine.items.map((i) => i.path).join(', '), 300)}
            </span>{' '}
            <button type="button" className="link-button" onClick={clearRestoreSelection}>
              clear
            </button>
          </>
        ) : (
          <span className="muted"> — tick files or folders above.</span>
        )}
      </div>
    </div>
  );
}
