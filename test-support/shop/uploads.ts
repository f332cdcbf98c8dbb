// The shop's uploads in moto_server: `uploads` with versioning and Object Lock (GOVERNANCE, one
// day by default, as a real shop keeps invoices), and a versioned sandbox bucket for drills.
import { createHash } from 'node:crypto';
import { DeleteObjectCommand, type S3Client } from '@aws-sdk/client-s3';
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
  };
}
