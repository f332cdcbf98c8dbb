// The live plan of the shop's runbook, its commands run by hand (as an engineer would paste them):
// production comes back to exactly t2. It rewrites production, so it gets a shop of its own, and it
// runs only when asked (SHOP_BY_HAND_LIVE=1): the console's e2e restores production already.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cut } from '../../preload/schemas/groups';
import { runBoundStep } from './by-hand';
import { startShop, type Shop } from './index';
import { bestCut, planOf } from './scenario';

const BY_HAND_LIVE = process.env.SHOP_BY_HAND_LIVE === '1';
if (!BY_HAND_LIVE)
  console.info(
    'skipped: the live plan run by hand (set SHOP_BY_HAND_LIVE=1; the e2e restores production)',
  );

describe.skipIf(!BY_HAND_LIVE)('the shop’s live plan, run by hand', () => {
  let shop: Shop;
  let cut: Cut;

  beforeAll(async () => {
    shop = await startShop();
    const history = await shop.buildHistory();
    cut = await bestCut(shop, history.t3.at);
  }, 240_000);

  afterAll(async () => {
    await shop?.stop();
  });

  it('restores exactly t2 into production', async () => {
    // One choice: the bucket and the folder follow the db target into production.
    const plan = await planOf(shop, cut, { target: shop.targets.db.production });
    for (const id of ['db-stop', 'db-restore', 'db-start']) await runBoundStep(shop, plan, id);
    expect(await runBoundStep(shop, plan, 'db-verify')).toMatch(/60 rows, newest #60/);
    for (const id of ['files-set-aside', 'files-restore']) await runBoundStep(shop, plan, id);
    expect(await runBoundStep(shop, plan, 'files-verify')).toMatch(/every sha256 equal/);
    // Production archives again after its point-in-time recovery (a new timeline).
    await shop.db.archiveNow();
  }, 300_000);
});
