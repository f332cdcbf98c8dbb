// `dapple audit`: verify a log offline, make an operator key, export it for the trust file.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { UserError } from '../../ground/errors';
import { defaultDataDir } from '../../paths';
import { makeDemoLog } from '../../audit/demo-log';
import { fileKeyStore, getOrCreateOperatorKey } from '../../audit/key-store';
import { publicKeyFromRaw } from '../../audit/keys';
import { s3AnchorSource } from '../../audit/s3-anchor';
import { loadTrust, trustEntry, TrustFile, type TrustedKeyEntry } from '../../audit/trust';
import { verifyLogDetailed } from '../../audit/verify';
import { replaySession } from '../../audit/reducer';
import { trustProvenance, type TrustProvenance } from '../../audit/trust-provenance';
import { flagString, parseArgs, type CliIo, type Command } from '../command';

const help = `Usage: dapple audit <verify|keygen|export-key> [options]     (dapple audit <sub> --help)

  verify FILE [--trusted keys.json] [--anchors] [--json]
      Check every signature, the hash chain, seq, key validity windows, output blobs, the
      seal and (with --anchors) the S3 anchors of an audit log, and print one verdict:
      VALID, UNSEALED, TORN_TAIL, TRUNCATED, FORKED or INVALID. Exit 0 only for VALID.
      --trusted   the trust file (default: keys/trusted.json of the workspace holding FILE)
      --anchors   also compare with the checkpoints anchored in S3 (named in the log; AWS
                  credentials as usual: environment, profile)
      --json      print { verdict, records, sealed, firstError, signers, outcome, trust:
                  { file, sha256, source, git }, fingerprints, warnings }
      The verdict names the trust file it rests on, its SHA-256 and the keys that signed,
      and warns when git shows that file uncommitted or changed after the log began: pin
      a trust file you got from a channel you trust.

  keygen [--key FILE] [--name NAME]
      Make your operator key (Ed25519) if there is none, protected by the passphrase in
      DAPPLE_KEY_PASSPHRASE, in a file only you can read. Prints its key id.
      --key       the key file (default: $DAPPLE_DATA_DIR/keys/operator.key)
      --name      the name you sign as (default: $USER)

  export-key [--key FILE] [--valid-from TIME] [--valid-until TIME] [--into keys/trusted.json]
      Print the trust-file entry of your public key (no passphrase needed), or add it to a
      trust file with --into. Times are ISO 8601 (default: from now, no end).

The format and a recipe to verify a log with openssl alone: docs/audit-format.md.
`;

/** The trust file for a log: the flag, or keys/trusted.json in a folder above the log. */
async function findTrust(file: string, given: string | undefined, io: CliIo): Promise<string> {
  if (given) return path.resolve(io.cwd, given);
  let dir = path.dirname(file);
  for (let i = 0; i < 4; i++) {
    const candidate = path.join(dir, 'keys', 'trusted.json');
    if (await fs.stat(candidate).catch(() => null)) return candidate;
    dir = path.dirname(dir);
  }
  throw new UserError(
    'NO_TRUST',
    `No keys/trusted.json found in the folders above ${file}.`,
    'Pass the workspace trust file with --trusted keys/trusted.json.',
  );
}

/** The lines under the verdict: the outcome, the trust file it rests on, the keys that signed. */
function verdictDetails(
  outcome: string | null,
  trust: TrustProvenance,
  fingerprints: { name: string; keyId: string }[],
): string {
  const lines = [
    outcome === null
      ? 'Outcome: none recorded — the log is not sealed (the session did not end, or its end was cut off).'
      : `Outcome: ${outcome}.`,
    `Trust file: ${trust.file} (${trust.source === 'given' ? 'given with --trusted' : 'found above the log'}), SHA-256 ${trust.sha256}`,
    ...fingerprints.map((f) => `Signed with: ${f.name}, key fingerprint (SHA-256) ${f.keyId}`),
    ...trust.warnings.map((w) => `Warning: ${w}`),
  ];
  return `${lines.join('\n')}\n`;
}

