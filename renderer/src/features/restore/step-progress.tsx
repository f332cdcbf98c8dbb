// A running step's countable work: a bar with "x of y" and the ETA counted down. The same shape
// for every executor (backup tools, S3), read from the step's folded progress. (The step's own
// elapsed time is the step clock's, in the step's head.)
import type { StepProgress as Progress } from '../../../../preload/schemas/audit';
import { progressShare, progressText } from '../../../../preload/schemas/progress-words';
import { useNow } from './step-clock';

/**
 * Seconds left of a progress at `now`: its ETA counted down since it was recorded. Only the
 * record says a step is done (ETA 0): a countdown that runs out early stays at a second.
 */
export function etaLeft(progress: Progress, now: number): number | null {
  if (progress.etaSeconds === null) return null;
  if (progress.etaSeconds === 0) return 0;
  const since = Math.max(0, (now - Date.parse(progress.ts)) / 1000);
  return Math.max(1, progress.etaSeconds - since);
}

/** The progress bar (when the total is known) and the amount in words; nothing without progress. */
export function StepProgress(props: { progress: Progress | null; live: boolean }) {
  const { progress, live } = props;
  const now = useNow(live);
  if (!progress) return null;
  const share = progressShare(progress);
  const left = live ? etaLeft(progress, now) : progress.etaSeconds;
  const words = progressText({ ...progress, etaSeconds: left === null ? null : Math.round(left) });
  return (
    <div className="step-progress">
      {share !== null ? (
        <div
          className="progress-bar"
          role="progressbar"
          aria-label="Progress of this step"
          aria-valuemin={0}
          aria-valuemax={100}
          aria-valuenow={Math.round(share * 100)}
          aria-valuetext={words}
        >
          <span style={{ width: `${Math.round(share * 1000) / 10}%` }} />
        </div>
      ) : null}
      <span className="progress-text">
        {share !== null ? `${Math.floor(share * 100)}% · ` : ''}
        {words}
      </span>
      {progress.detail ? <code className="progress-detail">{progress.detail}</code> : null}
    </div>
  );
}
