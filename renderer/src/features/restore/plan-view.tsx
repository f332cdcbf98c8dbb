// A runbook plan: its parameters as bound, and every step with the exact argv it would run.
import type { RunbookPlan } from '../../../../preload/schemas/runbook';
import { Badge } from '../../ui/badge';
import { PredictedTime } from './predicted-time';

const kindLabel: Record<string, string> = {
  manual: 'Manual',
  approval: 'Approval gate',
  ssh: 'SSH',
  s3: 'S3',
  local: 'Local',
  verify: 'Verify',
};

/** The plan, step by step. */
export function PlanView({ plan }: { plan: RunbookPlan }) {
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
            {s.unbound.length ? (
              <p className="warn-text">Bound when the session starts: {s.unbound.join(', ')}</p>
            ) : null}
          </li>
        ))}
      </ol>
    </div>
  );
}
