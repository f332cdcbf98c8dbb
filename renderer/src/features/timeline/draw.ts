// Paints the timeline on a canvas: lanes, windows, gaps, chains, points by kind, locks, cuts, now and
// the incident. Only what is visible is drawn; dense stretches become per-pixel histograms.
import { LaneFlag } from '../../../../preload/schemas/lanes';
import { placeLabels } from './label-layout';
import type { DrawModel } from './model';
import { lowerBound, ticks, xOf, type View } from './scale';

/** Geometry shared by drawing and hit-testing. */
export const LABEL_WIDTH = 180;
export const AXIS_HEIGHT = 28;
export const LANE_HEIGHT = 64;

/** Colours read from the theme's CSS variables. */
export type Palette = Record<
  'bg' | 'raised' | 'border' | 'text' | 'muted' | 'accent' | 'ok' | 'warn' | 'danger',
  string
>;

/** Read the palette from the page's CSS variables. */
export function readPalette(element: Element): Palette {
  const s = getComputedStyle(element);
  const v = (name: string) => s.getPropertyValue(name).trim() || '#888';
  return {
    bg: v('--bg'),
    raised: v('--bg-raised'),
    border: v('--border'),
    text: v('--text'),
    muted: v('--text-muted'),
    accent: v('--accent'),
    ok: v('--ok'),
    warn: v('--warn'),
    danger: v('--danger'),
  };
}

/** What else is marked: the selected cut and point, the incident. */
export type Marks = {
  selectedCut: number | null;
  selectedPoint: { lane: number; index: number } | null;
  incident: number | null;
  hoverCut: number | null;
};

const laneY = (i: number) => AXIS_HEIGHT + i * LANE_HEIGHT;

/** 5400 → "1h30m", 172800 → "2d". */
const formatSpan = (seconds: number): string => {
  const h = seconds / 3600;
  if (h >= 48) return `${Math.round(h / 24)}d`;
  if (h >= 1)
    return `${Math.floor(h)}h${Math.round((h % 1) * 60) ? `${Math.round((h % 1) * 60)}m` : ''}`;
  return `${Math.round(seconds / 60)}m`;
};

// Kind codes are indices into PointKind.options: full, diff, incr, snapshot, window.
const FULL = 0;
const DIFF = 1;
const INCR = 2;
const SNAPSHOT = 3;

function drawPoint(
  g: CanvasRenderingContext2D,
  kind: number,
  flags: number,
  x: number,
  y: number,
  pal: Palette,
) {
  const usable = (flags & LaneFlag.usable) !== 0;
  const colour = usable
    ? kind === FULL
      ? pal.accent
      : kind === SNAPSHOT
        ? pal.ok
        : pal.text
    : pal.danger;
  g.fillStyle = colour;
  g.strokeStyle = colour;
  g.lineWidth = 2;
  g.beginPath();
  if (kind === FULL) g.rect(x - 6, y - 6, 12, 12);
  else if (kind === DIFF) {
    g.moveTo(x, y - 7);
    g.lineTo(x + 7, y);
    g.lineTo(x, y + 7);
    g.lineTo(x - 7, y);
    g.closePath();
  } else g.arc(x, y, kind === INCR ? 4 : 5.5, 0, Math.PI * 2);
  // Unusable points are hollow: shape and colour both say "do not restore this".
  if (usable) g.fill();
  else g.stroke();
  if (flags & LaneFlag.immutable) {
    // A small padlock above the point.
    g.fillStyle = pal.ok;
    g.fillRect(x - 3, y - 17, 6, 5);
    g.strokeStyle = pal.ok;
    g.lineWidth = 1.5;
    g.beginPath();
    g.arc(x, y - 17, 2.5, Math.PI, 0);
    g.stroke();
  }
  if (flags & LaneFlag.brokenLink) {
    g.strokeStyle = pal.danger;
    g.lineWidth = 2;
    g.beginPath();
    g.moveTo(x - 14, y - 5);
    g.lineTo(x - 6, y + 5);
    g.moveTo(x - 6, y - 5);
    g.lineTo(x - 14, y + 5);
    g.stroke();
  }
}

