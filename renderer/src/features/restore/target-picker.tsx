// Where the restore writes: the targets the runbook's target parameter allows, production in red
// and marked live-only (a drill never writes there). Picking one binds the plan again, so every
// step below shows the argv for that target. Choices are the engine's list, not the screen's.
import { useId } from 'react';
import type { PlanParam } from '../../../../preload/schemas/runbook';
import { useStore } from '../../store/index';
import { chooseTarget } from '../../store/restore-actions';
import { Badge } from '../../ui/badge';

/** The target parameter of a plan, when it has one. */
export const targetParam = (params: PlanParam[]): PlanParam | null =>
  params.find((p) => p.type === 'target') ?? null;

/** A radio group of the allowed targets; the bound one is checked. */
export function TargetPicker(props: { param: PlanParam; disabled?: boolean }) {
  const { param } = props;
  const id = useId();
  // The pick shows at once; the plan follows when main has bound it.
  const picked = useStore((s) => s.restoreChoice.target) ?? param.bound;
  if (param.choices.length === 0) {
    return (
      <p className="warn-text">
        The runbook’s {param.name} allows no target of this workspace: add one to dapple.yaml.
      </p>
    );
  }
  return (
    <fieldset className="target-picker" aria-describedby={`${id}-hint`}>
      <legend>Where to restore</legend>
      <p id={`${id}-hint`} className="muted">
        The plan follows your choice. A drill writes only to a sandbox; a live restore asks again.
      </p>
      {param.choices.map((choice) => {
        const production = choice.environment === 'production';
        return (
          <label
            key={choice.name}
            className={production ? 'target-choice target-choice-production' : 'target-choice'}
          >
            <input
              type="radio"
              name={`${id}-target`}
              value={choice.name}
              checked={picked === choice.name}
              disabled={props.disabled}
              onChange={() => chooseTarget(choice.name)}
            />
            <Badge tone={production ? 'danger' : 'ok'}>
              {production ? 'PRODUCTION' : 'SANDBOX'}
            </Badge>
            <strong className={production ? 'target-name-production' : 'target-name'}>
              {choice.name}
            </strong>
            <span className="muted">
              {choice.kind} {choice.location}
            </span>
            {production ? (
              <span className="target-live-only">no drill: rehearsal or live restore only</span>
            ) : null}
          </label>
        );
      })}
    </fieldset>
  );
}
