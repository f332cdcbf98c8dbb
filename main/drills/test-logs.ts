// For the drills tests: small drill logs written by the real writer with real keys, restoring a
// cut of named points, that take a chosen time and end as chosen.
import path from 'node:path';
import type { Cut } from '../../preload/schemas/groups';
import type { TestSigner } from '../audit/test-helpers';
import { createLog } from '../audit/writer';

/** A cut of the shop's orders-db and uploads at the given point ids. */
export function testCut(orders: string, uploads: string, time = '2026-11-20T01:00:00.000Z'): Cut {
  return {
    group: 'shop',
    time,
    skewSeconds: 0,
    toleranceSeconds: 300,
    consistent: true,
    reason: 'test',
    snapshotId: null,
    members: [
      {
        service: 'orders-db',
        pointId: orders,
        windowId: null,
        source: 'orders-nas',
        time,
        lagSeconds: 0,
      },
      {
        service: 'uploads',
        pointId: uploads,
        windowId: null,
        source: 'uploads-nas',
        time,
        lagSeconds: 0,
      },
    ],
  };
}

/** What a test drill does. */
export type TestDrill = {
  /** When it opens (ISO). */
  start: string;
  /** Minutes a person took (announce) and minutes the copy command ran. */
  waitingMin: number;
  runningMin: number;
  outcome?: 'completed' | 'failed';
  sealed?: boolean;
  cut?: Cut | null;
  mode?: 'drill' | 'live' | 'rehearsal';
  runbook?: string;
  rtoSeconds?: number | null;
  /** What the copy printed (over 8 KiB it goes to a blob file next to the log). */
  output?: Buffer;
};

/** Write a drill log into `dir`/audit; returns its path. */
export async function writeDrill(dir: string, operator: TestSigner, d: TestDrill): Promise<string> {
  let now = Date.parse(d.start);
  const id = Buffer.from(`${d.start}${d.mode ?? ''}${d.runbook ?? ''}`)
    .toString('hex')
    .slice(-16);
  const file = path.join(dir, 'audit', `${d.mode ?? 'drill'}-${d.start.slice(0, 10)}-${id}.jsonl`);
  const w = await createLog(
    { file, signer: operator.signer, clock: () => new Date(now), checkpoint: null },
    {
      workspace: 'shop',
      runbook: {
        name: 'Restore the shop',
        path: d.runbook ?? 'runbooks/shop-restore.yaml',
        sha256: 'a'.repeat(64),
        rtoSeconds: d.rtoSeconds === undefined ? 3600 : d.rtoSeconds,
        steps: [
          { id: 'announce', title: 'Announce the restore', kind: 'manual' },
          { id: 'copy', title: 'Copy the sets', kind: 'local' },
        ],
      },
      mode: d.mode ?? 'drill',
      target: 'sandbox-restore',
      host: 'test-host',
      appVersion: '0.1.0',
      cut: d.cut === undefined ? testCut('orders-1', 'uploads-1') : d.cut,
    },
    `${'0'.repeat(16)}${id}`.slice(-32),
  );
  now += d.waitingMin * 60_000;
  await w.append('step.start', { step: 'announce', attempt: 1 });
  await w.append('step.end', { step: 'announce', attempt: 1, state: 'done', error: null });
  await w.append('step.start', { step: 'copy', attempt: 1 });
  await w.append('cmd.start', {
    cmd: 'c1',
    step: 'copy',
    host: 'localhost',
    argv: ['cp', 'a', 'b'],
  });
  if (d.output) await w.output('c1', 'stdout', d.output);
  now += d.runningMin * 60_000;
  const failed = d.outcome === 'failed';
  await w.append('cmd.end', { cmd: 'c1', exitCode: failed ? 1 : 0, signal: null, durationMs: 1 });
  await w.append('step.end', {
    step: 'copy',
    attempt: 1,
    state: failed ? 'failed' : 'done',
    error: failed ? 'cp exited with status 1' : null,
  });
  if (d.sealed !== false) await w.seal(d.outcome ?? 'completed');
  else await w.close();
  return file;
}
