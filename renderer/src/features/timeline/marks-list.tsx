// The text equivalent of the canvas: every lane and cut in words, so nothing depends on seeing colour.
import { useState } from 'react';
import type { Cut, Timeline } from '../../../../preload/schemas/groups';
import { laneGaps, laneIds } from '../../../../preload/schemas/lanes';
import { formatDuration, formatTime } from '../../ui/format';
import { brokenRows, describeLane } from './model';

/** Lanes and cuts as lists. Points are summarised per lane (they are all in the Catalog table). */
export function MarksList(props: {
  timeline: Timeline;
  cuts: Cut[];
  onSelectCut: (i: number) => void;
}) {
  // The lists are built when opened: closed, they are not read out anyway, and hundreds of
  // cuts in the page slowed the timeline's first render.
  const [open, setOpen] = useState(false);
  return (
    <details className="marks-list" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>
        Timeline as text ({props.timeline.lanes.length} lanes, {props.cuts.length} cuts)
      </summary>
      {open ? <MarksBody {...props} /> : null}
    </details>
  );
}

function MarksBody(props: { timeline: Timeline; cuts: Cut[]; onSelectCut: (i: number) => void }) {
  return (
    <>
      <h3>Lanes</h3>
      <ul>
        {props.timeline.lanes.map((lane) => {
          const broken = brokenRows(lane);
          return (
            <li key={lane.service}>
              <strong>{lane.service}</strong>: {describeLane(lane)}.
              {broken.map((row) => (
                <span key={row}>
                  {' '}
                  Broken link at {laneIds(lane)[row]} (
                  {formatTime(new Date(lane.at[row] as number).toISOString())}).
                </span>
              ))}
              {laneGaps(lane).map((g) => (
                <span key={g.start}>
                  {' '}
                  Gap of {formatDuration(g.seconds)} from{' '}
                  {formatTime(new Date(g.start).toISOString())}.
                </span>
              ))}
            </li>
          );
        })}
      </ul>
      <h3>Candidate cuts, newest first</h3>
      <ol>
        {props.cuts.map((c, i) => (
          <li key={`${c.time}-${i}`}>
            <button className="link-button" onClick={() => props.onSelectCut(i)}>
              {formatTime(c.time)}
            </button>{' '}
            — {c.consistent ? 'consistent' : 'not consistent'}, skew {formatDuration(c.skewSeconds)}
            : {c.reason}
          </li>
        ))}
      </ol>
    </>
  );
}
