// Audit: open a signed audit log, verify it offline and replay it.
import { EmptyState } from '../../ui/empty-state';
import { SectionHeader } from '../../ui/section-header';

/** The Audit section. */
export function AuditView() {
  return (
    <section>
      <SectionHeader
        title="Audit"
        purpose="Verify a signed audit log offline and replay it step by step."
      />
      <EmptyState title="No audit log open">
        <p>
          Open a session’s <code>.jsonl</code> audit log to see its verdict, its signers and a
          step-by-step replay. From a terminal: <code>dapple audit verify FILE</code>.
        </p>
      </EmptyState>
    </section>
  );
}
