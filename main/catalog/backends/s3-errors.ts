// Turns what the AWS SDK throws into sentences: what failed, where, and what to do next.
import { UserError } from '../../ground/errors';

/** Where an S3 call went, for the sentence. */
export type S3Place = {
  backend: string;
  /** "AWS" or the custom endpoint URL. */
  endpoint: string;
  region: string | null;
  profile: string | null;
  bucket?: string;
  key?: string;
  /** The IAM action the call needs, e.g. "s3:ListBucketVersions". */
  action: string;
};

type SdkError = {
  name?: string;
  Code?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $response?: { headers?: Record<string, string | undefined> };
  $fault?: string;
};

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ECONNRESET',
]);
const EXPIRED = new Set([
  'ExpiredToken',
  'ExpiredTokenException',
  'RequestExpired',
  'TokenRefreshRequired',
]);
const BAD_KEYS = new Set([
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'InvalidToken',
  'UnrecognizedClientException',
]);
const REGION = new Set([
  'PermanentRedirect',
  'AuthorizationHeaderMalformed',
  'IllegalLocationConstraintException',
  '301',
]);

/** Shorten any text (bucket names, keys, server messages) before it goes into a sentence. */
export const clip = (text: string, max = 120): string =>
  text.length > max ? `${text.slice(0, max - 1)}…` : text;

const errorCode = (e: SdkError): string => e.Code ?? e.name ?? e.code ?? 'Error';

/** The network error code hidden in an SDK error (the SDK wraps Node's socket errors). */
function networkCode(error: unknown): string | null {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
    const errors = (current as { errors?: unknown }).errors;
    if (Array.isArray(errors) && errors.length > 0) current = errors[0];
    else current = (current as { cause?: unknown }).cause;
  }
  const name = (error as SdkError | null)?.name;
  return name === 'TimeoutError' || name === 'RequestTimeout' ? 'ETIMEDOUT' : null;
}

/** Who the credentials belong to, in words. */
function credentialWords(place: S3Place): string {
  return place.profile
    ? `the AWS profile "${clip(place.profile, 60)}"`
    : 'the credentials found in the environment or AWS config';
}

function whereWords(place: S3Place): string {
  const target = place.bucket
    ? `bucket ${clip(place.bucket, 63)}${place.key !== undefined ? ` (object ${clip(place.key)})` : ''}`
    : 'S3';
  return `${target} on backend ${clip(place.backend, 60)}`;
}

/** The region S3 says the bucket lives in, when it says so. */
function expectedRegion(e: SdkError): string | null {
  const header = e.$response?.headers?.['x-amz-bucket-region'];
  if (header) return header;
  const match = /expecting '([a-z0-9-]+)'/.exec(e.message ?? '');
  return match?.[1] ?? null;
}

/** Describe an SDK error as a UserError sentence; an error that already is one passes through. */
export function describeS3Error(error: unknown, place: S3Place): UserError {
  if (error instanceof UserError) return error;
  const e = (error ?? {}) as SdkError;
  const code = errorCode(e);
  const where = whereWords(place);
  const status = e.$metadata?.httpStatusCode;
  if (code === 'AbortError' || (error instanceof Error && error.name === 'AbortError')) {
    return new UserError(
      'CANCELLED',
      `Reading ${where} was cancelled.`,
      'Refresh the catalog to read it again.',
    );
  }
  const net = networkCode(error);
  if (net) {
    return new UserError(
      'S3_UNREACHABLE',
      `Dapple could not reach the S3 endpoint ${clip(place.endpoint)} for ${where} (${net}).`,
      'Check that the endpoint is right and running, and that this machine has a network path to it (VPN, proxy, firewall).',
    );
  }
  if (code === 'CredentialsProviderError' || /Could not load credentials/i.test(e.message ?? '')) {
    const sso = /sso/i.test(e.message ?? '');
    return new UserError(
      sso ? 'S3_CREDENTIALS_EXPIRED' : 'S3_NO_CREDENTIALS',
      sso
        ? `The AWS SSO session for ${credentialWords(place)} has expired, so ${where} cannot be read.`
        : `No AWS credentials were found for ${where}: ${clip(e.message ?? 'no provider answered', 200)}.`,
      sso
        ? `Run "aws sso login${place.profile ? ` --profile ${clip(place.profile, 60)}` : ''}" and refresh.`
        : 'Set a profile on the backend in dapple.yaml, or export AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY.',
    );
  }
  if (EXPIRED.has(code)) {
    return new UserError(
      'S3_CREDENTIALS_EXPIRED',
      `The AWS credentials from ${credentialWords(place)} have expired, so ${where} cannot be read.`,
      'Renew them (aws sso login, or a fresh session token) and refresh.',
    );
  }
  if (BAD_KEYS.has(code)) {
    return new UserError(
      'S3_BAD_CREDENTIALS',
      `S3 at ${clip(place.endpoint)} did not accept ${credentialWords(place)} for ${where} (${code}).`,
      'Check the access key and secret: the key may be deleted, mistyped or meant for another endpoint.',
    );
  }
  if (code === 'NoSuchBucket') {
    return new UserError(
      'S3_NO_SUCH_BUCKET',
      `Bucket ${clip(place.bucket ?? '?', 63)} does not exist at ${clip(place.endpoint)} (backend ${clip(place.backend, 60)}).`,
      'Check the bucket name in dapple.yaml, and that the backend points at the right endpoint and account.',
    );
  }
  if (REGION.has(code) || status === 301) {
    const expected = expectedRegion(e);
    return new UserError(
      'S3_WRONG_REGION',
      `${where[0]?.toUpperCase()}${where.slice(1)} is ${expected ? `in region ${expected}` : 'in another region'}, but the backend uses ${place.region ?? 'the default region'}.`,
      expected
        ? `Set region: ${expected} on backend ${clip(place.backend, 60)} in dapple.yaml.`
        : 'Set the bucket’s region on the backend in dapple.yaml.',
    );
  }
  if (
    code === 'AccessDenied' ||
    code === 'Forbidden' ||
    code === 'AllAccessDisabled' ||
    status === 403
  ) {
    return new UserError(
      'S3_ACCESS_DENIED',
      `S3 denied ${place.action} on ${where} to ${credentialWords(place)}.`,
      `Grant ${place.action} on this bucket to that identity, or use a profile that has it.`,
    );
  }
  if (code === 'NoSuchKey' || code === 'NotFound' || status === 404) {
    return new UserError(
      'S3_NOT_FOUND',
      `Nothing was found at ${where}.`,
      'Check the path in dapple.yaml; the object may have been deleted or moved.',
    );
  }
  if (
    code === 'SlowDown' ||
    code === 'Throttling' ||
    code === 'ThrottlingException' ||
    status === 503
  ) {
    return new UserError(
      'S3_THROTTLED',
      `S3 kept asking Dapple to slow down while reading ${where}, even after several retries.`,
      'Wait a minute and refresh; other jobs may be hammering the bucket.',
    );
  }
  if (/Region is missing/i.test(e.message ?? '')) {
    return new UserError(
      'S3_NO_REGION',
      `No AWS region is set for backend ${clip(place.backend, 60)}.`,
      'Add region: to the backend in dapple.yaml, or set region in the AWS profile.',
    );
  }
  return new UserError(
    'S3_ERROR',
    `S3 ${place.action} on ${where} failed: ${clip(code, 60)}${e.message && e.message !== code ? ` — ${clip(e.message, 200)}` : ''}${status ? ` (HTTP ${status})` : ''}.`,
    'Refresh to try again; if it repeats, check the endpoint and bucket settings.',
  );
}
