// A real S3-compatible server for tests: moto_server on 127.0.0.1 and an ephemeral port.
import { spawn, type ChildProcess } from 'node:child_process';
import { S3Client } from '@aws-sdk/client-s3';
import { onExitCleanup } from './cleanup';
import { freePort } from './ports';
import { findProgram } from './programs';

/** The sentence a test prints when moto is missing. */
export const MOTO_MISSING = 'moto_server is not installed: pip install "moto[server]"';

/** A running moto_server: its endpoint, helpers that talk to it, and stop(). */
export type Moto = {
  endpoint: string;
  port: number;
  /** An S3 client for this server with test credentials (or the ones given). */
  client: (credentials?: { accessKeyId: string; secretAccessKey: string }) => S3Client;
  /** Create an IAM user with an access key and no permissions (call before enableAuth). */
  createUser: (name: string) => Promise<{ accessKeyId: string; secretAccessKey: string }>;
  /** From now on, check access keys and IAM permissions (moto skips both by default). */
  enableAuth: () => Promise<void>;
  /** Forget every bucket, object and user, and stop checking credentials. */
  reset: () => Promise<void>;
  stop: () => Promise<void>;
};

const READY_TIMEOUT_MS = 20_000;
const POLL_MS = 50;

/** Credentials every test client uses when moto does not check them. */
export const MOTO_CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };

/** An S3 client for a moto endpoint, configured as a custom S3-compatible endpoint must be. */
export function motoClient(endpoint: string, credentials = MOTO_CREDENTIALS): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials,
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 1,
  });
}

/** Poll the endpoint until it answers, the process exits, or the deadline passes. */
async function waitUntilAnswering(
  endpoint: string,
  child: ChildProcess,
  output: () => string,
): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let exited = false;
  child.once('exit', () => (exited = true));
  while (Date.now() < deadline) {
    if (exited) throw new Error(`moto_server exited before answering: ${output().slice(-400)}`);
    try {
      const response = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1000) });
      await response.arrayBuffer();
      return;
    } catch {
      // not listening yet: poll again shortly
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  }
  throw new Error(
    `moto_server did not answer on ${endpoint} within ${READY_TIMEOUT_MS} ms: ${output().slice(-400)}`,
  );
}

/** Start moto_server; resolves once it answers HTTP. Throws MOTO_MISSING when it is not installed. */
export async function startMoto(): Promise<Moto> {
  const program = findProgram('moto_server');
  if (!program) throw new Error(MOTO_MISSING);
  let lastError: unknown = null;
  // Another process may grab the free port between probing and binding: retry with a new one.
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const endpoint = `http://127.0.0.1:${port}`;
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.INITIAL_NO_AUTH_ACTION_COUNT;
    const child = spawn(program, ['-H', '127.0.0.1', '-p', String(port)], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    const keep = (chunk: Buffer): void => {
      log = (log + chunk.toString('utf8')).slice(-4000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const unregister = onExitCleanup(`moto ${port}`, () => child.kill('SIGKILL'));
    try {
      await waitUntilAnswering(endpoint, child, () => log);
    } catch (error) {
      lastError = error;
      child.kill('SIGKILL');
      unregister();
      continue;
    }
    return makeHandle(endpoint, port, child, unregister);
  }
  throw lastError instanceof Error ? lastError : new Error(String(lastError));
}

function makeHandle(
  endpoint: string,
  port: number,
  child: ChildProcess,
  unregister: () => void,
): Moto {
  const clients: S3Client[] = [];
  return {
    endpoint,
    port,
    client: (credentials) => {
      const client = motoClient(endpoint, credentials);
      clients.push(client);
      return client;
    },
    createUser: async (name) => {
      // Moto reads the service from the credential scope; the signature is not checked until enableAuth.
      await iam(endpoint, { Action: 'CreateUser', UserName: name });
      const text = await iam(endpoint, { Action: 'CreateAccessKey', UserName: name });
      const accessKeyId = /<AccessKeyId>([^<]+)</.exec(text)?.[1];
      const secretAccessKey = /<SecretAccessKey>([^<]+)</.exec(text)?.[1];
      if (!accessKeyId || !secretAccessKey)
        throw new Error(`moto did not return an access key: ${text.slice(0, 300)}`);
      return { accessKeyId, secretAccessKey };
    },
    enableAuth: async () => {
      const response = await fetch(`${endpoint}/moto-api/reset-auth`, {
        method: 'POST',
        body: '0',
      });
      if (!response.ok) throw new Error(`moto reset-auth failed with HTTP ${response.status}`);
    },
    reset: async () => {
      const auth = await fetch(`${endpoint}/moto-api/reset-auth`, { method: 'POST', body: 'inf' });
      const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (!auth.ok || !response.ok)
        throw new Error(`moto reset failed with HTTP ${response.status}`);
    },
    stop: async () => {
      for (const client of clients) client.destroy();
      unregister();
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function iam(endpoint: string, params: Record<string, string>): Promise<string> {
  const response = await fetch(`${endpoint}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      authorization:
        'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20260101/us-east-1/iam/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: new URLSearchParams({ ...params, Version: '2010-05-08' }),
  });
  const text = await response.text();
  if (!response.ok)
    throw new Error(
      `moto IAM ${params.Action ?? ''} failed with HTTP ${response.status}: ${text.slice(0, 300)}`,
    );
  return text;
}
