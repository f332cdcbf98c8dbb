// Where the timeline's text labels go so that none overlaps another: the most important first
// (the incident, the selected cut), each to the right of its mark or else to its left, inside the
// plot; a label that fits nowhere is left out (the same facts are in the text view below).

/** A label to place: its mark's x, its text width, and how much it matters (higher first). */
export type LabelItem = {
  key: string;
  x: number;
  width: number;
  priority: number;
  /** Only to the right of the mark (axis ticks read left to right). */
  rightOnly?: boolean;
};

/** Left x of each label, or null where it would overlap a more important one. */
export function placeLabels(
  items: readonly LabelItem[],
  bounds: { min: number; max: number },
  taken: readonly { from: number; to: number }[] = [],
  gap = 6,
): Map<string, number | null> {
  const placed = taken.map((t) => ({ ...t }));
  const out = new Map<string, number | null>();
  const order = items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => b.item.priority - a.item.priority || a.i - b.i);
  for (const { item } of order) {
    const right = Math.min(item.x + 4, bounds.max - item.width);
    const left = Math.max(item.x - 4 - item.width, bounds.min);
    const candidates = item.rightOnly ? [item.x + 4] : [right, left];
    const fits = (from: number) =>
      from >= bounds.min &&
      from + item.width <= bounds.max &&
      placed.every((p) => from + item.width + gap <= p.from || from >= p.to + gap);
    const at = candidates.find(fits);
    out.set(item.key, at ?? null);
    if (at !== undefined) placed.push({ from: at, to: at + item.width });
  }
  return out;
}
