// Drill history in the console. On the demo: the Drills section charts the generated history
// against the RTO (one over it, one failed, a trend), a drill's steps and Open in Audit, the
// catalog's tested points and the predicted time in the plan. Then two real drills run by the
// engine (`dapple drill`, real cp and sha256sum, real keys) on a demo without any drill history:
// the Drills section shows both with the chart, the catalog shows the drilled points as tested,
// and Health's untested finding is gone for the services they restored.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locator, Page } from '@playwright/test';
import { restoreNewestConsistentCut } from './fixtures/restore-flow';
import { expect, screenshotDir, startServe, stopServe, test } from './fixtures/serve';

const root = path.resolve(__dirname, '..');
const cli = path.join(root, 'out', 'cli', 'index.js');
// The README's pictures are refreshed on purpose (DAPPLE_DOC_SCREENSHOTS=1), never by a plain run.
const docShots = process.env.DAPPLE_DOC_SCREENSHOTS ? path.join(root, 'docs', 'screenshots') : null;
const shot = async (page: Page, name: string, doc = false, part?: Locator) => {
  // The sections scroll inside <main>: a part (a card) is pictured whole with its own screenshot.
  const target = part ?? page;
  await target.screenshot({ path: path.join(screenshotDir, `drills-${name}.png`) });
  if (doc && docShots) await target.screenshot({ path: path.join(docShots, `${name}.png`) });
};

async function open(page: Page, url: string, section: string): Promise<void> {
  await page.goto(url);
  await expect(page.locator('.status-workspace')).toContainText('shop');
  await page.getByRole('button', { name: new RegExp(`^${section}`) }).click();
  await expect(page.getByRole('heading', { level: 1, name: section })).toBeVisible();
}

const catalogRows = (page: Page) =>
  page.getByTestId('points-table').locator('.pt-body [role="row"]');

// Tall enough that a runbook's card (chart, table and a drill's steps) is pictured whole.
test.use({ viewport: { width: 1400, height: 1500 } });

