// Shared by the S3 restore tests: a backend on a moto endpoint and operations built by hand.
import type { S3Operation } from '../../../preload/schemas/runbook';
import { S3Backend } from '../../catalog/backends/s3';
import type { RecordData } from '../../audit/record-data';
import { MOTO_CREDENTIALS } from '../../../test-support/moto';
import type { ObjectState } from '../../../test-support/s3-history';
import { planOperation, runOperation, type OperationContext } from './operation';

/** The real s3 backend pointed at a test endpoint. */
export function testBackend(
  endpoint: string,
  credentials: { accessKeyId: string; secretAccessKey: string } = MOTO_CREDENTIALS,
  maxAttempts = 2,
): S3Backend {
  return new S3Backend(
    {
      name: 'moto',
      type: 's3',
      endpoint,
      region: 'us-east-1',
      profile: null,
      forcePathStyle: true,
      tags: [],
    },
    { credentials, maxAttempts, retryMode: 'standard' },
  );
}

/** An operation on one endpoint (the backend is always "moto"). */
export function operation(
  action: S3Operation['action'],
  bucket: string,
  prefix: string,
  at: Date | string,
  to: S3Operation['to'] = null,
  tuning: Partial<Pick<S3Operation, 'concurrency' | 'multipartThresholdBytes'>> = {},
): S3Operation {
  return {
    action,
    source: { kind: 'bucket', backend: 'moto', endpoint: 'moto', bucket, prefix, target: null },
    at: typeof at === 'string' ? at : at.toISOString(),
    to,
    concurrency: tuning.concurrency ?? 8,
    multipartThresholdBytes: tuning.multipartThresholdBytes ?? 5 * 1024 ** 3,
    problem: null,
  };
}

/** A bucket place on the test endpoint. */
export const bucketPlace = (bucket: string, prefix: string): NonNullable<S3Operation['to']> => ({
  kind: 'bucket',
  backend: 'moto',
  endpoint: 'moto',
  bucket,
  prefix,
  target: null,
});

type Batch = RecordData<'s3.batch'>;

/** Plan and run an operation as a step would, keeping every recorded page. */
export async function runToEnd(
  ctx: OperationContext,
  options: {
    page?: { keys: number; ms: number };
    onPage?: (batch: Omit<Batch, 'cmd' | 'step'>) => void;
    maxRetries?: number;
  } = {},
) {
  const planned = await planOperation(ctx, true);
  const pages: Omit<Batch, 'cmd' | 'step'>[] = [];
  const outcome = await runOperation(planned, ctx, {
    record: async (items, failed) => {
      pages.push({ items, failed });
      options.onPage?.({ items, failed });
    },
    ...(options.page ? { page: options.page } : {}),
    ...(options.maxRetries !== undefined ? { maxRetries: options.maxRetries } : {}),
    baseDelayMs: 20,
  });
  return {
    radius: planned.radius,
    outcome,
    items: pages.flatMap((p) => p.items),
    failed: pages.flatMap((p) => p.failed),
    pages,
  };
}

/** Differences between two states, in words (empty when equal): bytes, Content-Type, metadata. */
export function stateDifferences(
  got: Map<string, ObjectState>,
  want: Map<string, ObjectState>,
  rename = (k: string) => k,
): string[] {
  const out: string[] = [];
  for (const [key, w] of want) {
    const g = got.get(rename(key));
    if (!g) out.push(`${key}: missing`);
    else if (!g.body.equals(w.body)) out.push(`${key}: bytes differ`);
    else if (g.contentType !== w.contentType)
      out.push(`${key}: Content-Type ${g.contentType} instead of ${w.contentType}`);
    else if (
      JSON.stringify(Object.entries(g.metadata).sort()) !==
      JSON.stringify(Object.entries(w.metadata).sort())
    )
      out.push(
        `${key}: metadata ${JSON.stringify(g.metadata)} instead of ${JSON.stringify(w.metadata)}`,
      );
  }
  const wanted = new Set([...want.keys()].map(rename));
  for (const key of got.keys()) if (!wanted.has(key)) out.push(`${key}: should not be listed`);
  return out;
}
