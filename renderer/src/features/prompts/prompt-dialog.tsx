// The modal for questions main asks (prompt.show): trust an unknown SSH host key, or type the
// passphrase of an encrypted key file. Refusing is the default: Enter or Escape never trusts a key.
import { useEffect, useRef, useState, type CSSProperties, type FormEvent } from 'react';
import { answerPrompt } from '../../store/prompt-actions';
import type { PromptQuestion } from '../../store/prompt-slice';
import { useStore } from '../../store/index';

// Inline styles: this dialog must not depend on a stylesheet another section may be editing.
const styles: Record<string, CSSProperties> = {
  dialog: {
    maxWidth: '40rem',
    width: 'calc(100% - 2rem)',
    background: 'var(--bg-raised)',
    color: 'var(--text)',
    border: '1px solid var(--border)',
    borderRadius: '8px',
    padding: '1.25rem 1.5rem',
  },
  fingerprint: {
    fontFamily: 'ui-monospace, SFMono-Regular, Menlo, Consolas, monospace',
    fontSize: '1.35rem',
    lineHeight: 1.4,
    wordBreak: 'break-all',
    background: 'var(--bg-sunken)',
    padding: '0.75rem',
    borderRadius: '6px',
    userSelect: 'all',
  },
  muted: { color: 'var(--text-muted)' },
  error: { color: 'var(--danger)' },
  buttons: { display: 'flex', gap: '0.75rem', justifyContent: 'flex-end', marginTop: '1rem' },
  input: { width: '100%', fontSize: '1rem', padding: '0.4rem' },
};

/** The first waiting question as a modal dialog; nothing when main is not asking. */
export function PromptDialog() {
  const question = useStore((s) => s.promptQueue[0] ?? null);
  const waiting = useStore((s) => s.promptQueue.length);
  const error = useStore((s) => s.promptError);
  if (!question) return null;
  // key: a new question gets a fresh dialog (and a fresh, empty passphrase field).
  return (
    <QuestionDialog key={question.id} question={question} queued={waiting - 1} error={error} />
  );
}

function QuestionDialog(props: {
  question: PromptQuestion;
  queued: number;
  error: { message: string; hint: string } | null;
}) {
  const { question, queued, error } = props;
  const ref = useRef<HTMLDialogElement>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    // showModal() focuses the first button (Trust): move focus to the safe default instead.
    dialog?.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    return () => dialog?.close();
  }, []);

  const send = (answer: { accept: boolean; passphrase?: string }) => {
    setBusy(true);
    void answerPrompt(question.id, answer).finally(() => setBusy(false));
  };
  const minutes = Math.max(1, Math.round(question.timeoutSeconds / 60));
  const titleId = `prompt-title-${question.id}`;

  return (
    <dialog
      ref={ref}
      style={styles.dialog}
      aria-labelledby={titleId}
      // Escape means "no": the question is answered, never left hanging.
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) send({ accept: false });
      }}
    >
      {question.kind === 'host-key' ? (
        <HostKeyQuestion question={question} titleId={titleId} busy={busy} send={send} />
      ) : (
        <PassphraseQuestion question={question} titleId={titleId} busy={busy} send={send} />
      )}
      {error ? (
        <p role="alert" style={styles.error}>
          {error.message} {error.hint}
        </p>
      ) : null}
      <p style={styles.muted}>
        Unanswered, this counts as “no” after {minutes} minute{minutes === 1 ? '' : 's'}.
        {queued > 0 ? ` ${queued} more question${queued === 1 ? '' : 's'} waiting.` : ''}
      </p>
    </dialog>
  );
}

type QuestionProps = {
  question: PromptQuestion;
  titleId: string;
  busy: boolean;
  send: (answer: { accept: boolean; passphrase?: string }) => void;
};

function HostKeyQuestion({ question, titleId, busy, send }: QuestionProps) {
  return (
    <>
      <h2 id={titleId}>Unknown SSH host key: {question.host}</h2>
      <p>{question.message}</p>
      <p style={styles.muted}>{question.keyType ?? 'host key'} fingerprint</p>
      <p style={styles.fingerprint} data-testid="prompt-fingerprint">
        {question.fingerprint ?? '(no fingerprint was given: refuse)'}
      </p>
      <div style={styles.buttons}>
        <button
          type="button"
          className="danger"
          disabled={busy || !question.fingerprint}
          onClick={() => send({ accept: true })}
        >
          Trust this key
        </button>
        {/* Focused when the dialog opens, so a stray Enter never trusts a key. */}
        <button
          type="button"
          className="primary"
          data-autofocus
          disabled={busy}
          onClick={() => send({ accept: false })}
        >
          Refuse
        </button>
      </div>
    </>
  );
}

function PassphraseQuestion({ question, titleId, busy, send }: QuestionProps) {
  const [passphrase, setPassphrase] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!passphrase) return;
    send({ accept: true, passphrase });
    // Not kept in the page once sent.
    setPassphrase('');
  };
  return (
    <form onSubmit={submit}>
      <h2 id={titleId}>SSH key passphrase for {question.host}</h2>
      <p>{question.message}</p>
      <label>
        Passphrase of <code>{question.keyFile}</code>
        <input
          type="password"
          autoComplete="off"
          data-autofocus
          style={styles.input}
          value={passphrase}
          onChange={(event) => setPassphrase(event.target.value)}
        />
      </label>
      <div style={styles.buttons}>
        <button type="button" disabled={busy} onClick={() => send({ accept: false })}>
          Skip this key
        </button>
        <button type="submit" className="primary" disabled={busy || !passphrase}>
          Unlock
        </button>
      </div>
    </form>
  );
}