/** Paint everything for a view; `width`/`height` are CSS pixels of the canvas. */
export function drawTimeline(
  g: CanvasRenderingContext2D,
  model: DrawModel,
  view: View,
  marks: Marks,
  pal: Palette,
  height: number,
) {
  const width = view.width + LABEL_WIDTH;
  g.clearRect(0, 0, width, height);
  g.font = '13px system-ui, sans-serif';
  g.textBaseline = 'middle';
  const plotX = (t: number) => LABEL_WIDTH + xOf(view, t);

  // Axis and grid.
  g.fillStyle = pal.raised;
  g.fillRect(0, 0, width, AXIS_HEIGHT);
  // The selected cut's label wins its place on the axis row; tick labels it would cover are left
  // out (a half-hidden "12-" reads as a date that is not there).
  const selected = marks.selectedCut !== null ? model.cuts[marks.selectedCut] : undefined;
  const cutLabel = selected ? (selected.cut.consistent ? 'selected cut ✓' : 'selected cut ✗') : '';
  const tickList = ticks(view);
  const axis = placeLabels(
    [
      ...tickList.map((tick, i) => ({
        key: `tick${i}`,
        x: plotX(tick.t),
        width: g.measureText(tick.label).width,
        priority: 0,
        rightOnly: true,
      })),
      ...(selected && plotX(selected.at) >= LABEL_WIDTH && plotX(selected.at) <= width
        ? [{ key: 'cut', x: plotX(selected.at), width: g.measureText(cutLabel).width, priority: 1 }]
        : []),
    ],
    { min: LABEL_WIDTH, max: width - 2 },
  );
  tickList.forEach((tick, i) => {
    const x = plotX(tick.t);
    g.strokeStyle = pal.border;
    g.lineWidth = 1;
    g.beginPath();
    g.moveTo(x, AXIS_HEIGHT - 6);
    g.lineTo(x, height);
    g.stroke();
    const at = axis.get(`tick${i}`);
    if (at === null || at === undefined) return;
    g.fillStyle = pal.muted;
    g.fillText(tick.label, at, AXIS_HEIGHT / 2);
  });

  model.lanes.forEach((dl, i) => {
    const top = laneY(i);
    const mid = top + LANE_HEIGHT / 2 + 4;
    g.fillStyle = i % 2 ? pal.bg : pal.raised;
    g.globalAlpha = 0.55;
    g.fillRect(LABEL_WIDTH, top, view.width, LANE_HEIGHT);
    g.globalAlpha = 1;
    g.save();
    g.beginPath();
    g.rect(LABEL_WIDTH, top, view.width, LANE_HEIGHT);
    g.clip();
    // Continuous windows: shaded bands with a solid baseline.
    for (const w of dl.lane.windows) {
      const x0 = Math.max(LABEL_WIDTH, plotX(w.start));
      const x1 = Math.min(width, plotX(w.end));
      if (x1 < LABEL_WIDTH || x0 > width) continue;
      g.fillStyle = pal.accent;
      g.globalAlpha = 0.18;
      g.fillRect(x0, top + 8, x1 - x0, LANE_HEIGHT - 16);
      g.globalAlpha = 1;
      g.fillRect(x0, mid + 12, x1 - x0, 3);
    }
    // RPO gaps: a red bar along the lane's foot (and a label when there is room), so they read
    // clearly without drowning the points.
    let labelEnd = -Infinity;
    const gaps = dl.lane.gaps;
    for (let k = 0; k < gaps.start.length; k++) {
      const start = gaps.start[k] as number;
      const end = gaps.end[k] as number;
      const x0 = plotX(start);
      const x1 = plotX(end);
      if (x1 < LABEL_WIDTH || x0 > width) continue;
      g.fillStyle = pal.danger;
      g.globalAlpha = 0.12;
      g.fillRect(x0, top + LANE_HEIGHT - 16, x1 - x0, 12);
      g.globalAlpha = 1;
      g.fillRect(x0, top + LANE_HEIGHT - 6, x1 - x0, 3);
      const lx = Math.max(x0, LABEL_WIDTH) + 4;
      if (x1 - x0 > 90 && lx > labelEnd) {
        g.font = '12px system-ui, sans-serif';
        const text = `gap ${formatSpan((end - start) / 1000)}`;
        g.fillText(text, lx, top + LANE_HEIGHT - 12);
        labelEnd = lx + g.measureText(text).width + 8;
        g.font = '13px system-ui, sans-serif';
      }
    }
    const from = Math.max(0, lowerBound(dl.at, view.start) - 1);
    const to = Math.min(dl.at.length, lowerBound(dl.at, view.end) + 1);
    const visible = to - from;
    if (visible > view.width / 3) {
      // Too dense to draw marks: a per-pixel histogram keeps frames cheap at any zoom.
      const bins = new Uint32Array(Math.ceil(view.width) + 1);
      for (let k = from; k < to; k++) {
        const x = Math.floor(xOf(view, dl.at[k] as number));
        if (x >= 0 && x < bins.length) bins[x] = (bins[x] as number) + 1;
      }
      g.fillStyle = pal.accent;
      for (let x = 0; x < bins.length; x++) {
        const c = bins[x] as number;
        if (!c) continue;
        const h = Math.min(LANE_HEIGHT - 14, 6 + Math.log2(c + 1) * 6);
        g.fillRect(LABEL_WIDTH + x, mid - h / 2, 1, h);
      }
    } else {
      // Chains: a line from each point back to its parent; broken links drawn dashed in red.
      g.lineWidth = 1.5;
      const links = dl.lane.links;
      // Links are in row order: find the visible ones by binary search on `from`.
      for (let k = lowerBound(links.from, from); k < links.from.length; k++) {
        const a = links.from[k] as number;
        if (a >= to) break;
        const b = links.to[k] as number;
        const broken = links.broken[k] === 1;
        const xa = plotX(dl.at[a] as number);
        const xb = b >= 0 ? plotX(dl.at[b] as number) : xa - 40;
        g.strokeStyle = broken ? pal.danger : pal.muted;
        g.setLineDash(broken ? [4, 4] : []);
        g.beginPath();
        g.moveTo(xa, mid);
        g.lineTo(xb, mid);
        g.stroke();
      }
      g.setLineDash([]);
      const { kind, flags } = dl.lane;
      for (let k = from; k < to; k++) {
        const x = plotX(dl.at[k] as number);
        drawPoint(g, kind[k] as number, flags[k] as number, x, mid, pal);
        if (marks.selectedPoint?.lane === i && marks.selectedPoint.index === k) {
          g.strokeStyle = pal.text;
          g.lineWidth = 2;
          g.strokeRect(x - 10, mid - 10, 20, 20);
        }
      }
    }
    g.restore();
    // Lane label.
    g.fillStyle = pal.raised;
    g.fillRect(0, top, LABEL_WIDTH, LANE_HEIGHT);
    g.fillStyle = pal.text;
    g.font = '600 14px system-ui, sans-serif';
    g.fillText(dl.lane.service, 12, top + 22);
    g.font = '12px system-ui, sans-serif';
    g.fillStyle = pal.muted;
    g.fillText(
      dl.lane.rpoSeconds ? `RPO ${formatSpan(dl.lane.rpoSeconds)}` : 'no RPO',
      12,
      top + 42,
    );
    g.font = '13px system-ui, sans-serif';
    g.strokeStyle = pal.border;
    g.beginPath();
    g.moveTo(0, top + LANE_HEIGHT);
    g.lineTo(width, top + LANE_HEIGHT);
    g.stroke();
  });

  const bottom = laneY(model.lanes.length);
  const vline = (t: number, colour: string, label: string, dash: number[], lineWidth: number) => {
    const x = plotX(t);
    if (x < LABEL_WIDTH || x > width) return;
    g.strokeStyle = colour;
    g.lineWidth = lineWidth;
    g.setLineDash(dash);
    g.beginPath();
    g.moveTo(x, AXIS_HEIGHT);
    g.lineTo(x, bottom);
    g.stroke();
    g.setLineDash([]);
    const at = label ? below.get(label) : null;
    if (at !== null && at !== undefined) {
      g.fillStyle = colour;
      g.fillText(label, at, bottom + 24);
    }
  };
  // "now" and "incident" share the row under the rail: the incident first, neither over the other.
  const below = placeLabels(
    [
      { key: 'now', x: plotX(model.now), width: g.measureText('now').width, priority: 1 },
      ...(marks.incident !== null
        ? [
            {
              key: 'incident',
              x: plotX(marks.incident),
              width: g.measureText('incident').width,
              priority: 2,
            },
          ]
        : []),
    ].filter((item) => item.x >= LABEL_WIDTH && item.x <= width),
    { min: LABEL_WIDTH, max: width - 2 },
  );

  // Cuts: every candidate is a tick on the rail under the lanes (green and tall when consistent,
  // amber and short when not); the selected or hovered one becomes a line across the lanes with
  // each member's lag drawn back along its lane.
  const rail = bottom + 2;
  model.cuts.forEach((c) => {
    const x = plotX(c.at);
    if (x < LABEL_WIDTH || x > width) return;
    g.fillStyle = c.cut.consistent ? pal.ok : pal.warn;
    g.fillRect(x - 1, rail, 2, c.cut.consistent ? 14 : 7);
  });
  g.fillStyle = pal.muted;
  g.font = '12px system-ui, sans-serif';
  g.fillText('cuts', 12, rail + 8);
  g.font = '13px system-ui, sans-serif';
  model.cuts.forEach((c, i) => {
    const isSelected = marks.selectedCut === i;
    if (!(isSelected || marks.hoverCut === i)) return;
    const colour = c.cut.consistent ? pal.ok : pal.warn;
    vline(c.at, colour, '', c.cut.consistent ? [] : [6, 4], isSelected ? 3 : 2);
    const lx = isSelected ? axis.get('cut') : null;
    if (lx !== null && lx !== undefined) {
      g.fillStyle = pal.raised;
      g.fillRect(lx - 2, 2, g.measureText(cutLabel).width + 6, AXIS_HEIGHT - 4);
      g.fillStyle = colour;
      g.fillText(cutLabel, lx, AXIS_HEIGHT / 2);
    }
    c.memberAt.forEach((t, lane) => {
      if (Number.isNaN(t)) return;
      const y = laneY(lane) + LANE_HEIGHT / 2 + 4;
      g.strokeStyle = colour;
      g.lineWidth = 3;
      g.beginPath();
      g.moveTo(plotX(t), y);
      g.lineTo(plotX(c.at), y);
      g.stroke();
      g.beginPath();
      g.arc(plotX(t), y, 9, 0, Math.PI * 2);
      g.stroke();
    });
  });
  vline(model.now, pal.text, 'now', [2, 3], 1.5);
  if (marks.incident !== null) vline(marks.incident, pal.danger, 'incident', [], 2.5);
}

/** Which lane a y coordinate is in, or -1. */
export const laneAt = (y: number, lanes: number): number => {
  const i = Math.floor((y - AXIS_HEIGHT) / LANE_HEIGHT);
  return i >= 0 && i < lanes ? i : -1;
};
