// What a tool-aware step will restore (sets, files, bytes, from the catalog) and why it cannot run
// as bound. Shown in the plan and in the session, next to (or instead of) an argv.
import type { PlanStep } from '../../../../preload/schemas/runbook';

/** The step's work in words and its problems; nothing for a step without either. */
export function StepWork(props: { step: PlanStep; rehearsal?: boolean }) {
  const { step } = props;
  if (!step.work && step.problems.length === 0) return null;
  return (
    <div className="step-work">
      {step.work ? (
        <p>
          <span className="muted">{props.rehearsal ? 'would restore' : 'restores'}</span>{' '}
          {step.work.summary}
          {step.cwd ? (
            <>
              {' '}
              <span className="muted">into</span> <code>{step.cwd}</code>
            </>
          ) : null}
          {step.where && step.where !== 'this machine' ? (
            <>
              {' '}
              <span className="muted">on</span> {step.where}
            </>
          ) : null}
        </p>
      ) : null}
      {step.problems.map((p) => (
        <p key={p} className="error" role="alert">
          {p}
        </p>
      ))}
    </div>
  );
}
