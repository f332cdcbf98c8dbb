// The S3 anchor: each checkpoint line is put into a bucket with Object Lock in compliance
// mode, so no one — not even the bucket owner — can change or delete it before it expires.
import { createHash } from 'node:crypto';
import type { S3Client, S3ClientConfig } from '@aws-sdk/client-s3';
import { UserError } from '../ground/errors';
import { anchorObjectKey, type AnchoredLine, type AnchorSink, type AnchorSource } from './anchor';
import type { AnchorRef } from './record-data';

/** How to reach the anchor bucket. */
export type S3AnchorConfig = {
  bucket: string;
  /** Key prefix, e.g. "audit/"; objects are <prefix><log id>/<seq>.json. */
  prefix: string;
  region: string | null;
  /** A custom S3-compatible endpoint, or null for AWS. */
  endpoint: string | null;
  /** How long each anchored object is locked, in days. */
  retentionDays: number;
  /** Explicit credentials (tests); otherwise the default AWS chain (environment, profile). */
  credentials?: S3ClientConfig['credentials'];
};

// The AWS SDK loads on first use: `dapple audit verify` of a log without S3 anchors never needs it.
const sdk = () => import('@aws-sdk/client-s3');

/** An S3 client for an anchor reference, set up for S3-compatible endpoints when one is named. */
export async function anchorClient(
  ref: Pick<AnchorRef, 'region' | 'endpoint'>,
  env: NodeJS.ProcessEnv,
  credentials?: S3ClientConfig['credentials'],
): Promise<S3Client> {
  const { S3Client } = await sdk();
  const config: S3ClientConfig = {
    region: ref.region ?? env.AWS_REGION ?? 'us-east-1',
    maxAttempts: 3,
  };
  if (credentials) config.credentials = credentials;
  if (ref.endpoint) {
    // Default request checksums break some S3-compatible servers (see DESIGN.md).
    Object.assign(config, {
      endpoint: ref.endpoint,
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }
  return new S3Client(config);
}

const failure = (what: string, bucket: string, error: unknown): UserError => {
  const name = (error as { name?: string }).name ?? 'error';
  return new UserError(
    'ANCHOR_S3',
    `${what} in the anchor bucket ${bucket} failed (${name}: ${(error as Error).message?.slice(0, 200) ?? ''}).`,
    'Check the bucket name, its Object Lock setting and your AWS credentials.',
  );
};

/** A sink that anchors checkpoint lines into an Object Lock bucket and returns their VersionIds. */
export function s3AnchorSink(
  config: S3AnchorConfig,
  env: NodeJS.ProcessEnv = process.env,
): AnchorSink {
  const ref: AnchorRef = {
    kind: 's3',
    bucket: config.bucket,
    prefix: config.prefix,
    region: config.region,
    endpoint: config.endpoint,
  };
  let client: Promise<S3Client> | null = null;
  return {
    ref,
    async put(logId, seq, line) {
      const { PutObjectCommand } = await sdk();
      const s3 = await (client ??= anchorClient(ref, env, config.credentials));
      const objectKey = anchorObjectKey(config.prefix, logId, seq);
      const body = Buffer.from(line, 'utf8');
      let versionId: string | undefined;
      try {
        const out = await s3.send(
          new PutObjectCommand({
            Bucket: config.bucket,
            Key: objectKey,
            Body: body,
            ContentType: 'application/json',
            // Object Lock puts need a content checksum.
            ContentMD5: createHash('md5').update(body).digest('base64'),
            ObjectLockMode: 'COMPLIANCE',
            ObjectLockRetainUntilDate: new Date(Date.now() + config.retentionDays * 86_400_000),
          }),
        );
        versionId = out.VersionId;
      } catch (error) {
        throw failure(`Anchoring record ${seq}`, config.bucket, error);
      }
      if (!versionId) {
        throw new UserError(
          'ANCHOR_S3',
          `The anchor bucket ${config.bucket} returned no VersionId: it does not keep versions.`,
          'Use a bucket created with Object Lock enabled (which turns on versioning).',
        );
      }
      return { seq, objectKey, versionId };
    },
  };
}

/** Every version of every anchored line of a log, read back from the bucket. */
export async function listAnchored(
  client: S3Client,
  ref: AnchorRef,
  logId: string,
): Promise<AnchoredLine[]> {
  const { GetObjectCommand, ListObjectVersionsCommand } = await sdk();
  const prefix = `${ref.prefix}${logId}/`;
  const found: AnchoredLine[] = [];
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  try {
    for (;;) {
      const page = await client.send(
        new ListObjectVersionsCommand({
          Bucket: ref.bucket,
          Prefix: prefix,
          KeyMarker: keyMarker,
          VersionIdMarker: versionMarker,
        }),
      );
      for (const v of page.Versions ?? []) {
        if (!v.Key || !v.VersionId) continue;
        const object = await client.send(
          new GetObjectCommand({ Bucket: ref.bucket, Key: v.Key, VersionId: v.VersionId }),
        );
        found.push({
          objectKey: v.Key,
          versionId: v.VersionId,
          line: (await object.Body?.transformToString('utf8')) ?? '',
        });
      }
      if (!page.IsTruncated) break;
      keyMarker = page.NextKeyMarker;
      versionMarker = page.NextVersionIdMarker;
    }
  } catch (error) {
    throw failure('Reading the anchored checkpoints', ref.bucket, error);
  }
  return found;
}

/** A source factory for verify: reads the anchors a log names in its open record. */
export function s3AnchorSource(
  env: NodeJS.ProcessEnv = process.env,
  credentials?: S3ClientConfig['credentials'],
): (ref: AnchorRef) => AnchorSource {
  return (ref) => ({
    list: async (logId) => listAnchored(await anchorClient(ref, env, credentials), ref, logId),
  });
}
