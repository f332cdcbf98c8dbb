// The hover card: what is under the pointer, in words.
import type { ReactNode } from 'react';
import { lanePoint } from '../../../../preload/schemas/lanes';
import type { DrawModel } from './model';
import type { Hit } from './timeline-canvas';
import { formatDuration, formatTime } from '../../ui/format';

/** A floating card for a hovered point or cut. */
export function Tooltip(props: { hit: Hit; x: number; y: number; model: DrawModel }) {
  const { hit, model } = props;
  if (!hit) return null;
  let body: ReactNode = null;
  if (hit.kind === 'point') {
    const lane = model.lanes[hit.lane]?.lane;
    if (!lane || hit.index < 0 || hit.index >= lane.count) return null;
    const p = lanePoint(lane, hit.index);
    body = (
      <>
        <strong>
          {lane.service} · {p.kind}
        </strong>
        <div>{formatTime(new Date(p.at).toISOString())}</div>
        <div>
          <code>{p.id}</code>
        </div>
        <div>
          {p.usable
            ? 'restorable'
            : p.brokenLink
              ? 'UNUSABLE: its chain is broken here'
              : 'UNUSABLE: depends on a broken chain'}
        </div>
        <div>
          {p.immutable
            ? `locked${p.lockedUntil ? ` until ${formatTime(new Date(p.lockedUntil).toISOString())}` : ''}`
            : 'not immutable'}{' '}
          · {p.copies} cop{p.copies === 1 ? 'y' : 'ies'}
          {p.verified ? ' · test-restored' : ''}
        </div>
        {p.future ? <div className="error">dated in the future: a clock is wrong</div> : null}
      </>
    );
  } else {
    const c = model.cuts[hit.index]?.cut;
    if (!c) return null;
    body = (
      <>
        <strong>
          {c.consistent ? '✓ consistent' : '✗ not consistent'} cut · skew{' '}
          {formatDuration(c.skewSeconds)}
        </strong>
        <div>{formatTime(c.time)}</div>
        {c.members.map((m) => (
          <div key={m.service}>
            {m.service}: {m.pointId ?? 'window'}{' '}
            {m.lagSeconds > 0 ? `(−${formatDuration(m.lagSeconds)})` : ''}
          </div>
        ))}
      </>
    );
  }
  return (
    <div
      className="timeline-tooltip"
      role="tooltip"
      style={{ left: `${props.x + 14}px`, top: `${props.y + 14}px` }}
    >
      {body}
    </div>
  );
}
