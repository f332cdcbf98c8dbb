// The shop's uploads in moto_server: `uploads` with versioning and Object Lock (GOVERNANCE, one
// day by default, as a real shop keeps invoices), and a versioned sandbox bucket for drills.
import { createHash } from 'node:crypto';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectVersionsCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { Moto } from '../moto';
import { currentState, makeBucket, put } from '../s3-history';

/** Bucket names and the prefix the shop writes its order uploads under. */
export const UPLOADS = { bucket: 'uploads', sandbox: 'uploads-sandbox', prefix: 'orders/' };

/** Object key → sha256 of its bytes. */
export type ObjectHashes = Record<string, string>;

/** The uploads store: write, delete and read back what a prefix lists. */
export type ShopUploads = {
  endpoint: string;
  client: S3Client;
  put: (key: string, body: string, contentType?: string) => Promise<void>;
  /** A delete on a versioned bucket: a delete marker, no version removed. */
  remove: (key: string) => Promise<void>;
  /** What a bucket's prefix lists now, with each key's sha256. */
  listing: (bucket?: string, prefix?: string) => Promise<ObjectHashes>;
  /**
   * What the uploads prefix listed at an instant, worked out from its versions here (not by
   * Dapple's engine): each key's newest version not after it, unless that is a delete marker.
   * Keys relative to the prefix, as the recorded facts hold them.
   */
  listedAt: (at: string) => Promise<ObjectHashes>;
};

const sha256 = (bytes: Buffer | string) => createHash('sha256').update(bytes).digest('hex');

/** Make both buckets on a running moto. */
export async function startShopUploads(moto: Moto): Promise<ShopUploads> {
  const client = moto.client();
  await makeBucket(client, UPLOADS.bucket, { lockDays: 1 });
  await makeBucket(client, UPLOADS.sandbox, { versioning: true });
  return {
    endpoint: moto.endpoint,
    client,
    put: (key, body, contentType = 'application/pdf') =>
      put(client, UPLOADS.bucket, key, {
        body: Buffer.from(body),
        contentType,
        metadata: { shop: 'orders' },
      }),
    remove: async (key) => {
      await client.send(new DeleteObjectCommand({ Bucket: UPLOADS.bucket, Key: key }));
    },
    listing: async (bucket = UPLOADS.bucket, prefix = UPLOADS.prefix) => {
      const state = await currentState(client, bucket, prefix);
      const out: ObjectHashes = {};
      for (const key of [...state.keys()].sort()) out[key] = sha256(state.get(key)?.body ?? '');
      return out;
    },
    listedAt: async (at) => {
      const newest = new Map<string, { id: string | undefined; t: number; marker: boolean }>();
      const consider = (
        key: string | undefined,
        id: string | undefined,
        when: Date | undefined,
        marker: boolean,
      ) => {
        const t = when?.getTime() ?? Infinity;
        if (key === undefined || t > Date.parse(at)) return;
        const held = newest.get(key);
        if (!held || t > held.t) newest.set(key, { id, t, marker });
      };
      let keyMarker: string | undefined;
      let versionMarker: string | undefined;
      do {
        const page = await client.send(
          new ListObjectVersionsCommand({
            Bucket: UPLOADS.bucket,
            Prefix: UPLOADS.prefix,
            KeyMarker: keyMarker,
            VersionIdMarker: versionMarker,
          }),
        );
        for (const v of page.Versions ?? []) consider(v.Key, v.VersionId, v.LastModified, false);
        for (const d of page.DeleteMarkers ?? [])
          consider(d.Key, d.VersionId, d.LastModified, true);
        keyMarker = page.IsTruncated ? page.NextKeyMarker : undefined;
        versionMarker = page.IsTruncated ? page.NextVersionIdMarker : undefined;
      } while (keyMarker !== undefined);
      const out: ObjectHashes = {};
      for (const [key, v] of [...newest.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
        if (v.marker) continue;
        const got = await client.send(
          new GetObjectCommand({ Bucket: UPLOADS.bucket, Key: key, VersionId: v.id }),
        );
        out[key.slice(UPLOADS.prefix.length)] = sha256(
          Buffer.from((await got.Body?.transformToByteArray()) ?? []),
        );
      }
      return out;
    },
  };
}
