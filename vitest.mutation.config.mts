// The tests StrykerJS runs against each mutant of the security core (stryker.config.json): the
// behaviour tests of the audit verifier and trust, canonical JSON, the bridge, quoting, cuts, the
// runbook rules, the gates, the approval gates, confinement at write time and the session through
// session.act. StrykerJS runs every test that covers a mutant again for that mutant, so the slow
// end-to-end sessions of other rooms (the demo drill with its catalog, two-machine approvals,
// output streaming, resume, sshd, moto)
// are left out: they would multiply a full run's hours on two shared cores. Tests that run the code
// in a child process are left out too: a mutant switched on in the test worker does not reach it.
import { defineConfig } from 'vitest/config';
import base from './vitest.config.mjs';

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: [
      'main/audit/*.test.ts',
      'main/bridge/*.test.ts',
      'main/runbook/*.test.ts',
      'main/groups/*.test.ts',
      'main/restore/rules.test.ts',
      'main/restore/gates.test.ts',
      'main/restore/approval-gates.test.ts',
      'main/restore/approval-gates-words.test.ts',
      'main/restore/approval-refusals.test.ts',
      'main/restore/approver-identity.test.ts',
      'main/restore/confine.test.ts',
      'main/restore/confine-remote.test.ts',
      'main/restore/confine-remote-hosts.test.ts',
      'main/restore/confine-remote-words.test.ts',
      'main/restore/confine-remote-realpath.test.ts',
      'main/restore/session-lifecycle.test.ts',
      'main/workspace/targets-overlap.test.ts',
      'main/api/handlers/session-gate-walk.test.ts',
      'main/api/handlers/session-records.test.ts',
    ],
    exclude: [
      'main/audit/crash.test.ts',
      'main/audit/openssl-recipe.test.ts',
      'main/audit/s3-anchor.test.ts',
    ],
  },
});
