// A command as argv, one box per word: what runs is exactly these words (no shell joins them),
// and a word with spaces or quotes reads as one word.
/** The argv of a command, word by word. */
export function ArgvWords({ argv }: { argv: readonly string[] }) {
  return (
    <div className="argv-words" aria-label="Command, word by word">
      {argv.map((word, i) => (
        <code key={i} className="argv-word">
          {word}
        </code>
      ))}
    </div>
  );
}
