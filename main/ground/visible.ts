// Text shown back to a person exactly: a line break, a tab, a zero-width or bidi control character
// inside a word would otherwise be invisible (or reorder what is shown), so each is spelled out.

/** C0/C1 controls, soft hyphen, zero-width and joiners, bidi marks, embeddings and isolates, line and paragraph separators, the byte-order mark. */
function invisible(cp: number): boolean {
  return (
    cp <= 0x1f ||
    (cp >= 0x7f && cp <= 0x9f) ||
    cp === 0xad ||
    cp === 0x61c ||
    cp === 0x180e ||
    (cp >= 0x200b && cp <= 0x200f) ||
    (cp >= 0x2028 && cp <= 0x202e) ||
    (cp >= 0x2060 && cp <= 0x2069) ||
    cp === 0xfeff
  );
}

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t', '\\': '\\\\' };

/** The text with a backslash and every invisible character escaped (\n, \t, \u{200B}). */
export function visible(text: string): string {
  let out = '';
  for (const c of text) {
    const cp = c.codePointAt(0) ?? 0;
    out +=
      NAMED[c] ?? (invisible(cp) ? `\\u{${cp.toString(16).toUpperCase().padStart(4, '0')}}` : c);
  }
  return out;
}
