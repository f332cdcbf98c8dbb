// The questions `dapple drill` asks on stdin: one line per answer, so it works typed or piped.
import { createInterface } from 'node:readline';

/** Reads answers line by line; null once stdin has ended. */
export type LineReader = {
  ask: (question: string, options?: { secret?: boolean }) => Promise<string | null>;
  close: () => void;
};

/** A reader over a stream; questions go to `write` (stdout, or stderr with --json). */
export function lineReader(
  input: NodeJS.ReadableStream & { isTTY?: boolean },
  write: (text: string) => void,
): LineReader {
  const rl = createInterface({ input, terminal: false });
  const lines = rl[Symbol.asyncIterator]();
  let ended = false;
  // A question given up on (an approval that arrived through the drop folder meanwhile) leaves
  // its read waiting: the next question takes that same line instead of skipping it.
  let pending: Promise<IteratorResult<string>> | null = null;
  return {
    async ask(question, options = {}) {
      write(question);
      if (ended) return null;
      // On a terminal a secret is typed concealed (SGR 8), so a passphrase does not show on screen.
      const conceal = options.secret === true && input.isTTY === true;
      if (conceal) write('\x1b[8m');
      const read = (pending ??= lines.next());
      const next = await read;
      if (pending === read) pending = null;
      if (conceal) write('\x1b[28m');
      if (next.done) {
        ended = true;
        write('\n');
        return null;
      }
      if (input.isTTY !== true) write('\n');
      return next.value.trim();
    },
    close: () => rl.close(),
  };
}
