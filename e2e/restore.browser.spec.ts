// The Restore section drives a real session on the demo workspace: pick the newest consistent cut,
// trust the operator's key, run a drill through every gate (checklists, a signed approval, the
// typed target, the copy and the checksum check) until the log is sealed, and see it verify VALID
// in the Audit section. A rehearsal walks the same gates and runs no command.
import fs from 'node:fs';
import path from 'node:path';
import { test as base } from '@playwright/test';
import {
  advanceTo,
  demoWith,
  firstFile,
  restoreNewestConsistentCut,
  runToSeal,
  shot,
  trustOperator,
} from './fixtures/restore-flow';
import { expect, startServe, stopServe, type Served } from './fixtures/serve';

/** The operator key is a passphrase file in browser mode: the passphrase comes from the environment. */
const test = base.extend<{ served: Served }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright requires the fixtures argument to be destructured
  served: async ({}, use) => {
    const served = await startServe([], { DAPPLE_KEY_PASSPHRASE: 'e2e operator passphrase' });
    await use(served);
    await stopServe(served);
  },
});

test('a drill of the newest consistent cut runs every gate and its log verifies VALID', async ({
  page,
  served,
}) => {
  test.setTimeout(180_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await restoreNewestConsistentCut(page, served.url);
  await trustOperator(page, true);
  await expect(page.getByRole('button', { name: 'Start drill' })).toBeEnabled();
  await shot(page, 'start');
  // A live restore starts by choosing where: nothing chosen, production and sandbox apart, the
  // button naming the target and its path, the preview following the choice (not started here).
  const liveButton = page.getByRole('button', { name: 'Start live restore…' });
  await liveButton.click();
  const dialog = page.getByRole('dialog', { name: 'Where should the live restore write?' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('radio', { checked: true })).toHaveCount(0);
  await expect(dialog.getByRole('button', { name: 'Choose a target first' })).toBeDisabled();
  await expect(dialog.getByRole('group', { name: 'Production' })).toContainText('shop-production');
  await expect(dialog.getByRole('group', { name: 'Sandbox' })).toContainText('sandbox-restore');
  await dialog.getByRole('radio', { name: /shop-production/ }).check();
  await expect(dialog.locator('.argv-target').first()).toContainText('/srv/shop/data');
  // One choice: the plan's own picker behind the dialog follows the pick.
  const picker = page.getByRole('group', { name: 'Where to restore' });
  await expect(picker.getByRole('radio', { name: /shop-production/ })).toBeChecked();
  const intoProduction = dialog.getByRole('button', {
    name: 'Restore into shop-production — /srv/shop/data',
  });
  // Production also needs its name typed.
  await expect(intoProduction).toBeDisabled();
  await dialog.getByLabel(/Type shop-production to confirm/).fill('shop-production');
  await expect(intoProduction).toBeEnabled();
  await shot(page, 'live-confirm');
  await dialog.getByRole('radio', { name: /sandbox-restore/ }).check();
  await expect(dialog.locator('.argv-target').first()).toContainText('/sandbox');
  await expect(dialog.locator('.argv-target').first()).not.toContainText('/srv/shop/data');
  await expect(
    dialog.getByRole('button', { name: /^Restore into sandbox-restore — / }),
  ).toBeEnabled();
  // Cancel closes it, and so does Esc; the focus goes back to the button.
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await expect(dialog).toBeHidden();
  await expect(liveButton).toBeFocused();
  // Cancel puts back the choice the plan had (the runbook's sandbox), so the drill stays possible.
  await expect(picker.getByRole('radio', { name: /sandbox-restore/ })).toBeChecked();
  await liveButton.click();
  await expect(dialog).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(liveButton).toBeFocused();

  await page.getByRole('button', { name: 'Start drill' }).click();
  const header = page.locator('.session-header');
  await expect(header).toContainText('DRILL');
  await expect(header).toContainText('sandbox-restore');
  await expect(header).toContainText(/Audit log .*\.jsonl/);
  await expect(header.getByRole('meter', { name: 'Elapsed against the RTO' })).toBeVisible();

  // A reload of the page brings the running session back, on the Restore section.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Restore' })).toBeVisible();
  await expect(page.locator('.session-header')).toContainText('DRILL');

  // A note goes into the log at any time.
  await page.getByRole('button', { name: 'Add note' }).click();
  await page.getByLabel(/^Note/).fill('Drill started from the e2e test.');
  await page.getByRole('button', { name: 'Add note' }).last().click();
  await expect(page.getByRole('region', { name: 'Notes' })).toContainText(
    'Drill started from the e2e test.',
  );

  const needs = await runToSeal(page, 'drill');
  expect(needs.some((n) => n.startsWith('Needs an approval'))).toBe(true);
  expect(needs.some((n) => n.startsWith('Type the target'))).toBe(true);
  const sealed = page.getByRole('status', { name: 'Session sealed' });
  await expect(sealed).toContainText('Completed');
  await expect(sealed).toContainText(/of the RTO 1h/);
  // The restores and the check ran and ended well.
  for (const step of ['restore-orders', 'restore-uploads', 'restore-search'])
    await expect(page.locator(`[data-step="${step}"]`)).toContainText('✓ done');
  await expect(page.locator('[data-step="verify"]')).toContainText('✓ done');
  await page.locator('[data-step="verify"] summary').click();
  await expect(page.locator('[data-step="verify"] .audit-command')).toContainText('✓ exit 0');
  await expect(page.locator('[data-step="verify"] .audit-output')).toContainText(': OK');
  await shot(page, 'drill-sealed');

  await sealed.getByRole('button', { name: 'Open in Audit' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Audit' })).toBeVisible();
  const verdict = page.getByRole('status', { name: 'Verification' });
  await expect(verdict).toContainText('VALID');
  await expect(verdict).not.toContainText('INVALID');
  await shot(page, 'drill-audit');
  expect(errors).toEqual([]);
});

test('a rehearsal walks every gate and runs no command', async ({ page, served }) => {
  test.setTimeout(120_000);
  await restoreNewestConsistentCut(page, served.url);
  await trustOperator(page, false);
  await page.getByRole('button', { name: 'Start rehearsal' }).click();
  await expect(page.locator('.session-header')).toContainText('REHEARSAL');
  await expect(page.locator('.session-header')).toContainText('nothing runs');
  await expect(page.locator('.session-header')).toContainText('does not count against the RTO');
  await runToSeal(page, 'rehearsal');
  await expect(page.getByRole('status', { name: 'Session sealed' })).toContainText('nothing ran');
  await expect(page.locator('[data-step="restore-orders"]')).toContainText(
    'rehearsed — nothing ran',
  );
  await shot(page, 'rehearsal-sealed');
  // Nothing ran: no command in the view, and none in the log (read back through audit.open).
  await expect(page.locator('.session .audit-command')).toHaveCount(0);
  const logPath = (await page.locator('.log-path code').textContent()) ?? '';
  const fromLog = await page.evaluate(async (logPath) => {
    type Opened = {
      frames: { commands: unknown[]; mode: string | null }[];
      outputs: unknown[];
      words: { verdict: string };
    };
    const api = (
      globalThis as unknown as {
        dapple: { audit: { open: (r: object) => Promise<{ ok: boolean; value: Opened }> } };
      }
    ).dapple;
    const result = await api.audit.open({ path: logPath });
    const last = result.value.frames.at(-1);
    return {
      ok: result.ok,
      mode: last?.mode,
      commands: last?.commands.length,
      outputs: result.value.outputs.length,
      verdict: result.value.words.verdict,
    };
  }, logPath);
  expect(fromLog).toEqual({
    ok: true,
    mode: 'rehearsal',
    commands: 0,
    outputs: 0,
    verdict: 'VALID',
  });
});

test('a failed checksum check offers retry, skip with a reason, or abort', async ({
  page,
  served,
}) => {
  test.setTimeout(180_000);
  await restoreNewestConsistentCut(page, served.url);
  await trustOperator(page, false);
  await page.getByRole('button', { name: 'Start drill' }).click();
  await expect(page.locator('.session-header')).toContainText('DRILL');
  let failures = 0;
  const seen = new Set(['checklist', 'approval', 'approval-refused', 'confirm', 'run', 'output']);
  await runToSeal(
    page,
    'drill',
    {
      // Damage one restored file, so the checksum check that follows fails.
      afterRun: async (step) => {
        if (step !== 'restore-search') return;
        // The verify step, open next, runs in the target folder.
        const runs = (await page.locator('[data-step="verify"] .argv > .muted').textContent())!;
        const sandbox = / in (\S+):$/.exec(runs.trim())?.[1] ?? '';
        const victim = firstFile(sandbox);
        expect(victim, `a restored file under ${sandbox}`).toBeTruthy();
        fs.appendFileSync(victim!, 'damaged after the copy\n');
      },
      onFailed: async (step) => {
        expect(step).toBe('verify');
        const open = page.locator('.session-step-open');
        await expect(open).toContainText('✗ failed');
        await expect(open.locator('.audit-output')).toContainText('FAILED');
        await expect(open.getByRole('button', { name: 'Retry' })).toBeVisible();
        failures += 1;
        if (failures === 1) {
          await shot(page, 'drill-failed');
          await open.getByRole('button', { name: 'Retry' }).click();
          await expect(open).toContainText('2 attempts', { timeout: 60_000 });
          return;
        }
        await open.getByRole('button', { name: 'Skip…' }).click();
        await open
          .getByLabel(/Why is it safe/)
          .fill('Drill only: the damaged file was made on purpose by the test.');
        await open.getByRole('button', { name: 'Skip this step' }).click();
        await expect(page.locator('[data-step="verify"]')).toContainText('⤼ skipped');
      },
    },
    seen,
  );
  expect(failures).toBe(2);
  await expect(page.locator('[data-step="verify"]')).toContainText('⤼ skipped');
  const sealed = page.getByRole('status', { name: 'Session sealed' });
  await expect(sealed).toContainText('1 skipped');
  await shot(page, 'drill-skipped-sealed');
  await sealed.getByRole('button', { name: 'Open in Audit' }).click();
  await expect(page.getByRole('status', { name: 'Verification' })).toContainText('VALID');
});

test('a running command streams its output; Cancel stops it and Abort seals the log', async ({
  page,
}) => {
  test.setTimeout(180_000);
  // The first restore step of this demo copy prints a line every half second for ten seconds.
  const ws = demoWith((text) =>
    text.replace(
      / {4}kind: manifest-restore\n {4}title: Restore orders-db[^\n]*\n/,
      `    kind: local\n    title: Copy slowly\n    run: [sh, -c, 'for i in $(seq 1 20); do echo "copying part $i of 20"; sleep 0.5; done']\n`,
    ),
  );
  const served = await startServe(['--workspace', ws], {
    DAPPLE_KEY_PASSPHRASE: 'e2e operator passphrase',
  });
  try {
    await restoreNewestConsistentCut(page, served.url);
    await trustOperator(page, false);
    await page.getByRole('button', { name: 'Start drill' }).click();
    await advanceTo(page, 'restore-orders');
    const open = page.locator('.session-step-open');
    await open.getByRole('button', { name: 'Run', exact: true }).click();
    await expect(open.locator('.step-need-tag')).toHaveText('Running — Cancel stops it');
    await expect(open).toContainText('▶ running');
    await expect(open.locator('.audit-output')).toContainText('copying part 3 of 20');
    await shot(page, 'drill-running');

    await open.getByRole('button', { name: 'Cancel' }).click();
    await expect(open).toContainText('✗ failed');
    await expect(open.getByRole('button', { name: 'Retry' })).toBeVisible();
    // Abort from the failed step: the log is sealed as aborted, and it still verifies.
    await open.getByRole('button', { name: 'Abort session…' }).click();
    await open
      .getByLabel(/Why stop the restore here/)
      .fill('Cancelled on purpose by the e2e test.');
    await open.getByRole('button', { name: 'Abort and seal the log' }).click();
    const sealed = page.getByRole('status', { name: 'Session sealed' });
    await expect(sealed).toContainText('Aborted');
    await shot(page, 'drill-aborted');
    await sealed.getByRole('button', { name: 'Open in Audit' }).click();
    await expect(page.getByRole('status', { name: 'Verification' })).toContainText('VALID');
  } finally {
    await stopServe(served);
    fs.rmSync(path.dirname(ws), { recursive: true, force: true });
  }
});

test('a plan that restores to production cannot start a drill, and says why', async ({ page }) => {
  const ws = demoWith((text) =>
    text.replace('default: sandbox-restore', 'default: shop-production'),
  );
  const served = await startServe(['--workspace', ws], {
    DAPPLE_KEY_PASSPHRASE: 'e2e operator passphrase',
  });
  try {
    await restoreNewestConsistentCut(page, served.url);
    await expect(page.getByRole('button', { name: 'Start drill' })).toBeDisabled();
    await expect(page.locator('.start-panel')).toContainText(
      'A drill never runs against a production target',
    );
    await page.getByRole('button', { name: 'Start live restore…' }).click();
    const dialog = page.getByRole('dialog');
    // Even where the runbook's default is production, nothing is chosen for the operator.
    await expect(dialog.getByRole('radio', { checked: true })).toHaveCount(0);
    await dialog.getByRole('radio', { name: /shop-production/ }).check();
    await dialog.getByLabel(/Type shop-production to confirm/).fill('shop-production');
    await expect(
      dialog.getByRole('button', { name: 'Restore into shop-production — /srv/shop/data' }),
    ).toBeEnabled();
    await shot(page, 'start-production');
  } finally {
    await stopServe(served);
    fs.rmSync(path.dirname(ws), { recursive: true, force: true });
  }
});
