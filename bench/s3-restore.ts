// Benchmark: an S3 point-in-time restore of OBJECTS keys (1 KiB–1 MiB, three versions each) in
// moto, in place, through the real s3 executor (listing, planning, spool, copies, s3.plan and
// s3.batch records in a signed log, progress) against a bare SDK CopyObject loop of the same
// versions at the same concurrency, in the same run. Two rounds in turn (restore, bare, bare,
// restore), each on its own bucket of identical content.
// Run: node bench/run.mjs s3-restore [objects] [concurrency]   (default 10000, 16)
// 2026-12-04, 10,000 keys at load 21–27: restore 24 / 52 objects/s, bare 28 / 51 — 0.97×.
import { CopyObjectCommand, ListObjectVersionsCommand, type S3Client } from '@aws-sdk/client-s3';
import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import type { PlanStep, RunbookPlan, S3Operation } from '../preload/schemas/runbook';
import { person, tempDir, testOpen, trustOf } from '../main/audit/test-helpers';
import { verifyLog } from '../main/audit/verify';
import { createLog } from '../main/audit/writer';
import { S3Backend, type S3BackendConfig } from '../main/catalog/backends/s3';
import { ProgressRecorder } from '../main/restore/executors/progress';
import { backendsOf, s3Executor } from '../main/restore/s3/executor';
import { planOperation } from '../main/restore/s3/operation';
import { changes } from '../main/restore/s3/radius';
import { copySource } from '../main/restore/s3/keys';
import type { Workspace } from '../main/workspace/types';
import { MOTO_CREDENTIALS } from '../test-support/moto';
import { freePort } from '../test-support/ports';

const OBJECTS = Number(process.argv[2] ?? 10_000);
const CONCURRENCY = Number(process.argv[3] ?? 16);
const PREFIX = 'media/';

async function startFilledMoto(port: number) {
  const script = path.join(process.cwd(), 'bench', 's3-restore-moto-server.py');
  const child = spawn('python3', [script, String(port), String(OBJECTS), '4', PREFIX, '7'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const [at, bytes] = await new Promise<[string, number]>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const ready = /READY (\S+) (\d+)/.exec(out);
      if (ready) resolve([ready[1] as string, Number(ready[2])]);
    });
    child.once('exit', (code) =>
      reject(new Error(`the bench moto server exited with ${code}: ${out}`)),
    );
  });
  return { endpoint: `http://127.0.0.1:${port}`, at, bytes, stop: () => child.stdin.end() };
}

/** The baseline's input, listed untimed: each key's second-newest version (its version at T). */
async function versionsAtT(
  s3: S3Client,
  bucket: string,
): Promise<{ key: string; versionId: string }[]> {
  const out: { key: string; versionId: string }[] = [];
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  for (;;) {
    const page = await s3.send(
      new ListObjectVersionsCommand({
        Bucket: bucket,
        Prefix: PREFIX,
        KeyMarker: keyMarker,
        VersionIdMarker: versionMarker,
      }),
    );
    const seen = new Map<string, number>();
    for (const v of page.Versions ?? []) {
      const n = (seen.get(v.Key as string) ?? 0) + 1;
      seen.set(v.Key as string, n);
      if (n === 2) out.push({ key: v.Key as string, versionId: v.VersionId as string });
    }
    if (!page.IsTruncated) return out;
    keyMarker = page.NextKeyMarker;
    versionMarker = page.NextVersionIdMarker;
  }
}

/** The baseline: CopyObject of each version onto its key, CONCURRENCY at a time, nothing else. */
async function bareLoop(
  s3: S3Client,
  bucket: string,
  jobs: { key: string; versionId: string }[],
): Promise<number> {
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < jobs.length) {
        const job = jobs[next++] as { key: string; versionId: string };
        await s3.send(
          new CopyObjectCommand({
            Bucket: bucket,
            Key: job.key,
            CopySource: copySource(bucket, job.key, job.versionId),
            MetadataDirective: 'COPY',
          }),
        );
      }
    }),
  );
  return jobs.length;
}

