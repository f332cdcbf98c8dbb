// The drill history's cost per call: every session log verified and folded (cold), the same logs
// again with the cache (warm: a stat per log), and after `touch` (the bytes hashed, not verified).
// Baseline in the same run: verifyLogDetailed of every log, one after another, which is what each
// call would cost without the cache.
// Usage: node bench/run.mjs drills-history [logs] [records-per-log]
import { mkdtempSync, promises as fs, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { person, trustOf } from '../main/audit/test-helpers';
import { verifyLogDetailed } from '../main/audit/verify';
import { createLog } from '../main/audit/writer';
import { newLogCache, sessionLogs, workspaceLogResults } from '../main/drills/verified-logs';

const logs = Number(process.argv[2] ?? 40);
const perLog = Number(process.argv[3] ?? 1000);
const dir = mkdtempSync(path.join(tmpdir(), 'dapple-bench-drills-'));
const alice = person('alice');
const trust = trustOf(alice);

async function writeLog(i: number): Promise<void> {
  let now = Date.parse('2026-11-01T10:00:00Z') + i * 86_400_000;
  const id = (i + 1).toString(16).padStart(8, '0');
  const w = await createLog(
    {
      file: path.join(dir, 'audit', `drill-2026-11-01-${id}.jsonl`),
      signer: alice.signer,
      clock: () => new Date((now += 1000)),
      checkpoint: null,
      fsync: 'batch',
    },
    {
      workspace: 'bench',
      runbook: {
        name: 'Bench',
        path: 'runbooks/bench.yaml',
        sha256: 'a'.repeat(64),
        rtoSeconds: 3600,
        steps: [{ id: 'copy', title: 'Copy', kind: 'local' }],
      },
      mode: 'drill',
      target: 'sandbox',
      host: 'bench',
      appVersion: '0',
    },
    `${'0'.repeat(24)}${id}`,
  );
  await w.append('step.start', { step: 'copy', attempt: 1 });
  await w.append('cmd.start', { cmd: 'c', step: 'copy', host: 'localhost', argv: ['cp'] });
  for (let r = 0; r < perLog - 5; r++)
    await w.output('c', 'stdout', Buffer.from(`copied file ${r}\n`));
  await w.append('cmd.end', { cmd: 'c', exitCode: 0, signal: null, durationMs: 1 });
  await w.append('step.end', { step: 'copy', attempt: 1, state: 'done', error: null });
  await w.seal('completed');
}

const ms = (from: number): number => performance.now() - from;
const median = (xs: number[]): number =>
  [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

try {
  for (let i = 0; i < logs; i++) await writeLog(i);
  const files = await sessionLogs(dir);
  const rounds = 3;
  const base: number[] = [];
  const cold: number[] = [];
  const warm: number[] = [];
  const touched: number[] = [];
  for (let round = 0; round < rounds; round++) {
    let t = performance.now();
    for (const f of files) await verifyLogDetailed(f, { trusted: trust });
    base.push(ms(t));
    const cache = newLogCache();
    t = performance.now();
    await workspaceLogResults(dir, trust, cache);
    cold.push(ms(t));
    t = performance.now();
    await workspaceLogResults(dir, trust, cache);
    warm.push(ms(t));
    const later = new Date(Date.now() + 1000 * (round + 1));
    for (const f of files) await fs.utimes(f, later, later);
    t = performance.now();
    await workspaceLogResults(dir, trust, cache);
    touched.push(ms(t));
    if (cache.verified !== files.length) throw new Error(`verified ${cache.verified} times`);
  }
  const b = median(base);
  const line = (what: string, xs: number[]) => {
    const m = median(xs);
    const ratio = m >= b ? `${(m / b).toFixed(2)} × baseline` : `baseline / ${(b / m).toFixed(0)}`;
    console.log(`${what.padEnd(44)} ${m.toFixed(1).padStart(9)} ms   ${ratio}`);
  };
  console.log(`${logs} drill logs of ${perLog} records (median of ${rounds} rounds)`);
  line('baseline: verifyLogDetailed of every log', base);
  line('drills history, cold (verify and fold all)', cold);
  line('drills history, warm (cache: a stat per log)', warm);
  line('drills history, every log touched (hashed)', touched);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
