// The verdict first, in words, with the signers: what a reviewer must know before reading on.
import type { AuditOpened } from '../../../../preload/schemas/audit-replay';
import { Badge } from '../../ui/badge';
import { shortKey } from './replay-model';

/** The verification banner: verdict, sentence, first bad record, signers and caveats. */
export function VerdictBanner(props: { opened: AuditOpened }) {
  const { opened } = props;
  const { words, verification } = opened;
  const source =
    opened.source.kind === 'file'
      ? opened.source.path
      : `${opened.source.name} (dropped into the console)`;
  return (
    <section
      className={`audit-verdict audit-verdict-${words.tone}`}
      aria-label="Verification"
      role="status"
    >
      <div className="audit-verdict-head">
        <Badge tone={words.tone === 'ok' ? 'ok' : words.tone === 'warn' ? 'warn' : 'danger'}>
          {words.verdict}
        </Badge>
        <strong className="audit-headline">{words.headline}</strong>
        <span className="muted">
          {verification.records} record{verification.records === 1 ? '' : 's'} verified
        </span>
      </div>
      <p className="audit-sentence">{words.sentence}</p>
      <p className="muted audit-source">
        <code>{source}</code>
      </p>
      {opened.blobNote ? <p className="warn-text">{opened.blobNote}</p> : null}
      {opened.limitNote ? <p className="warn-text">{opened.limitNote}</p> : null}
      <h2 className="audit-subhead">Signed by</h2>
      <ul className="audit-signers">
        {opened.signers.map((s) => (
          <li key={s.keyId}>
            <strong>{s.name}</strong>{' '}
            <code title={s.keyId} aria-label={`key id ${s.keyId}`}>
              {shortKey(s.keyId)}
            </code>{' '}
            <span className="muted">
              {s.records} record{s.records === 1 ? '' : 's'}
              {s.approvals > 0 ? `, ${s.approvals} approval${s.approvals === 1 ? '' : 's'}` : ''}
              {' · trusted '}
              {s.validFrom ? s.validFrom.slice(0, 10) : '?'} to{' '}
              {s.validUntil ? s.validUntil.slice(0, 10) : 'no end'}
            </span>
            {s.comment ? <div className="muted audit-key-comment">{s.comment}</div> : null}
          </li>
        ))}
        {opened.signers.length === 0 ? <li className="muted">No record verified.</li> : null}
      </ul>
      {opened.keyNotes.length ? (
        <ul className="audit-key-notes" aria-label="When the keys were trusted">
          {opened.keyNotes.map((n) => (
            <li
              key={`${n.keyId}-${n.sentence}`}
              className={n.tone === 'warn' ? 'warn-text' : 'muted'}
            >
              {n.tone === 'warn' ? '⚠ ' : ''}
              {n.sentence}
            </li>
          ))}
        </ul>
      ) : null}
    </section>
  );
}
