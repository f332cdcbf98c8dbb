// Reading back a log to continue it: the chain must hold together and the log must be unsealed.
import { UserError } from '../ground/errors';
import { parseCanonical } from './canonical-json';
import { readLog } from './log-file';
import { decodeLine, GENESIS_PREV, sha256Hex, type Payload, type StoredRecord } from './records';

/** A log's records in order, and the torn bytes after them. */
export type Chain = { records: StoredRecord[]; torn: number; tornOffset: number };

/**
 * Read a log for resuming. Signatures are left to verify (the writer may not hold the trust
 * file); here the chain, seq and log id must hold, and the log must not be sealed.
 */
export async function readChain(file: string): Promise<Chain> {
  const log = await readLog(file).catch((error: NodeJS.ErrnoException) => {
    throw new UserError(
      'AUDIT_READ',
      `Cannot read the audit log ${file} (${error.code ?? error.message}).`,
      'Check the path.',
    );
  });
  const broken = (line: number, why: string): UserError =>
    new UserError(
      'AUDIT_BROKEN',
      `The audit log ${file} cannot be resumed: line ${line} ${why}.`,
      `Run dapple audit verify ${file} to see what happened; start a new session.`,
    );
  if (log.badUtf8Line !== null) throw broken(log.badUtf8Line, 'is not UTF-8');
  const records: StoredRecord[] = [];
  let prev = GENESIS_PREV;
  for (const [i, line] of log.lines.entries()) {
    const d = decodeLine(line);
    if (!d.ok) throw broken(i + 1, `is damaged (${d.reason})`);
    const canon = parseCanonical(d.payloadText);
    if (!canon.ok) throw broken(i + 1, `is damaged (${canon.reason})`);
    const payload = canon.value as unknown as Payload;
    const first = records[0]?.payload.log ?? payload.log;
    if (payload.seq !== i || payload.prev !== prev || payload.log !== first)
      throw broken(i + 1, 'does not continue the chain');
    prev = sha256Hex(d.bytes);
    records.push({ payload, bytes: d.bytes, hash: prev, sig: d.sig, key: d.key, line });
  }
  if (records.length === 0) throw broken(1, 'is missing: the log has no complete record');
  if (records[records.length - 1]?.payload.type === 'seal') {
    throw new UserError(
      'AUDIT_SEALED',
      `The audit log ${file} is sealed: its session is over.`,
      'Start a new session to record more.',
    );
  }
  return { records, torn: log.torn.length, tornOffset: log.tornOffset };
}
