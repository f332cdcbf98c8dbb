// Player controls: play, pause, speed 1×–60×, step through records, scrub; time against the RTO.
import { useEffect } from 'react';
import type { AuditOpened } from '../../../../preload/schemas/audit-replay';
import { pauseAudit, playAudit, seekAudit, setAuditSpeed, SPEEDS } from '../../store/audit-actions';
import { useStore } from '../../store/index';

/** Space plays or pauses, ← and → step through records, unless a field or button has the keys. */
function onKey(event: KeyboardEvent): void {
  if (event.ctrlKey || event.metaKey || event.altKey) return;
  const target = event.target as HTMLElement | null;
  const tag = target?.tagName ?? '';
  if (['INPUT', 'SELECT', 'TEXTAREA'].includes(tag) || target?.isContentEditable) return;
  const { auditPos, auditPlaying } = useStore.getState();
  if (event.key === ' ' && tag !== 'BUTTON' && tag !== 'A') {
    event.preventDefault();
    if (auditPlaying) pauseAudit();
    else playAudit();
  } else if (event.key === 'ArrowRight' || event.key === 'ArrowLeft') {
    event.preventDefault();
    pauseAudit();
    seekAudit(auditPos + (event.key === 'ArrowRight' ? 1 : -1));
  }
}
import { clockText, durationText, offsetText, replayElapsedMs } from './replay-model';

/** The replay's controls and where it stands. */
export function ReplayPlayer(props: { opened: AuditOpened }) {
  const { opened } = props;
  const pos = useStore((s) => s.auditPos);
  const playing = useStore((s) => s.auditPlaying);
  const speed = useStore((s) => s.auditSpeed);
  const clock = useStore((s) => s.auditClockMs);
  const total = opened.records.length;
  const record = opened.records[pos];
  const atEnd = pos >= total - 1;
  const rtoMs = opened.rtoSeconds === null ? null : opened.rtoSeconds * 1000;
  const elapsed = replayElapsedMs(opened, pos, clock);
  const share = rtoMs ? Math.min(1, elapsed / rtoMs) : 0;
  useEffect(() => {
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  return (
    <section className="audit-player" aria-label="Replay controls">
      <div className="audit-controls">
        {playing ? (
          <button type="button" onClick={pauseAudit} className="primary">
            Pause
          </button>
        ) : (
          <button type="button" onClick={playAudit} className="primary">
            {atEnd ? 'Play from the start' : 'Play'}
          </button>
        )}
        <button type="button" onClick={() => seekAudit(0)} disabled={pos === 0}>
          To the start
        </button>
        <button type="button" onClick={() => seekAudit(pos - 1)} disabled={pos === 0}>
          Previous record
        </button>
        <button type="button" onClick={() => seekAudit(pos + 1)} disabled={atEnd}>
          Next record
        </button>
        <button type="button" onClick={() => seekAudit(total - 1)} disabled={atEnd}>
          To the end
        </button>
        <span className="audit-speeds" role="group" aria-label="Replay speed">
          <span className="muted">Speed</span>
          {SPEEDS.map((s) => (
            <button
              key={s}
              type="button"
              aria-pressed={speed === s}
              className={speed === s ? 'audit-chip audit-chip-on' : 'audit-chip'}
              onClick={() => setAuditSpeed(s)}
            >
              {s}×
            </button>
          ))}
        </span>
      </div>
      <input
        type="range"
        className="audit-scrub"
        min={0}
        max={Math.max(0, total - 1)}
        value={pos}
        aria-label="Replay position (record)"
        aria-valuetext={`Record ${pos + 1} of ${total}`}
        onChange={(e) => {
          pauseAudit();
          seekAudit(Number(e.target.value));
        }}
      />
      <div className="audit-status">
        <p className="audit-position">
          <strong>
            Record {pos + 1} of {total}
          </strong>
          {record ? (
            <>
              {' · '}
              {clockText(record.ts)} · {offsetText(elapsed)} since the log was opened
            </>
          ) : null}
          {playing ? ` · playing at ${speed}×` : ''}
          <span className="muted audit-keys"> · keys: Space play/pause, ← → record by record</span>
        </p>
        <div className="audit-rto">
          {rtoMs && !atEnd ? (
            <>
              <meter
                min={0}
                max={1}
                low={0.75}
                high={0.99}
                optimum={0}
                value={share}
                aria-label="Time used of the RTO"
              />
              <span>
                {durationText(elapsed)} of the {durationText(rtoMs)} RTO used by this point.
              </span>
            </>
          ) : (
            <span>{opened.timeText}</span>
          )}
        </div>
      </div>
    </section>
  );
}
