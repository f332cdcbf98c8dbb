// The shop harness of issue 14, for real: start it, play its history, and check what the e2e will
// rely on — the catalog shows the three sources, the last good cut before the incident is t2, the
// recorded t2 facts are what the backups hold, the incident is visible, the draft runbook binds.
import { mkdtempSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Cut } from '../../preload/schemas/groups';
import { removeDir } from '../cleanup';
import { runCommand } from '../process';
import { runBoundStep } from './by-hand';
import { dappleJson, runDapple } from './dapple-cli';
import { startShop, type Shop, type ShopHistory } from './index';
import {
  bestCut,
  checkScript,
  planOf,
  startApiDrill,
  unattendedDrill,
  type Point,
} from './scenario';

let shop: Shop;
let history: ShopHistory;
let cut: Cut;
/** The approver's standing approval for the shop's drills (signed by the headless test). */
let standing: string;

const check = (script: string, args: string[]) => checkScript(shop, script, args);

beforeAll(async () => {
  shop = await startShop();
  history = await shop.buildHistory();
  const t = shop.timings;
  console.info(
    `shop: started in ${t.startShop} ms (sshd ${t.sshd}, moto ${t.moto}, postgres ${t.postgres}, restic ${t.restic}, buckets ${t.buckets}, workspace ${t.workspace}); history in ${t.history} ms: ${JSON.stringify(t)}`,
  );
}, 240_000);

afterAll(async () => {
  await shop?.stop();
});

