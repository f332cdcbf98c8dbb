// `dapple approve --standing`: an approver signs a standing approval for drills of one runbook
// (as its text is now) on sandbox targets, until a date, for scheduled unattended drills.
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { UserError } from '../../ground/errors';
import { sha256Hex } from '../../audit/records';
import { standingFileName, writeDocument } from '../../approvals/desk';
import { signStanding } from '../../approvals/respond';
import { flagString, type CliIo, type ParsedArgs } from '../command';
import { approverKey, approverPlace } from './approver-desk';

/** Sign and write a standing approval; prints its file and line. */
export async function standingRun(parsed: ParsedArgs, io: CliIo): Promise<number> {
  const place = await approverPlace(parsed, io);
  const runbookArg = flagString(parsed, 'runbook');
  const until = flagString(parsed, 'until');
  const statement = flagString(parsed, 'statement')?.trim();
  if (!runbookArg || !until || !statement) {
    throw new UserError(
      'BAD_ARGS',
      'A standing approval needs --runbook FILE, --until DATE and --statement TEXT.',
      'Run dapple approve --help.',
    );
  }
  const validUntil = new Date(until);
  if (!Number.isFinite(validUntil.getTime())) {
    throw new UserError(
      'BAD_ARGS',
      `--until ${JSON.stringify(until.slice(0, 40))} is not a date.`,
      'Write it as 2027-01-31 or 2027-01-31T00:00:00Z.',
    );
  }
  if (!place.workspace) {
    throw new UserError(
      'BAD_WORKSPACE',
      `${place.dir} is not a workspace (no valid dapple.yaml).`,
      'Give --workspace DIR, your copy of the workspace.',
    );
  }
  const file = path.resolve(io.cwd, runbookArg);
  const relative = path.relative(place.dir, file).split(path.sep).join('/');
  const bytes = await fs.readFile(file).catch((e: NodeJS.ErrnoException) => {
    throw new UserError(
      'NO_RUNBOOK',
      `The runbook ${file} cannot be read (${e.code ?? 'error'}).`,
      'Check the path.',
    );
  });
  const title =
    /^title:\s*(.+)$/m
      .exec(bytes.toString('utf8'))?.[1]
      ?.trim()
      .replace(/^['"]|['"]$/g, '') ?? relative;
  const key = await approverKey(parsed, io);
  const name = place.trust.get(key.keyId)?.name;
  if (!name) {
    throw new UserError(
      'CANNOT_ANSWER',
      `Your key ${key.keyId.slice(0, 16)}… is not in ${place.trustFile}.`,
      'Have it added in review first.',
    );
  }
  const doc = await signStanding(
    {
      workspace: place.workspace.name,
      runbook: { path: relative, title, sha256: sha256Hex(bytes) },
      validUntil,
      statement,
      now: new Date(),
    },
    key,
    name,
  );
  const out = path.resolve(
    io.cwd,
    flagString(parsed, 'out') ?? standingFileName(relative, key.keyId),
  );
  await writeDocument(doc, out);
  io.stdout(
    `Signed a standing approval by ${name}: drills of ${relative} (sha256 ${doc.payload.runbook.sha256.slice(0, 12)}…) on sandbox targets until ${doc.payload.validUntil}.\nFile: ${out}\n\n${doc.line}\n`,
  );
  return 0;
}
