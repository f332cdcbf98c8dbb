// The records so far, in words, newest last: the log as it was written, one line per record.
import { useEffect, useRef } from 'react';
import type { AuditOpened } from '../../../../preload/schemas/audit-replay';
import { seekAudit } from '../../store/audit-actions';
import { offsetText, shortKey } from './replay-model';

const SHOWN = 200;

/** Records 0..pos (the last 200), each a button that moves the replay there. */
export function RecordList(props: { opened: AuditOpened; pos: number }) {
  const { opened, pos } = props;
  const from = Math.max(0, pos + 1 - SHOWN);
  const shown = opened.records.slice(from, pos + 1);
  const list = useRef<HTMLOListElement>(null);
  useEffect(() => {
    if (list.current) list.current.scrollTop = list.current.scrollHeight;
  }, [pos]);
  return (
    <section className="audit-records" aria-label="Records so far">
      <h2 className="audit-subhead">Records so far</h2>
      {from > 0 ? <p className="muted">{from} earlier records are above these.</p> : null}
      <ol ref={list} start={from}>
        {shown.map((r, i) => (
          <li key={r.seq} className={from + i === pos ? 'audit-record-now' : ''}>
            <button
              type="button"
              onClick={() => seekAudit(from + i)}
              aria-current={from + i === pos ? 'true' : undefined}
              title={`Signed by ${r.signer} (${shortKey(r.keyId)})`}
            >
              <span className="audit-record-seq">#{r.seq}</span>
              <span className="audit-record-time">{offsetText(r.offsetMs)}</span>
              <code className="audit-record-type">{r.type}</code>
              <span className="audit-record-text">{r.summary}</span>
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}
