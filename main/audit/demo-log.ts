// The demo workspace's audit log: a sealed drill of runbooks/shop-restore.yaml, written by
// the real writer with fixed demo keys and fixed times, so it regenerates byte for byte.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Cut } from '../../preload/schemas/groups';
import { encryptKeyFile } from './key-store';
import { keyPairFromSeed, keySigner, type KeyPair } from './keys';
import { blobDir } from './log-file';
import { sha256Hex } from './records';
import { TrustFile, trustEntry, type TrustedKeyEntry } from './trust';
import { createLog, type AuditWriter } from './writer';

/** The drill's date: the log is audit/drill-<date>.jsonl. */
export const DEMO_DRILL_DATE = '2026-11-12';

/** The passphrase of the committed demo key files. They are demo keys: never trust them. */
export const DEMO_KEY_PASSPHRASE = 'demo';

const DEMO_COMMENT =
  'DEMO KEY for the Dapple demo workspace. Its private half is public in the Dapple repository: never trust it outside the demo.';

/** The demo keys, derived from fixed text so every build signs with the same keys. */
export function demoKeys(): { operator: KeyPair; approver: KeyPair } {
  const seed = (who: string): Buffer => Buffer.from(sha256Hex(`dapple demo key v1: ${who}`), 'hex');
  return {
    operator: keyPairFromSeed(seed('demo-operator')),
    approver: keyPairFromSeed(seed('demo-approver')),
  };
}

/** SHA-256 of version 1 of the demo runbook, the one the demo drill of 2026-11-12 followed. */
const RUNBOOK_V1_SHA256 = '0ab121d7f0f951a1f41601e4ca582027ba5af06f19c1b53325f4598943ce0424';

const start = Date.parse(`${DEMO_DRILL_DATE}T14:00:00.000Z`);

const member = (service: string, id: string, source: string, time: string, lag: number) => ({
  service,
  pointId: id,
  windowId: null,
  source,
  time: `${DEMO_DRILL_DATE}T${time}.000Z`,
  lagSeconds: lag,
});

/** The cut the drill restored: the shop's three points taken together at 03:00. */
const demoCut: Cut = {
  group: 'shop',
  time: `${DEMO_DRILL_DATE}T03:00:12.000Z`,
  skewSeconds: 12,
  toleranceSeconds: 300,
  consistent: true,
  reason: 'all 3 members were taken together as snapshot nightly-1112, 12 s apart',
  snapshotId: 'nightly-1112',
  members: [
    member('orders-db', 'orders-db-20261112T030012Z-diff', 'orders-db-nas', '03:00:12', 0),
    member('uploads', 'uploads-20261112T030000Z-snapshot', 'uploads-nas', '03:00:00', 12),
    member(
      'search-index',
      'search-index-20261112T030000Z-snapshot',
      'search-index-nas',
      '03:00:00',
      12,
    ),
  ],
};

async function writeKeyFiles(workspace: string, keys: ReturnType<typeof demoKeys>): Promise<void> {
  const dir = path.join(workspace, 'keys');
  await fs.mkdir(dir, { recursive: true });
  for (const [name, pair] of [
    ['demo-operator', keys.operator],
    ['demo-approver', keys.approver],
  ] as const) {
    const file = path.join(dir, `${name}.key`);
    if (await fs.stat(file).catch(() => null)) continue;
    const key = { ...pair, name, createdAt: '2026-01-01T00:00:00.000Z' };
    await fs.writeFile(
      file,
      encryptKeyFile(
        key,
        DEMO_KEY_PASSPHRASE,
        `${DEMO_COMMENT} Passphrase: "${DEMO_KEY_PASSPHRASE}".`,
      ),
      { mode: 0o600 },
    );
  }
}

/** Put the demo keys into keys/trusted.json, keeping any other entries. */
async function writeTrust(workspace: string, keys: ReturnType<typeof demoKeys>): Promise<void> {
  const file = path.join(workspace, 'keys', 'trusted.json');
  const existing = await fs.readFile(file, 'utf8').then(
    (t) => TrustFile.parse(JSON.parse(t)).keys,
    () => [] as TrustedKeyEntry[],
  );
  const ours = [
    {
      ...trustEntry(keys.operator.publicKey, 'demo-operator', '2026-01-01T00:00:00Z', null),
      comment: DEMO_COMMENT,
    },
    {
      ...trustEntry(keys.approver.publicKey, 'demo-approver', '2026-01-01T00:00:00Z', null),
      comment: DEMO_COMMENT,
    },
  ];
  const others = existing.filter((e) => !ours.some((o) => o.keyId === e.keyId));
  await fs.writeFile(file, `${JSON.stringify({ v: 1, keys: [...ours, ...others] }, null, 2)}\n`);
}

/** A long `cp -v` listing: more than fits inline, so the demo shows a blob. */
function copyListing(): Buffer {
  const lines: string[] = [];
  for (let i = 1; i <= 240; i++) {
    const name = `img-${String(i).padStart(4, '0')}.jpg`;
    lines.push(`'backups/uploads/2026-11-12T0300/${name}' -> 'sandbox/uploads/${name}'`);
  }
  return Buffer.from(`${lines.join('\n')}\n`);
}

