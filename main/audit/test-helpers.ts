// Shared by the audit tests: real keys, a trust file and real logs written by the real writer.
import { sign } from 'node:crypto';
import { mkdtempSync, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { anchorObjectKey, type AnchoredLine, type AnchorSink, type AnchorSource } from './anchor';
import { generateKeyPair, keySigner, type KeyPair, type Signer } from './keys';
import { encodeLine, type Payload } from './records';
import { buildTrust, trustEntry, type Trust, type TrustedKeyEntry } from './trust';
import { createLog, type AuditWriter, type OpenData, type WriterOptions } from './writer';

/** A fresh temporary folder for one test. */
export function tempDir(prefix = 'dapple-audit-'): string {
  return mkdtempSync(path.join(tmpdir(), prefix));
}

/** A person with a key. */
export type TestSigner = { pair: KeyPair; signer: Signer; entry: TrustedKeyEntry };

/** A key for `name`, trusted from 2020 on unless a window is given. */
export function person(
  name: string,
  validFrom = '2020-01-01T00:00:00Z',
  validUntil: string | null = null,
): TestSigner {
  const pair = generateKeyPair();
  return {
    pair,
    signer: keySigner(pair, name),
    entry: trustEntry(pair.publicKey, name, validFrom, validUntil),
  };
}

/** Trust for these people. */
export function trustOf(...people: TestSigner[]): Trust {
  return buildTrust({ v: 1, keys: people.map((p) => p.entry) }, 'the test trust file');
}

/** Open data for a small drill. */
export const testOpen: OpenData = {
  workspace: 'shop',
  runbook: {
    name: 'Shop restore',
    path: 'runbooks/shop-restore.yaml',
    sha256: 'a'.repeat(64),
    rtoSeconds: 3600,
    steps: [
      { id: 'copy', title: 'Copy files', kind: 'local' },
      { id: 'approve', title: 'Approve', kind: 'approval' },
    ],
  },
  mode: 'drill',
  target: 'sandbox-restore',
  host: 'test-host',
  appVersion: '0.1.0',
};

/** A clock that ticks one second per reading from a fixed start. */
export function tickingClock(start = '2026-01-10T10:00:00.000Z'): () => Date {
  let t = Date.parse(start);
  return () => new Date((t += 1000));
}

/**
 * Write a log with `commands` commands (cmd.start, output, cmd.end each) inside one step,
 * an approval by `approver`, and a seal unless `sealed` is false.
 */
export async function writeTestLog(
  file: string,
  operator: TestSigner,
  approver: TestSigner,
  options: { commands?: number; sealed?: boolean; extra?: Partial<WriterOptions> } = {},
): Promise<AuditWriter> {
  const writer = await createLog(
    { file, signer: operator.signer, clock: tickingClock(), checkpoint: null, ...options.extra },
    testOpen,
  );
  await writer.append('step.start', { step: 'copy', attempt: 1 });
  for (let i = 0; i < (options.commands ?? 2); i++) {
    const cmd = `c${i}`;
    await writer.append('cmd.start', {
      cmd,
      step: 'copy',
      host: 'localhost',
      argv: ['cp', '-a', `src/${i}`, 'dst/'],
    });
    await writer.output(cmd, 'stdout', Buffer.from(`copied file ${i}\n`));
    await writer.append('cmd.end', { cmd, exitCode: 0, signal: null, durationMs: 12 });
  }
  await writer.append('step.end', { step: 'copy', attempt: 1, state: 'done', error: null });
  await writer.append(
    'approval',
    {
      step: 'approve',
      approver: approver.signer.name,
      decision: 'approved',
      statement: 'Restore the shop to the sandbox.',
    },
    approver.signer,
  );
  if (options.sealed !== false) await writer.seal('completed');
  await writer.idle();
  return writer;
}

/** The lines of a log file (without the final newline). */
export async function linesOf(file: string): Promise<string[]> {
  return (await fs.readFile(file, 'utf8')).split('\n').slice(0, -1);
}

/** Write lines back as a log file. */
export async function writeLines(file: string, lines: string[]): Promise<void> {
  await fs.writeFile(file, lines.map((l) => `${l}\n`).join(''));
}

/** A signed line over any payload text: what someone holding a key could write by hand. */
export function signedLine(signer: TestSigner, payloadText: string): string {
  return encodeLine(
    payloadText,
    sign(null, Buffer.from(payloadText, 'utf8'), signer.pair.privateKey),
    signer.pair.keyId,
  );
}

/** The payload of a line, parsed. */
export function payloadOf(line: string): Payload {
  return JSON.parse((JSON.parse(line) as { payload: string }).payload) as Payload;
}

/** An anchor store in memory: the same interfaces as the S3 one, for fast attack tests. */
export function memoryAnchor(): AnchorSink & AnchorSource & { objects: AnchoredLine[] } {
  const objects: AnchoredLine[] = [];
  return {
    objects,
    ref: { kind: 's3', bucket: 'memory', prefix: 'audit/', region: null, endpoint: null },
    put: async (logId, seq, line) => {
      const objectKey = anchorObjectKey('audit/', logId, seq);
      const versionId = `v${objects.length + 1}`;
      objects.push({ objectKey, versionId, line });
      return { seq, objectKey, versionId };
    },
    list: async (logId) => objects.filter((o) => o.objectKey.startsWith(`audit/${logId}/`)),
  };
}
