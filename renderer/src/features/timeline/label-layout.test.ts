// Timeline labels never overlap: "now" and "incident" side by side, the selected cut over a tick.
import { describe, expect, it } from 'vitest';
import { placeLabels } from './label-layout';

const overlap = (a: [number, number], b: [number, number]) => a[0] < b[1] && b[0] < a[1];

describe('placeLabels', () => {
  it('puts the incident to the right of its line and "now" to the left of its own when they meet', () => {
    const at = placeLabels(
      [
        { key: 'now', x: 500, width: 26, priority: 1 },
        { key: 'incident', x: 490, width: 52, priority: 2 },
      ],
      { min: 140, max: 900 },
    );
    const incident = at.get('incident') ?? NaN;
    const now = at.get('now') ?? NaN;
    expect(incident).toBe(494);
    expect(overlap([now, now + 26], [incident, incident + 52])).toBe(false);
  });

  it('keeps labels inside the plot at its right edge', () => {
    const at = placeLabels([{ key: 'now', x: 895, width: 26, priority: 1 }], {
      min: 140,
      max: 900,
    });
    expect((at.get('now') ?? 0) + 26).toBeLessThanOrEqual(900);
  });

  it('drops the tick labels the selected cut label covers, and only those', () => {
    const ticks = [300, 400, 500, 600].map((x) => ({
      key: `t${x}`,
      x,
      width: 40,
      priority: 0,
      rightOnly: true,
    }));
    const at = placeLabels([...ticks, { key: 'cut', x: 410, width: 96, priority: 5 }], {
      min: 140,
      max: 900,
    });
    expect(at.get('cut')).toBe(414);
    expect(at.get('t300')).toBe(304);
    expect(at.get('t400')).toBeNull();
    expect(at.get('t500')).toBeNull();
    expect(at.get('t600')).toBe(604);
  });

  it('leaves out a label that fits nowhere rather than drawing it over another', () => {
    const at = placeLabels(
      [
        { key: 'a', x: 150, width: 700, priority: 2 },
        { key: 'b', x: 400, width: 60, priority: 1 },
      ],
      { min: 140, max: 900 },
    );
    expect(at.get('a')).not.toBeNull();
    expect(at.get('b')).toBeNull();
  });
});
