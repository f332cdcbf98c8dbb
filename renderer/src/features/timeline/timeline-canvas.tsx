// The timeline canvas: zoom with the wheel or +/-, pan by dragging or with the arrow keys, 0 to fit.
// Hovering shows a point's or a cut's details; clicking selects it.
import {
  useEffect,
  useLayoutEffect,
  useRef,
  useState,
  type KeyboardEvent,
  type PointerEvent,
  type WheelEvent,
} from 'react';
import {
  AXIS_HEIGHT,
  drawTimeline,
  LABEL_WIDTH,
  LANE_HEIGHT,
  laneAt,
  readPalette,
  type Marks,
} from './draw';
import { useStore } from '../../store/index';
import type { DrawModel } from './model';
import { fit, lowerBound, pan, timeAt, xOf, zoom, type View } from './scale';

/** What the pointer is over. */
export type Hit =
  { kind: 'point'; lane: number; index: number } | { kind: 'cut'; index: number } | null;

/** How much history the view fits when the data set or the span changes. */
export type Span = 'day' | 'week' | 'all';
const spanMs: Record<Span, number> = { day: 86400e3, week: 7 * 86400e3, all: Infinity };

/** The range a span shows: the recent past up to now, or everything. */
const spanRange = (model: DrawModel, span: Span): [number, number] => [
  Math.max(model.first, Math.min(model.now, model.last) - spanMs[span]),
  Math.max(model.last, model.now),
];

type Props = {
  model: DrawModel;
  span: Span;
  marks: Marks;
  /** Change this to refit the view (e.g. a new group). */
  fitKey: string;
  /** Move the view to show this instant (e.g. a selected cut) when it changes. */
  focusAt: number | null;
  onHover: (hit: Hit, x: number, y: number) => void;
  onSelect: (hit: Hit) => void;
};

/** Find the cut or point under (x, y) in canvas CSS pixels. */
function hitTest(model: DrawModel, view: View, x: number, y: number): Hit {
  if (x < LABEL_WIDTH) return null;
  const px = x - LABEL_WIDTH;
  let best: Hit = null;
  let bestDist = 7;
  const lane = laneAt(y, model.lanes.length);
  if (lane >= 0) {
    const dl = model.lanes[lane];
    if (dl) {
      const i = lowerBound(dl.at, timeAt(view, px));
      for (const k of [i - 1, i]) {
        const t = dl.at[k];
        if (t === undefined) continue;
        const d = Math.abs(xOf(view, t) - px);
        if (d < bestDist) {
          bestDist = d;
          best = { kind: 'point', lane, index: k };
        }
      }
    }
  }
  if (best) return best;
  // Cuts are picked on the rail under the lanes.
  if (y < AXIS_HEIGHT + model.lanes.length * LANE_HEIGHT) return null;
  model.cuts.forEach((c, index) => {
    const d = Math.abs(xOf(view, c.at) - px);
    if (d < 6 && d < bestDist) {
      bestDist = d;
      best = { kind: 'cut', index };
    }
  });
  return best;
}

