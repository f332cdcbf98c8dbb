// drills.* through the dispatch door on a copy of the demo workspace: two real drills run by the
// engine (real cp and sha256sum, real keys) come back from drills.history with their points
// tested, Health's untested finding is gone for the services they restored, and the prediction
// learns from them. Hand-written logs add a failed drill and one over the RTO.
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { DrillHistory, RestorePrediction } from '../../../preload/schemas/drills';
import type { Cut, Finding } from '../../../preload/schemas/groups';
import type { SessionAction } from '../../../preload/schemas/session';
import { DEMO_KEY_PASSPHRASE } from '../../audit/demo-log';
import { person, type TestSigner } from '../../audit/test-helpers';
import { TrustFile } from '../../audit/trust';
import { testCut, writeDrill } from '../../drills/test-logs';
import { demoConsole, shopCut, type TestConsole } from '../../restore/test-setup';
import { dispatch } from '../dispatch';
import { drillLogCache } from './drills';
import { activeSession, sessionHandlers } from './session';
import { openWorkspace } from './workspace';

const RUNBOOK = 'runbooks/shop-restore.yaml';
let c: TestConsole;
let cut: Cut;

beforeEach(async () => {
  c = await demoConsole();
  // Without the demo's shipped drill log: the history starts empty.
  await fs.rm(join(c.dir, 'audit'), { recursive: true, force: true });
  cut = await shopCut(c.ctx);
  await sessionHandlers['session.trustOperator']({}, c.ctx);
}, 60_000);
afterEach(async () => {
  await activeSession(c.ctx)?.idle();
  await c.cleanup();
});

async function call<T>(name: string, request: unknown = {}): Promise<T> {
  const result = await dispatch(name, request, c.ctx);
  if (!result.ok) throw new Error(`${name}: ${result.error.message}`);
  return result.value as T;
}

const history = () => call<DrillHistory>('drills.history');
const findings = async () => (await call<{ findings: Finding[] }>('health.findings')).findings;
const untested = async () =>
  (await findings())
    .filter((f) => f.kind === 'untested')
    .map((f) => f.service)
    .sort();

async function act(action: SessionAction): Promise<void> {
  const session = activeSession(c.ctx);
  if (!session) throw new Error('no session');
  await sessionHandlers['session.act']({ id: session.id, action }, c.ctx);
  await session.idle();
}

/** A whole drill of the demo runbook through the engine, every gate, until it is sealed. */
async function drill(): Promise<string> {
  const started = await sessionHandlers['session.start'](
    { file: RUNBOOK, cut, mode: 'drill' },
    c.ctx,
  );
  await act({
    type: 'checklist',
    step: 'announce',
    checked: [
      'Posted in #incident with the cut time and the target',
      'Checkout is paused (or this is a drill on the sandbox)',
    ],
  });
  await act({
    type: 'approve',
    step: 'approve',
    passphrase: DEMO_KEY_PASSPHRASE,
    decision: 'approved',
    statement: 'Drill approved.',
  });
  await act({ type: 'confirm', step: 'confirm-target', typed: 'sandbox-restore' });
  await act({
    type: 'checklist',
    step: 'confirm-target',
    checked: ['The target is the one named in the incident channel'],
  });
  for (const step of ['restore-orders', 'restore-uploads', 'restore-search'])
    await act({ type: 'run', step });
  await act({ type: 'run', step: 'verify' });
  await act({
    type: 'checklist',
    step: 'done',
    checked: [
      'Measured time noted in the incident channel',
      'Checkout resumed (or the sandbox cleaned up)',
    ],
  });
  expect(activeSession(c.ctx)?.view().state.outcome).toBe('completed');
  await fs.rm(join(c.dir, 'sandbox'), { recursive: true, force: true });
  await fs.mkdir(join(c.dir, 'sandbox'));
  return started.logPath;
}

/** Trust another person's key in the workspace (as a reviewed commit to keys/trusted.json would). */
async function trust(who: TestSigner): Promise<void> {
  const file = join(c.dir, 'keys', 'trusted.json');
  const current = TrustFile.parse(JSON.parse(await fs.readFile(file, 'utf8')));
  await fs.writeFile(file, JSON.stringify({ v: 1, keys: [...current.keys, who.entry] }, null, 2));
  await openWorkspace(c.dir, c.ctx);
}

