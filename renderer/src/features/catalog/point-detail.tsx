// The detail panel of one point: what it is, its chain down to a full (breaks in words), its
// copies, its lock, and the raw record as its source reported it (text, never HTML).
import { grouped } from './grouped';
import { useMemo, useState } from 'react';
import type { RecoveryPoint } from '../../../../preload/schemas/catalog';
import { closePoint } from '../../store/catalog-actions';
import type { PointDetail } from '../../store/catalog-slice';
import { useStore } from '../../store/index';
import {
  groupsOfService,
  openInTimeline,
  restoreCutOf,
  restoreFromPoint,
  type PointRestore,
} from '../../store/point-actions';
import { Badge } from '../../ui/badge';
import { formatAgo, formatBytes, formatTime } from '../../ui/format';
import { chainOf } from './chain';
import { FileBrowserPanel } from './file-browser';
import { clipText, drillTest, MIN_COPIES } from './point-cells';
import { testedWords } from '../../../../preload/schemas/drill-words';
import { openDrillInAudit } from '../../store/drills-actions';
import { rowOf, type PointIndex } from './query';
import { ErrorText } from '../../ui/error-text';

/** The raw record shown at most this long (a hostile 10 MB record must not freeze the page). */
const MAX_RAW_CHARS = 200_000;

function rawText(raw: unknown): string {
  try {
    const text = JSON.stringify(raw, null, 2) ?? String(raw);
    return text.length > MAX_RAW_CHARS
      ? `${text.slice(0, MAX_RAW_CHARS)}\n… (${grouped(text.length - MAX_RAW_CHARS)} more characters not shown)`
      : text;
  } catch {
    return String(raw);
  }
}

function ChainSection({ point, index }: { point: RecoveryPoint; index: PointIndex }) {
  const row = useMemo(() => rowOf(index, point.source, point.id), [index, point]);
  const chain = useMemo(
    () => (row === undefined ? null : chainOf(index.columns, row)),
    [index, row],
  );
  if (point.parent === null) {
    return (
      <p>
        {point.kind === 'full' || point.kind === 'snapshot' || point.kind === 'window'
          ? `Self-contained: this ${point.kind} needs no other point to be restored.`
          : `No parent is recorded for this ${point.kind}.`}
      </p>
    );
  }
  if (!chain) {
    return <p>This point is not in the catalog shown now: refresh to see its chain.</p>;
  }
  const missing = chain.links.find((l) => l.missing);
  return (
    <>
      {chain.broken ? (
        <p className="chain-broken" role="alert">
          <Badge tone="danger">broken chain</Badge>{' '}
          {chain.cycle
            ? 'The chain loops back on itself: the catalog is damaged, and this point cannot be trusted to restore.'
            : `The chain is broken: parent ${clipText(missing?.id ?? '?', 80)} is missing from the catalog, so this point cannot be restored from these backups. Pick an earlier point whose chain reaches a full backup.`}
        </p>
      ) : (
        <p>
          Restoring this point needs {chain.links.length - 1} earlier point
          {chain.links.length === 2 ? '' : 's'}, down to a full backup.
        </p>
      )}
      <ol className="chain-list">
        {chain.links.map((link, i) => (
          <li key={`${link.id}-${i}`} className={link.missing ? 'chain-missing' : undefined}>
            {i > 0 ? <span aria-hidden="true">← </span> : null}
            {link.missing ? (
              <strong>missing: {clipText(link.id, 80)}</strong>
            ) : (
              <>
                <code>{clipText(link.id, 80)}</code> {link.kind}{' '}
                <span className="muted">{formatTime(link.time)}</span>
                {i === 0 ? <span className="muted"> (this point)</span> : null}
              </>
            )}
          </li>
        ))}
      </ol>
    </>
  );
}

function LockSection({ point }: { point: RecoveryPoint }) {
  const lock = point.immutable;
  if (!lock) {
    return (
      <p>
        <Badge tone="warn">not immutable</Badge> Anyone (or any ransomware) with write access to the
        backend can delete or change this backup.
      </p>
    );
  }
  return (
    <p>
      <Badge tone="ok">{lock.mode}</Badge>{' '}
      {lock.retainUntil
        ? `Cannot be deleted until ${formatTime(lock.retainUntil)}.`
        : 'No retention date.'}{' '}
      {lock.legalHold ? 'A legal hold is set.' : 'No legal hold.'}
    </p>
  );
}

