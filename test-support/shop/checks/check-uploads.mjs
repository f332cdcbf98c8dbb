#!/usr/bin/env node
// Verify step: a bucket prefix lists exactly the upload objects recorded at t2 — each object's
// sha256 equal, none missing, none extra. Credentials come from the environment as usual.
//   check-uploads.mjs --endpoint URL --bucket B --prefix orders/ --expect expected/t2.json
//   check-uploads.mjs --endpoint URL --bucket B --prefix orders/ --print
import { createHash } from 'node:crypto';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { differences, fail, parseArgs, readFacts, verdict } from './args.mjs';

const { flags } = parseArgs(process.argv.slice(2), [
  'endpoint',
  'bucket',
  'prefix',
  'expect',
  'region',
]);
const bucket = flags.get('bucket');
if (!bucket) fail('check-uploads: give --bucket (a name, or bucket/prefix)');
// A bucket target's path may carry its prefix: "uploads-sandbox/orders/".
const slash = bucket.indexOf('/');
const name = slash < 0 ? bucket : bucket.slice(0, slash);
const prefix = flags.get('prefix') ?? (slash < 0 ? '' : bucket.slice(slash + 1));
const endpoint = flags.get('endpoint');
const s3 = new S3Client({
  region: flags.get('region') ?? process.env.AWS_REGION ?? 'us-east-1',
  ...(endpoint ? { endpoint, forcePathStyle: true } : {}),
  requestChecksumCalculation: 'WHEN_REQUIRED',
  responseChecksumValidation: 'WHEN_REQUIRED',
});

// Keys relative to the prefix: the same objects compare equal in a sandbox bucket.
const actual = {};
try {
  let token;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: name, Prefix: prefix, ContinuationToken: token }),
    );
    for (const object of page.Contents ?? []) {
      const got = await s3.send(new GetObjectCommand({ Bucket: name, Key: object.Key }));
      const bytes = await got.Body.transformToByteArray();
      actual[object.Key.slice(prefix.length)] = createHash('sha256').update(bytes).digest('hex');
    }
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
} catch (error) {
  console.error(
    `Could not read s3://${name}/${prefix} at ${endpoint ?? 'AWS'}: ${error.name}: ${error.message}`,
  );
  process.exit(1);
}
if (flags.get('print')) {
  console.log(JSON.stringify(actual));
  process.exit(0);
}
const expectFile = flags.get('expect');
if (!expectFile) fail('check-uploads: give --expect FILE (the recorded facts) or --print');
const { t2: at, uploads: expected } = readFacts(expectFile, 'uploads');
verdict(
  `s3://${name}/${prefix} equals the uploads at ${at}: ${Object.keys(actual).length} objects, every sha256 equal.`,
  differences(expected.objects, actual, 'object'),
  `s3://${name}/${prefix} is not as at ${at}`,
);