describe('the shop', () => {
  it('has a catalog with the three sources: pgBackRest (full, incr, WAL window), restic (two snapshots), S3 versions', async () => {
    const points = await dappleJson<Point[]>(
      ['catalog', 'list', '--workspace', shop.workspace, '--refresh', '--json'],
      shop.env(),
    );
    const bySource = (source: string) => points.filter((p) => p.source === source);
    expect(new Set(points.map((p) => p.source))).toEqual(
      new Set(['orders-pgbackrest', 'uploads-versions', 'app-files-restic']),
    );
    expect(
      bySource('orders-pgbackrest')
        .map((p) => p.id)
        .sort(),
    ).toEqual(
      [history.t1.full.label, history.t2.incr.label, expect.stringMatching(/^wal:/)].sort(),
    );
    expect(
      bySource('app-files-restic')
        .map((p) => p.id)
        .sort(),
    ).toEqual([history.t1.snapshot.id, history.t2.snapshot.id].sort());
    const window = bySource('uploads-versions');
    expect(window).toHaveLength(1);
    expect(window[0]?.kind).toBe('window');
  });

  it('proposes the t2 cut as the last good state before the incident', async () => {
    cut = await bestCut(shop, history.t3.at);
    console.info(
      `cut ${cut.time} (skew ${cut.skewSeconds} s): ${cut.members.map((m) => `${m.service} ${m.pointId?.slice(0, 8) ?? m.windowId} at ${m.time}`).join(', ')}`,
    );
    expect(cut.consistent).toBe(true);
    const files = cut.members.find((m) => m.service === 'app-files');
    expect(files?.pointId).toBe(history.t2.snapshot.id);
    // Every member meets the cut after every t2 write and before the late writes.
    for (const member of cut.members) {
      expect(Date.parse(member.time), member.service).toBeGreaterThanOrEqual(
        Date.parse(history.t2.at),
      );
      expect(Date.parse(member.time), member.service).toBeLessThan(Date.parse(history.late.at));
    }
  });

  it('recorded t2: 60 orders, 60 upload objects and 8 app files, which the uploads list at the cut', async () => {
    const { facts } = history.t2;
    expect(facts.orders).toMatchObject({ count: 60, maxId: 60 });
    expect(Object.keys(facts.uploads.objects)).toHaveLength(60);
    expect(Object.keys(facts.files)).toHaveLength(8);
    const uploadsAt = cut.members.find((m) => m.service === 'uploads')?.time ?? '';
    expect(await shop.uploads.listedAt(uploadsAt)).toEqual(facts.uploads.objects);
    // Later versions exist: the late uploads and the incident's junk are not in the cut.
    expect(await shop.uploads.listedAt(new Date().toISOString())).not.toEqual(
      facts.uploads.objects,
    );
  });

  it('shows the incident: every check fails against production with a sentence', async () => {
    const db = await check('check-db.mjs', [
      '--port',
      String(shop.db.port),
      '--expect',
      history.expectedFile,
    ]);
    expect(db.code).toBe(1);
    expect(db.text).toMatch(/relation "orders" does not exist/);
    const uploads = await check('check-uploads.mjs', [
      '--endpoint',
      shop.moto.endpoint,
      '--bucket',
      'uploads/orders/',
      '--expect',
      history.expectedFile,
    ]);
    expect(uploads.code).toBe(1);
    expect(uploads.text).toMatch(/missing object/);
    expect(uploads.text).toMatch(/was not there at the recorded instant/);
    const files = await check('check-files.mjs', [
      shop.layout.files.app,
      '--expect',
      history.expectedFile,
    ]);
    expect(files.code).toBe(1);
    expect(files.text).toMatch(/README-RESTORE-YOUR-FILES\.txt" was not there/);
  });

  it('binds the draft runbook to the cut for a drill into the sandboxes, each tool step with its argv', async () => {
    const plan = await planOf(shop, cut, {});
    const step = (id: string) => plan.steps.find((s) => s.id === id);
    for (const s of plan.steps) expect(s.problems, s.id).toEqual([]);
    const restore = step('db-restore')?.argv ?? [];
    expect(restore).toContain(`--pg1-path=${shop.layout.db.sandboxData}`);
    expect(restore).toEqual(
      expect.arrayContaining(['--type=time', '--delta', '--archive-mode=off', 'restore']),
    );
    expect(step('files-restore')?.argv).toEqual(
      expect.arrayContaining([
        `--repo=${shop.files.repository}`,
        history.t2.snapshot.id,
        `--target=${shop.layout.files.sandbox}`,
      ]),
    );
    expect(step('uploads-restore')?.s3).toMatchObject({
      action: 'copy',
      source: { bucket: 'uploads', prefix: 'orders/' },
      to: { bucket: 'uploads-sandbox', prefix: 'orders/' },
    });
    expect(step('db-start')?.argv?.at(-1)).toBe(shop.layout.db.sandboxData);
    // One choice of production moves the bucket and the folder with it; the uploads go in place.
    const live = await planOf(shop, cut, { target: shop.targets.db.production });
    for (const s of live.steps) expect(s.problems, s.id).toEqual([]);
    expect(live.params.filter((p) => p.type === 'target').map((p) => p.bound)).toEqual([
      'db-production',
      'uploads-production',
      'files-production',
    ]);
    expect(live.steps.find((s) => s.id === 'uploads-restore')?.s3).toMatchObject({
      action: 'restore-to-instant',
      source: { bucket: 'uploads', prefix: 'orders/' },
      to: null,
    });
  });

  it('restores exactly t2 into the sandboxes when the drill plan’s commands run by hand', async () => {
    const plan = await planOf(shop, cut, {});
    for (const id of ['db-stop', 'db-restore', 'db-start']) await runBoundStep(shop, plan, id);
    expect(await runBoundStep(shop, plan, 'db-verify')).toMatch(/equals .*: 60 rows, newest #60/);
    for (const id of ['files-set-aside', 'files-restore']) await runBoundStep(shop, plan, id);
    expect(await runBoundStep(shop, plan, 'files-verify')).toMatch(/8 files, every sha256 equal/);
    await runCommand('sha256sum', ['--check', '--strict', '--quiet', history.checksumFile], {
      cwd: shop.layout.files.sandbox,
    });
    // Production was not touched: still the incident there.
    expect(await shop.db.sql("select to_regclass('orders') is null")).toMatch(/^t/);
  });

  it('passes headless: `dapple drill --unattended` with the approver’s standing approval restores t2 into the sandboxes, verified, sealed VALID', async () => {
    // The approver signs on their own machine (their data folder, key and clone of the workspace).
    standing = join(shop.approver.dataDir, 'shop.standing-approval');
    const signed = await runDapple(
      [
        'approve',
        '--standing',
        '--workspace',
        shop.approver.workspace,
        '--runbook',
        join(shop.approver.workspace, 'runbooks', 'shop-incident.yaml'),
        '--until',
        new Date(Date.now() + 7 * 86_400_000).toISOString(),
        '--statement',
        'Weekly sandbox drill of the shop.',
        '--out',
        standing,
      ],
      shop.env(shop.approver),
    );
    expect(signed.stderr).toBe('');
    expect(signed.code).toBe(0);
    const started = performance.now();
    const { summary } = await unattendedDrill(shop, standing);
    const ms = Math.round(performance.now() - started);
    console.info(
      `unattended drill: ${ms} ms wall, totalMs ${summary.totalMs}, rto ${summary.rtoMs}; steps ${summary.steps.map((s) => `${s.id} ${s.durationMs}`).join(', ')}`,
    );
    expect(summary).toMatchObject({ outcome: 'completed', verdict: 'VALID', rtoMs: 1_800_000 });
    expect(summary.steps.map((s) => `${s.id}:${s.status}`)).toEqual(
      [
        'announce',
        'approve',
        'confirm-db',
        'db-stop',
        'db-restore',
        'db-start',
        'db-verify',
        'uploads-restore',
        'uploads-verify',
        'uploads-hashes',
        'files-set-aside',
        'files-restore',
        'files-verify',
        'reopen',
      ].map((id) => `${id}:done`),
    );
    const verified = await runDapple(['audit', 'verify', summary.logPath], shop.env());
    expect(verified.stdout).toMatch(/VALID/);
    expect(verified.code).toBe(0);
    // The sandboxes hold t2; production still shows the incident.
    expect(
      (
        await check('check-db.mjs', [
          '--port',
          String(shop.db.sandboxPort),
          '--expect',
          history.expectedFile,
        ])
      ).code,
    ).toBe(0);
    expect(await shop.db.sql("select to_regclass('orders') is null")).toMatch(/^t/);
  }, 300_000);

  it('fails the headless drill at the files’ restore when the restic password is wrong: a sentence, sealed as failed, VALID, production untouched', async () => {
    const undo = shop.variants.wrongResticPassword();
    try {
      const { code, summary } = await unattendedDrill(shop, standing);
      expect(code).toBe(1);
      expect(summary).toMatchObject({ outcome: 'failed', verdict: 'VALID' });
      expect(summary.stoppedAt?.step).toBe('files-restore');
      expect(summary.stoppedAt?.reason).toMatch(/restic|password|repository/i);
      expect(summary.steps.find((s) => s.id === 'files-restore')?.status).toBe('failed');
      expect(summary.steps.find((s) => s.id === 'db-verify')?.status).toBe('done');
      const log = await readFile(summary.logPath, 'utf8');
      expect(log.trim().split('\n').at(-1)).toMatch(/\\"type\\":\\"seal\\"/);
      const verified = await runDapple(['audit', 'verify', summary.logPath], shop.env());
      expect(verified.code).toBe(0);
      // Nothing outside the sandboxes: production still shows the incident.
      expect(await shop.db.sql("select to_regclass('orders') is null")).toMatch(/^t/);
      const files = await check('check-files.mjs', [
        shop.layout.files.app,
        '--expect',
        history.expectedFile,
      ]);
      expect(files.code).toBe(1);
    } finally {
      undo();
    }
  }, 300_000);

  it('fails the headless drill at the database restore when the stanza has no backup in the window: a sentence, sealed as failed, VALID', async () => {
    const undo = await shop.variants.stanzaWithoutBackups();
    try {
      const { code, summary } = await unattendedDrill(shop, standing);
      expect(code).toBe(1);
      expect(summary).toMatchObject({ outcome: 'failed', verdict: 'VALID' });
      expect(summary.stoppedAt?.step).toBe('db-restore');
      expect(summary.stoppedAt?.reason).toMatch(/backup/i);
      expect(summary.steps.find((s) => s.id === 'uploads-restore')?.status).toBe('pending');
      const verified = await runDapple(['audit', 'verify', summary.logPath], shop.env());
      expect(verified.code).toBe(0);
      expect(await shop.db.sql("select to_regclass('orders') is null")).toMatch(/^t/);
    } finally {
      undo();
    }
  }, 300_000);

  it('a drill whose link to the db host is cut during the database restore: a clear failed step, Retry restores once the host is back, the log VALID', async () => {
    process.env.DAPPLE_KEY_PASSPHRASE = shop.operator.passphrase;
    const act = await startApiDrill(shop, cut);
    const plan = await planOf(shop, cut, {});
    const items = (step: string) => plan.steps.find((s) => s.id === step)?.checklist ?? [];
    await act({ type: 'checklist', step: 'announce', checked: items('announce') });
    const text = await readFile(standing, 'utf8');
    await act({ type: 'respond', step: 'approve', text, source: 'standing' });
    await act({ type: 'confirm', step: 'confirm-db', typed: shop.targets.db.sandbox });
    await act({ type: 'checklist', step: 'confirm-db', checked: items('confirm-db') });
    await act({ type: 'run', step: 'db-stop' });
    // The restore runs; the link drops under it.
    const cutting = shop.link.cutDuring(/pgbackrest .* restore$/);
    const failed = await act({ type: 'run', step: 'db-restore' }).finally(() =>
      cutting.finally(() => shop.link.restore()),
    );
    await cutting;
    expect(failed?.next).toMatchObject({ step: 'db-restore', need: 'retry' });
    expect(failed?.next?.message).toMatch(/Restore orders-db to the cut failed: .+\./);
    expect(shop.link.up()).toBe(true);
    const retried = await act({ type: 'run', step: 'db-restore' });
    expect(retried?.next).toMatchObject({ step: 'db-start', need: 'run' });
    const logPath = retried?.logPath ?? '';
    await act({ type: 'abort', reason: 'The link test ends here.' });
    delete process.env.DAPPLE_KEY_PASSPHRASE;
    const verified = await runDapple(['audit', 'verify', logPath], shop.env());
    expect(verified.stdout).toContain('VALID');
  }, 300_000);
});

describe('the failure toolkit', () => {
  it('a wrong restic password makes restic refuse the repository, and undo makes it open again', async () => {
    const snapshots = () =>
      runCommand('restic', ['--repo', shop.files.repository, 'snapshots', '--json'], {
        env: shop.files.env,
      });
    const undo = shop.variants.wrongResticPassword();
    try {
      await expect(snapshots()).rejects.toThrow(/wrong password or no key found/);
    } finally {
      undo();
    }
    expect(JSON.parse(await snapshots())).toHaveLength(2);
  });

  it('a stanza without backups makes a restore of t2 fail, and undo brings the backups back', async () => {
    const scratch = mkdtempSync(join(tmpdir(), 'dapple-shop-stanza-'));
    const restore = () =>
      runCommand('pgbackrest', [
        `--config=${shop.layout.db.pgbackrestConf}`,
        '--stanza=shop',
        `--pg1-path=${scratch}`,
        '--type=time',
        `--target=${history.t2.at.slice(0, 19).replace('T', ' ')}+00`,
        '--archive-mode=off',
        'restore',
      ]);
    const undo = await shop.variants.stanzaWithoutBackups();
    try {
      await expect(restore()).rejects.toThrow(/unable to find backup set|no backup set/i);
    } finally {
      undo();
      removeDir(scratch);
    }
    const labels = (await shop.db.backups()).map((b) => b.label);
    expect(labels).toEqual([history.t1.full.label, history.t2.incr.label]);
  });

  it('cuts the db host link under a running command and brings it back', async () => {
    // OpenSSH to the db host as the workspace knows it: the relay's port, sshd's host key.
    const ssh = (command: string[]) =>
      runCommand('ssh', [
        ...['-F', '/dev/null', '-o', 'BatchMode=yes', '-i', shop.sshd.clientKeyPath],
        ...['-o', `UserKnownHostsFile=${join(shop.workspace, 'known_hosts')}`],
        ...['-p', String(shop.link.port), `${shop.sshd.user}@127.0.0.1`, '--', ...command],
      ]);
    // A command line only this test runs: sleep takes fractions of a second.
    const seconds = `600.${process.pid}`;
    const running = ssh(['sleep', seconds]).then(
      () => 'finished',
      (error: Error) => error.message,
    );
    const cut = await shop.link.cutDuring(new RegExp(`^sleep ${seconds.replace('.', '\\.')}$`));
    try {
      expect(cut.cmdline).toBe(`sleep ${seconds}`);
      expect(await running).toMatch(/exit 255/);
      expect(shop.link.up()).toBe(false);
      await expect(ssh(['true'])).rejects.toThrow(/exit 255/);
      shop.link.restore();
      expect((await ssh(['echo', 'back'])).trim()).toBe('back');
    } finally {
      // Nothing watched this command on the host (Dapple's steps have a watchdog): end it by its pid.
      try {
        process.kill(cut.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
  });
});
