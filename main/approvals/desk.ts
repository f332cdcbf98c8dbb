// The approver's desk, shared by `dapple approve` and the console's Approve dialog: where a
// response goes, and which requests wait in the drop folder.
import path from 'node:path';
import type { Trust } from '../audit/trust';
import { documentFile, type SignedDocument } from './envelope';
import {
  REQUEST_SUFFIX,
  responseFileName,
  scanDrop,
  STANDING_SUFFIX,
  writeWhole,
} from './drop-folder';
import { checkRequest, type CheckedRequest } from './respond';
import { toAppErrorText } from './sentences';

/** Where a response is written: the drop folder, else beside the request file, else nowhere. */
export function responseFile(
  doc: SignedDocument<'response'>,
  places: { dropFolder: string | null; requestFile: string | null },
): string | null {
  const r = doc.payload;
  const attempt = /-a(\d+)\.approval-request$/.exec(places.requestFile ?? '')?.[1];
  const name = responseFileName(r.session, r.step, Number(attempt ?? 1), r.approver.keyId);
  if (places.dropFolder) return path.join(places.dropFolder, name);
  if (places.requestFile?.endsWith(REQUEST_SUFFIX))
    return path.join(path.dirname(places.requestFile), name);
  return null;
}

/** Write a response (or standing approval) file with a comment saying what it is. */
export async function writeDocument(
  doc: SignedDocument<'response' | 'standing'>,
  file: string,
): Promise<void> {
  const p = doc.payload;
  const comment =
    doc.kind === 'response'
      ? `Dapple approval response: ${p.approver.name} ${(p as { decision: string }).decision} step ${(p as { step: string }).step} of session ${(p as { session: string }).session.slice(0, 8)}. Paste the line below into the operator's session, or leave it in the drop folder.`
      : `Dapple standing approval by ${p.approver.name}: drills of ${(p as { runbook: { path: string } }).runbook.path} on sandbox targets. Use it with dapple drill --unattended --approval FILE.`;
  await writeWhole(file, documentFile(doc, comment));
}

/** The standing approval's default file name. */
export const standingFileName = (runbook: string, keyId: string): string =>
  `${path.basename(runbook).replace(/\.ya?ml$/, '')}-${keyId.slice(0, 8)}${STANDING_SUFFIX}`;

/** One request found in the drop folder: read and checked, or why it cannot be used. */
export type WaitingRequest = {
  file: string;
  request: CheckedRequest | null;
  problem: string | null;
};

/** The requests in the drop folder, newest first, each checked against the approver's trust. */
export async function waitingRequests(
  dropFolder: string,
  trust: Trust,
  now: Date,
): Promise<WaitingRequest[]> {
  const files = await scanDrop(dropFolder, { want: 'requests' });
  return files.reverse().map((f) => {
    if (f.text === null) return { file: f.file, request: null, problem: f.problem };
    try {
      return { file: f.file, request: checkRequest(f.text, trust, now), problem: null };
    } catch (error) {
      return { file: f.file, request: null, problem: toAppErrorText(error) };
    }
  });
}
