// An S3 step as the engine will run it (the operation, spelled out) and its blast radius: how
// many keys it would overwrite, bring back, create, hide or leave alone, the bytes, the first
// keys of each kind — counted from a listing before anything runs.
import { useCallback, useEffect, useState } from 'react';
import type { AppError } from '../../../../preload/contract';
import { kindWords, RADIUS_KINDS } from '../../../../preload/schemas/radius-words';
import type { PlanStep, S3Operation } from '../../../../preload/schemas/runbook';
import type { BlastRadius } from '../../../../preload/schemas/s3';
import { api, errorOf, unwrap } from '../../ipc';
import { useStore } from '../../store/index';
import { ErrorText } from '../../ui/error-text';
import { formatBytes } from '../../ui/format';

const actionWords: Record<S3Operation['action'], string> = {
  'restore-to-instant': 'Restore in place to the instant',
  copy: 'Copy the prefix as at the instant',
  download: 'Download the prefix as at the instant',
  'prefix-equals-instant': 'Check the prefix against the instant',
};

const place = (p: NonNullable<S3Operation['to']>) =>
  p.kind === 'folder' ? p.path : `s3://${p.bucket}/${p.prefix}`;

/** The operation exactly as bound: what is read, as at when, where bytes land, and the tuning. */
export function S3OperationView({ op }: { op: S3Operation }) {
  const to = op.action === 'restore-to-instant' ? op.source : op.to;
  return (
    <dl className="s3-op">
      <dt>Operation</dt>
      <dd>{actionWords[op.action]}</dd>
      <dt>Reads</dt>
      <dd>
        <code>{place(op.source)}</code> on backend <code>{op.source.backend || '?'}</code> (
        {op.source.endpoint || 'no endpoint'})
      </dd>
      <dt>As at</dt>
      <dd>
        <code>{op.at}</code>
      </dd>
      {to ? (
        <>
          <dt>{op.action === 'prefix-equals-instant' ? 'Checks' : 'Writes'}</dt>
          <dd>
            <code>{place(to)}</code>
            {to.target ? ` (target ${to.target})` : ''}
          </dd>
        </>
      ) : null}
      <dt>Tuning</dt>
      <dd>
        {op.concurrency} requests at once; copies in parts above{' '}
        {formatBytes(op.multipartThresholdBytes)}
      </dd>
    </dl>
  );
}

/** The radius as a table: one row per kind that occurs, with its first keys. */
export function RadiusTable({ radius }: { radius: BlastRadius }) {
  const unit = radius.action === 'download' ? 'files' : 'keys';
  const check = radius.action === 'prefix-equals-instant';
  const rows = RADIUS_KINDS.filter((k) => radius[k].count > 0);
  return (
    <div
      className={check ? 'blast-radius blast-radius-check' : 'blast-radius'}
      role="region"
      aria-label={check ? 'Differences from the instant' : 'Blast radius'}
    >
      <p className="blast-radius-where">
        <strong>{check ? 'Differences now' : 'Blast radius'}</strong> of <code>{radius.where}</code>{' '}
        {check ? 'from' : 'as at'} <code>{radius.at}</code>{' '}
        <span className="muted">({radius.listed} versions listed)</span>
      </p>
      <table className="table compact">
        <thead>
          <tr>
            <th scope="col">{check ? 'Keys that' : 'What happens'}</th>
            <th scope="col">{unit}</th>
            <th scope="col">bytes</th>
            <th scope="col">first {unit}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((kind) => (
            <tr key={kind} className={`radius-${kind}`}>
              <th scope="row">{kindWords(kind, radius.action)}</th>
              <td className="num">{radius[kind].count}</td>
              <td className="num">{formatBytes(radius[kind].bytes)}</td>
              <td>
                {radius[kind].first.map((key) => (
                  <code key={key} className="radius-key">
                    {key}
                  </code>
                ))}
                {radius[kind].count > radius[kind].first.length ? (
                  <span className="muted">
                    {' '}
                    … {radius[kind].count - radius[kind].first.length} more
                  </span>
                ) : null}
              </td>
            </tr>
          ))}
          {rows.length === 0 ? (
            <tr>
              <td colSpan={4}>The prefix holds no keys at the instant and none now.</td>
            </tr>
          ) : null}
        </tbody>
      </table>
      {radius.warnings.map((w) => (
        <p key={w} className="warn-text">
          {w}
        </p>
      ))}
    </div>
  );
}

/** Ask main for the radius (a listing: it may take a while) and show it, or why it cannot be told. */
export function BlastRadiusPanel(props: {
  load: () => Promise<{ ok: true; value: BlastRadius } | { ok: false; error: AppError }>;
  lead?: string;
}) {
  type Load = typeof props.load;
  const [state, setState] = useState<{
    for: Load;
    radius: BlastRadius | null;
    error: AppError | null;
  } | null>(null);
  const { load } = props;
  useEffect(() => {
    let live = true;
    unwrap(load()).then(
      (radius) => live && setState({ for: load, radius, error: null }),
      (error: unknown) => live && setState({ for: load, radius: null, error: errorOf(error) }),
    );
    return () => {
      live = false;
    };
  }, [load]);
  if (!state || state.for !== load)
    return <p className="muted">Listing the prefix to count what this step would change…</p>;
  if (state.error)
    return (
      <div className="blast-radius">
        <p>
          <strong>Blast radius</strong>: not known yet.
        </p>
        <ErrorText error={state.error} alert={false} />
      </div>
    );
  return (
    <>
      {props.lead ? <p className="blast-radius-lead">{props.lead}</p> : null}
      <RadiusTable radius={state.radius as BlastRadius} />
    </>
  );
}

/** In the typed confirmation of an S3 step: what confirming lets it change, counted now. */
export function ConfirmRadius({ step }: { step: PlanStep }) {
  const id = useStore((s) => s.session?.id ?? '');
  const load = useCallback(() => api().session.blastRadius({ id, step: step.id }), [id, step.id]);
  const op = step.s3;
  if (!op) return null;
  const where = op.action === 'restore-to-instant' ? op.source : op.to;
  const lead = `Confirming lets this step write to ${where ? place(where) : 'its destination'}${
    op.action === 'restore-to-instant' ? ', in place' : ''
  }. What it would change now (no version is ever deleted):`;
  return <BlastRadiusPanel load={load} lead={lead} />;
}
