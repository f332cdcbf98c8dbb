// S3 restores on moto where the details matter: a bucket with Object Lock (locked versions stay,
// new ones get the default retention), multipart copies above a small threshold (part for part:
// the copy keeps the source's ETag), and downloads (names round-trip; hostile keys are refused
// before anything is written).
import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  HeadObjectCommand,
  UploadPartCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMoto, type Moto } from '../../../test-support/moto';
import {
  allVersionIds,
  currentState,
  makeBucket,
  makeHistory,
  nextSecond,
  put,
  TRICKY_NAMES,
} from '../../../test-support/s3-history';
import { UserError } from '../../ground/errors';
import type { S3Backend } from '../../catalog/backends/s3';
import { planOperation } from './operation';
import { operation, runToEnd, stateDifferences, testBackend } from './test-setup';

const MiB = 1024 * 1024;
const bytes = (size: number, seed: number) => {
  const out = Buffer.alloc(size);
  for (let i = 0; i + 4 <= size; i += 4) out.writeUInt32LE((i * 2654435761 + seed) >>> 0, i);
  return out;
};
const md5 = (b: Buffer) => createHash('md5').update(b).digest('base64');

/** Every file under a folder, by its path relative to it. */
async function filesUnder(root: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const full = join(entry.parentPath, entry.name);
    out.set(relative(root, full), await readFile(full));
  }
  return out;
}

