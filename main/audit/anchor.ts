// Anchoring: copies of signed checkpoint lines kept outside the machine (an S3 bucket with
// Object Lock), so that even the operator's key cannot rewrite history unnoticed.
import type { AnchorReceipt, AnchorRef } from './record-data';

/** One anchored line as the anchor store holds it. */
export type AnchoredLine = { objectKey: string; versionId: string; line: string };

/** Where the writer puts checkpoint lines. */
export type AnchorSink = {
  /** What the `open` record says about this anchor, so verify can find it later. */
  ref: AnchorRef;
  /** Store one checkpoint (or seal) line immutably; resolves to its receipt. */
  put: (logId: string, seq: number, line: string) => Promise<AnchorReceipt>;
};

/** Where verify reads anchored lines back. */
export type AnchorSource = {
  /** Every anchored line of a log, every version. */
  list: (logId: string) => Promise<AnchoredLine[]>;
};

/** The object key of an anchored line: sorted by seq under the log's folder. */
export function anchorObjectKey(prefix: string, logId: string, seq: number): string {
  return `${prefix}${logId}/${String(seq).padStart(12, '0')}.json`;
}
