// The key to the timeline's marks, in words and shapes (colour is never the only signal).
/** A compact legend. */
export function Legend() {
  return (
    <ul className="legend" aria-label="Legend">
      <li>
        <span className="lg lg-full" aria-hidden="true" /> full
      </li>
      <li>
        <span className="lg lg-diff" aria-hidden="true" /> differential
      </li>
      <li>
        <span className="lg lg-incr" aria-hidden="true" /> incremental
      </li>
      <li>
        <span className="lg lg-snap" aria-hidden="true" /> snapshot
      </li>
      <li>
        <span className="lg lg-window" aria-hidden="true" /> continuous window
      </li>
      <li>
        <span className="lg lg-broken" aria-hidden="true" /> hollow red ✕ = broken chain, unusable
      </li>
      <li>
        <span className="lg lg-lock" aria-hidden="true" /> padlock = immutable
      </li>
      <li>
        <span className="lg lg-gap" aria-hidden="true" /> gap longer than RPO
      </li>
      <li>
        <span className="lg lg-cut" aria-hidden="true" /> consistent cut
      </li>
      <li>
        <span className="lg lg-badcut" aria-hidden="true" /> dashed = inconsistent cut
      </li>
    </ul>
  );
}