async function verifyCmd(args: string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(args, ['trusted'], ['anchors', 'json']);
  const [given, extra] = parsed.positional;
  if (!given || extra)
    throw new UserError(
      'BAD_ARGS',
      'Name one audit log file to verify.',
      'Run dapple audit verify FILE.',
    );
  const file = path.resolve(io.cwd, given);
  if (!(await fs.stat(file).catch(() => null))?.isFile()) {
    throw new UserError('NO_LOG', `There is no audit log file at ${file}.`, 'Check the path.');
  }
  const trustFile = await findTrust(file, flagString(parsed, 'trusted'), io);
  const trusted = await loadTrust(trustFile);
  const anchors = parsed.flags.has('anchors') ? s3AnchorSource(io.env) : undefined;
  const { report, records } = await verifyLogDetailed(file, { trusted, anchors });
  if (
    anchors &&
    report.verdict === 'VALID' &&
    (records[0]?.payload.data as { anchor?: unknown }).anchor == null
  ) {
    throw new UserError(
      'NO_ANCHOR',
      `The log ${given} names no anchor, so --anchors has nothing to compare.`,
      'Verify without --anchors.',
    );
  }
  const trust = await trustProvenance(
    trustFile,
    flagString(parsed, 'trusted') ? 'given' : 'found',
    records[0]?.payload.ts ?? null,
  );
  const outcome = report.sealed ? replaySession(records).outcome : null;
  const fingerprints = report.signers.map((s) => ({ name: s.name, keyId: s.keyId }));
  if (parsed.flags.has('json')) {
    const { warnings, ...used } = trust;
    io.stdout(`${JSON.stringify({ ...report, outcome, trust: used, fingerprints, warnings })}\n`);
  } else {
    const who = report.signers
      .map(
        (s) =>
          `${s.name} (${s.approvals > 0 ? `${s.approvals} approval${s.approvals > 1 ? 's' : ''}` : `${s.records} records`})`,
      )
      .join(', ');
    const where = report.firstError
      ? `; line ${report.firstError.line ?? '-'}${report.firstError.seq !== null ? ` (seq ${report.firstError.seq})` : ''}: ${report.firstError.reason}`
      : '';
    io.stdout(
      `${report.verdict} ${given}: ${report.records} records${report.sealed ? ', sealed' : ''}${who ? `, signed by ${who}` : ''}${where}\n`,
    );
    io.stdout(verdictDetails(outcome, trust, fingerprints));
  }
  return report.verdict === 'VALID' ? 0 : 1;
}

function keyFile(parsed: ReturnType<typeof parseArgs>, io: CliIo): string {
  const given = flagString(parsed, 'key');
  return given
    ? path.resolve(io.cwd, given)
    : path.join(defaultDataDir(io.env), 'keys', 'operator.key');
}

async function keygenCmd(args: string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(args, ['key', 'name'], []);
  const passphrase = io.env.DAPPLE_KEY_PASSPHRASE;
  if (!passphrase)
    throw new UserError(
      'NO_PASSPHRASE',
      'No passphrase for the key file.',
      'Set DAPPLE_KEY_PASSPHRASE to the passphrase that protects your key.',
    );
  const file = keyFile(parsed, io);
  const key = await getOrCreateOperatorKey(
    fileKeyStore(file, passphrase),
    flagString(parsed, 'name') ?? io.env.USER ?? 'operator',
  );
  io.stdout(
    `${key.created ? 'Made' : 'Found'} the key of ${key.name} in ${file}\nkey id ${key.keyId}\nAdd it to keys/trusted.json with: dapple audit export-key --into keys/trusted.json\n`,
  );
  return 0;
}

