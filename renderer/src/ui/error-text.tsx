// An error as a person reads it: the sentence, what to do next, and (folded away, for a bug
// report) the technical detail. Every error the console shows goes through here.
import type { AppError } from '../../../preload/contract';

/** The sentence and hint of an error; its detail only when asked for. */
export function ErrorText(props: {
  error: Pick<AppError, 'message' | 'hint' | 'detail'>;
  /** An alert is read out at once; a plain error paragraph is not. */
  alert?: boolean;
  className?: string;
}) {
  const { error } = props;
  return (
    <div className={props.className ?? 'error'} role={props.alert === false ? undefined : 'alert'}>
      <p>
        {error.message}
        {error.hint ? <span className="error-hint"> {error.hint}</span> : null}
      </p>
      {error.detail ? (
        <details className="error-detail">
          <summary>Technical detail (for a bug report)</summary>
          <code>{error.detail}</code>
        </details>
      ) : null}
    </div>
  );
}
