// Benchmark: manifest-restore (copy a set into a target, checking each file's sha256 as it is
// written, progress recorded) against `cp -R` of the same set then `sha256sum --check` of its
// listing, in the same run. Run: node bench/run.mjs manifest-restore [files] [bytes] [rounds]
// (default 5000 files of 4 KiB, then 100 files of 4 MiB; 3 rounds each, in turn; median wall ms).
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RecoveryPoint } from '../preload/schemas/catalog';
import type { PlanStep, RunbookPlan } from '../preload/schemas/runbook';
import { generateKeyPair, keySigner } from '../main/audit/keys';
import { createLog } from '../main/audit/writer';
import { manifestExecutor } from '../main/restore/executors/manifest';
import { ProgressRecorder } from '../main/restore/executors/progress';
import type { Workspace } from '../main/workspace/types';

const [files = 5000, bytes = 4096, rounds = 3] = process.argv.slice(2).map(Number);
const cases: [number, number][] =
  process.argv.length > 2
    ? [[files, bytes]]
    : [
        [5000, 4096],
        [100, 4 << 20],
      ];

function makeSet(dir: string, n: number, size: number) {
  const id = 'set-full';
  const listed: { path: string; sizeBytes: number; sha256: string }[] = [];
  for (let i = 0; i < n; i++) {
    const path = `d${Math.floor(i / 500)}/f${i}.bin`;
    const data = randomBytes(size);
    mkdirSync(join(dir, 'nas', id, `d${Math.floor(i / 500)}`), { recursive: true });
    writeFileSync(join(dir, 'nas', id, path), data);
    listed.push({ path, sizeBytes: size, sha256: createHash('sha256').update(data).digest('hex') });
  }
  writeFileSync(
    join(dir, 'nas', `${id}.sha256`),
    listed.map((f) => `${f.sha256}  ${id}/${f.path}\n`).join(''),
  );
  const point = {
    id,
    source: 'sets',
    service: 'svc',
    time: '2026-11-20T03:00:00.000Z',
    endTime: null,
    kind: 'full',
    parent: null,
    sizeBytes: n * size,
    copies: ['nas'],
    immutable: null,
    lastVerified: null,
    tags: [],
    raw: { file: `${id}.json`, backend: 'nas', manifest: { id, files: listed } },
  } as unknown as RecoveryPoint;
  return { id, point };
}

async function dapple(dir: string, point: RecoveryPoint, round: number): Promise<number> {
  const target = join(dir, `dapple-${round}`);
  mkdirSync(target);
  const pair = generateKeyPair();
  const writer = await createLog(
    { file: join(dir, `log-${round}.jsonl`), signer: keySigner(pair, 'bench'), checkpoint: null },
    {
      workspace: 'b',
      runbook: { name: 'b', path: 'b', sha256: '0'.repeat(64), rtoSeconds: null, steps: [] },
      mode: 'drill',
      target: 't',
      host: 'h',
      appVersion: 'b',
    },
  );
  const workspace = {
    root: dir,
    name: 'b',
    backends: new Map([['nas', { name: 'nas', type: 'local', path: join(dir, 'nas'), tags: [] }]]),
    sources: new Map([
      [
        'sets',
        { name: 'sets', type: 'manifest', backend: 'nas', service: 'svc', path: '', bucket: null },
      ],
    ]),
    services: new Map(),
    groups: new Map(),
    targets: new Map(),
  } as unknown as Workspace;
  const step = {
    id: 'r',
    kind: 'manifest-restore',
    point: 'p',
    source: 'sets',
    cwd: target,
  } as PlanStep;
  const plan = { params: [{ name: 'p', bound: point.id }] } as unknown as RunbookPlan;
  const recorder = new ProgressRecorder(writer, 'r');
  const t0 = performance.now();
  const run = await manifestExecutor.start({
    writer,
    workspace,
    ssh: {},
    step,
    plan,
    mode: 'drill',
    cmd: 'c1',
    timeoutMs: null,
    points: () => Promise.resolve(point),
    progress: recorder.report,
  });
  const error = await run.ended;
  await recorder.close();
  const ms = performance.now() - t0;
  await writer.seal('completed');
  if (error) throw new Error(error);
  return ms;
}

function baseline(dir: string, id: string, round: number): number {
  const target = join(dir, `cp-${round}`);
  mkdirSync(target);
  const t0 = performance.now();
  const cp = spawnSync('cp', ['-R', join(dir, 'nas', id), target]);
  const sum = spawnSync(
    'sha256sum',
    ['--check', '--quiet', '--strict', join(dir, 'nas', `${id}.sha256`)],
    { cwd: target },
  );
  if (cp.status !== 0 || sum.status !== 0) throw new Error('baseline failed');
  return performance.now() - t0;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1] ?? 0;
console.log(
  `manifest-restore vs cp -R + sha256sum --check · load ${loadavg()[0]?.toFixed(1)} · ${rounds} rounds in turn`,
);
for (const [n, size] of cases) {
  const dir = mkdtempSync(join(tmpdir(), 'dapple-bench-manifest-'));
  try {
    const { id, point } = makeSet(dir, n, size);
    const ours: number[] = [];
    const base: number[] = [];
    for (let r = 0; r < rounds; r++) {
      base.push(baseline(dir, id, r));
      ours.push(await dapple(dir, point, r));
    }
    const mib = (n * size) / 1048576;
    const [o, b] = [median(ours), median(base)];
    console.log(
      `${n} files × ${size} B (${mib.toFixed(0)} MiB): dapple ${o.toFixed(0)} ms (${((n / o) * 1000).toFixed(0)} files/s, ${((mib / o) * 1000).toFixed(0)} MiB/s), cp+sha256sum ${b.toFixed(0)} ms — ratio ${(o / b).toFixed(2)}×`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