async function drill(
  w: AuditWriter,
  at: (seconds: number) => void,
  approver: ReturnType<typeof keySigner>,
): Promise<void> {
  const step = async (
    id: string,
    attempt: number,
    body: () => Promise<void>,
    state: 'done' | 'failed' = 'done',
    error: string | null = null,
  ): Promise<void> => {
    await w.append('step.start', { step: id, attempt });
    await body();
    await w.append('step.end', { step: id, attempt, state, error });
  };
  const sets = [
    'backups/orders-db/2026-11-12T0300',
    'backups/uploads/2026-11-12T0300',
    'backups/search-index/2026-11-12T0300',
  ];
  const copy = ['cp', '-R', '-v', ...sets, 'sandbox'];
  at(20);
  await step('announce', 1, async () => {
    at(95);
    await w.append('note', {
      step: 'announce',
      text: 'Posted in #incident: drill of the shop restore into sandbox-restore, cut 2026-11-12 03:00 UTC.',
    });
    at(110);
  });
  at(130);
  await step('approve', 1, async () => {
    at(290);
    await w.append(
      'approval',
      {
        step: 'approve',
        approver: 'demo-approver',
        decision: 'approved',
        statement:
          'Cut 2026-11-12T03:00Z (orders-db, uploads, search-index) into sandbox-restore: approved for the drill.',
        via: 'in-person',
        keyId: approver.keyId,
      },
      approver,
    );
  });
  at(300);
  await step('confirm-target', 1, async () => {
    at(331);
    await w.append('confirm', {
      step: 'confirm-target',
      prompt: 'Type the target name to confirm it will be overwritten',
      expected: 'sandbox-restore',
      typed: 'sandbox-restore',
    });
  });
  at(340);
  await step(
    'copy-files',
    1,
    async () => {
      await w.append('cmd.start', { cmd: 'c1', step: 'copy-files', host: 'localhost', argv: copy });
      at(352);
      await w.output(
        'c1',
        'stderr',
        Buffer.from(
          "cp: cannot open 'backups/uploads/2026-11-12T0300/img-0412.jpg' for reading: Permission denied\n",
        ),
      );
      at(353);
      await w.append('cmd.end', { cmd: 'c1', exitCode: 1, signal: null, durationMs: 13_204 });
    },
    'failed',
    'cp exited with status 1',
  );
  at(470);
  await w.append('note', {
    step: 'copy-files',
    text: 'The uploads set was readable by root only on the drill laptop; fixed its permissions and retried.',
  });
  at(480);
  await step('copy-files', 2, async () => {
    await w.append('cmd.start', { cmd: 'c2', step: 'copy-files', host: 'localhost', argv: copy });
    at(1105);
    await w.output('c2', 'stdout', copyListing());
    at(1106);
    await w.append('cmd.end', { cmd: 'c2', exitCode: 0, signal: null, durationMs: 625_871 });
  });
  at(1110);
  await step('verify', 1, async () => {
    const sums = sets.map((s) => `${s}.sha256`);
    await w.append('cmd.start', {
      cmd: 'c3',
      step: 'verify',
      host: 'localhost',
      argv: ['sha256sum', '--check', '--strict', ...sums],
    });
    at(1290);
    await w.output(
      'c3',
      'stdout',
      Buffer.from(
        'orders-db/base.tar.zst: OK\norders-db/incr-0311.tar.zst: OK\nuploads/manifest.json: OK\nsearch-index/index.bin: OK\n',
      ),
    );
    at(1291);
    await w.append('cmd.end', { cmd: 'c3', exitCode: 0, signal: null, durationMs: 180_512 });
  });
  at(1300);
  await step('done', 1, async () => {
    at(1380);
    await w.append('note', {
      step: 'done',
      text: 'Measured 23 minutes against an RTO of 60 minutes. Sandbox left in place for the review.',
    });
  });
  at(1385);
}

/**
 * Write (or rewrite) the demo drill log into `workspace`/audit, with the demo keys and their
 * entries in keys/trusted.json. Returns the log's path.
 */
export async function makeDemoLog(workspace: string): Promise<string> {
  const keys = demoKeys();
  await writeKeyFiles(workspace, keys);
  await writeTrust(workspace, keys);
  const file = path.join(workspace, 'audit', `drill-${DEMO_DRILL_DATE}.jsonl`);
  await fs.rm(file, { force: true });
  await fs.rm(blobDir(file), { recursive: true, force: true });
  const runbookPath = 'runbooks/shop-restore.yaml';
  let now = start;
  const at = (seconds: number): void => {
    now = start + seconds * 1000;
  };
  const signer = keySigner(keys.operator, 'demo-operator');
  const w = await createLog(
    { file, signer, clock: () => new Date(now), checkpoint: { records: 12, ms: 0 } },
    {
      workspace: 'Demo shop',
      runbook: {
        name: 'Restore the shop',
        path: runbookPath,
        // The drill ran version 1 of the runbook (one cp step for the three sets), not today's.
        sha256: RUNBOOK_V1_SHA256,
        rtoSeconds: 3600,
        steps: [
          { id: 'announce', title: 'Announce the restore', kind: 'manual' },
          {
            id: 'approve',
            title: "Get a second engineer's approval",
            kind: 'approval',
            approvers: ['demo-approver'],
            approvals: 1,
          },
          { id: 'confirm-target', title: 'Confirm the target will be overwritten', kind: 'manual' },
          { id: 'copy-files', title: 'Copy the backup sets into the target', kind: 'local' },
          { id: 'verify', title: 'Verify the checksums of the restored files', kind: 'verify' },
          { id: 'done', title: 'Close the restore', kind: 'manual' },
        ],
      },
      mode: 'drill',
      target: 'sandbox-restore',
      host: 'drill-laptop',
      appVersion: '0.1.0',
      cut: demoCut,
      incident: '2026-11-12T03:40:00.000Z',
    },
    sha256Hex(`dapple demo drill ${DEMO_DRILL_DATE}`).slice(0, 32),
  );
  await drill(w, at, keySigner(keys.approver, 'demo-approver'));
  await w.seal('completed');
  return file;
}
