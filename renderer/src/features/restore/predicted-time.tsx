// The plan's RTO with the restore time past drills predict for it ("predicted 38–52 min; RTO
// 1 h"), or why there is no prediction yet. Shown before a drill or a live restore starts.
import { useEffect, useState } from 'react';
import type { RestorePrediction } from '../../../../preload/schemas/drills';
import type { RunbookPlan } from '../../../../preload/schemas/runbook';
import { predictRestore } from '../../store/drills-actions';
import { useStore } from '../../store/index';
import { formatDuration } from '../../ui/format';

/** The RTO line of the plan, with the prediction once main answered. */
export function PredictedTime({ plan }: { plan: RunbookPlan }) {
  const request = useStore((s) => s.restoreRequest);
  const cut = request && request.runbook === plan.file ? request.cut : null;
  const [prediction, setPrediction] = useState<RestorePrediction | null>(null);
  useEffect(() => {
    let live = true;
    void predictRestore(plan.file, cut).then((p) => live && setPrediction(p));
    return () => {
      live = false;
    };
  }, [plan.file, cut]);
  const rto = `RTO ${plan.rtoSeconds ? formatDuration(plan.rtoSeconds) : 'not set'}`;
  if (!prediction) return <p className="muted predicted">{rto}</p>;
  const known = prediction.lowMs !== null;
  const text = prediction.summary[0]?.toUpperCase() + prediction.summary.slice(1);
  return (
    <p className="predicted" data-testid="predicted-time">
      <span className={prediction.overRto ? 'warn-text' : known ? undefined : 'muted'}>
        {known ? <strong>{text}</strong> : text}
      </span>
      <br />
      <span className="muted">{prediction.basis}</span>
    </p>
  );
}
