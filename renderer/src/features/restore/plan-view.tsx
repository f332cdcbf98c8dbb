// A runbook plan: its parameters as bound, and every step with the exact argv it would run.
import { useCallback } from 'react';
import type { Cut } from '../../../../preload/schemas/groups';
import type { PlanStep, RunbookPlan } from '../../../../preload/schemas/runbook';
import { api } from '../../ipc';
import { Badge } from '../../ui/badge';
import { PredictedTime } from './predicted-time';
import { BlastRadiusPanel, S3OperationView } from './blast-radius';
import { StepWork } from './step-work';

const kindLabel: Record<string, string> = {
  manual: 'Manual',
  approval: 'Approval gate',
  ssh: 'SSH',
  s3: 'S3',
  local: 'Local',
  verify: 'Verify',
  'restic-restore': 'restic restore',
  'borg-extract': 'borg extract',
  'pgbackrest-restore': 'pgBackRest restore',
  'manifest-restore': 'Manifest restore',
};

/** An S3 step's operation and, once it is bound, its blast radius counted now. */
function S3StepPreview(props: { plan: RunbookPlan; step: PlanStep; cut: Cut | null }) {
  const { plan, step, cut } = props;
  const load = useCallback(
    () => api().runbook.blastRadius({ file: plan.file, cut, step: step.id }),
    [plan.file, cut, step.id],
  );
  const op = step.s3;
  if (!op) return null;
  return (
    <>
      <S3OperationView op={op} />
      {op.problem ? (
        <p className="warn-text">{op.problem}</p>
      ) : step.unbound.length === 0 ? (
        <BlastRadiusPanel load={load} />
      ) : null}
    </>
  );
}

/** The plan, step by step. */
export function PlanView({ plan, cut = null }: { plan: RunbookPlan; cut?: Cut | null }) {
  return (
    <div className="plan">
      <p>{plan.description}</p>
      <PredictedTime plan={plan} />
      <h3 className="subhead">Parameters</h3>
      <table className="table compact">
        <tbody>
          {plan.params.map((p) => (
            <tr key={p.name}>
              <th scope="row">{p.name}</th>
              <td>
                <Badge>{p.type}</Badge>
              </td>
              <td>
                {p.bound ? (
                  <code>{p.bound}</code>
                ) : (
                  <span className="warn-text">not chosen yet</span>
                )}
                {p.chain && p.chain.sets > 1 ? (
                  <div className="param-chain">needs its chain: {p.chain.summary}</div>
                ) : null}
              </td>
              <td className="muted">{p.description}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <h3 className="subhead">Steps</h3>
      <ol className="steps">
        {plan.steps.map((s) => (
          <li key={s.id} className={s.destructive ? 'step step-destructive' : 'step'}>
            <div className="step-head">
              <Badge tone={s.kind === 'approval' ? 'info' : 'neutral'}>
                {kindLabel[s.kind] ?? s.kind}
              </Badge>
              <strong>{s.title}</strong>
              {s.destructive ? (
                <Badge tone="danger" title="A typed confirmation of the target's name is required">
                  DESTRUCTIVE — type “{s.confirmTarget ?? '?'}” to confirm
                </Badge>
              ) : null}
              {s.production ? <Badge tone="danger">PRODUCTION TARGET</Badge> : null}
            </div>
            {s.description ? <p className="step-desc">{s.description}</p> : null}
            {s.checklist.length ? (
              <ul className="checklist">
                {s.checklist.map((c) => (
                  <li key={c}>☐ {c}</li>
                ))}
              </ul>
            ) : null}
            {s.argv ? (
              <div className="argv">
                <span className="muted">
                  runs on {s.where}
                  {s.cwd ? ` in ${s.cwd}` : ''}:
                </span>
                <code className="argv-words">
                  {s.argv.map((word, i) => (
                    <span key={i} className="argv-word" title={`argument ${i}`}>
                      {word}
                    </span>
                  ))}
                </code>
              </div>
            ) : null}
            {s.s3 ? <S3StepPreview plan={plan} step={s} cut={cut} /> : null}
            <StepWork step={s} />
            {s.unbound.length ? (
              <p className="warn-text">Bound when the session starts: {s.unbound.join(', ')}</p>
            ) : null}
          </li>
        ))}
      </ol>
    </div>
  );
}
