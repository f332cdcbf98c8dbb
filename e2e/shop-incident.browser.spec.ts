// Issue 14, the proof: a real shop (PostgreSQL 15 + pgBackRest on a host over ssh, a versioned
// Object-Locked uploads bucket in moto, app files in restic over SFTP) hit by an incident, drilled
// through the console in Chromium: the catalog, the shop timeline with the incident time, the
// proposed cut (t2), blast radius and predicted time, a drill into the sandboxes with the
// checklists, an approval from the approver's own machine (`dapple approve`, response pasted), the
// typed target, the tool-aware steps, and verify steps proving t2. The sealed log verifies VALID,
// the Drills section shows the drill against the RTO, the catalog marks the drilled points tested.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { runDapple } from '../test-support/shop/dapple-cli';
import type { Shop } from '../test-support/shop/index';
import { runCommand } from '../test-support/process';
import {
  approveElsewhere,
  driveToSeal,
  newestLog,
  printTimes,
  shopShot,
  stepTimes,
} from './fixtures/shop-flow';
import { expect } from './fixtures/serve';
import { test } from './fixtures/shop';
import type { Page } from '@playwright/test';

const checks = join(__dirname, '..', 'test-support', 'shop', 'checks');

/** A check helper's exit code and sentence (0: equal to t2). */
const check = (shop: Shop, script: string, args: string[]) =>
  runCommand(process.execPath, [join(checks, script), ...args], { env: shop.env() }).then(
    (text) => ({ code: 0, text }),
    (error: Error) => ({
      code: Number(/exit (\d+)/.exec(error.message)?.[1] ?? -1),
      text: error.message,
    }),
  );

/** Every version and delete marker of the uploads prefix, as "key@versionId". */
async function versions(shop: Shop): Promise<Set<string>> {
  const all = new Set<string>();
  let page: { KeyMarker?: string | undefined; VersionIdMarker?: string | undefined } = {};
  for (;;) {
    const out = await shop.uploads.client.send(
      new ListObjectVersionsCommand({ Bucket: 'uploads', Prefix: 'orders/', ...page }),
    );
    for (const v of [...(out.Versions ?? []), ...(out.DeleteMarkers ?? [])])
      all.add(`${v.Key}@${v.VersionId}`);
    if (!out.IsTruncated) return all;
    page = { KeyMarker: out.NextKeyMarker, VersionIdMarker: out.NextVersionIdMarker };
  }
}

/** The reviewer's recipe of docs/audit-format.md (bash, jq, openssl), run as written on a log. */
async function opensslRecipe(log: string, trust: string): Promise<string> {
  const doc = readFileSync(join(__dirname, '..', 'docs', 'audit-format.md'), 'utf8');
  const recipe = /<!-- recipe:start -->\n```bash\n([\s\S]*?)```\n<!-- recipe:end -->/.exec(
    doc,
  )?.[1];
  if (!recipe) throw new Error('docs/audit-format.md has no recipe block');
  // A dozen processes per record: slow, so both logs are checked while the console is looked at.
  // Its scratch files (payload.bin, sig.bin, …) go in a folder of its own.
  const { stdout } = await promisify(execFile)('bash', ['-c', recipe], {
    cwd: mkdtempSync(join(tmpdir(), 'dapple-recipe-')),
    env: { ...process.env, LOG: log, TRUST: trust },
    encoding: 'utf8',
  });
  return stdout;
}

