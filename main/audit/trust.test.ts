// keys/trusted.json as `dapple audit verify` reads it: an entry must be the key it claims to be,
// and a key signs only inside its validity window, on both sides.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../cli/run';
import { linesOf, payloadOf, person, tempDir, trustOf, writeTestLog } from './test-helpers';
import { loadTrust, type TrustedKeyEntry } from './trust';
import { verifyLog } from './verify';

const alice = person('Alice Operator');
const bob = person('Bob Approver');
let dir = '';
let log = '';
let times: string[] = [];

async function verifyCli(
  trust: unknown,
): Promise<{ code: number; stdout: string; stderr: string }> {
  const file = path.join(dir, `trusted-${Math.random().toString(36).slice(2)}.json`);
  await fs.writeFile(file, typeof trust === 'string' ? trust : JSON.stringify(trust));
  let stdout = '';
  let stderr = '';
  const code = await runCli(['audit', 'verify', log, '--trusted', file], {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env: {},
    cwd: dir,
  });
  return { code, stdout, stderr };
}

beforeAll(async () => {
  dir = tempDir();
  log = path.join(dir, 'drill.jsonl');
  await writeTestLog(log, alice, bob);
  times = (await linesOf(log)).map((l) => payloadOf(l).ts);
});

describe('a trust file entry', () => {
  it('as exported verifies the log', async () => {
    const result = await verifyCli({ v: 1, keys: [alice.entry, bob.entry] });
    expect(result).toMatchObject({ code: 0, stderr: '' });
    expect(result.stdout).toMatch(/^VALID /);
  });

  it('whose public key is not the key its id names is refused, naming the entry', async () => {
    const swapped: TrustedKeyEntry = { ...alice.entry, publicKey: bob.entry.publicKey };
    const result = await verifyCli({ v: 1, keys: [swapped, bob.entry] });
    expect(result.code).not.toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('has a public key that does not match its key id.');
    expect(result.stderr).toContain('the key "Alice Operator"');
  });

  it('whose public key is not 32 bytes is refused even when the id is its hash', async () => {
    const short = Buffer.from(alice.entry.publicKey, 'base64').subarray(0, 31);
    const { createHash } = await import('node:crypto');
    const entry = {
      ...alice.entry,
      publicKey: short.toString('base64'),
      keyId: createHash('sha256').update(short).digest('hex'),
    };
    await expect(loadTrust(await writeTrust({ v: 1, keys: [entry] }))).rejects.toThrow(
      /the key "Alice Operator" has a public key that does not match its key id/,
    );
  });

  it('that is not well formed is refused with where, what, and how to fix it', async () => {
    const hint =
      'It needs { "v": 1, "keys": [ { name, keyId, publicKey, validFrom, validUntil } ] }; dapple audit export-key prints an entry.';
    const bad = await writeTrust({
      v: 1,
      keys: [{ ...alice.entry, keyId: `${alice.entry.keyId}0` }],
    });
    await expect(loadTrust(bad)).rejects.toMatchObject({
      code: 'TRUST_FILE',
      message: expect.stringMatching(
        new RegExp(
          `^the trust file ${bad} is not a valid trust file \\(keys\\.0\\.keyId: (?!unknown).+\\)\\.$`,
        ),
      ),
      hint,
    });
    const prefixed = await writeTrust({
      v: 1,
      keys: [{ ...alice.entry, keyId: `0${alice.entry.keyId}` }],
    });
    await expect(loadTrust(prefixed)).rejects.toThrow(/\(keys\.0\.keyId: /);
    await expect(loadTrust(await writeTrust([]))).rejects.toMatchObject({
      message: expect.stringMatching(/is not a valid trust file \(top level: .+\)\.$/),
      hint,
    });
    const notJson = await writeTrust('{"keys": [');
    await expect(loadTrust(notJson)).rejects.toMatchObject({
      code: 'TRUST_FILE',
      message: `The trust file ${notJson} is not JSON.`,
      hint: 'Fix the file, or take it again from the workspace repository.',
    });
    const absent = path.join(dir, 'absent.json');
    await expect(loadTrust(absent)).rejects.toMatchObject({
      code: 'TRUST_FILE',
      message: `Cannot read the trust file ${absent} (ENOENT).`,
      hint: 'Pass the workspace keys/trusted.json with --trusted.',
    });
  });

  it('whose key does not match is refused with what to do', async () => {
    const swapped = await writeTrust({
      v: 1,
      keys: [{ ...alice.entry, publicKey: bob.entry.publicKey }],
    });
    await expect(loadTrust(swapped)).rejects.toMatchObject({
      code: 'TRUST_FILE',
      message: `In the trust file ${swapped}, the key "Alice Operator" has a public key that does not match its key id.`,
      hint: 'Copy the entry again from dapple audit export-key.',
    });
  });

  it('may write its window with a UTC offset', async () => {
    // Bob's approval is at 10:00:10Z; valid from 11:00:10+01:00 is the same instant.
    const at = new Date(Date.parse(times[9] as string));
    const local = `${at.toISOString().slice(0, 11)}${String(at.getUTCHours() + 1).padStart(2, '0')}${at.toISOString().slice(13, 19)}+01:00`;
    const trust = await writeTrust({
      v: 1,
      keys: [
        alice.entry,
        { ...bob.entry, validFrom: local, validUntil: '2030-01-01T00:00:00+01:00' },
      ],
    });
    expect((await verifyLog(log, { trusted: await loadTrust(trust) })).verdict).toBe('VALID');
  });
});

async function writeTrust(content: unknown): Promise<string> {
  const file = path.join(dir, `t-${Math.random().toString(36).slice(2)}.json`);
  await fs.writeFile(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
}

describe('a key’s validity window', () => {
  // Bob signs only the approval (record 9); Alice signs the rest.
  const approvalAt = () => times[9] as string;
  const bobFrom = (validFrom: string, validUntil: string | null = null) =>
    trustOf(alice, { ...bob, entry: { ...bob.entry, validFrom, validUntil } });

  it('refuses a record signed before the key’s validFrom', async () => {
    const after = new Date(Date.parse(approvalAt()) + 1).toISOString();
    const report = await verifyLog(log, { trusted: bobFrom(after) });
    expect(report).toMatchObject({
      verdict: 'INVALID',
      records: 9,
      firstError: { line: 10, seq: 9 },
    });
    expect(report.firstError?.reason).toBe(
      `signed at ${approvalAt()} by "Bob Approver", outside that key's validity window (${after} to open)`,
    );
  });

  it('accepts a record signed at the very instant the key becomes valid', async () => {
    expect((await verifyLog(log, { trusted: bobFrom(approvalAt()) })).verdict).toBe('VALID');
  });

  it('refuses a record signed at the very instant the key stops being valid', async () => {
    const report = await verifyLog(log, { trusted: bobFrom('2020-01-01T00:00:00Z', approvalAt()) });
    expect(report).toMatchObject({ verdict: 'INVALID', records: 9 });
    expect(report.firstError?.reason).toMatch(
      /outside that key's validity window \(2020-01-01T00:00:00Z to /,
    );
  });

  it('accepts a record signed just before the key stops being valid', async () => {
    const until = new Date(Date.parse(approvalAt()) + 1).toISOString();
    const report = await verifyLog(log, { trusted: bobFrom('2020-01-01T00:00:00Z', until) });
    expect(report.verdict).toBe('VALID');
  });
});
