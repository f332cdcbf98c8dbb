// Choosing where a live restore writes, before it starts: nothing is chosen for you, production and
// sandbox are two clearly different groups, the preview below follows the choice (every command as
// it would run there), and the button names the target and its path. Cancel and Esc close it; the
// focus goes back to the button that opened it. A pick here is the same choice as the plan's
// target picker (restoreChoice.target): the plan behind, the preview and session.start follow it,
// and Cancel puts back what was chosen before.
import { useEffect, useId, useRef, useState } from 'react';
import type { Cut } from '../../../../preload/schemas/groups';
import type { RunbookPlan, TargetChoice } from '../../../../preload/schemas/runbook';
import { chooseTarget } from '../../store/restore-actions';
import { startSession } from '../../store/session-actions';
import { useStore } from '../../store/index';
import { Badge } from '../../ui/badge';
import { ActErrorText } from './operator-key';
import { targetParam } from './target-picker';

/** The words of the start button: the target and where it writes. */
export function startWords(t: TargetChoice | null): string {
  return t ? `Restore into ${t.name} — ${t.location}` : 'Choose a target first';
}

function Choice(props: { t: TargetChoice; name: string; chosen: boolean; onChoose: () => void }) {
  const { t } = props;
  const production = t.environment === 'production';
  return (
    <label
      className={`target-choice ${production ? 'target-choice-production' : 'target-choice-sandbox'}`}
    >
      <input type="radio" name={props.name} checked={props.chosen} onChange={props.onChoose} />
      <span className="target-choice-text">
        <Badge tone={production ? 'danger' : 'ok'}>{production ? 'PRODUCTION' : 'SANDBOX'}</Badge>{' '}
        <strong>{t.name}</strong>
        <span className="muted">
          {' '}
          {t.kind} {t.location}
        </span>
        <span className="target-choice-note">
          {production
            ? 'What people use now: a restore here replaces their data.'
            : 'A place to check the restored data; nobody depends on it.'}
        </span>
      </span>
    </label>
  );
}

/** A word of the preview, marked when it lies in the chosen target. */
function Word(props: { word: string; path: string | null }) {
  const inTarget = props.path !== null && props.word.includes(props.path);
  return <span className={inTarget ? 'argv-word argv-target' : 'argv-word'}>{props.word}</span>;
}

/** What the chosen target's plan would do, one line per step that writes or runs something. */
function Preview(props: { plan: RunbookPlan | null; loading: boolean; path: string | null }) {
  if (props.loading) return <p className="loading">Binding the plan to this target…</p>;
  if (!props.plan) return <p className="muted">The preview shows once a target is chosen.</p>;
  const steps = props.plan.steps.filter((s) => s.rollbackOf === null && (s.argv || s.work));
  return (
    <ol className="target-preview">
      {steps.map((s) => (
        <li key={s.id}>
          <span className="muted">
            {s.title} — on {s.where ?? 'this machine'}
            {s.argv && s.cwd ? ' in' : ''}
          </span>{' '}
          {s.argv && s.cwd ? <Word word={s.cwd} path={props.path} /> : null}
          {s.argv ? (
            <code className="argv-words">
              {s.argv.map((word, i) => (
                <Word key={i} word={word} path={props.path} />
              ))}
            </code>
          ) : (
            <span className="argv-words">
              <span className="muted">{s.work?.summary}, into</span>{' '}
              <Word word={s.cwd ?? '(no folder)'} path={props.path} />
            </span>
          )}
        </li>
      ))}
      {steps.length === 0 ? <li className="muted">No step runs a command.</li> : null}
    </ol>
  );
}

/**
 * The other target parameters this pick binds (those that `follows:` it): a live restore writes
 * there too, so the dialog names each before anything starts.
 */
