// Benchmark: the s3-versions source over a prefix of N object versions in moto_server, against a
// bare SDK ListObjectVersions pagination loop over the same prefix, in the same run.
// Run: node bench/catalog-run.mjs s3-versions [versions]   (default 100000)
import { ListObjectVersionsCommand, type S3Client } from '@aws-sdk/client-s3';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { S3Backend } from '../main/catalog/backends/s3';
import { createS3VersionsSource } from '../main/catalog/sources/s3-versions';
import { VersionScanner } from '../main/catalog/sources/s3-versions-scan';
import { MOTO_CREDENTIALS } from '../test-support/moto';
import { freePort } from '../test-support/ports';

const total = Number(process.argv[2] ?? 100_000);
const KEYS = Math.max(1, Math.round(total / 10)); // ten versions per key, like a busy uploads folder
const BUCKET = 'bench-uploads';
const PREFIX = 'images/';

/** Start the bench moto (bucket filled server-side) and resolve once it says READY. */
async function startFilledMoto(port: number): Promise<{ endpoint: string; stop: () => void }> {
  const script = path.join(process.cwd(), 'bench', 'catalog-moto-server.py');
  const child = spawn(
    'python3',
    [script, String(port), String(total), String(KEYS), BUCKET, PREFIX],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('READY')) resolve();
    });
    child.once('exit', (code) =>
      reject(new Error(`the bench moto server exited with ${code}: ${out.slice(-300)}`)),
    );
  });
  return { endpoint: `http://127.0.0.1:${port}`, stop: () => child.stdin.end() };
}

/** The baseline: page through ListObjectVersions and count, nothing else. */
async function bareLoop(s3: S3Client): Promise<number> {
  let count = 0;
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  for (;;) {
    const page = await s3.send(
      new ListObjectVersionsCommand({
        Bucket: BUCKET,
        Prefix: PREFIX,
        ...(keyMarker !== undefined ? { KeyMarker: keyMarker } : {}),
        ...(versionMarker !== undefined ? { VersionIdMarker: versionMarker } : {}),
      }),
    );
    count += (page.Versions?.length ?? 0) + (page.DeleteMarkers?.length ?? 0);
    if (!page.IsTruncated) return count;
    keyMarker = page.NextKeyMarker;
    versionMarker = page.NextVersionIdMarker;
  }
}

/** Wall time and this process's CPU time (user + system): the client's own share of the work. */
async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; cpuMs: number; value: T }> {
  // Collect the previous run's garbage first, so that neither run pays for the other's.
  (globalThis as { gc?: () => void }).gc?.();
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  const value = await fn();
  const cpu = process.cpuUsage(c0);
  return { ms: performance.now() - t0, cpuMs: (cpu.user + cpu.system) / 1000, value };
}

/** The scanner alone over synthetic pages of 1000 versions: the per-version cost our source adds. */
function scannerOnly(): number {
  const pages = Array.from({ length: total / 1000 }, (_, p) =>
    Array.from({ length: 1000 }, (_, i) => ({
      Key: `${PREFIX}${String((p * 1000 + i) % KEYS).padStart(6, '0')}.png`,
      VersionId: `v${p}-${i}`,
      IsLatest: i % 10 === 0,
      LastModified: new Date(Date.UTC(2026, 0, 1) + (p * 1000 + i) * 1000),
      Size: 40,
    })),
  );
  const t0 = performance.now();
  const scanner = new VersionScanner(32);
  for (const page of pages) scanner.add(page, []);
  scanner.result();
  return performance.now() - t0;
}

async function main(): Promise<void> {
  const t0 = performance.now();
  const moto = await startFilledMoto(await freePort());
  try {
    console.log(
      `s3-versions benchmark — node ${process.version}, moto_server on 127.0.0.1 (bench/catalog-moto-server.py)`,
    );
    console.log(
      `${total} versions of ${KEYS} keys under ${BUCKET}/${PREFIX} (server filled in ${((performance.now() - t0) / 1000).toFixed(1)} s)`,
    );
    console.log(
      'baseline = a bare SDK ListObjectVersions pagination loop (same S3 client), same run\n',
    );
    const backend = new S3Backend(
      {
        name: 'bench',
        type: 's3',
        endpoint: moto.endpoint,
        region: 'us-east-1',
        profile: null,
        forcePathStyle: null,
        tags: [],
      },
      { credentials: MOTO_CREDENTIALS },
    );
    const source = createS3VersionsSource(
      {
        name: 'bench-uploads',
        type: 's3-versions',
        backend: 'bench',
        service: 'uploads',
        bucket: BUCKET,
        prefix: PREFIX,
      },
      backend,
    );
    // One untimed listing first (the server sorts its versions once), then alternate the two,
    // three rounds each, so neither gains from a warmer server.
    await bareLoop(backend.client);
    const bare: { ms: number; cpuMs: number }[] = [];
    const ours: { ms: number; cpuMs: number }[] = [];
    for (let round = 0; round < 3; round++) {
      const b = await timed(() => bareLoop(backend.client));
      if (b.value !== total)
        throw new Error(`baseline listed ${b.value} versions, expected ${total}`);
      bare.push(b);
      const o = await timed(() => source.list({}));
      const raw = o.value[0]?.raw as { versions: number } | undefined;
      if (raw?.versions !== total)
        throw new Error(`s3-versions saw ${raw?.versions} versions, expected ${total}`);
      ours.push(o);
    }
    const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[1] as number;
    const secs = (ms: number): string => `${(ms / 1000).toFixed(2)} s`;
    console.log(
      `${'run'.padEnd(24)}${'round 1'.padStart(10)}${'round 2'.padStart(10)}${'round 3'.padStart(10)}${'median'.padStart(10)}${'client CPU'.padStart(12)}`,
    );
    const row = (name: string, xs: { ms: number; cpuMs: number }[]): void =>
      console.log(
        `${name.padEnd(24)}${xs.map((x) => secs(x.ms).padStart(10)).join('')}${secs(median(xs.map((x) => x.ms))).padStart(10)}${secs(median(xs.map((x) => x.cpuMs))).padStart(12)}`,
      );
    row('bare ListObjectVersions', bare);
    row('s3-versions source', ours);
    const cpuRow = (name: string, xs: { cpuMs: number }[]): void =>
      console.log(
        `${`  client CPU, ${name}`.padEnd(24)}${xs.map((x) => secs(x.cpuMs).padStart(10)).join('')}`,
      );
    cpuRow('bare', bare);
    cpuRow('ours', ours);
    const wall = median(ours.map((x) => x.ms)) / median(bare.map((x) => x.ms));
    const cpu = median(ours.map((x) => x.cpuMs)) / median(bare.map((x) => x.cpuMs));
    console.log(
      `\nratio s3-versions / baseline: wall ${wall.toFixed(3)}×, client CPU ${cpu.toFixed(3)}× (target ≤ 1.1×)`,
    );
    console.log(`the version scanner alone on ${total} versions: ${scannerOnly().toFixed(1)} ms`);
    await backend.close();
  } finally {
    moto.stop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