/** The restore as a session runs it: the s3 executor with a real signed log and progress recorder. */
async function restore(
  config: S3BackendConfig,
  bucket: string,
  at: string,
  dir: string,
  operator: ReturnType<typeof person>,
): Promise<void> {
  const writer = await createLog(
    {
      file: path.join(dir, 'bench.jsonl'),
      signer: operator.signer,
      checkpoint: null,
      fsync: 'batch',
    },
    testOpen,
  );
  const op: S3Operation = {
    action: 'restore-to-instant',
    source: {
      kind: 'bucket',
      backend: config.name,
      endpoint: config.endpoint ?? '',
      bucket,
      prefix: PREFIX,
      target: null,
    },
    at,
    to: null,
    concurrency: CONCURRENCY,
    multipartThresholdBytes: 5 * 1024 ** 3,
    problem: null,
  };
  const step = { id: 'put-back', kind: 's3', title: 'Restore', s3: op } as unknown as PlanStep;
  const workspace = {
    root: dir,
    name: 'bench',
    backends: new Map([[config.name, config]]),
    sources: new Map(),
    services: new Map(),
    groups: new Map(),
    targets: new Map(),
  } as Workspace;
  const recorder = new ProgressRecorder(writer, step.id);
  await writer.append('step.start', { step: step.id, attempt: 1 });
  const run = await s3Executor.start({
    writer,
    workspace,
    ssh: {},
    step,
    // An s3 step reads neither the plan's parameters nor the catalog.
    plan: { steps: [step], params: [] } as unknown as RunbookPlan,
    points: () => Promise.resolve(null),
    mode: 'live',
    cmd: 'c1',
    timeoutMs: null,
    progress: recorder.report,
  });
  const error = await run.ended;
  await recorder.close();
  if (error) throw new Error(error);
  await writer.seal('completed');
}

/** Untimed, after a restore: its log verifies VALID (and, traced, what it recorded when). */
async function checkLog(dir: string, operator: ReturnType<typeof person>): Promise<number> {
  const file = path.join(dir, 'bench.jsonl');
  const report = await verifyLog(file, { trusted: trustOf(operator) });
  if (report.verdict !== 'VALID') throw new Error(`the restore's log is ${report.verdict}`);
  if (process.env.DAPPLE_BENCH_TRACE) {
    for (const line of readFileSync(file, 'utf8').trim().split('\n')) {
      const p = JSON.parse((JSON.parse(line) as { payload: string }).payload) as {
        ts: string;
        type: string;
        data: { items?: unknown[] };
      };
      if (p.type !== 'progress')
        console.log(`    ${p.ts} ${p.type}${p.data.items ? ` ${p.data.items.length}` : ''}`);
    }
  }
  return report.records;
}

