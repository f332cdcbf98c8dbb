// "Incident began": a text field that reads what a tired person types (13:18, 2 h ago, a date,
// ISO), checks it at each keystroke, shows local time next to UTC, and quick buttons that propose
// the last good state in one click. Nothing it cannot read is ever sent to main.
import { useEffect, useId, useState } from 'react';
import {
  incidentWords,
  localOffset,
  parseIncidentTime,
  wallText,
} from '../../../../preload/schemas/incident-time';
import { useStore } from '../../store/index';
import { setIncident } from '../../store/timeline-actions';

const QUICK = [
  ['Now', 0],
  ['−1 h', 1],
  ['−2 h', 2],
  ['−4 h', 4],
] as const;

/** The field's text for a set incident: its local wall time. */
const textOf = (iso: string | null): string => (iso ? wallText(Date.parse(iso), localOffset) : '');

/** The incident field with its quick buttons and what it read. */
export function IncidentField() {
  const incident = useStore((s) => s.incident);
  const [text, setText] = useState(() => textOf(incident));
  const [shown, setShown] = useState(incident);
  const id = useId();
  // The incident set elsewhere (a quick button, clear, another group) shows in the field.
  if (shown !== incident) {
    setShown(incident);
    setText(textOf(incident));
  }
  // The clock the field reads against: set at each keystroke, and every 30 s so "2 h ago" stays true.
  const [nowMs, setNowMs] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNowMs(Date.now()), 30_000);
    return () => clearInterval(timer);
  }, []);
  const read = text.trim() ? parseIncidentTime(text, nowMs) : null;
  const submit = () => {
    if (!text.trim()) return void setIncident(null);
    // Read again at the moment of pressing: "2 h ago" means two hours before now.
    const at = parseIncidentTime(text, Date.now());
    if (at.ok) void setIncident(at.iso);
  };
  return (
    <form
      className="incident-form"
      aria-label="Incident time"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <label htmlFor={`${id}-time`}>Incident began</label>
      <input
        id={`${id}-time`}
        name="incident"
        className="incident-input"
        value={text}
        onChange={(e) => {
          setText(e.target.value);
          setNowMs(Date.now());
        }}
        placeholder="13:18, 2 h ago, 2026-12-04 13:18"
        autoComplete="off"
        spellCheck={false}
        aria-invalid={read !== null && !read.ok}
        aria-describedby={`${id}-read`}
      />
      <button type="submit" className={incident ? undefined : 'primary'}>
        Find last good state
      </button>
      <span className="quick-times" role="group" aria-label="Quick incident times">
        {QUICK.map(([label, hours]) => (
          <button
            key={label}
            type="button"
            className="chip"
            title={hours === 0 ? 'The incident began now' : `The incident began ${hours} hours ago`}
            onClick={() => {
              const ms = Date.now() - hours * 3_600_000;
              setText(wallText(ms, localOffset));
              void setIncident(new Date(ms).toISOString());
            }}
          >
            {label}
          </button>
        ))}
      </span>
      {incident ? (
        <button type="button" className="link-button" onClick={() => void setIncident(null)}>
          Clear
        </button>
      ) : null}
      <p id={`${id}-read`} className="incident-read" aria-live="polite">
        {read === null ? (
          <span className="muted">
            Local time unless you add UTC or Z; a time still to come today means yesterday.
          </span>
        ) : read.ok ? (
          <span>
            <span className="muted">Reads as </span>
            {incidentWords(read.ms, nowMs)}
          </span>
        ) : (
          <span className="warn-text">{read.message}</span>
        )}
      </p>
    </form>
  );
}