test('the demo drill history: chart against the RTO, steps, Open in Audit, tested points, predicted time', async ({
  page,
  served,
}) => {
  test.setTimeout(120_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await open(page, served.url, 'Drills');
  const card = page.getByRole('region', { name: /Restore the shop/ });
  const chart = card.getByTestId('drill-chart');
  await expect(chart).toBeVisible();
  // The generated history (5 drills) and the demo's shipped drill of 2026-11-12.
  await expect(chart.locator('.dc-mark')).toHaveCount(6);
  await expect(chart.locator('.dc-over')).toHaveCount(1);
  await expect(chart.locator('.dc-failed')).toHaveCount(1);
  await expect(chart).toContainText('RTO 1 h');
  await expect(card.locator('.drill-table tbody tr')).toHaveCount(6);
  await expect(card.getByRole('list', { name: /Warnings/ })).toContainText(
    'Drill times are rising toward the RTO of 1 h',
  );
  // The newest drill's steps show first; the failed one's on a click of its mark.
  await expect(card.locator('.drill-steps')).toContainText('completed');
  await chart.locator('.dc-failed').click();
  const steps = card.locator('.drill-steps');
  await expect(steps).toContainText('Stopped at “Copy the backup sets into the target”');
  await expect(steps.locator('.ds-step')).toHaveCount(6);
  await chart.locator('.dc-over').focus();
  await page.keyboard.press('Enter');
  await expect(steps).toContainText('over the RTO');
  await shot(page, 'drills', true, card);

  await steps.getByRole('button', { name: 'Open in Audit' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Audit' })).toBeVisible();
  await expect(page.getByRole('status', { name: 'Verification' })).toContainText('VALID');

  // The catalog: the newest drill's points read as tested, older ones as stale (drillEvery 14d).
  await page.getByRole('button', { name: /^Catalog/ }).click();
  await expect(catalogRows(page).first()).toBeVisible({ timeout: 60_000 });
  await page.getByLabel('Service').selectOption('uploads');
  await page.getByRole('columnheader', { name: 'Verified' }).getByRole('button').click();
  await expect(page.getByRole('columnheader', { name: 'Verified' })).toHaveAttribute(
    'aria-sort',
    'descending',
  );
  const first = catalogRows(page).first();
  await expect(first.locator('.tested-cell')).toHaveText(/^✓ drill \d\d-\d\d$/);
  await expect(first.locator('.pt-cell', { has: page.locator('.tested-cell') })).toHaveAttribute(
    'title',
    /^Restored in a drill on \d{4}-\d\d-\d\d in \d+ m \(drill-\d{4}-\d\d-\d\d-[0-9a-f]{8}\.jsonl\)$/,
  );
  await expect(catalogRows(page).nth(2).locator('.tested-cell')).toHaveText(
    /^stale drill \d\d-\d\d$/,
  );
  // Wide enough for every column of the table, then the detail panel over it.
  await page.setViewportSize({ width: 1700, height: 1000 });
  await shot(page, 'catalog-tested', true);
  await first.click();
  const detail = page.getByTestId('tested-by-drill');
  await expect(detail).toContainText(/Restored in a drill on \d{4}-\d\d-\d\d in \d+ m/);
  await shot(page, 'catalog-tested-detail', true);
  await page.setViewportSize({ width: 1400, height: 1500 });
  await detail.getByRole('button', { name: 'Open the drill log' }).click();
  await expect(page.getByRole('status', { name: 'Verification' })).toContainText('VALID');

  // The plan of the newest consistent cut predicts the restore time from those drills, scaled by
  // the sizes of the points, against the RTO.
  await restoreNewestConsistentCut(page, served.url);
  const predicted = page.getByTestId('predicted-time');
  await expect(predicted).toContainText(/Predicted \d+–\d+ min; RTO 1 h/);
  await expect(predicted).toContainText('From 5 completed drills of this runbook');
  await expect(predicted).toContainText('scaled by size');
  await predicted.scrollIntoViewIfNeeded();
  await shot(page, 'restore-predicted-page');
  // For the README: the plan's header, from the runbook picker to its parameters.
  const from = await page.locator('.runbook-picker').boundingBox();
  const to = await page.locator('.plan table').first().boundingBox();
  if (docShots && from && to)
    await page.screenshot({
      path: path.join(docShots, 'restore-predicted.png'),
      clip: {
        x: from.x - 12,
        y: from.y - 12,
        width: to.width + 24,
        height: to.y + to.height - from.y + 24,
      },
    });
  expect(errors).toEqual([]);
});

/** A demo workspace without any drill history, an operator key it trusts, and the CLI's env. */
function freshDemo(): {
  ws: string;
  env: NodeJS.ProcessEnv;
  run: (args: string[], input?: string) => string;
} {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dapple-drills-e2e-'));
  const ws = path.join(dir, 'ws');
  const env = {
    ...process.env,
    DAPPLE_DATA_DIR: path.join(dir, 'data'),
    DAPPLE_KEY_PASSPHRASE: 'e2e operator passphrase',
    DAPPLE_APPROVER_PASSPHRASE: 'demo',
  };
  const run = (args: string[], input?: string) =>
    execFileSync(process.execPath, [cli, ...args], { env, input, encoding: 'utf8' });
  run(['workspace', 'demo', '--into', ws]);
  fs.rmSync(path.join(ws, 'audit'), { recursive: true, force: true });
  run(['audit', 'keygen']);
  run(['audit', 'export-key', '--into', path.join(ws, 'keys', 'trusted.json')]);
  return { ws, env, run };
}

test('after two real drills, the Drills section shows both, the catalog shows their points tested and untested is gone', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const { ws, env, run } = freshDemo();
  const untested = () =>
    (
      JSON.parse(run(['findings', '--workspace', ws, '--json'])) as {
        kind: string;
        service: string;
      }[]
    )
      .filter((f) => f.kind === 'untested')
      .map((f) => f.service)
      .sort();
  expect(untested()).toEqual(['billing-db', 'invoices', 'search-index', 'uploads']);
  // Two drills of the shop's newest consistent cut, answered on stdin as the README shows.
  const answers =
    'y\ny\nin person\n\napprove\nChecked the cut and the sandbox.\nsandbox-restore\ny\ny\ny\n';
  for (let i = 0; i < 2; i++) {
    expect(run(['drill', '--workspace', ws, '--group', 'shop'], answers)).toContain(
      'Outcome: completed.',
    );
    fs.rmSync(path.join(ws, 'sandbox'), { recursive: true, force: true });
    fs.mkdirSync(path.join(ws, 'sandbox'));
  }
  expect(untested()).toEqual(['billing-db', 'invoices']);

  const served = await startServe(['--workspace', ws], {
    DAPPLE_KEY_PASSPHRASE: env.DAPPLE_KEY_PASSPHRASE ?? '',
  });
  try {
    await open(page, served.url, 'Drills');
    const card = page.getByRole('region', { name: /Restore the shop/ });
    await expect(card.getByTestId('drill-chart').locator('.dc-ok')).toHaveCount(2);
    const rows = card.locator('.drill-table tbody tr');
    await expect(rows).toHaveCount(2);
    await expect(rows.first()).toContainText('completed');
    await expect(rows.first()).toContainText('operator');
    await expect(card.getByRole('list', { name: /Warnings/ })).toHaveCount(0);
    await shot(page, 'two-drills', false, card);

    await page.getByRole('button', { name: /^Catalog/ }).click();
    await expect(catalogRows(page).first()).toBeVisible({ timeout: 60_000 });
    await page.getByRole('columnheader', { name: 'Verified' }).getByRole('button').click();
    await expect(page.getByRole('columnheader', { name: 'Verified' })).toHaveAttribute(
      'aria-sort',
      'descending',
    );
    // The three points of the drilled cut come first, tested today.
    const cells = await catalogRows(page).locator('.tested-cell').allTextContents();
    expect(cells.slice(0, 3).every((c) => /^✓ drill \d\d-\d\d$/.test(c))).toBe(true);
    expect(cells[3]).not.toMatch(/drill/);

    // The Timeline's cut banner says the same of the drilled cut's points.
    await page.getByRole('button', { name: /^Timeline/ }).click();
    await expect(
      page.locator('#cut-select option').filter({ hasText: '✓' }).first(),
    ).toBeAttached();
    const labels = await page.locator('#cut-select option').allTextContents();
    const newest = labels
      .map((label, index) => ({ index, label, time: /\d{4}-\d\d-\d\d \d\d:\d\d/.exec(label)?.[0] }))
      .filter((o) => o.label.startsWith('✓') && o.time)
      .sort((a, b) => (b.time ?? '').localeCompare(a.time ?? ''))[0];
    await page.selectOption('#cut-select', { index: newest?.index ?? 0 });
    const panel = page.getByRole('region', { name: 'Selected cut' });
    await expect(panel.locator('.badge', { hasText: /^tested$/ })).toHaveCount(3);

    await page.getByRole('button', { name: /^Health/ }).click();
    const findings = page.locator('.finding');
    await expect(findings.first()).toBeVisible();
    const untestedRows = page.locator('.finding', { hasText: 'untested' });
    await expect(untestedRows).toHaveCount(2);
    await expect(untestedRows.locator('.finding-service')).toHaveText(['billing-db', 'invoices']);
  } finally {
    await stopServe(served);
    fs.rmSync(path.dirname(ws), { recursive: true, force: true });
  }
});
