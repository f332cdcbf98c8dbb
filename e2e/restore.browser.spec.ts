// The Restore section drives a real session on the demo workspace: pick the newest consistent cut,
// trust the operator's key, run a drill through every gate (checklists, a signed approval, the
// typed target, the copy and the checksum check) until the log is sealed, and see it verify VALID
// in the Audit section. A rehearsal walks the same gates and runs no command.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test as base, type Page } from '@playwright/test';
import { expect, screenshotDir, startServe, stopServe, type Served } from './fixtures/serve';

/** The operator key is a passphrase file in browser mode: the passphrase comes from the environment. */
const test = base.extend<{ served: Served }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright requires the fixtures argument to be destructured
  served: async ({}, use) => {
    const served = await startServe([], { DAPPLE_KEY_PASSPHRASE: 'e2e operator passphrase' });
    await use(served);
    await stopServe(served);
  },
});

// The README's pictures are refreshed on purpose (DAPPLE_DOC_SCREENSHOTS=1), never by a plain test run.
const shotDir = process.env.DAPPLE_DOC_SCREENSHOTS
  ? path.resolve(__dirname, '..', 'docs', 'screenshots')
  : screenshotDir;
const shot = (page: Page, name: string) =>
  page.screenshot({ path: path.join(shotDir, `restore-${name}.png`), fullPage: true });