/** A drill's test (with the way to its log), else the source's own record of a test restore. */
function LastVerified({ point: p, index }: { point: RecoveryPoint; index: PointIndex }) {
  const row = rowOf(index, p.source, p.id);
  const t = row === undefined ? null : drillTest(index, row);
  if (t) {
    const words = testedWords(t.at, t.measuredMs);
    return (
      <span data-testid="tested-by-drill">
        <span className={t.stale ? 'warn-text' : 'ok-text'}>
          {t.stale ? '' : '✓ '}
          {words[0]?.toUpperCase()}
          {words.slice(1)}
        </span>
        {t.stale ? ' — longer ago than drillEvery, so the test is stale: drill it again.' : '.'}{' '}
        <button
          type="button"
          className="link-button"
          onClick={() => void openDrillInAudit(t.logPath)}
          title={`Verify and replay ${t.logName} in the Audit section`}
        >
          Open the drill log
        </button>
      </span>
    );
  }
  if (p.lastVerified) return <>{`${formatTime(p.lastVerified)} (${formatAgo(p.lastVerified)})`}</>;
  return <span className="warn-text">Never test-restored: no proof this point restores.</span>;
}

/** Open in Timeline and Restore from this point: from the point to its group. */
function GroupActions(props: { point: RecoveryPoint }) {
  const { point } = props;
  const workspace = useStore((s) => s.workspace);
  const groups = groupsOfService(workspace, point.service);
  const [answer, setAnswer] = useState<PointRestore | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <div className="pd-actions">
      <p className="muted">
        {groups.length
          ? `Group${groups.length === 1 ? '' : 's'}: ${groups.join(', ')}`
          : 'In no consistency group'}
      </p>
      <div className="form-row">
        <button
          type="button"
          disabled={groups.length === 0}
          onClick={() => void openInTimeline(point)}
        >
          Open in Timeline
        </button>
        <button
          type="button"
          className="primary"
          disabled={busy || groups.length === 0}
          onClick={() => {
            setBusy(true);
            void restoreFromPoint(point).then((a) => {
              setBusy(false);
              setAnswer(a.ok ? null : a);
            });
          }}
        >
          {busy ? 'Finding its cut…' : 'Restore from this point'}
        </button>
      </div>
      {answer && !answer.ok ? (
        <div className="warn-text" role="status">
          <p>{answer.message}</p>
          {answer.cut && answer.group ? (
            <button
              type="button"
              onClick={() => answer.cut && answer.group && restoreCutOf(answer.group, answer.cut)}
            >
              Restore that cut instead
            </button>
          ) : null}
        </div>
      ) : null}
    </div>
  );
}

/** The detail panel; restic and borg points also get the file browser. */
export function PointDetailPanel(props: {
  detail: PointDetail;
  index: PointIndex;
  sourceType: string | null;
}) {
  const { detail, index, sourceType } = props;
  const p = detail.point;
  const few = p.copies.length < MIN_COPIES;
  return (
    <aside className="pd" aria-labelledby="pd-title" data-testid="point-detail">
      <header className="pd-head">
        <h2 id="pd-title">
          {clipText(p.service, 80)} — {p.kind} of {formatTime(p.time)}
        </h2>
        <button type="button" onClick={closePoint} aria-label="Close details" title="Close (Esc)">
          Close
        </button>
      </header>
      <GroupActions key={`${p.source}\u0000${p.id}`} point={p} />
      <dl className="pd-facts">
        <dt>Point id</dt>
        <dd>
          <code>{clipText(p.id, 200)}</code>
        </dd>
        <dt>Source</dt>
        <dd>
          {clipText(p.source, 120)}{' '}
          {sourceType ? <span className="muted">({sourceType})</span> : null}
        </dd>
        <dt>Size</dt>
        <dd>{formatBytes(p.sizeBytes)}</dd>
        {p.endTime !== null || p.kind === 'window' ? (
          <>
            <dt>Window ends</dt>
            <dd>{p.endTime ? formatTime(p.endTime) : 'now (continuous)'}</dd>
          </>
        ) : null}
        <dt>Last verified</dt>
        <dd>
          <LastVerified point={p} index={index} />
        </dd>
        <dt>Tags</dt>
        <dd className="pd-tags">{p.tags.length ? clipText(p.tags.join(', '), 2000) : 'none'}</dd>
      </dl>
      <h3>Chain</h3>
      <ChainSection point={p} index={index} />
      <h3>Copies</h3>
      <p>
        {few ? (
          <Badge tone="warn">only {p.copies.length}</Badge>
        ) : (
          <Badge tone="ok">{p.copies.length} copies</Badge>
        )}{' '}
        {p.copies.length
          ? `Backends: ${clipText(p.copies.join(', '), 600)}.`
          : 'No backend holds a copy.'}
        {few
          ? ` Fewer than ${MIN_COPIES} copies: losing one backend leaves little to restore from.`
          : ''}
      </p>
      <h3>Lock</h3>
      <LockSection point={p} />
      {sourceType === 'restic' || sourceType === 'borg' ? <FileBrowserPanel point={p} /> : null}
      <h3>Raw record</h3>
      {detail.error ? (
        <ErrorText error={detail.error} />
      ) : detail.rawLoaded ? (
        <pre className="pd-raw" tabIndex={0} aria-label="Raw record as JSON">
          {rawText(p.raw)}
        </pre>
      ) : (
        <p className="loading">Reading the raw record…</p>
      )}
    </aside>
  );
}
