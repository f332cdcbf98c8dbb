// A command of the live session as it runs: where, the argv word by word, how it ended and its
// output so far. (The Audit section's CommandOutput reads a replay, not a live session, so this
// is its live twin with the same look.)
import { useEffect, useRef } from 'react';
import type { CommandView } from '../../../../preload/schemas/audit';
import { Badge } from '../../ui/badge';
import { formatBytes } from '../../ui/format';
import { ArgvWords } from '../../ui/argv-words';

function ending(cmd: CommandView) {
  if (cmd.endedAt === null) return <Badge tone="info">▶ running</Badge>;
  if (cmd.signal !== null) return <Badge tone="danger">✗ stopped by {cmd.signal}</Badge>;
  return cmd.exitCode === 0 ? (
    <Badge tone="ok">✓ exit 0</Badge>
  ) : (
    <Badge tone="danger">✗ exit {String(cmd.exitCode)}</Badge>
  );
}

/** One command with its output, following the newest line as a terminal would. */
export function LiveOutput(props: { cmd: CommandView }) {
  const { cmd } = props;
  const box = useRef<HTMLPreElement>(null);
  const printed = cmd.output.reduce((n, o) => n + o.bytes, 0);
  useEffect(() => {
    if (box.current) box.current.scrollTop = box.current.scrollHeight;
  }, [cmd.output.length]);
  return (
    <article className="audit-command" aria-label={`Command ${cmd.id} on ${cmd.host}`}>
      <div className="audit-command-head">
        <span>
          On <strong className="audit-host">{cmd.host || 'this machine'}</strong>
        </span>
        {ending(cmd)}
        <span className="muted">
          {cmd.endedAt === null
            ? `started ${cmd.startedAt.slice(11, 19)} UTC`
            : `took ${((cmd.durationMs ?? 0) / 1000).toFixed(1)} s`}{' '}
          · {formatBytes(printed)} printed
        </span>
      </div>
      <ArgvWords argv={cmd.argv} />
      {cmd.output.length === 0 ? (
        <p className="muted">{cmd.endedAt === null ? 'No output yet.' : 'No output.'}</p>
      ) : (
        <pre className="audit-output" ref={box} tabIndex={0} aria-label="Output">
          {cmd.output.map((o) => (
            <span key={o.seq} className={`audit-${o.stream}`}>
              {o.text ??
                (o.blob
                  ? `[${formatBytes(o.bytes)} of output kept in the log’s blob file]\n`
                  : `[${formatBytes(o.bytes)} of binary output]\n`)}
            </span>
          ))}
        </pre>
      )}
    </article>
  );
}