function isoOrThrow(text: string | undefined, flag: string): string | undefined {
  if (text === undefined) return undefined;
  if (!Number.isFinite(Date.parse(text)) || !/^\d{4}-\d{2}-\d{2}T/.test(text)) {
    throw new UserError(
      'BAD_ARGS',
      `--${flag} "${text.slice(0, 40)}" is not an ISO 8601 time.`,
      'Write it like 2026-01-01T00:00:00Z.',
    );
  }
  return new Date(text).toISOString();
}

async function exportKeyCmd(args: string[], io: CliIo): Promise<number> {
  const parsed = parseArgs(args, ['key', 'valid-from', 'valid-until', 'into'], []);
  const file = keyFile(parsed, io);
  const stored = await fs.readFile(file, 'utf8').then(
    (t) => JSON.parse(t) as { name?: unknown; publicKey?: unknown },
    () => {
      throw new UserError(
        'NO_KEY',
        `There is no key file at ${file}.`,
        'Make one with dapple audit keygen.',
      );
    },
  );
  if (typeof stored.publicKey !== 'string' || typeof stored.name !== 'string') {
    throw new UserError(
      'KEY_FILE',
      `${file} is not a Dapple key file.`,
      'Check the path, or make a key with dapple audit keygen.',
    );
  }
  const from =
    isoOrThrow(flagString(parsed, 'valid-from'), 'valid-from') ?? new Date().toISOString();
  const until = isoOrThrow(flagString(parsed, 'valid-until'), 'valid-until') ?? null;
  const entry = trustEntry(
    publicKeyFromRaw(Buffer.from(stored.publicKey, 'base64')),
    stored.name,
    from,
    until,
  );
  const into = flagString(parsed, 'into');
  if (!into) {
    io.stdout(`${JSON.stringify(entry, null, 2)}\n`);
    return 0;
  }
  const target = path.resolve(io.cwd, into);
  const text = await fs.readFile(target, 'utf8').catch(() => '{"v":1,"keys":[]}');
  const parsedTrust = TrustFile.safeParse(JSON.parse(text));
  if (!parsedTrust.success)
    throw new UserError(
      'TRUST_FILE',
      `${target} is not a valid trust file.`,
      'Fix it by hand, or move it away and try again.',
    );
  const keys: TrustedKeyEntry[] = [
    ...parsedTrust.data.keys.filter((k) => k.keyId !== entry.keyId),
    entry,
  ];
  await fs.mkdir(path.dirname(target), { recursive: true });
  await fs.writeFile(target, `${JSON.stringify({ v: 1, keys }, null, 2)}\n`);
  io.stdout(`Added ${entry.name} (${entry.keyId.slice(0, 16)}…) to ${target}\n`);
  return 0;
}

async function makeDemoLogCmd(args: string[], io: CliIo): Promise<number> {
  const [dir, extra] = parseArgs(args, [], []).positional;
  if (!dir || extra)
    throw new UserError(
      'BAD_ARGS',
      'Name the demo workspace folder.',
      'Run dapple audit make-demo-log resources/demo.',
    );
  const file = await makeDemoLog(path.resolve(io.cwd, dir));
  io.stdout(`Wrote ${path.relative(io.cwd, file) || file}\n`);
  return 0;
}

const subs: Record<string, (args: string[], io: CliIo) => Promise<number>> = {
  verify: verifyCmd,
  keygen: keygenCmd,
  'export-key': exportKeyCmd,
  // Not listed: regenerates the committed demo log after a format change.
  'make-demo-log': makeDemoLogCmd,
};

/** `dapple audit`: verify logs, make and export operator keys. */
export const auditCommand: Command = {
  name: 'audit',
  summary: 'verify an audit log offline; make and export your signing key',
  help,
  async run(args, io) {
    const [sub, ...rest] = args;
    const run = sub === undefined ? undefined : subs[sub];
    if (!run) {
      io.stderr(
        sub === undefined
          ? help
          : `dapple audit: unknown subcommand "${sub.slice(0, 40)}". Run dapple audit --help.\n`,
      );
      return 2;
    }
    return run(rest, io);
  },
};
