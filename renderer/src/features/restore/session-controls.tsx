// Two things the operator can do at any time in a session: add a note to the log, or abort.
import { useId, useState } from 'react';
import { act } from '../../store/session-actions';
import { useStore } from '../../store/index';
import { ActErrorText } from './operator-key';

function Refusal(props: { control: string }) {
  const error = useStore((s) =>
    s.sessionError?.control === props.control ? s.sessionError.error : null,
  );
  return error ? <ActErrorText error={error} /> : null;
}

/** A disclosure button that opens a one-field form and closes when main accepted it. */
function OneFieldForm(props: {
  open: string;
  label: string;
  submit: string;
  tone: 'plain' | 'danger';
  control: string;
  onSubmit: (text: string) => Promise<boolean>;
}) {
  const id = useId();
  const busy = useStore((s) => s.sessionBusy !== null);
  const [shown, setShown] = useState(false);
  const [text, setText] = useState('');
  return (
    <div className="one-field">
      <button
        type="button"
        className={props.tone === 'danger' ? 'danger-outline' : undefined}
        aria-expanded={shown}
        onClick={() => setShown(!shown)}
      >
        {props.open}
      </button>
      {shown ? (
        <form
          className="step-form"
          onSubmit={(e) => {
            e.preventDefault();
            void props.onSubmit(text.trim()).then((ok) => {
              if (ok) {
                setText('');
                setShown(false);
              }
            });
          }}
        >
          <label htmlFor={id}>{props.label}</label>
          <textarea id={id} rows={2} value={text} onChange={(e) => setText(e.target.value)} />
          <div className="form-row">
            <button
              type="submit"
              className={props.tone === 'danger' ? 'danger' : 'primary'}
              disabled={busy || text.trim() === ''}
            >
              {props.submit}
            </button>
            <button type="button" onClick={() => setShown(false)}>
              Cancel
            </button>
          </div>
        </form>
      ) : null}
      <Refusal control={props.control} />
    </div>
  );
}

/** "Add note": on the current step when there is one, else on the session. */
export function NoteForm(props: { step: string | null }) {
  return (
    <OneFieldForm
      open="Add note"
      label={
        props.step ? `Note on step “${props.step}” (kept in the log)` : 'Note (kept in the log)'
      }
      submit="Add note"
      tone="plain"
      control="note"
      onSubmit={(text) => act({ type: 'note', step: props.step, text }, 'note')}
    />
  );
}

/** "Abort session": the log is sealed as aborted, with the reason. */
export function AbortForm() {
  return (
    <OneFieldForm
      open="Abort session…"
      label="Why stop the restore here? (the log is sealed as aborted)"
      submit="Abort and seal the log"
      tone="danger"
      control="abort"
      onSubmit={(reason) => act({ type: 'abort', reason }, 'abort')}
    />
  );
}
