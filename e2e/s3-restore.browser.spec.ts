// An S3 point-in-time restore from the console, against moto: the plan preview shows the blast
// radius counted from a listing before anything runs, the typed confirmation of the live in-place
// restore states it, and the step runs with its radius and progress until the prefix lists
// what it listed at T and the check passes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test as base } from '@playwright/test';
import { startMoto, type Moto } from '../test-support/moto';
import { currentState, makeBucket, makeHistory, type History } from '../test-support/s3-history';
import { trustOperator } from './fixtures/restore-flow';
import { expect, screenshotDir, startServe, stopServe, type Served } from './fixtures/serve';

const shotDir = process.env.DAPPLE_DOC_SCREENSHOTS
  ? path.resolve(__dirname, '..', 'docs', 'screenshots')
  : screenshotDir;

type World = { moto: Moto; history: History; served: Served; dir: string };

const test = base.extend<{ world: World }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright requires the fixtures argument to be destructured
  world: async ({}, use) => {
    const moto = await startMoto();
    const s3 = moto.client();
    await makeBucket(s3, 'media');
    const history = await makeHistory(s3, 'media', 'img/', { keys: 40 });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dapple-s3-e2e-'));
    fs.mkdirSync(path.join(dir, 'runbooks'));
    fs.mkdirSync(path.join(dir, 'keys'));
    fs.writeFileSync(path.join(dir, 'keys', 'trusted.json'), '{"v":1,"keys":[]}\n');
    fs.writeFileSync(
      path.join(dir, 'dapple.yaml'),
      `name: media
backends:
  archive: { type: s3, endpoint: '${moto.endpoint}', region: us-east-1 }
sources:
  media-versions: { type: s3-versions, backend: archive, bucket: media, prefix: img/, service: media }
services:
  media: { owner: web-oncall, rpo: 1h, rto: 1h }
targets:
  media-prod: { kind: bucket, environment: production, backend: archive, path: media/img/ }
`,
    );
    fs.writeFileSync(
      path.join(dir, 'runbooks', 'media.yaml'),
      `title: Put the media bucket back
version: 1
rto: 30m
description: The media prefix as it was before the bad deploy, in place.
params:
  target: { type: target, kind: bucket, default: media-prod }
steps:
  - id: put-back
    kind: s3
    title: Restore img/ in place to the instant before the deploy
    destructive: true
    target: target
    s3: { action: restore-to-instant, bucket: '{{target}}', at: '${history.at.toISOString()}' }
  - id: check
    kind: verify
    title: The prefix lists what it listed then
    s3: { action: prefix-equals-instant, bucket: '{{target}}', at: '${history.at.toISOString()}' }
`,
    );
    const served = await startServe(['--workspace', dir], {
      DAPPLE_KEY_PASSPHRASE: 'e2e operator passphrase',
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
    });
    await use({ moto, history, served, dir });
    await stopServe(served);
    await moto.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  },
});

test('the blast radius is shown before anything runs, stated in the typed confirmation, and the live restore puts the prefix back', async ({
  page,
  world,
}) => {
  test.setTimeout(120_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(world.served.url);
  await page.getByRole('button', { name: /^Restore/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Restore' })).toBeVisible();
  const radius = page.getByRole('region', { name: 'Blast radius' }).first();
  await expect(radius).toContainText('overwritten with their version at T');
  await expect(radius).toContainText('hidden by a delete marker');
  await expect(radius).toContainText('left alone');
  await expect(radius).toContainText('s3://media/img/ on backend archive');
  await radius.scrollIntoViewIfNeeded();
  await page.screenshot({ path: path.join(shotDir, 's3-plan-blast-radius.png'), fullPage: true });

  await trustOperator(page, false);
  // A live restore starts by choosing where; production also needs its name typed.
  await page.getByRole('button', { name: 'Start live restore…' }).click();
  const where = page.getByRole('dialog', { name: 'Where should the live restore write?' });
  await where.getByRole('radio', { name: /media-prod/ }).check();
  await where.getByLabel(/Type media-prod to confirm/).fill('media-prod');
  await where.getByRole('button', { name: /^Restore into media-prod — / }).click();
  const open = page.locator('.session-step-open');
  await expect(open).toHaveAttribute('data-step', 'put-back');
  const confirm = open.getByRole('region', { name: 'Blast radius' });
  await expect(open).toContainText('Confirming lets this step write to s3://media/img/, in place');
  await expect(confirm).toContainText('overwritten with their version at T');
  await page.screenshot({
    path: path.join(shotDir, 's3-confirm-blast-radius.png'),
    fullPage: true,
  });
  await open.getByRole('textbox').fill('media-prod');
  await open.getByRole('button', { name: 'Confirm' }).click();
  await open.getByRole('button', { name: 'Run' }).click();
  await expect(page.locator('[data-step="put-back"]')).toContainText('✓ done', { timeout: 60_000 });
  await page.screenshot({ path: path.join(shotDir, 's3-restored.png'), fullPage: true });
  await page.locator('.session-step-open').getByRole('button', { name: 'Run' }).click();
  await expect(page.getByRole('status', { name: 'Session sealed' })).toContainText('Completed', {
    timeout: 60_000,
  });
  const now = await currentState(world.moto.client(), 'media', 'img/');
  expect([...now.keys()].sort()).toEqual([...world.history.expected.keys()].sort());
  expect(errors).toEqual([]);
});
