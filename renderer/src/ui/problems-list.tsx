// Workspace problems as file:line sentences, errors first.
import type { WorkspaceView } from '../../../preload/contract';

/** The list of what is wrong in the workspace files, or nothing when all is well. */
export function ProblemsList(props: { problems: WorkspaceView['problems'] }) {
  if (props.problems.length === 0) return null;
  const sorted = [...props.problems].sort((a, b) =>
    a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1,
  );
  return (
    <section className="problems" aria-label="Workspace problems">
      <h2>Workspace problems</h2>
      <ul>
        {sorted.map((p, i) => (
          <li key={i} className={`problem problem-${p.severity}`}>
            <span className="problem-kind">{p.severity === 'error' ? 'Error' : 'Warning'}</span>
            <code>
              {p.file}
              {p.line !== null ? `:${p.line}` : ''}
            </code>
            <span>{p.message}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}
