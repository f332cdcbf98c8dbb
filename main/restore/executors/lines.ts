// Tool output arrives in arbitrary chunks: split it into whole lines for the progress parsers.

/** Feed chunks; each complete line (without its \n or \r) goes to onLine. */
export function lineSplitter(onLine: (line: string) => void): (bytes: Buffer) => void {
  let rest = '';
  return (bytes) => {
    const text = rest + bytes.toString('utf8');
    // Progress bars redraw with \r: each redraw counts as a line.
    const lines = text.split(/\r\n|\n|\r/);
    rest = lines.pop() ?? '';
    if (rest.length > 1 << 20) rest = '';
    for (const line of lines) if (line.trim() !== '') onLine(line);
  };
}

/** A JSON object from one line of output, or null when it is not one. */
export function jsonLine(line: string): Record<string, unknown> | null {
  if (!line.trimStart().startsWith('{')) return null;
  try {
    const value: unknown = JSON.parse(line);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

/** A whole non-negative number, or null. */
export const count = (v: unknown): number | null =>
  typeof v === 'number' && Number.isFinite(v) && v >= 0 ? Math.round(v) : null;

/** The sentence for a program that is not installed where the step runs (exit 127 on a host). */
export function toolMissing(program: string, host: string, debianPackage: string): string {
  // Here nothing exited: the program was not found on PATH when it was started.
  if (host === 'localhost')
    return `${program} is not installed on this machine (not found on PATH): install it (apt-get install ${debianPackage}) or put it on the PATH Dapple starts with, then retry.`;
  return `${program} is not installed on ${host} (exit 127): install it there (apt-get install ${debianPackage}) or put it on PATH for that user, then retry.`;
}
