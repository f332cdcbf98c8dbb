// Benchmark: verifying a 100,000-record log against bare Ed25519 verification of the same
// payloads in the same run. Run: node bench/audit-run.mjs verify [records]
import { verify } from 'node:crypto';
import { availableParallelism, tmpdir } from 'node:os';
import { mkdtempSync, rmSync } from 'node:fs';
import path from 'node:path';
import { generateKeyPair, keySigner } from '../main/audit/keys';
import { readLog } from '../main/audit/log-file';
import { decodeLine } from '../main/audit/records';
import { buildTrust, trustEntry } from '../main/audit/trust';
import { verifyLog } from '../main/audit/verify';
import { writeBenchLog } from './audit-bench-log';

const count = Number(process.argv[2] ?? 100_000);
const rounds = 3;

type Timing = { wall: number; cpu: number };

/** Best of `rounds` runs: wall-clock ms, and this process's CPU ms (all threads). */
async function best(run: () => Promise<void> | void): Promise<Timing> {
  const fastest = { wall: Infinity, cpu: Infinity };
  for (let i = 0; i < rounds; i++) {
    const t = process.hrtime.bigint();
    const c = process.cpuUsage();
    await run();
    const u = process.cpuUsage(c);
    fastest.wall = Math.min(fastest.wall, Number(process.hrtime.bigint() - t) / 1e6);
    fastest.cpu = Math.min(fastest.cpu, (u.user + u.system) / 1000);
  }
  return fastest;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'dapple-bench-'));
  try {
    const pair = generateKeyPair();
    const trusted = buildTrust(
      { v: 1, keys: [trustEntry(pair.publicKey, 'bench', '2020-01-01T00:00:00Z', null)] },
      'bench',
    );
    const file = path.join(dir, 'bench.jsonl');
    const t = Date.now();
    await writeBenchLog(file, count, keySigner(pair, 'bench'));
    console.log(`wrote ${count} records in ${Date.now() - t} ms`);
    // The baseline's inputs are extracted outside the timing: only signature checks are timed.
    const jobs = (await readLog(file)).lines.map((l) => {
      const d = decodeLine(l);
      if (!d.ok) throw new Error(d.reason);
      return d;
    });
    const bare = await best(() => {
      for (const j of jobs)
        if (!verify(null, j.bytes, pair.publicKey, j.sig)) throw new Error('bad');
    });
    const single = await best(async () => {
      const r = await verifyLog(file, { trusted, workers: 0 });
      if (r.verdict !== 'VALID') throw new Error(JSON.stringify(r.firstError));
    });
    const pooled = await best(async () => {
      const r = await verifyLog(file, { trusted });
      if (r.verdict !== 'VALID') throw new Error(JSON.stringify(r.firstError));
    });
    const rate = (ms: number): string =>
      `${Math.round((count / ms) * 1000).toLocaleString('en')} records/s`;
    const line = (label: string, t: Timing): string =>
      `${label.padEnd(38)} wall ${t.wall.toFixed(0).padStart(6)} ms  ${rate(t.wall).padEnd(17)} ratio ${(bare.wall / t.wall).toFixed(2)}x   CPU ${t.cpu.toFixed(0).padStart(6)} ms  CPU ratio ${(bare.cpu / t.cpu).toFixed(2)}x`;
    console.log(
      `${count} records; cores available: ${availableParallelism()}; best of ${rounds} rounds each`,
    );
    console.log(line('bare Ed25519 verify (baseline, 1 thread)', bare));
    console.log(line('verifyLog, 1 thread', single));
    console.log(line('verifyLog, default (worker threads)', pooled));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
