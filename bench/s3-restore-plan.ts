// Benchmark: the S3 restore planner's peak memory over a prefix of N versions (default 1,000,000:
// ~333,334 keys × 3 versions, every key's current version differing from its version at T), fed
// from a generator of ListObjectVersions pages instead of moto (a million PUTs into moto take
// hours), planning into the real spool on disk. Each contender runs in a fresh process, so its
// peak RSS is its own. Baseline: the same pages walked and counted, nothing kept.
// Run: node bench/run.mjs s3-restore-plan [versions]
// 2026-12-04, 1,000,000 versions: planner peak RSS 198 MiB (bare walk 142 MiB), 20.9 s at load ~21.
import { spawnSync } from 'node:child_process';
import type { ObjectVersion } from '@aws-sdk/client-s3';
import { S3Backend } from '../main/catalog/backends/s3';
import type { VersionPage } from '../main/restore/s3/listing';
import { planS3 } from '../main/restore/s3/plan';
import { Spool } from '../main/restore/s3/spool';

const TOTAL = Number(process.argv[2] ?? 1_000_000);
const MODE = process.argv[3];
const BASE = Date.UTC(2026, 10, 1);
const HOUR = 3_600_000;

/** Pages of 1,000 versions: keys in order, three versions each, newest first. */
async function* pages(): AsyncGenerator<VersionPage> {
  let made = 0;
  let key = 0;
  let version = 2;
  while (made < TOTAL) {
    const versions: ObjectVersion[] = [];
    while (versions.length < 1000 && made < TOTAL) {
      const name = `media/${String(key).padStart(7, '0')}.bin`;
      versions.push({
        Key: name,
        VersionId: `${key.toString(36)}-v${version}-3HL4kqtJvjVBH40Nrjfkd`,
        IsLatest: version === 2,
        LastModified: new Date(BASE + version * HOUR),
        ETag: `"${(key * 3 + version).toString(16).padStart(32, '0')}"`,
        Size: 1024 + ((key * 7919 + version) % 100_000),
        StorageClass: 'STANDARD',
      });
      made++;
      if (version-- === 0) {
        version = 2;
        key++;
      }
    }
    yield { versions, markers: [], encoded: false };
  }
}

/** Sample the heap while `work` runs; report its peak and the process's peak RSS. */
async function measure(work: () => Promise<string>): Promise<void> {
  let heapPeak = 0;
  const sample = setInterval(() => {
    heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  }, 20);
  const t0 = performance.now();
  const result = await work();
  clearInterval(sample);
  heapPeak = Math.max(heapPeak, process.memoryUsage().heapUsed);
  const rss = process.resourceUsage().maxRSS / 1024;
  console.log(
    JSON.stringify({
      result,
      ms: Math.round(performance.now() - t0),
      rssMiB: Math.round(rss),
      heapMiB: Math.round(heapPeak / 1024 ** 2),
    }),
  );
}

async function plan(): Promise<string> {
  // Never called: every key's bytes differ at T, so no HeadObject is needed.
  const backend = new S3Backend(
    {
      name: 'none',
      type: 's3',
      endpoint: 'http://127.0.0.1:9',
      region: 'us-east-1',
      profile: null,
      forcePathStyle: true,
      tags: [],
    },
    { credentials: { accessKeyId: 'x', secretAccessKey: 'x' } },
  );
  const spool = await Spool.create();
  try {
    const outcome = await planS3({
      action: 'restore-to-instant',
      at: BASE + 1.5 * HOUR,
      source: { backend, bucket: 'media', prefix: 'media/' },
      dest: null,
      folder: null,
      sourcePages: pages(),
      destPages: null,
      concurrency: 16,
      headers: true,
      emit: (actions) => spool.append(actions),
    });
    await spool.close();
    const r = outcome.counter.result('restore-to-instant', 'bench', 'T', []);
    return `${r.listed} versions listed, ${r.overwrite.count} keys to overwrite, ${spool.count} actions spooled`;
  } finally {
    await spool.remove();
    await backend.close();
  }
}

async function bare(): Promise<string> {
  let count = 0;
  for await (const page of pages()) count += page.versions.length + page.markers.length;
  return `${count} versions walked`;
}

function run(mode: string): { result: string; ms: number; rssMiB: number; heapMiB: number } {
  const child = spawnSync(process.execPath, [process.argv[1] as string, String(TOTAL), mode], {
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`${mode} failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').at(-1) as string) as {
    result: string;
    ms: number;
    rssMiB: number;
    heapMiB: number;
  };
}

if (MODE === 'plan') void measure(plan);
else if (MODE === 'bare') void measure(bare);
else {
  console.log(
    `S3 restore planner, ${TOTAL} versions from a page generator — node ${process.version}, each in a fresh process\n`,
  );
  const b = run('bare');
  const p = run('plan');
  const row = (name: string, r: typeof b) =>
    console.log(
      `${name.padEnd(30)} peak RSS ${String(r.rssMiB).padStart(5)} MiB  peak heap ${String(r.heapMiB).padStart(4)} MiB  ${(r.ms / 1000).toFixed(1).padStart(5)} s  ${r.result}`,
    );
  row('bare walk of the pages', b);
  row('planner (radius + spool)', p);
  console.log(
    `\nplanner peak RSS ${p.rssMiB} MiB (target < 400 MB); ${p.rssMiB - b.rssMiB} MiB above the bare walk`,
  );
}
