// An empty state that says what to do next, never a blank panel.
import type { ReactNode } from 'react';

/** A centred message with the next action. */
export function EmptyState(props: { title: string; children: ReactNode; action?: ReactNode }) {
  return (
    <div className="empty-state" role="status">
      <h2>{props.title}</h2>
      <div className="empty-state-body">{props.children}</div>
      {props.action ? <div className="empty-state-action">{props.action}</div> : null}
    </div>
  );
}
