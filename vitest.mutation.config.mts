// The tests StrykerJS runs against each mutant of the security core (stryker.config.json): the
// behaviour tests of the audit verifier, trust, the restore engine and its API, the bridge, quoting
// and cuts. Tests that run the code in a child process (a bundle of their own) are left out: a
// mutant switched on in the test worker does not reach that process.
import { defineConfig } from 'vitest/config';
import base from './vitest.config.mjs';

export default defineConfig({
  ...base,
  test: {
    ...base.test,
    include: [
      'main/audit/*.test.ts',
      'main/restore/*.test.ts',
      'main/api/handlers/session*.test.ts',
      'main/bridge/*.test.ts',
      'main/runbook/*.test.ts',
      'main/groups/*.test.ts',
    ],
    // Also left out: tests of other rooms that need a server (sshd, moto) and cover these files
    // only in passing.
    exclude: [
      'main/audit/crash.test.ts',
      'main/audit/openssl-recipe.test.ts',
      'main/audit/s3-anchor.test.ts',
      'main/restore/ssh-step.test.ts',
      'main/restore/resume.test.ts',
      'main/restore/confine.test.ts',
    ],
  },
});
