// The s3 backend: any S3-compatible endpoint, credentials the way users already have them.
// Paths on this backend are "bucket/key": the first segment names the bucket.
import {
  GetObjectCommand,
  ListObjectsV2Command,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { UserError } from '../../ground/errors';
import type { BackendConfig } from '../../workspace/types';
import type { Backend, ListedFile, Runner } from '../types';
import { withOwnAbort } from './s3-abort';
import { clip, describeS3Error, type S3Place } from './s3-errors';

/** The s3 entry of dapple.yaml's backends. */
export type S3BackendConfig = Extract<BackendConfig, { type: 's3' }>;

/** How to build an s3 backend; credentials override the provider chain (tests, keychain). */
export type S3BackendOptions = {
  credentials?: NonNullable<S3ClientConfig['credentials']>;
  /** Attempts per call, including the first (throttling and network errors are retried). */
  maxAttempts?: number;
  /**
   * The SDK's retry mode (default adaptive). Restores use standard: adaptive rate-limits the whole
   * client after a SlowDown and recovers slowly (one request every 1–2 s after a short storm in
   * main/restore/s3/bad-input.test.ts), while the restore's own pool adapts its window per key.
   */
  retryMode?: 'standard' | 'adaptive';
  /** Where tools such as restic run for sources on this backend (this machine). */
  runner?: () => Runner;
  /** Largest object read() accepts: a manifest is small, a stray 10 GB object is not. */
  maxReadBytes?: number;
  /** Keys per listing page (S3's maximum is 1000; tests use small pages to cover pagination). */
  pageSize?: number;
};

const DEFAULT_MAX_READ = 64 * 1024 * 1024;

/** Build the S3 client for a backend: path style and WHEN_REQUIRED checksums on custom endpoints. */
export function createS3Client(config: S3BackendConfig, options: S3BackendOptions = {}): S3Client {
  const custom = config.endpoint !== null;
  const region =
    config.region ??
    process.env.AWS_REGION ??
    process.env.AWS_DEFAULT_REGION ??
    (custom ? 'us-east-1' : undefined);
  const settings: S3ClientConfig = {
    credentials:
      options.credentials ??
      fromNodeProviderChain(config.profile ? { profile: config.profile } : {}),
    // Adaptive retries back off and rate-limit the client when S3 says SlowDown.
    retryMode: options.retryMode ?? 'adaptive',
    maxAttempts: options.maxAttempts ?? 4,
    requestHandler: { connectionTimeout: 5_000, requestTimeout: 60_000 },
  };
  if (region) settings.region = region;
  if (config.profile) settings.profile = config.profile;
  if (custom) {
    settings.endpoint = config.endpoint as string;
    settings.forcePathStyle = config.forcePathStyle ?? true;
    // Default request checksums break several S3-compatible servers (MinIO, Ceph, moto).
    settings.requestChecksumCalculation = 'WHEN_REQUIRED';
    settings.responseChecksumValidation = 'WHEN_REQUIRED';
  } else {
    if (config.forcePathStyle !== null) settings.forcePathStyle = config.forcePathStyle;
    settings.followRegionRedirects = true;
  }
  return new S3Client(settings);
}

/** Split "bucket/key" into its parts; a path without a bucket is a sentence, not a crash. */
export function splitS3Path(path: string, backend: string): { bucket: string; key: string } {
  const trimmed = path.replace(/^\/+/, '');
  const slash = trimmed.indexOf('/');
  const bucket = slash < 0 ? trimmed : trimmed.slice(0, slash);
  const key = slash < 0 ? '' : trimmed.slice(slash + 1);
  if (!bucket) {
    throw new UserError(
      'S3_NO_BUCKET',
      `The path "${clip(path)}" on backend ${clip(backend, 60)} does not name a bucket.`,
      'Write S3 paths as bucket/prefix, or set bucket: on the source.',
    );
  }
  return { bucket, key };
}

/** An S3-compatible backend. Every call's error becomes a sentence naming backend, bucket and action. */
export class S3Backend implements Backend {
  readonly type = 's3' as const;
  readonly name: string;
  readonly client: S3Client;
  readonly config: S3BackendConfig;
  private readonly options: S3BackendOptions;

  constructor(config: S3BackendConfig, options: S3BackendOptions = {}) {
    this.name = config.name;
    this.config = config;
    this.options = options;
    this.client = createS3Client(config, options);
  }

  /** Where this backend's calls go, for sentences. */
  place(action: string, bucket?: string, key?: string): S3Place {
    const place: S3Place = {
      backend: this.name,
      endpoint: this.config.endpoint ?? 'AWS S3',
      region: this.config.region,
      profile: this.config.profile,
      action,
    };
    if (bucket !== undefined) place.bucket = bucket;
    if (key !== undefined) place.key = key;
    return place;
  }

  /** Run one SDK call; a failure is rethrown as a UserError sentence. */
  async call<T>(
    action: string,
    bucket: string | undefined,
    run: () => Promise<T>,
    key?: string,
  ): Promise<T> {
    try {
      return await run();
    } catch (error) {
      throw describeS3Error(error, this.place(action, bucket, key));
    }
  }

  async *list(prefix: string, options: { signal?: AbortSignal } = {}): AsyncIterable<ListedFile> {
    const { bucket, key } = splitS3Path(prefix, this.name);
    let token: string | undefined;
    do {
      const page = await this.call('s3:ListBucket', bucket, () =>
        withOwnAbort(options.signal, (abort) =>
          this.client.send(
            new ListObjectsV2Command({
              Bucket: bucket,
              Prefix: key,
              MaxKeys: this.options.pageSize ?? 1000,
              ...(token ? { ContinuationToken: token } : {}),
            }),
            abort,
          ),
        ),
      );
      for (const object of page.Contents ?? []) {
        if (object.Key === undefined) continue;
        yield {
          path: `${bucket}/${object.Key}`,
          sizeBytes: object.Size ?? 0,
          modified: object.LastModified ?? new Date(0),
        };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  async read(path: string, options: { signal?: AbortSignal } = {}): Promise<Buffer> {
    const { bucket, key } = splitS3Path(path, this.name);
    const max = this.options.maxReadBytes ?? DEFAULT_MAX_READ;
    return this.call(
      's3:GetObject',
      bucket,
      async () => {
        const result = await this.client.send(
          new GetObjectCommand({ Bucket: bucket, Key: key }),
          options.signal ? { abortSignal: options.signal } : {},
        );
        if ((result.ContentLength ?? 0) > max) {
          result.Body?.transformToWebStream()
            .cancel()
            .catch(() => undefined);
          throw new UserError(
            'S3_TOO_LARGE',
            `Object ${clip(key)} in bucket ${clip(bucket, 63)} is ${result.ContentLength} bytes, more than Dapple reads into memory (${max}).`,
            'Point the source at the small manifest or index file, not at backup data.',
          );
        }
        return Buffer.from((await result.Body?.transformToByteArray()) ?? new Uint8Array());
      },
      key,
    );
  }

  runner(): Runner {
    if (this.options.runner) return this.options.runner();
    throw new UserError(
      'NO_RUNNER',
      `Backend ${clip(this.name, 60)} has no place to run backup tools.`,
      'This is a Dapple bug: report it with your dapple.yaml.',
    );
  }

  async close(): Promise<void> {
    this.client.destroy();
  }
}
