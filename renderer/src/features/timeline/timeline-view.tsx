// Timeline: one lane per member of a consistency group, the candidate cuts across them, and the
// incident marker that proposes the last good state.
import { useEffect, useMemo, useState } from 'react';
import { useStore } from '../../store/index';
import { loadTimeline, restoreCut, selectCut, selectPoint } from '../../store/timeline-actions';
import { EmptyState } from '../../ui/empty-state';
import { formatTime } from '../../ui/format';
import { SectionHeader } from '../../ui/section-header';
import { CutPanel } from './cut-panel';
import { IncidentField } from './incident-field';
import { Legend } from './legend';
import { MarksList } from './marks-list';
import { prepareLanes, withCuts } from './model';
import { TimelineCanvas, type Hit, type Span } from './timeline-canvas';
import { Tooltip } from './tooltip';
import { ErrorText } from '../../ui/error-text';

/** The Timeline section. */
export function TimelineView() {
  const workspace = useStore((s) => s.workspace);
  const {
    timelineGroup,
    timeline,
    cuts,
    timelineLoading,
    cutsLoading,
    timelineError,
    selectedCut,
    selectedPoint,
    incident,
    incidentAnswer,
    cutProposed,
    proposals,
    timelineAsOf,
  } = useStore();
  const [span, setSpan] = useState<Span>('week');
  const [hover, setHover] = useState<{ hit: Hit; x: number; y: number }>({ hit: null, x: 0, y: 0 });
  const groups = workspace?.groups ?? [];
  const first = groups[0]?.name ?? null;

  useEffect(() => {
    if (!timelineGroup && first) void loadTimeline(first);
  }, [timelineGroup, first]);

  // Lanes are prepared once per timeline; the cuts, which arrive after them, only add marks.
  const drawLanes = useMemo(() => (timeline ? prepareLanes(timeline) : null), [timeline]);
  const model = useMemo(() => (drawLanes ? withCuts(drawLanes, cuts) : null), [drawLanes, cuts]);
  const marks = useMemo(
    () => ({
      selectedCut,
      hoverCut: hover.hit?.kind === 'cut' ? hover.hit.index : null,
      incident: incident ? Date.parse(incident) : null,
      selectedPoint,
    }),
    [selectedCut, hover.hit, incident, selectedPoint],
  );
  const cut = selectedCut !== null ? cuts[selectedCut] : undefined;
  const group = groups.find((g) => g.name === timelineGroup);

  if (!workspace) return null;
  if (groups.length === 0) {
    return (
      <section>
        <SectionHeader
          title="Timeline"
          purpose="Consistency groups on one timeline: the cuts that fit together."
        />
        <EmptyState title="No consistency groups">
          <p>
            Services that must come back to the same logical point (a database and the bucket it
            references) form a group. Add one under <code>groups:</code> in <code>dapple.yaml</code>{' '}
            with its members and tolerated skew.
          </p>
        </EmptyState>
      </section>
    );
  }
  const consistentCount = cuts.filter((c) => c.consistent).length;
  return (
    <section className="timeline-section">
      <SectionHeader
        title="Timeline"
        purpose="Consistency groups on one timeline: the cuts that fit together."
        tools={
          <div className="group-tabs" role="tablist" aria-label="Group">
            {groups.map((g) => (
              <button
                key={g.name}
                role="tab"
                aria-selected={g.name === timelineGroup}
                className={g.name === timelineGroup ? 'tab active' : 'tab'}
                onClick={() => void loadTimeline(g.name)}
              >
                {g.name}
              </button>
            ))}
          </div>
        }
      />
      <IncidentField />
      {cut ? (
        <CutPanel
          cut={cut}
          timeline={timeline}
          runbook={group?.runbook ?? null}
          proposed={cutProposed}
          answer={incidentAnswer}
          incident={incident}
          focusKey={proposals}
          onRestore={() => selectedCut !== null && restoreCut(selectedCut)}
        />
      ) : incidentAnswer ? (
        <p className="incident-answer" role="status">
          {incidentAnswer}
        </p>
      ) : null}
      {timelineError ? <ErrorText error={timelineError} /> : null}
      {timelineLoading && !model ? (
        <p className="loading">Loading the timeline of {timelineGroup}…</p>
      ) : null}
      {model && timeline ? (
        <>
          <p className="muted timeline-summary">
            {group
              ? `${group.members.length} members, restore order ${group.order.join(' → ')}. `
              : ''}
            {cutsLoading
              ? 'Finding the candidate cuts…'
              : timelineAsOf === null
                ? // No cached catalog and no refresh finished yet: nothing is known, which is not
                  // the same as no cuts. The refresh that follows redraws the timeline.
                  'The catalog has not been read yet; the lanes and cuts appear when it has.'
                : `${consistentCount} of ${cuts.length} candidate cuts are consistent.` +
                  ` Catalog as of ${formatTime(timelineAsOf)}.`}
          </p>
          <div className="span-picker" role="group" aria-label="Show">
            {(
              [
                ['day', 'Last 24 h'],
                ['week', 'Last 7 days'],
                ['all', 'All history'],
              ] as const
            ).map(([id, label]) => (
              <button
                key={id}
                className={span === id ? 'tab active' : 'tab'}
                aria-pressed={span === id}
                onClick={() => setSpan(id)}
              >
                {label}
              </button>
            ))}
            <span className="muted">Scroll to zoom, drag to pan; keys ← → + − 0.</span>
          </div>
          <div className="timeline-stage">
            <TimelineCanvas
              model={model}
              marks={marks}
              span={span}
              fitKey={`${timelineGroup ?? ''}:${model.first}:${model.last}:${span}`}
              focusAt={
                cut
                  ? Date.parse(cut.time)
                  : selectedPoint
                    ? (timeline.lanes[selectedPoint.lane]?.at[selectedPoint.index] ?? null)
                    : null
              }
              onHover={(hit, x, y) => setHover({ hit, x, y })}
              onSelect={(hit) => {
                if (hit?.kind === 'cut') selectCut(hit.index);
                else if (hit?.kind === 'point') selectPoint({ lane: hit.lane, index: hit.index });
              }}
            />
            <Tooltip hit={hover.hit} x={hover.x} y={hover.y} model={model} />
          </div>
          <Legend />
          <div className="cut-picker">
            <label htmlFor="cut-select">Candidate cuts</label>
            <select
              id="cut-select"
              value={selectedCut ?? ''}
              onChange={(e) => selectCut(e.target.value === '' ? null : Number(e.target.value))}
            >
              <option value="">Choose a cut…</option>
              {cuts.map((c, i) => (
                <option key={`${c.time}-${i}`} value={i}>
                  {c.consistent ? '✓' : '✗'} {formatTime(c.time)} — {c.reason}
                </option>
              ))}
            </select>
          </div>
          <MarksList timeline={timeline} cuts={cuts} onSelectCut={selectCut} />
        </>
      ) : null}
    </section>
  );
}
