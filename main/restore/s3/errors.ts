// What went wrong with one key, as a sentence that names the key and the version (an error that
// names the wrong object, or none, is how people restore the wrong thing at 2 AM).
import { UserError } from '../../ground/errors';
import type { S3Backend } from '../../catalog/backends/s3';
import { describeS3Error } from '../../catalog/backends/s3-errors';
import { keyWords, versionWords } from './keys';

type SdkError = {
  name?: string;
  Code?: string;
  $metadata?: { httpStatusCode?: number };
  code?: string;
};

const THROTTLE_CODES = new Set([
  'SlowDown',
  'Throttling',
  'ThrottlingException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
  'ServiceUnavailable',
  'RequestTimeout',
  'InternalError',
]);
const NETWORK_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNREFUSED']);

/** True when the request was stopped by our own abort signal. */
export function isAbort(error: unknown): boolean {
  const e = error as SdkError | null;
  return e?.name === 'AbortError' || (error instanceof UserError && error.code === 'CANCELLED');
}

/** True for failures worth another try later: throttling, a 5xx, a dropped connection. */
export function isRetryable(error: unknown): boolean {
  if (isAbort(error) || error instanceof UserError) return false;
  const e = (error ?? {}) as SdkError;
  const code = e.Code ?? e.name ?? '';
  const status = e.$metadata?.httpStatusCode ?? 0;
  return (
    THROTTLE_CODES.has(code) || status === 503 || status === 500 || NETWORK_CODES.has(e.code ?? '')
  );
}

/** The one failure of one key: which key, which version, what S3 said, what to do. */
export function keyFailure(
  error: unknown,
  backend: S3Backend,
  action: string,
  bucket: string,
  key: string,
  version: string | null,
): UserError {
  const about = `${keyWords(key)} (${versionWords(version)})`;
  if (isRetryable(error)) {
    const e = (error ?? {}) as SdkError;
    return new UserError(
      'S3_THROTTLED',
      `${about}: S3 kept answering ${e.Code ?? e.name ?? 'an error'}${e.$metadata?.httpStatusCode ? ` (HTTP ${e.$metadata.httpStatusCode})` : ''} to ${action} on bucket ${bucket}, even after several tries.`,
      'Run the step again later (keys already as at the instant are left alone), or lower its concurrency.',
    );
  }
  const described = describeS3Error(error, backend.place(action, bucket, key));
  return new UserError(described.code, `${about}: ${described.message}`, described.hint);
}