/** Timeline → the newest consistent cut of the shop → "Restore this cut". */
async function restoreNewestConsistentCut(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await expect(page.locator('.status-workspace')).toContainText('shop');
  await page.getByRole('button', { name: /^Timeline/ }).click();
  await expect(page.locator('.timeline-summary')).toContainText('candidate cuts');
  await expect(page.locator('#cut-select option').filter({ hasText: '✓' }).first()).toBeAttached();
  const labels = await page.locator('#cut-select option').allTextContents();
  const newest = labels
    .map((label, index) => ({ index, label, time: /\d{4}-\d\d-\d\d \d\d:\d\d/.exec(label)?.[0] }))
    .filter((o) => o.label.startsWith('✓') && o.time)
    .sort((a, b) => (b.time ?? '').localeCompare(a.time ?? ''))[0];
  expect(newest, 'the demo has a consistent shop cut').toBeTruthy();
  await page.selectOption('#cut-select', { index: newest?.index ?? 0 });
  const panel = page.getByRole('region', { name: 'Selected cut' });
  await expect(panel).toContainText('Consistent');
  await panel.getByRole('button', { name: /Restore this cut/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Restore' })).toBeVisible();
  await expect(page.locator('.restore-banner')).toContainText('Restoring group shop');
}

/** Trust the operator key when the workspace does not list it yet. */
async function trustOperator(page: Page, screenshot: boolean): Promise<void> {
  const card = page.getByRole('region', { name: 'Operator key' });
  // A fresh data folder has no key: looking asks nothing, making it is one click.
  const make = card.getByRole('button', { name: 'Make my signing key' });
  await expect(card.getByText(/Signed as|no signing key yet/)).toBeVisible();
  if (await make.isVisible()) await make.click();
  await expect(card).toContainText(/Signed as \S+, key [0-9a-f]{16}/);
  const trust = card.getByRole('button', { name: 'Trust my key in this workspace' });
  if (await trust.isVisible()) {
    await expect(card).toContainText('not trusted');
    if (screenshot) await shot(page, 'start-untrusted');
    await trust.click();
  }
  await expect(card).toContainText('✓ trusted in this workspace');
}

/** What a test does around the gates: after a command ran, and when a step failed. */
type Hooks = {
  afterRun?: (step: string) => Promise<void>;
  onFailed?: (step: string) => Promise<void>;
};

/** Do what the open step needs, once; returns what it was. */
async function advance(
  page: Page,
  seen: Set<string>,
  mode: 'drill' | 'rehearsal',
  hooks: Hooks = {},
) {
  const open = page.locator('.session-step-open');
  await expect(open).toHaveCount(1);
  const need = (await open.locator('.step-need-tag').textContent({ timeout: 15_000 })) ?? '';
  const step = (await open.getAttribute('data-step')) ?? '';
  // Screenshots of each kind of step, once (the rehearsal only adds its own "run").
  const first = (key: string) =>
    !seen.has(key) && (mode === 'drill' || key === 'run') && seen.add(key);
  if (need.startsWith('Tick the checklist')) {
    const done = open.getByRole('button', { name: 'Done' });
    await expect(done).toBeDisabled();
    for (const box of await open.getByRole('checkbox').all()) await box.check();
    if (first('checklist')) await shot(page, `${mode}-checklist`);
    await done.click();
  } else if (need.startsWith('Needs an approval')) {
    await expect(open.getByLabel(/key file/)).toHaveValue('keys/demo-approver.key');
    await open.getByLabel(/key file/).fill('keys/demo-approver.key');
    await open
      .getByLabel(/Statement/)
      .fill('Checked the cut time and that the target is the sandbox.');
    if (mode === 'drill') {
      // A wrong passphrase is refused with main's sentence next to the button.
      await open.getByLabel('Passphrase of that key').fill('not the passphrase');
      await open.getByRole('button', { name: 'Sign approval' }).click();
      await expect(open.locator('.act-error')).toContainText('passphrase');
      if (first('approval-refused')) await shot(page, 'drill-approval-refused');
    }
    await open.getByLabel('Passphrase of that key').fill('demo');
    await expect(open.getByLabel('Passphrase of that key')).toHaveAttribute('type', 'password');
    if (first('approval')) await shot(page, `${mode}-approval`);
    await open.getByRole('button', { name: 'Sign approval' }).click();
  } else if (need.startsWith('Type the target')) {
    const confirm = open.getByRole('button', { name: 'Confirm' });
    const field = open.getByLabel(/to confirm it will be overwritten/);
    await field.fill('sandbox-restor');
    await expect(confirm).toBeDisabled();
    await field.fill('sandbox-restore');
    await expect(confirm).toBeEnabled();
    if (first('confirm')) await shot(page, `${mode}-confirm`);
    await confirm.click();
  } else if (need.startsWith('Ready to')) {
    await expect(open.locator('.argv-word').first()).toBeVisible();
    if (first('run')) await shot(page, `${mode}-run`);
    const label = mode === 'rehearsal' ? 'Rehearse this step (nothing runs)' : 'Run';
    await open.getByRole('button', { name: label, exact: true }).click();
    if (mode === 'drill' && first('output')) {
      // The demo's copy is quick: once done, its output is folded under the step; unfold it
      // (only if closed — the step re-renders as it ends, so checking visibility first races).
      const stepBox = page.locator(`[data-step="${step}"]`);
      const command = stepBox.locator('.audit-command').first();
      await expect(stepBox).toContainText(/Output of 1 command/, { timeout: 60_000 });
      const fold = stepBox.locator('details').first();
      if (!(await fold.evaluate((d) => (d as HTMLDetailsElement).open)))
        await fold.locator('summary').click();
      await expect(command).toBeVisible();
      await shot(page, 'drill-output');
    }
    if (hooks.afterRun) {
      await expect(page.locator(`[data-step="${step}"]`)).toContainText(/✓ done|✗ failed/, {
        timeout: 60_000,
      });
      await hooks.afterRun(step);
    }
  } else if (need.startsWith('Failed') && hooks.onFailed) {
    // The hook waits for what it did (a retry fails again with the same need).
    await hooks.onFailed(step);
    return need;
  } else if (need.startsWith('Running')) {
    // A command is running: wait for it to end (the poll below).
  } else {
    const text = await open.textContent();
    throw new Error(`step ${step} needs "${need}": ${text}`);
  }
  // Wait until the session moved on: sealed, another step open, or this one needs something else.
  // Each probe is short: once sealed no step is open, and a probe must not wait for one.
  const probe = { timeout: 200 };
  await expect
    .poll(
      async () =>
        (await page.locator('.sealed').count()) > 0 ||
        (await open.getAttribute('data-step', probe).catch(() => step)) !== step ||
        ((await open
          .locator('.step-need-tag')
          .textContent(probe)
          .catch(() => need)) ?? '') !== need,
      { timeout: 60_000 },
    )
    .toBe(true);
  const refused = page.locator('.session .act-error');
  if ((await refused.count()) > 0)
    throw new Error(`refused: ${await refused.first().textContent()}`);
  return need;
}

/** Advance until the log is sealed. */
async function runToSeal(
  page: Page,
  mode: 'drill' | 'rehearsal',
  hooks: Hooks = {},
  seen = new Set<string>(),
): Promise<string[]> {
  const needs: string[] = [];
  for (let i = 0; i < 30 && (await page.locator('.sealed').count()) === 0; i++) {
    needs.push(await advance(page, seen, mode, hooks));
  }
  await expect(page.getByRole('status', { name: 'Session sealed' })).toBeVisible();
  return needs;
}

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
  // A live restore waits for the target's name, typed exactly (not started here).
  await page.getByRole('button', { name: 'Start live restore…' }).click();
  const live = page.getByRole('button', { name: /^Start live restore of/ });
  await expect(page.getByLabel('Target name')).toBeFocused();
  await page.getByLabel('Target name').fill('sandbox');
  await expect(live).toBeDisabled();
  await expect(page.locator('.live-confirm')).toContainText('Does not match');
  await shot(page, 'live-confirm');
  await page.getByLabel('Target name').fill('sandbox-restore');
  await expect(live).toBeEnabled();
  await page.getByRole('button', { name: 'Start live restore…' }).click();
  await expect(live).toHaveCount(0);

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
  // Both commands ran and ended well.
  await expect(page.locator('[data-step="copy-files"]')).toContainText('✓ done');
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
  await expect(page.locator('.session-header')).toContainText('no command runs');
  await runToSeal(page, 'rehearsal');
  await expect(page.getByRole('status', { name: 'Session sealed' })).toContainText('nothing ran');
  await expect(page.locator('[data-step="copy-files"]')).toContainText('rehearsed — nothing ran');
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

/** The first regular file under a folder. */
function firstFile(dir: string): string | null {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isFile()) return full;
    if (entry.isDirectory()) {
      const found = firstFile(full);
      if (found) return found;
    }
  }
  return null;
}

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
        if (step !== 'copy-files') return;
        const sandbox = (await page
          .locator('[data-step="copy-files"] .argv-word')
          .last()
          .textContent())!;
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