describe('Object Lock, multipart copies and downloads (moto)', () => {
  let moto: Moto;
  let s3: S3Client;
  let backend: S3Backend;
  const ctx = (op: ReturnType<typeof operation>) => ({ op, backend: () => backend });

  beforeAll(async () => {
    moto = await startMoto();
    s3 = moto.client();
    backend = testBackend(moto.endpoint);
  });
  afterAll(async () => {
    await backend?.close();
    await moto?.stop();
  });

  it('restores a locked bucket: locked versions stay, restored versions get the default retention', async () => {
    await makeBucket(s3, 'vault', { lockDays: 1 });
    const held = {
      body: Buffer.from('held since before T'),
      contentType: 'text/plain',
      metadata: {},
    };
    await put(s3, 'vault', 'v/held.txt', held, {
      ObjectLockLegalHoldStatus: 'ON',
      ObjectLockMode: 'COMPLIANCE',
      ObjectLockRetainUntilDate: new Date(Date.now() + 86_400_000),
    });
    const history = await makeHistory(s3, 'vault', 'v/', { keys: 30 });
    history.expected.set('v/held.txt', held);
    await put(s3, 'vault', 'v/held.txt', { ...held, body: Buffer.from('changed after T') });
    const versions = await allVersionIds(s3, 'vault', 'v/');
    const run = await runToEnd(ctx(operation('restore-to-instant', 'vault', 'v/', history.at)));
    expect(run.radius.warnings.join(' ')).toMatch(
      /Object Lock is on: each version written gets the bucket's default retention \(GOVERNANCE, 1 days\)/,
    );
    expect(run.failed).toEqual([]);
    expect(stateDifferences(await currentState(s3, 'vault', 'v/'), history.expected)).toEqual([]);
    const now = await allVersionIds(s3, 'vault', 'v/');
    expect([...versions].filter((v) => !now.has(v))).toEqual([]);
    const copied = run.items.filter((i) => !i.marker);
    expect(copied.length).toBeGreaterThan(0);
    // moto has no GetObjectRetention; HeadObject carries the same lock headers.
    for (const item of copied.slice(0, 5)) {
      const head = await s3.send(
        new HeadObjectCommand({ Bucket: 'vault', Key: item.key, VersionId: item.to ?? '' }),
      );
      expect(head.ObjectLockMode).toBe('GOVERNANCE');
      expect(head.ObjectLockRetainUntilDate?.getTime()).toBeGreaterThan(Date.now() + 3_600_000);
    }
    const heldVersion = run.items.find((i) => i.key === 'v/held.txt')?.version as string;
    const hold = await s3.send(
      new HeadObjectCommand({ Bucket: 'vault', Key: 'v/held.txt', VersionId: heldVersion }),
    );
    expect(hold).toMatchObject({ ObjectLockLegalHoldStatus: 'ON', ObjectLockMode: 'COMPLIANCE' });
  });

  it('copies above a small threshold part by part: an uploaded-in-parts source keeps its ETag, the bytes match', async () => {
    await makeBucket(s3, 'big');
    const parts = [bytes(5 * MiB, 1), bytes(5 * MiB, 2), bytes(5 * MiB, 3), bytes(MiB + 17, 4)];
    const upload = await s3.send(
      new CreateMultipartUploadCommand({
        Bucket: 'big',
        Key: 'm/parts.bin',
        ContentType: 'application/x-tar',
        Metadata: { origin: 'parts' },
      }),
    );
    const etags: string[] = [];
    for (const [i, body] of parts.entries()) {
      const part = await s3.send(
        new UploadPartCommand({
          Bucket: 'big',
          Key: 'm/parts.bin',
          UploadId: upload.UploadId,
          PartNumber: i + 1,
          Body: body,
          ContentMD5: md5(body),
        }),
      );
      etags.push(part.ETag ?? '');
    }
    await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: 'big',
        Key: 'm/parts.bin',
        UploadId: upload.UploadId,
        MultipartUpload: { Parts: etags.map((ETag, i) => ({ ETag, PartNumber: i + 1 })) },
      }),
    );
    const plain = {
      body: bytes(6 * MiB, 9),
      contentType: 'application/octet-stream',
      metadata: { origin: 'plain' },
    };
    await put(s3, 'big', 'm/plain.bin', plain);
    const before = await s3.send(new HeadObjectCommand({ Bucket: 'big', Key: 'm/parts.bin' }));
    const at = new Date((await nextSecond()) - 1);
    await put(s3, 'big', 'm/parts.bin', {
      body: Buffer.from('small now'),
      contentType: 'text/plain',
      metadata: {},
    });
    await put(s3, 'big', 'm/plain.bin', {
      body: Buffer.from('small too'),
      contentType: 'text/plain',
      metadata: {},
    });

    const op = operation('restore-to-instant', 'big', 'm/', at, null, {
      multipartThresholdBytes: 5 * MiB,
    });
    const run = await runToEnd(ctx(op));
    expect(run.failed).toEqual([]);
    const after = await s3.send(new HeadObjectCommand({ Bucket: 'big', Key: 'm/parts.bin' }));
    expect(after.ETag).toBe(before.ETag);
    expect(after.ETag).toMatch(/-4"$/);
    expect(after).toMatchObject({
      ContentType: 'application/x-tar',
      Metadata: { origin: 'parts' },
    });
    const plainNow = await s3.send(new HeadObjectCommand({ Bucket: 'big', Key: 'm/plain.bin' }));
    // The plain 6 MiB source went part by part too (its copy's ETag says so).
    expect(plainNow.ETag).toMatch(/-\d+"$/);
    const state = await currentState(s3, 'big', 'm/');
    expect(state.get('m/parts.bin')?.body.equals(Buffer.concat(parts))).toBe(true);
    // Buffers compared with equals(): a deep toEqual walks 6 MiB one byte at a time.
    expect(state.get('m/plain.bin')?.body.equals(plain.body)).toBe(true);
    expect(state.get('m/plain.bin')).toMatchObject({
      contentType: plain.contentType,
      metadata: plain.metadata,
    });
    // Part for part, the next run sees parts.bin equal. A plain source copied in parts below 5 GiB
    // (only with a lowered threshold) carries another ETag, so it is copied again: safe, not free.
    const again = await runToEnd(ctx(op));
    expect(again.items.map((i) => i.key)).toEqual(['m/plain.bin']);
  });

  it('downloads the prefix as at T into a folder: every name round-trips exactly; a second run writes nothing', async () => {
    await makeBucket(s3, 'names');
    const history = await makeHistory(s3, 'names', 'n/', { keys: TRICKY_NAMES.length + 5 });
    const folder = await mkdtemp(join(tmpdir(), 'dapple-download-'));
    try {
      const op = operation('download', 'names', 'n/', history.at, {
        kind: 'folder',
        path: folder,
        target: null,
      });
      const run = await runToEnd(ctx(op));
      expect(run.outcome.failed).toBe(0);
      const files = await filesUnder(folder);
      const want = new Map([...history.expected].map(([k, v]) => [k.slice('n/'.length), v.body]));
      expect([...files.keys()].sort()).toEqual([...want.keys()].sort());
      for (const [name, body] of want) expect(files.get(name)?.equals(body), name).toBe(true);
      for (const name of TRICKY_NAMES.filter((n) => want.has(n)))
        expect(files.has(name), name).toBe(true);
      const again = await runToEnd(ctx(op));
      expect(again.items).toEqual([]);
      expect(again.radius.leave.count).toBe(history.expected.size);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('refuses hostile keys for a download, naming each, before anything is written', async () => {
    await makeBucket(s3, 'hostile');
    const body = { body: Buffer.from('x'), contentType: 'text/plain', metadata: {} };
    for (const key of [
      'h/ok.txt',
      'h/../escape.txt',
      'h/a//b.txt',
      'h/back\\slash.txt',
      'h/./dot.txt',
      'h/link/inside.txt',
      'h/fine/deeper.txt',
    ])
      await put(s3, 'hostile', key, body);
    const folder = await mkdtemp(join(tmpdir(), 'dapple-hostile-'));
    const outside = await mkdtemp(join(tmpdir(), 'dapple-outside-'));
    try {
      await symlink(outside, join(folder, 'link'));
      await mkdir(join(folder, 'fine'));
      const op = operation('download', 'hostile', 'h/', new Date(), {
        kind: 'folder',
        path: folder,
        target: null,
      });
      const error = await planOperation(ctx(op), true).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(UserError);
      const message = (error as UserError).message;
      expect(message).toMatch(
        new RegExp(`^5 keys cannot be downloaded into ${folder}, so nothing was written: `),
      );
      expect(message).toContain('"h/../escape.txt" climbs out of the folder with ".."');
      expect(message).toContain('"h/a//b.txt" has an empty segment ("//")');
      expect(message).toContain('"h/back\\\\slash.txt" contains a backslash');
      expect(message).toContain('"h/./dot.txt" has a "." segment');
      expect(message).toContain(
        `"h/link/inside.txt" goes through the symbolic link ${join(folder, 'link')}`,
      );
      expect(await readdir(folder)).toEqual(['fine', 'link']);
      expect(await readdir(join(folder, 'fine'))).toEqual([]);
      expect(await readdir(outside)).toEqual([]);
    } finally {
      await rm(folder, { recursive: true, force: true });
      await rm(outside, { recursive: true, force: true });
    }
  });
});