describe('drills.history after two real drills', () => {
  it('returns both, marks their points tested, clears untested and feeds the prediction', async () => {
    const before = await history();
    expect(before.runbooks.map((r) => [r.runbook, r.drills.length])).toEqual([[RUNBOOK, 0]]);
    expect(before.runbooks[0]?.warnings.map((w) => w.kind)).toEqual(['never-drilled']);
    // orders-db's manifests record a test restore of its latest weekly full (demo history).
    expect(await untested()).toEqual(['billing-db', 'invoices', 'search-index', 'uploads']);
    const noHistory = await call<RestorePrediction>('drills.predict', { file: RUNBOOK, cut });
    expect(noHistory.summary).toBe(
      'no prediction: this runbook has no completed drill yet; RTO 1 h',
    );

    const first = await drill();
    const second = await drill();
    const after = await history();
    expect(after.ignored).toEqual([]);
    const shop = after.runbooks[0];
    expect(shop?.drills.map((d) => d.logPath).sort()).toEqual([first, second].sort());
    for (const d of shop?.drills ?? []) {
      expect(d).toMatchObject({ mode: 'drill', outcome: 'completed', overRto: false });
      expect(d.operator).toMatch(/\S/);
      expect(d.steps.map((s) => s.id)).toEqual([
        'announce',
        'approve',
        'confirm-target',
        'restore-orders',
        'restore-uploads',
        'restore-search',
        'verify',
        'done',
      ]);
      expect(d.steps.find((s) => s.id === 'restore-orders')?.runningMs).toBeGreaterThan(0);
      expect(d.bytes).toBeGreaterThan(0);
    }
    expect(shop?.warnings).toEqual([]);
    expect(after.tested.map((t) => t.pointId).sort()).toEqual(
      cut.members.map((m) => m.pointId).sort(),
    );
    expect(after.tested.every((t) => [first, second].includes(t.logPath) && !t.stale)).toBe(true);
    expect(await untested()).toEqual(['billing-db', 'invoices']);

    const predicted = await call<RestorePrediction>('drills.predict', { file: RUNBOOK, cut });
    expect(predicted).toMatchObject({ drills: 2, rtoSeconds: 3600, overRto: false });
    expect(predicted.summary).toMatch(/^predicted \d+(–\d+)? s; RTO 1 h$/);
    expect(predicted.basis).toMatch(/scaled by size/);

    // Asked again, nothing is verified again.
    const verified = drillLogCache(c.ctx).verified;
    await history();
    expect(drillLogCache(c.ctx).verified).toBe(verified);
  }, 120_000);
});

describe('drill findings from real logs', () => {
  it('a failed drill and a drill over the RTO become findings; a tampered copy of a good drill counts for nothing', async () => {
    const bob = person('bob');
    await trust(bob);
    const shopCutOf = testCut(
      cut.members[0]?.pointId ?? '',
      cut.members[1]?.pointId ?? '',
      cut.time,
    );
    await writeDrill(c.dir, bob, {
      start: '2026-11-24T10:00:00Z',
      waitingMin: 5,
      runningMin: 3,
      outcome: 'failed',
      cut: shopCutOf,
    });
    await writeDrill(c.dir, bob, {
      start: '2026-11-24T12:00:00Z',
      waitingMin: 20,
      runningMin: 60,
      runbook: 'runbooks/slow.yaml',
      cut: null,
    });
    const good = await writeDrill(c.dir, bob, {
      start: '2026-11-23T10:00:00Z',
      waitingMin: 5,
      runningMin: 3,
      cut: shopCutOf,
    });
    const text = await fs.readFile(good, 'utf8');
    await fs.writeFile(good, text.replace('"sandbox-restore', '"sandbox-restorf'));

    const found = (await findings()).filter((f) => f.kind.startsWith('drill-'));
    expect(found.map((f) => [f.severity, f.service, f.kind])).toEqual([
      ['error', 'shop', 'drill-failed'],
      ['warning', 'Restore the shop', 'drill-over-rto'],
    ]);
    expect(found[0]?.message).toContain('failed at “Copy the sets” (cp exited with status 1)');
    expect(found[1]?.message).toContain('took 1 h 20 m, over its RTO of 1 h');
    const h = await history();
    expect(h.ignored.map((i) => [i.logPath, i.verdict])).toEqual([[good, 'INVALID']]);
    // Only the failed drill and the slow one of another runbook: no point is tested.
    expect(h.tested.filter((t) => t.runbook === RUNBOOK)).toEqual([]);
    expect(await untested()).toContain('uploads');
  }, 60_000);
});

describe('a trust file that does not load', () => {
  it('makes drills.history a sentence and leaves Health its other findings', async () => {
    await drill();
    await fs.writeFile(join(c.dir, 'keys', 'trusted.json'), '{ not json');
    const result = await dispatch('drills.history', {}, c.ctx);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.message).toMatch(/trust file .* is not JSON/);
    // No drill counts, and every other finding is still there.
    expect(await untested()).toEqual(['billing-db', 'invoices', 'search-index', 'uploads']);
  }, 120_000);
});