/** A fresh copy of the demo workspace whose runbook text was changed by `edit`. */
function demoWith(edit: (runbook: string) => string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dapple-restore-e2e-'));
  const ws = path.join(dir, 'ws');
  const cli = path.resolve(__dirname, '..', 'out', 'cli', 'index.js');
  execFileSync(process.execPath, [cli, 'workspace', 'demo', '--into', ws], { stdio: 'ignore' });
  const file = path.join(ws, 'runbooks', 'shop-restore.yaml');
  const before = fs.readFileSync(file, 'utf8');
  const after = edit(before);
  expect(after, 'the edit changed the demo runbook').not.toBe(before);
  fs.writeFileSync(file, after);
  return ws;
}

/** Advance a drill until `step` is open and ready to run. */
async function advanceTo(page: Page, step: string): Promise<void> {
  const seen = new Set(['checklist', 'approval', 'approval-refused', 'confirm', 'run', 'output']);
  for (let i = 0; i < 10; i++) {
    const open = page.locator('.session-step-open');
    const tag = (await open.locator('.step-need-tag').textContent()) ?? '';
    if ((await open.getAttribute('data-step')) === step && tag.startsWith('Ready to run')) return;
    await advance(page, seen, 'drill');
  }
  throw new Error(`step ${step} never became ready to run`);
}

test('a running command streams its output; Cancel stops it and Abort seals the log', async ({
  page,
}) => {
  test.setTimeout(180_000);
  // The copy step of this demo copy prints a line every half second for ten seconds.
  const ws = demoWith((text) =>
    text.replace(
      /run: \[cp, -R, .*\]/,
      `run: [sh, -c, 'for i in $(seq 1 20); do echo "copying part $i of 20"; sleep 0.5; done']`,
    ),
  );
  const served = await startServe(['--workspace', ws], {
    DAPPLE_KEY_PASSPHRASE: 'e2e operator passphrase',
  });
  try {
    await restoreNewestConsistentCut(page, served.url);
    await trustOperator(page, false);
    await page.getByRole('button', { name: 'Start drill' }).click();
    await advanceTo(page, 'copy-files');
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
    const confirm = page.locator('.live-confirm');
    await expect(confirm).toContainText('PRODUCTION');
    await expect(confirm.locator('.target-name-production')).toHaveText('shop-production');
    await page.getByLabel('Target name').fill('shop-production');
    await expect(
      page.getByRole('button', { name: 'Start live restore of shop-production' }),
    ).toBeEnabled();
    await page
      .getByRole('button', { name: 'Start live restore of shop-production' })
      .scrollIntoViewIfNeeded();
    await shot(page, 'start-production');
  } finally {
    await stopServe(served);
    fs.rmSync(path.dirname(ws), { recursive: true, force: true });
  }
});