function AlsoBound(props: { plan: RunbookPlan; leader: string }) {
  const others = props.plan.params.flatMap((p) => {
    if (p.type !== 'target' || p.name === props.leader || p.bound === null) return [];
    const t = p.choices.find((c) => c.name === p.bound);
    return t ? [{ param: p.name, t }] : [];
  });
  if (others.length === 0) return null;
  return (
    <div className="target-also">
      <p>This choice also writes to:</p>
      <ul>
        {others.map(({ param, t }) => {
          const production = t.environment === 'production';
          return (
            <li key={param}>
              <Badge tone={production ? 'danger' : 'ok'}>
                {production ? 'PRODUCTION' : 'SANDBOX'}
              </Badge>{' '}
              <strong>{t.name}</strong>
              <span className="muted">
                {' '}
                {t.kind} {t.location} (the runbook's {param})
              </span>
            </li>
          );
        })}
      </ul>
    </div>
  );
}

/** The dialog; `plan` is the plan bound to the store's choice (it follows a pick here). */
export function TargetDialog(props: {
  plan: RunbookPlan;
  cut: Cut | null;
  incident: string | null;
  onClose: () => void;
}) {
  const { plan, cut, incident, onClose } = props;
  const ref = useRef<HTMLDialogElement>(null);
  const id = useId();
  const starting = useStore((s) => s.sessionStarting);
  const error = useStore((s) => (s.sessionError?.control === 'start' ? s.sessionError : null));
  // What the plan's picker had chosen when the dialog opened: Cancel puts it back.
  const before = useRef(useStore.getState().restoreChoice.target);
  const param = targetParam(plan.params);
  const choices = param?.choices ?? [];
  // Nothing is chosen when the dialog opens, whatever the plan's picker or the runbook's default.
  const [chosen, setChosen] = useState<string | null>(null);
  const [typed, setTyped] = useState('');
  const target = choices.find((c) => c.name === chosen) ?? null;
  // The plan follows the pick once main has bound it again; until then the preview waits.
  const caughtUp = target !== null && param?.bound === target.name;
  const production = target?.environment === 'production';
  // A live restore into production also needs its name typed; a sandbox does not.
  const needsTyping = production;
  const ready = caughtUp && (!needsTyping || typed === target.name);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    dialog?.querySelector<HTMLElement>('input[type="radio"]')?.focus();
    return () => dialog?.close();
  }, []);

  const choose = (name: string) => {
    setChosen(name);
    setTyped('');
    chooseTarget(name);
  };
  const cancel = () => {
    if (chosen !== null) chooseTarget(before.current);
    onClose();
  };
  const byEnv = (env: 'production' | 'sandbox') => choices.filter((c) => c.environment === env);
  const titleId = `${id}-title`;
  return (
    <dialog
      ref={ref}
      className="target-dialog"
      aria-labelledby={titleId}
      onCancel={(e) => {
        e.preventDefault();
        cancel();
      }}
    >
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          if (!ready) return;
          // session.start takes the store's choice: the target picked here.
          void startSession(plan.file, cut, 'live', incident).then(() => {
            if (useStore.getState().session) onClose();
          });
        }}
      >
        <h2 id={titleId}>Where should the live restore write?</h2>
        <p className="muted">
          Nothing is chosen for you. Pick the target to restore into; the commands below follow your
          choice.
        </p>
        {choices.length === 0 ? (
          <p className="warn-text">
            This runbook has no target parameter, so there is nothing to choose: its steps name
            where they write.
          </p>
        ) : null}
        {(['production', 'sandbox'] as const).map((env) =>
          byEnv(env).length ? (
            <fieldset key={env} className={`target-group target-group-${env}`}>
              <legend>{env === 'production' ? 'Production' : 'Sandbox'}</legend>
              {byEnv(env).map((t) => (
                <Choice
                  key={t.name}
                  t={t}
                  name={`${id}-target`}
                  chosen={chosen === t.name}
                  onChoose={() => choose(t.name)}
                />
              ))}
            </fieldset>
          ) : null,
        )}
        <h3 className="subhead">
          {target ? `What would run in ${target.name}` : 'What would run'}
        </h3>
        <div
          className="target-preview-box"
          tabIndex={0}
          role="region"
          aria-label="Commands for the chosen target"
        >
          <Preview
            plan={caughtUp ? plan : null}
            loading={target !== null && !caughtUp}
            path={target ? (target.location.split(':').pop() ?? null) : null}
          />
        </div>
        {caughtUp && param ? <AlsoBound plan={plan} leader={param.name} /> : null}
        {needsTyping && target ? (
          <div className="field target-typed">
            <label htmlFor={`${id}-typed`}>
              Type <strong className="target-name-production">{target.name}</strong> to confirm a
              restore into production
            </label>
            <input
              id={`${id}-typed`}
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              autoComplete="off"
              spellCheck={false}
            />
          </div>
        ) : null}
        {error ? <ActErrorText error={error.error} /> : null}
        <div className="dialog-buttons">
          <button type="button" onClick={cancel}>
            Cancel
          </button>
          <button
            type="submit"
            className={production ? 'danger' : 'primary'}
            disabled={!ready || starting !== null}
          >
            {starting ? 'Starting…' : startWords(target)}
          </button>
        </div>
      </form>
    </dialog>
  );
}
