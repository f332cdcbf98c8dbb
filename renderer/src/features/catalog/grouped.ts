// Counts with thousands separators ("100,000"). Not toLocaleString: its first call in a page sets
// up Intl and costs 40-70 ms, on the way to the first table rows.

/** A whole number with commas every three digits; anything else as String() writes it. */
export function grouped(n: number): string {
  if (!Number.isSafeInteger(n)) return String(n);
  const digits = String(Math.abs(n));
  let out = '';
  for (let end = digits.length; end > 0; end -= 3)
    out = end - 3 > 0 ? `,${digits.slice(end - 3, end)}${out}` : `${digits.slice(0, end)}${out}`;
  return n < 0 ? `-${out}` : out;
}
