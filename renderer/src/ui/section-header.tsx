// The top of every section: its name, one line on what it is for, and optional tools on the right.
import type { ReactNode } from 'react';

/** Section title with a one-line purpose. */
export function SectionHeader(props: { title: string; purpose: string; tools?: ReactNode }) {
  return (
    <header className="section-header">
      <div>
        <h1 tabIndex={-1} data-section-title>
          {props.title}
        </h1>
        <p className="purpose">{props.purpose}</p>
      </div>
      {props.tools ? <div className="section-tools">{props.tools}</div> : null}
    </header>
  );
}
