// Ed25519 verification of many records, shared between the main thread and worker threads
// so that parsing and hashing are not what a reviewer waits for on a long log.
import { verify, type KeyObject } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { rawPublicKey } from './keys';

/** One signature to check. */
export type SignatureJob = { bytes: Buffer; sig: Buffer; key: KeyObject };

/** Below this many records, starting threads costs more than it saves. */
export const POOL_THRESHOLD = 4000;

// Inline (eval) worker: it survives bundling, since it needs no file of its own.
const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const crypto = require('node:crypto');
const SPKI = Buffer.from('302a300506032b6570032100', 'hex');
parentPort.on('message', (m) => {
  const keys = m.keys.map((raw) => crypto.createPublicKey({ key: Buffer.concat([SPKI, Buffer.from(raw)]), format: 'der', type: 'spki' }));
  const data = Buffer.from(m.data); const sigs = Buffer.from(m.sigs);
  let bad = -1;
  for (let i = 0; i < m.keyIdx.length; i++) {
    if (!crypto.verify(null, data.subarray(m.offsets[i], m.offsets[i + 1]), keys[m.keyIdx[i]], sigs.subarray(i * 64, i * 64 + 64))) { bad = i; break; }
  }
  parentPort.postMessage(bad);
});
`;

/** Worker threads to start for a log of `records`; 0 means verify on the main thread. */
export function workersFor(records: number): number {
  if (records < POOL_THRESHOLD) return 0;
  return Math.min(availableParallelism() - 1, 3);
}

/** Started workers, made early so their start-up overlaps parsing. */
export type Pool = { workers: Worker[] };

/** Start `n` verification workers. */
export function startPool(n: number): Pool {
  return { workers: Array.from({ length: n }, () => new Worker(WORKER_SOURCE, { eval: true })) };
}

/** Stop the pool's workers. */
export async function stopPool(pool: Pool): Promise<void> {
  await Promise.all(pool.workers.map((w) => w.terminate()));
}

function verifyRange(jobs: SignatureJob[], from: number, to: number): number {
  for (let i = from; i < to; i++) {
    const job = jobs[i] as SignatureJob;
    if (!verify(null, job.bytes, job.key, job.sig)) return i;
  }
  return -1;
}

function runOnWorker(
  worker: Worker,
  jobs: SignatureJob[],
  from: number,
  to: number,
): Promise<number> {
  const keyIndex = new Map<KeyObject, number>();
  const keys: Buffer[] = [];
  const keyIdx = new Uint32Array(to - from);
  const offsets = new Uint32Array(to - from + 1);
  let size = 0;
  for (let i = from; i < to; i++) {
    const job = jobs[i] as SignatureJob;
    let k = keyIndex.get(job.key);
    if (k === undefined) {
      k = keys.length;
      keyIndex.set(job.key, k);
      keys.push(rawPublicKey(job.key));
    }
    keyIdx[i - from] = k;
    offsets[i - from] = size;
    size += job.bytes.length;
  }
  offsets[to - from] = size;
  const data = new Uint8Array(size);
  const sigs = new Uint8Array((to - from) * 64);
  for (let i = from; i < to; i++) {
    const job = jobs[i] as SignatureJob;
    data.set(job.bytes, offsets[i - from]);
    sigs.set(job.sig, (i - from) * 64);
  }
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => {
      worker.off('message', onMessage);
      reject(error);
    };
    const onMessage = (bad: number): void => {
      worker.off('error', onError);
      resolve(bad < 0 ? -1 : from + bad);
    };
    worker.once('message', onMessage);
    worker.once('error', onError);
    worker.postMessage({ keys, keyIdx, offsets, data, sigs }, [
      data.buffer,
      sigs.buffer,
      keyIdx.buffer,
      offsets.buffer,
    ]);
  });
}

/** The index of the first job whose signature fails, or -1 when all verify. */
export async function firstBadSignature(jobs: SignatureJob[], pool: Pool | null): Promise<number> {
  const workers = pool?.workers ?? [];
  if (workers.length === 0) return verifyRange(jobs, 0, jobs.length);
  // Equal shards: one per worker and one for this thread, which verifies while they do.
  const shard = Math.ceil(jobs.length / (workers.length + 1));
  const pending = workers.map((w, i) =>
    runOnWorker(
      w,
      jobs,
      Math.min(jobs.length, (i + 1) * shard),
      Math.min(jobs.length, (i + 2) * shard),
    ),
  );
  const mine = verifyRange(jobs, 0, Math.min(jobs.length, shard));
  const theirs = await Promise.all(pending);
  return [mine, ...theirs].find((bad) => bad >= 0) ?? -1;
}