/** Untimed, after a restore: the prefix lists, key by key, the bytes it listed at T. */
async function checkRestored(config: S3BackendConfig, bucket: string, at: string): Promise<void> {
  const workspace = { backends: new Map([[config.name, config]]) } as Workspace;
  const backends = backendsOf(workspace);
  const op: S3Operation = {
    action: 'prefix-equals-instant',
    source: {
      kind: 'bucket',
      backend: config.name,
      endpoint: config.endpoint ?? '',
      bucket,
      prefix: PREFIX,
      target: null,
    },
    at,
    to: null,
    concurrency: CONCURRENCY,
    multipartThresholdBytes: 5 * 1024 ** 3,
    problem: null,
  };
  const check = await planOperation({ op, backend: (name) => backends.get(name) }, false).finally(
    () => backends.close(),
  );
  if (changes(check.radius).keys !== 0 || check.radius.leave.count !== OBJECTS)
    throw new Error(
      `after the restore ${changes(check.radius).keys} keys of ${bucket} still differ from T`,
    );
  console.log(`  ${bucket}: checked, all ${OBJECTS} keys hold their bytes at T`);
}

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; cpuMs: number; value: T }> {
  (globalThis as { gc?: () => void }).gc?.();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const value = await fn();
  const cpu = process.cpuUsage(c0);
  return { ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000, value };
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const moto = await startFilledMoto(await freePort());
  process.env.AWS_ACCESS_KEY_ID = MOTO_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = MOTO_CREDENTIALS.secretAccessKey;
  const config: S3BackendConfig = {
    name: 'bench',
    type: 's3',
    endpoint: moto.endpoint,
    region: 'us-east-1',
    profile: null,
    forcePathStyle: null,
    tags: [],
  };
  // The baseline uses the client the restore uses: same endpoint settings and retries.
  const bare = new S3Backend(config, {
    credentials: MOTO_CREDENTIALS,
    maxAttempts: 6,
    retryMode: 'standard',
  });
  try {
    console.log(
      `S3 point-in-time restore benchmark — node ${process.version}, moto_server on 127.0.0.1 (bench/s3-restore-moto-server.py)`,
    );
    console.log(
      `${OBJECTS} keys × 3 versions (1 KiB–1 MiB, log-uniform; ${(moto.bytes / 1024 ** 3).toFixed(2)} GiB of versions per bucket), concurrency ${CONCURRENCY}, T = ${moto.at}; server filled in ${((performance.now() - t0) / 1000).toFixed(0)} s`,
    );
    console.log(
      'restore = the s3 executor in place: listing + plan + spool + CopyObject + signed log; baseline = a bare SDK CopyObject loop of the same versions (listed untimed)\n',
    );
    const results: { name: string; ms: number; cpuMs: number }[] = [];
    const order: ['restore' | 'bare', number][] = [
      ['restore', 0],
      ['bare', 1],
      ['bare', 2],
      ['restore', 3],
    ];
    for (const [kind, b] of order) {
      const bucket = `bench-${b}`;
      if (kind === 'bare') {
        const listed = await timed(() => versionsAtT(bare.client, bucket));
        const jobs = listed.value;
        console.log(
          `  ${bucket}: the baseline's input listed (untimed) in ${(listed.ms / 1000).toFixed(1)} s`,
        );
        if (jobs.length !== OBJECTS)
          throw new Error(`listed ${jobs.length} versions at T, expected ${OBJECTS}`);
        const r = await timed(() => bareLoop(bare.client, bucket, jobs));
        results.push({ name: `bare CopyObject loop (${bucket})`, ms: r.ms, cpuMs: r.cpuMs });
      } else {
        const dir = tempDir('dapple-bench-s3-');
        try {
          const operator = person('Bench Operator');
          const r = await timed(() => restore(config, bucket, moto.at, dir, operator));
          results.push({ name: `restore-to-instant (${bucket})`, ms: r.ms, cpuMs: r.cpuMs });
          await checkRestored(config, bucket, moto.at);
          console.log(`  ${bucket}: log VALID with ${await checkLog(dir, operator)} records`);
        } finally {
          rmSync(dir, { recursive: true, force: true });
        }
      }
      const last = results.at(-1) as { name: string; ms: number; cpuMs: number };
      console.log(
        `${last.name.padEnd(36)} ${(last.ms / 1000).toFixed(1).padStart(7)} s  ${(OBJECTS / (last.ms / 1000)).toFixed(0).padStart(6)} objects/s  client CPU ${(last.cpuMs / 1000).toFixed(1)} s`,
      );
    }
    const rate = (kind: string) => {
      const rows = results.filter((r) => r.name.startsWith(kind));
      return rows.reduce((sum, r) => sum + OBJECTS / (r.ms / 1000), 0) / rows.length;
    };
    const ours = rate('restore');
    const base = rate('bare');
    console.log(
      `\nmean objects/s: restore ${ours.toFixed(0)}, bare loop ${base.toFixed(0)} — ratio ${(ours / base).toFixed(2)}× (target ≥ 0.8×)`,
    );
  } finally {
    await bare.close();
    moto.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