/** The shop timeline with the incident time → the proposed cut → Restore this cut. */
async function restoreLastGoodState(page: Page, incidentAt: string, shot?: string): Promise<void> {
  await section(page, 'Timeline');
  const incident = page.getByRole('textbox', { name: 'Incident began' });
  await incident.fill(incidentAt);
  await incident.press('Enter');
  const panel = page.getByRole('region', { name: 'Selected cut' });
  await expect(panel).toContainText('Last good state');
  await expect(panel).toContainText('Consistent');
  if (shot) await shopShot(page, shot);
  await panel.getByRole('button', { name: 'Restore this cut' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Restore' })).toBeVisible();
  await expect(page.getByRole('region', { name: 'The cut to restore' })).toContainText('of shop');
}

/** Open a section from the sidebar. */
async function section(page: Page, name: string): Promise<void> {
  await page.getByRole('button', { name: new RegExp(`^${name}`) }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
}

/** Paste the approver's response into the open approval step. */
async function paste(page: Page, response: string, stage: string): Promise<void> {
  const box = page.locator('.session-step-open');
  await box.getByLabel(/Paste the response line/).fill(response);
  await shopShot(page, `${stage}-approval-pasted`);
  await box.getByRole('button', { name: 'Use this response' }).click();
  await expect(page.locator('[data-step="approve"]')).toContainText('✓ done');
}

test.describe.configure({ mode: 'serial' });

test('the shop’s incident, drilled through the console: t2 restored into the sandboxes, proven by the verify steps, sealed VALID, on the Drills chart', async ({
  page,
  served,
  scenario,
}) => {
  test.setTimeout(300_000);
  const { shop, history } = scenario;
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(served.url);
  await expect(page.locator('.status-workspace')).toContainText('shop');

  // The catalog: the three sources, each with its points.
  await section(page, 'Catalog');
  const table = page.getByTestId('points-table');
  for (const service of ['orders-db', 'uploads', 'app-files'])
    await expect(table).toContainText(service);
  await shopShot(page, 'catalog');

  // The shop's timeline: the incident time proposes the last good state, t2.
  await restoreLastGoodState(page, history.t3.at, 'timeline');

  // The plan: the uploads copy's blast radius, counted before anything runs; the predicted time.
  const radius = page.getByRole('region', { name: 'Blast radius' }).first();
  await expect(radius).toContainText('uploads-sandbox/orders/', { timeout: 30_000 });
  await expect(page.locator('.predicted')).toContainText('30 min');
  await expect(page.getByRole('region', { name: 'Operator key' })).toContainText(
    '✓ trusted in this workspace',
  );
  await shopShot(page, 'drill-plan');

  // The drill, every gate by hand; the approver answers from their own machine.
  await page.getByRole('button', { name: 'Start drill' }).click();
  const needs = await driveToSeal(page, {
    stage: 'drill',
    confirmName: shop.targets.db.sandbox,
    approve: async (line) => {
      const { response, words } = await approveElsewhere(
        shop,
        line,
        'Drill into the sandboxes: cut t2 and targets checked.',
        false,
      );
      expect(words).toContain('db-sandbox');
      await paste(page, response, 'drill');
    },
  });
  expect(needs.map((n) => n.split(':')[0])).toEqual(
    expect.arrayContaining(['announce', 'approve', 'confirm-db', 'db-restore', 'files-verify']),
  );
  const sealed = page.getByRole('status', { name: 'Session sealed' });
  await expect(sealed).toContainText('Completed');
  for (const step of ['db-verify', 'uploads-verify', 'uploads-hashes', 'files-verify'])
    await expect(page.locator(`[data-step="${step}"]`)).toContainText('✓ done');
  await shopShot(page, 'drill-sealed');

  // What the verify steps said, checked again from outside: the sandboxes equal t2, production
  // still shows the incident (nothing outside the sandboxes was touched).
  const expected = history.expectedFile;
  const db = await check(shop, 'check-db.mjs', [
    '--port',
    String(shop.db.sandboxPort),
    '--expect',
    expected,
  ]);
  expect(db.text).toMatch(/60 rows, newest #60/);
  const uploads = await check(shop, 'check-uploads.mjs', [
    '--endpoint',
    shop.moto.endpoint,
    '--bucket',
    'uploads-sandbox/orders/',
    '--expect',
    expected,
  ]);
  expect(uploads.code, uploads.text).toBe(0);
  const files = await check(shop, 'check-files.mjs', [
    shop.layout.files.sandbox,
    '--expect',
    expected,
  ]);
  expect(files.code, files.text).toBe(0);
  expect(await shop.db.sql("select to_regclass('orders') is null")).toMatch(/^t/);
  expect(
    (await check(shop, 'check-files.mjs', [shop.layout.files.app, '--expect', expected])).code,
  ).toBe(1);

  // The log: sealed, VALID from the command line, restored to the cut between t2 and the late writes.
  const log = newestLog(shop, 'drill');
  const verified = await runDapple(['audit', 'verify', log], shop.env());
  expect(verified.stdout).toContain('VALID');
  expect(verified.code).toBe(0);
  const { totalMs } = stepTimes(log);
  expect(totalMs).toBeLessThan(30 * 60_000);
  printTimes('drill through the console', log);

  // The Audit section replays it; the Drills section shows it against the RTO; the catalog marks
  // the drilled points tested.
  await page.getByRole('button', { name: 'Open in Audit' }).click();
  await expect(page.getByRole('status', { name: 'Verification' })).toContainText('VALID');
  await shopShot(page, 'drill-audit');
  await section(page, 'Drills');
  const card = page.getByRole('region', { name: /Restore the shop after an incident/ });
  await expect(card.getByTestId('drill-chart').locator('.dc-ok')).toHaveCount(1);
  await expect(card).toContainText('30 min');
  await shopShot(page, 'drills');
  await section(page, 'Catalog');
  await expect(
    page
      .locator('.tested-cell')
      .filter({ hasText: /✓ drill/ })
      .first(),
  ).toBeVisible();
  await shopShot(page, 'catalog-tested');
  expect(errors).toEqual([]);
});

test('the live restore of the same cut into production through the console: production equals t2, no version removed, both logs VALID (dapple and openssl), replayed in Audit', async ({
  page,
  served,
  scenario,
}) => {
  test.setTimeout(420_000);
  const { shop, history } = scenario;
  const expected = history.expectedFile;
  const before = await versions(shop);
  await page.goto(served.url);
  await restoreLastGoodState(page, history.t3.at);

  // A live restore starts by choosing where: production, typed; the bucket and folder follow it.
  await page.getByRole('button', { name: 'Start live restore…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Where should the live restore write?' });
  await dialog.getByRole('radio', { name: /db-production/ }).check();
  await expect(dialog).toContainText(shop.layout.db.data);
  await expect(dialog).toContainText(`--target=${shop.layout.files.app}`);
  // The dialog names the targets that follow the database's, before anything starts.
  const also = dialog.locator('.target-also');
  await expect(also).toContainText('PRODUCTION uploads-production bucket');
  await expect(also).toContainText(`PRODUCTION files-production folder ${shop.layout.files.app}`);
  await dialog.getByLabel(/Type db-production to confirm/).fill('db-production');
  await shopShot(page, 'live-dialog');
  await dialog.getByRole('button', { name: /^Restore into db-production — / }).click();
  await expect(dialog).toBeHidden();

  // The approver answers from their machine; the response arrives through the shared drop folder.
  await driveToSeal(page, {
    stage: 'live',
    confirmName: shop.targets.db.production,
    approve: async (line) => {
      const { words } = await approveElsewhere(
        shop,
        line,
        'Live restore of the shop to t2: production targets and the cut checked.',
      );
      expect(words).toMatch(/LIVE/);
      await expect(page.locator('[data-step="approve"]')).toContainText('✓ done', {
        timeout: 30_000,
      });
    },
  });
  await expect(page.getByRole('status', { name: 'Session sealed' })).toContainText('Completed');
  await shopShot(page, 'live-sealed');
  // The openssl recipe spawns a dozen processes per record (about 2 min for this log on two
  // cores): it checks the live log while the rest is looked at. The drill's log is checked by
  // dapple audit verify and the Audit section (the same recipe is unit-tested on other logs).
  const started = performance.now();
  const recipe = opensslRecipe(
    newestLog(shop, 'live'),
    join(shop.workspace, 'keys', 'trusted.json'),
  );

  // Production equals t2: the orders back, the uploads prefix lists what it listed at t2 (nothing
  // from after, no version removed: hidden keys are delete markers), the app files as at t2.
  const db = await check(shop, 'check-db.mjs', [
    '--port',
    String(shop.db.port),
    '--expect',
    expected,
  ]);
  expect(db.code, db.text).toBe(0);
  const uploads = await check(shop, 'check-uploads.mjs', [
    '--endpoint',
    shop.moto.endpoint,
    '--bucket',
    'uploads/orders/',
    '--expect',
    expected,
  ]);
  expect(uploads.code, uploads.text).toBe(0);
  const after = await versions(shop);
  expect([...before].filter((v) => !after.has(v))).toEqual([]);
  expect(after.size).toBeGreaterThan(before.size);
  const files = await check(shop, 'check-files.mjs', [shop.layout.files.app, '--expect', expected]);
  expect(files.code, files.text).toBe(0);
  for (const key of history.late.keys)
    expect(Object.keys(await shop.uploads.listing())).not.toContain(key);

  // Both logs sealed and VALID by dapple audit verify; the Audit section replays the live one.
  // The drill's (the test before) and this one's.
  const audit = join(shop.workspace, 'audit');
  const logs = readdirSync(audit)
    .filter((f) => f.endsWith('.jsonl'))
    .map((f) => join(audit, f));
  expect(logs).toContain(newestLog(shop, 'live'));
  for (const log of logs) {
    const verified = await runDapple(['audit', 'verify', log], shop.env());
    expect(verified.stdout).toContain('VALID');
  }
  printTimes('live restore through the console', newestLog(shop, 'live'));
  await page.getByRole('button', { name: 'Open in Audit' }).click();
  await expect(page.getByRole('status', { name: 'Verification' })).toContainText('VALID');
  await expect(page.locator('main')).toContainText('live');
  await shopShot(page, 'live-audit');
  expect(await recipe).toMatch(/^\d+ records: signatures and chain OK; last record: seal\n$/);
  console.info(`openssl recipe on the live log: ${Math.round(performance.now() - started)} ms`);
});
