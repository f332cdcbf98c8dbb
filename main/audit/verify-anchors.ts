// Comparing a verified log with its anchored checkpoints: a copy that differs means a
// rewritten history (FORKED); a copy beyond the end means records were cut off (TRUNCATED).
import { verify } from 'node:crypto';
import type { Verdict, VerifyError } from '../../preload/schemas/audit';
import type { AnchorSource } from './anchor';
import { parseCanonical } from './canonical-json';
import type { AnchorReceipt, AnchorRef } from './record-data';
import { decodeLine, type StoredRecord } from './records';
import type { Trust } from './trust';

type Finding = { verdict: Verdict; error: VerifyError };

/** The anchor verdict for verified records, or null when the anchors agree (or there are none). */
export async function checkAnchors(
  records: StoredRecord[],
  anchors: AnchorSource | ((ref: AnchorRef) => AnchorSource),
  trust: Trust,
): Promise<Finding | null> {
  const open = records[0];
  if (!open) return null;
  let source: AnchorSource;
  if (typeof anchors === 'function') {
    const ref = (open.payload.data as { anchor: AnchorRef | null }).anchor;
    if (!ref) return null;
    source = anchors(ref);
  } else source = anchors;
  const logId = open.payload.log;
  const listed = await source.list(logId);
  const findings: (Finding & { at: number })[] = [];
  const forked = (at: number, reason: string): void => {
    findings.push({ at, verdict: 'FORKED', error: { line: at + 1, seq: at, reason } });
  };
  for (const anchored of listed) {
    const d = decodeLine(anchored.line);
    const key = d.ok ? trust.get(d.key) : undefined;
    const canon = d.ok ? parseCanonical(d.payloadText) : null;
    if (!d.ok || !key || !canon?.ok || !verify(null, d.bytes, key.key, d.sig)) {
      forked(
        0,
        `the anchored object ${anchored.objectKey} (version ${anchored.versionId}) is not a record signed by a trusted key`,
      );
      continue;
    }
    const p = canon.value as { seq?: unknown; log?: unknown };
    const seq = typeof p.seq === 'number' ? p.seq : -1;
    if (p.log !== logId || seq < 0) {
      forked(0, `the anchored object ${anchored.objectKey} holds a record of another log`);
    } else if (seq >= records.length) {
      findings.push({
        at: seq,
        verdict: 'TRUNCATED',
        error: {
          line: null,
          seq,
          reason: `an anchor holds record ${seq}, but the log has only ${records.length} records: its tail was cut off`,
        },
      });
    } else if (records[seq]?.line !== anchored.line) {
      forked(
        seq,
        `record ${seq} differs from its anchored copy (${anchored.objectKey}, version ${anchored.versionId})`,
      );
    }
  }
  const versions = new Set(listed.map((a) => a.versionId));
  for (const r of records) {
    if (r.payload.type !== 'checkpoint' && r.payload.type !== 'seal') continue;
    for (const receipt of (r.payload.data as { anchored: AnchorReceipt[] }).anchored) {
      if (!versions.has(receipt.versionId)) {
        forked(
          r.payload.seq,
          `record ${r.payload.seq} names anchor version ${receipt.versionId} of record ${receipt.seq}, which the anchor store does not hold`,
        );
      }
    }
  }
  // FORKED outranks TRUNCATED: a rewritten record is worse news than a missing tail.
  findings.sort((a, b) =>
    a.verdict === b.verdict ? a.at - b.at : a.verdict === 'FORKED' ? -1 : 1,
  );
  const first = findings[0];
  return first ? { verdict: first.verdict, error: first.error } : null;
}
