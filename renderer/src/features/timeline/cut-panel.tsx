// The selected (or proposed) cut as a banner above the timeline: which cut, and per member what a
// restore to it loses, whether it was tested, whether it is immutable and whether its chain is
// whole, with "Restore this cut" right there (above the fold at 1024×700).
import { useEffect, useRef } from 'react';
import type { Cut, Timeline } from '../../../../preload/schemas/groups';
import {
  localOffset,
  spanWords,
  wallText,
  zoneName,
} from '../../../../preload/schemas/incident-time';
import { Badge, type Tone } from '../../ui/badge';
import { formatDuration, formatTime } from '../../ui/format';
import { cutFacts, factWords, type MemberFacts } from './cut-facts';
import { useStore } from '../../store/index';

/** A reason from main starts lower-case (it reads inside other sentences): capitalise it here. */
const sentence = (text: string): string => text.charAt(0).toUpperCase() + text.slice(1);

const tone = (good: boolean | null): Tone => (good === null ? 'neutral' : good ? 'ok' : 'warn');

function MemberRow(props: { f: MemberFacts; order: number; cut: Cut }) {
  const { f, order, cut } = props;
  const words = factWords(f);
  const lag = cut.members.find((m) => m.service === f.service)?.lagSeconds ?? 0;
  const until =
    f.lockedUntil !== null
      ? `Locked until ${new Date(f.lockedUntil).toISOString().slice(0, 10)}`
      : undefined;
  return (
    <tr>
      <th scope="row">
        {order}. {f.service}
        <div className="muted cut-point">
          {formatTime(new Date(f.at).toISOString()).slice(11)}
          {lag > cut.toleranceSeconds ? (
            <span className="lag-bad"> · {formatDuration(lag)} behind</span>
          ) : null}
        </div>
      </th>
      <td
        className={f.lostMs !== null && f.lostMs >= 3_600_000 ? 'cut-loss warn-text' : 'cut-loss'}
      >
        {words.lost || '—'}
      </td>
      <td>
        <span className="cut-facts">
          {words.tested ? <Badge tone={tone(f.tested)}>{words.tested}</Badge> : null}
          {words.immutable ? (
            <Badge tone={tone(f.immutable)} {...(until ? { title: until } : {})}>
              {words.immutable}
            </Badge>
          ) : null}
          {words.chain ? (
            <Badge tone={f.chain === 'broken' ? 'danger' : 'neutral'}>{words.chain}</Badge>
          ) : null}
        </span>
        <div className="muted cut-point">
          {f.pointId ? <code>{f.pointId}</code> : 'met inside a continuous window'}
        </div>
      </td>
    </tr>
  );
}

/** The banner of one cut. */
export function CutPanel(props: {
  cut: Cut;
  timeline: Timeline | null;
  runbook: string | null;
  /** Proposed for the incident (not picked by hand), with main's reason for it. */
  proposed: boolean;
  answer: string | null;
  incident: string | null;
  /** Changes when a new proposal arrives: the Restore button takes the focus. */
  focusKey: number;
  onRestore: () => void;
}) {
  const { cut, timeline, incident } = props;
  const restore = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (props.focusKey > 0 && props.proposed) restore.current?.focus({ preventScroll: true });
  }, [props.focusKey, props.proposed]);
  const reference = incident ? Date.parse(incident) : (timeline?.now ?? null);
  // A point a completed drill restored (its log VALID) is tested, as the catalog says.
  const tested = useStore((s) => s.drillHistory?.tested ?? null);
  const facts = cutFacts(cut, timeline, reference, (source, id) =>
    Boolean(tested?.some((t) => t.source === source && t.pointId === id)),
  );
  const at = Date.parse(cut.time);
  const local =
    localOffset(at) === 0
      ? ''
      : ` (${wallText(at, localOffset).slice(11)} ${zoneName(at, localOffset)})`;
  const broken = facts.filter((f) => f.chain === 'broken').map((f) => f.service);
  return (
    <section
      className={`cut-panel cut-banner${cut.consistent ? '' : ' cut-banner-warn'}`}
      aria-label="Selected cut"
    >
      <div className="cut-banner-head">
        <h2>
          <Badge tone={cut.consistent ? 'ok' : 'warn'}>
            {cut.consistent ? '✓ Consistent' : '✗ Not consistent'}
          </Badge>{' '}
          {props.proposed ? 'Last good state: ' : 'Cut at '}
          {formatTime(cut.time)}
          <span className="muted cut-local">{local}</span>
        </h2>
        <div className="cut-actions">
          <button
            ref={restore}
            className={cut.consistent && broken.length === 0 ? 'primary' : 'danger'}
            onClick={props.onRestore}
            disabled={!props.runbook}
          >
            Restore this cut{cut.consistent ? '' : ' (inconsistent)'}
          </button>
        </div>
      </div>
      <p className="cut-reason">
        {incident && at <= Date.parse(incident)
          ? `${spanWords(Date.parse(incident) - at)} before the incident · `
          : ''}
        {sentence(cut.reason)}
        {cut.snapshotId || cut.reason.includes('toleran')
          ? ''
          : ` (skew ${formatDuration(cut.skewSeconds)}, tolerated ${formatDuration(cut.toleranceSeconds)})`}
        .
      </p>
      {props.runbook ? null : (
        <p className="warn-text">
          This group has no runbook: add one in dapple.yaml to restore it.
        </p>
      )}
      {broken.length ? (
        <p className="error">
          {broken.join(', ')} {broken.length === 1 ? 'has' : 'have'} a broken chain: a restore of
          this cut would fail. Pick an earlier cut.
        </p>
      ) : null}
      <table className="table compact cut-members">
        <thead>
          <tr>
            <th scope="col">Member</th>
            <th scope="col">
              {incident ? 'Data lost by the incident' : 'Data lost if restored now'}
            </th>
            <th scope="col">Tested · immutable · chain · point</th>
          </tr>
        </thead>
        <tbody>
          {facts.map((f, i) => (
            <MemberRow key={f.service} f={f} order={i + 1} cut={cut} />
          ))}
        </tbody>
      </table>
      {props.proposed && props.answer ? (
        <p className="muted cut-answer">Why: {props.answer}</p>
      ) : null}
    </section>
  );
}
