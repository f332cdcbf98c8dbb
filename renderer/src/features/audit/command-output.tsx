// One command as it ran: host, argv word by word, how it ended, and its output up to this moment.
import { useEffect, useRef } from 'react';
import type { CommandView } from '../../../../preload/schemas/audit';
import type { AuditOpened } from '../../../../preload/schemas/audit-replay';
import { loadAuditBlob } from '../../store/audit-actions';
import { useStore } from '../../store/index';
import { Badge } from '../../ui/badge';
import { durationText, outputsUpTo } from './replay-model';
import { ArgvWords } from '../../ui/argv-words';

function status(cmd: CommandView) {
  if (cmd.endedAt === null) return <Badge tone="info">running</Badge>;
  if (cmd.signal !== null) return <Badge tone="danger">killed by {cmd.signal}</Badge>;
  return cmd.exitCode === 0 ? (
    <Badge tone="ok">exit 0</Badge>
  ) : (
    <Badge tone="danger">exit {String(cmd.exitCode)}</Badge>
  );
}

/** A command and its output as printed by record `seq`. */
export function CommandOutput(props: { opened: AuditOpened; cmd: CommandView; seq: number }) {
  const { opened, cmd, seq } = props;
  const blobs = useStore((s) => s.auditBlobs);
  const outputs = outputsUpTo(opened, cmd.id, seq);
  const box = useRef<HTMLPreElement>(null);
  useEffect(() => {
    // Follow the newest output, as a terminal would.
    if (box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [outputs.length]);
  return (
    <article className="audit-command" aria-label={`Command ${cmd.id} on ${cmd.host}`}>
      <div className="audit-command-head">
        <span>
          On <strong className="audit-host">{cmd.host || 'unknown host'}</strong>
        </span>
        {status(cmd)}
        <span className="muted">
          {cmd.endedAt === null ? 'started' : `took ${durationText(cmd.durationMs)}`} · {cmd.id}
        </span>
      </div>
      <ArgvWords argv={cmd.argv} />
      {outputs.length === 0 ? (
        <p className="muted">{cmd.endedAt === null ? 'No output yet.' : 'No output.'}</p>
      ) : (
        <pre className="audit-output" ref={box} tabIndex={0} aria-label="Output">
          {outputs.map((o) => {
            const loaded = blobs[o.sha256];
            const text = o.text ?? loaded?.text ?? null;
            return (
              <span key={o.seq} className={`audit-${o.stream}`}>
                {text !== null ? (
                  text
                ) : (
                  <span className="audit-output-note">
                    [{loaded?.hidden ?? o.hidden}]
                    {o.lazy && !loaded ? (
                      <button type="button" onClick={() => void loadAuditBlob(o.sha256)}>
                        Load {Math.ceil(o.bytes / 1024)} KiB of output
                      </button>
                    ) : null}
                    {'\n'}
                  </span>
                )}
                {o.truncated || loaded?.truncated ? (
                  <span className="audit-output-note">
                    {'\n'}[output cut here: the whole of it is in the log’s blob file]
                  </span>
                ) : null}
              </span>
            );
          })}
        </pre>
      )}
    </article>
  );
}
