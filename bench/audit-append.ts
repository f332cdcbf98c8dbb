// Benchmark: durable appends of signed records, fsync per record vs batched (group commit).
// Run: node bench/audit-run.mjs append
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateKeyPair, keySigner } from '../main/audit/keys';
import { createLog, type FsyncPolicy } from '../main/audit/writer';

const open = {
  workspace: 'bench',
  runbook: {
    name: 'bench',
    path: 'runbooks/bench.yaml',
    sha256: 'a'.repeat(64),
    rtoSeconds: null,
    steps: [],
  },
  mode: 'drill' as const,
  target: null,
  host: 'bench',
  appVersion: '0.1.0',
};

let cpuPerRecordUs = 0;

/** Append `count` output records with up to `inFlight` appends waiting, as a busy session would. */
async function run(
  dir: string,
  policy: FsyncPolicy,
  count: number,
  inFlight: number,
): Promise<number> {
  const signer = keySigner(generateKeyPair(), 'bench');
  const writer = await createLog(
    {
      file: path.join(dir, `${policy}-${inFlight}.jsonl`),
      signer,
      fsync: policy,
      checkpoint: null,
    },
    open,
  );
  const text = Buffer.from('restored file 0042 of 9000: /srv/shop/uploads/img-0042.jpg (183 kB)\n');
  const started = process.hrtime.bigint();
  const cpu = process.cpuUsage();
  const waiting = new Set<Promise<unknown>>();
  for (let i = 0; i < count; i++) {
    const p = writer.output('c1', 'stdout', text).finally(() => waiting.delete(p));
    waiting.add(p);
    if (waiting.size >= inFlight) await Promise.race(waiting);
  }
  await Promise.all(waiting);
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const used = process.cpuUsage(cpu);
  await writer.close();
  cpuPerRecordUs = (used.user + used.system) / count;
  return (count / ms) * 1000;
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), 'dapple-bench-'));
  try {
    // CPU time per record says what one free core could do when the machine is shared.
    const f = (n: number): string =>
      `${Math.round(n).toLocaleString('en')} records/s  (CPU ${cpuPerRecordUs.toFixed(0)} µs/record)`;
    console.log(`fsync every record, one at a time:      ${f(await run(dir, 'every', 500, 1))}`);
    console.log(`fsync every record, 256 in flight:      ${f(await run(dir, 'every', 500, 256))}`);
    console.log(`batched (group commit), one at a time:  ${f(await run(dir, 'batch', 500, 1))}`);
    console.log(
      `batched (group commit), 256 in flight:  ${f(await run(dir, 'batch', 50_000, 256))}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();