/** The canvas and its interactions. */
export function TimelineCanvas({ model, span, marks, fitKey, focusAt, onHover, onSelect }: Props) {
  const canvasRef = useRef<HTMLCanvasElement | null>(null);
  const wrapRef = useRef<HTMLDivElement | null>(null);
  const [width, setWidth] = useState(900);
  // The visible range lives in state; the width comes from layout, so the view is derived.
  const [range, setRange] = useState(() => fit(...spanRange(model, span), 900 - LABEL_WIDTH));
  const [seen, setSeen] = useState({ fitKey, focusAt });
  const plotWidth = width - LABEL_WIDTH;
  const view: View = { start: range.start, end: range.end, width: plotWidth };
  const setView = (update: (v: View) => View) =>
    setRange((r) => update({ ...r, width: plotWidth }));
  // A new data set refits; a new focus (a selected cut) pans it into sight. Adjusted during render
  // (React's pattern for state derived from props), not in an effect.
  if (seen.fitKey !== fitKey || seen.focusAt !== focusAt) {
    setSeen({ fitKey, focusAt });
    if (seen.fitKey !== fitKey) setRange(fit(...spanRange(model, span), plotWidth));
    else if (focusAt !== null) {
      const x = xOf(view, focusAt);
      // Pan only as far as needed to bring the cut into sight, never recentring a visible one.
      if (x < plotWidth * 0.02) setRange(pan(view, x - plotWidth * 0.1));
      else if (x > plotWidth * 0.98) setRange(pan(view, x - plotWidth * 0.9));
    }
  }
  const drag = useRef<{ x: number; moved: boolean } | null>(null);
  const height = AXIS_HEIGHT + model.lanes.length * LANE_HEIGHT + 34;

  useEffect(() => {
    const wrap = wrapRef.current;
    if (!wrap) return undefined;
    const observer = new ResizeObserver(([entry]) => {
      if (entry) setWidth(Math.max(400, Math.floor(entry.contentRect.width)));
    });
    observer.observe(wrap);
    return () => observer.disconnect();
  }, []);

  // Inputs (wheel, drag, key) not yet drawn: when the first began and the time their handlers took.
  const pending = useRef<{ since: number; busy: number } | null>(null);
  const onInput = (apply: () => void) => {
    const started = performance.now();
    apply();
    const p = (pending.current ??= { since: started, busy: 0 });
    p.busy += performance.now() - started;
  };
  // The lanes last drawn: new lanes are drawn before the browser paints (a first visit shows
  // them in its first frame); later changes are drawn once per animation frame.
  const drawnLanes = useRef<DrawModel['lanes'] | null>(null);
  const theme = useStore((s) => s.theme);

  useLayoutEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) return undefined;
    const paint = () => {
      const ratio = window.devicePixelRatio || 1;
      // Setting a size reallocates the backing store even when unchanged: only on a real resize.
      const w = Math.floor(width * ratio);
      const h = Math.floor(height * ratio);
      if (canvas.width !== w) canvas.width = w;
      if (canvas.height !== h) canvas.height = h;
      const g = canvas.getContext('2d');
      if (!g) return;
      g.setTransform(ratio, 0, 0, ratio, 0, 0);
      const started = performance.now();
      drawTimeline(
        g,
        model,
        { start: range.start, end: range.end, width: plotWidth },
        marks,
        readPalette(canvas),
        height,
      );
      const ended = performance.now();
      performance.measure('timeline-draw', { start: started, end: ended });
      drawnLanes.current = model.lanes;
      // What a frame cost us: its inputs' handlers plus the draw (the wait for the frame is not
      // work); and the latency from the first input to the frame drawn, waits included.
      const p = pending.current;
      pending.current = null;
      if (p !== null) {
        performance.measure('timeline-frame-work', {
          start: p.since,
          duration: p.busy + (ended - started),
        });
        performance.measure('timeline-frame-latency', { start: p.since, end: ended });
      }
    };
    if (drawnLanes.current !== model.lanes) {
      paint();
      return undefined;
    }
    const frame = requestAnimationFrame(paint);
    return () => cancelAnimationFrame(frame);
    // The theme is read from CSS at each paint: a switch of theme paints again.
  }, [model, range.start, range.end, plotWidth, marks, width, height, theme]);

  const local = (e: { clientX: number; clientY: number }) => {
    const r = canvasRef.current?.getBoundingClientRect();
    return { x: e.clientX - (r?.left ?? 0), y: e.clientY - (r?.top ?? 0) };
  };
  const onWheel = (e: WheelEvent<HTMLCanvasElement>) => {
    onInput(() => {
      const { x } = local(e);
      if (x >= LABEL_WIDTH) setView((v) => zoom(v, e.deltaY > 0 ? 1.25 : 0.8, x - LABEL_WIDTH));
    });
  };
  const onPointerDown = (e: PointerEvent<HTMLCanvasElement>) => {
    drag.current = { x: e.clientX, moved: false };
    e.currentTarget.setPointerCapture(e.pointerId);
  };
  const onPointerMove = (e: PointerEvent<HTMLCanvasElement>) => {
    const d = drag.current;
    if (d) {
      const dx = e.clientX - d.x;
      if (Math.abs(dx) > 2 || d.moved) {
        d.moved = true;
        d.x = e.clientX;
        onInput(() => setView((v) => pan(v, -dx)));
        return;
      }
    }
    const { x, y } = local(e);
    onHover(hitTest(model, view, x, y), x, y);
  };
  const onPointerUp = (e: PointerEvent<HTMLCanvasElement>) => {
    const d = drag.current;
    drag.current = null;
    if (d && !d.moved) {
      const { x, y } = local(e);
      onSelect(hitTest(model, view, x, y));
    }
  };
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const step = view.width / 8;
    const keys: Record<string, (v: View) => View> = {
      ArrowLeft: (v) => pan(v, -step),
      ArrowRight: (v) => pan(v, step),
      '+': (v) => zoom(v, 0.7, v.width / 2),
      '=': (v) => zoom(v, 0.7, v.width / 2),
      '-': (v) => zoom(v, 1.4, v.width / 2),
      '0': () => fit(model.first, model.last, plotWidth),
      Home: () => fit(model.first, model.last, plotWidth),
    };
    const action = keys[e.key];
    if (action) {
      e.preventDefault();
      onInput(() => setView(action));
    }
  };

  return (
    <div
      ref={wrapRef}
      className="timeline-canvas-wrap"
      tabIndex={0}
      role="application"
      aria-label="Timeline. Left and right arrows pan, plus and minus zoom, 0 shows all history. A text list of every mark follows."
      onKeyDown={onKeyDown}
    >
      <canvas
        ref={canvasRef}
        className="timeline-canvas"
        data-testid="timeline-canvas"
        style={{ width: `${width}px`, height: `${height}px` }}
        onWheel={onWheel}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerLeave={() => onHover(null, 0, 0)}
      />
    </div>
  );
}
