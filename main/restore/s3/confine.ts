// Where an S3 step may write in a drill, asked of the session's confinement (main/restore/confine.ts):
// never where a production target's bytes live, by endpoint + bucket + prefix or the resolved
// folder, not by names. Checked when a session starts and again just before the step writes.
import type { S3Operation } from '../../../preload/schemas/runbook';
import type { SessionMode } from '../../../preload/schemas/session';
import { writePlace } from '../../runbook/s3-bind';
import type { Workspace } from '../../workspace/types';
import { confinementProblem, type WritePlace } from '../confine';

/** Where the operation writes, as the confinement names places; null for a check that writes nothing. */
export function s3WritePlace(op: S3Operation): WritePlace | null {
  const place = writePlace(op);
  if (!place) return null;
  return place.kind === 'folder'
    ? { kind: 'folder', path: place.path }
    : { kind: 'bucket', backend: place.backend, bucket: place.bucket, prefix: place.prefix };
}

/** Null when the operation may write where it writes in this mode, else the sentence that refuses it. */
export function s3ConfinementProblem(
  workspace: Workspace,
  op: S3Operation,
  mode: SessionMode,
): string | null {
  const place = s3WritePlace(op);
  return place ? confinementProblem(workspace, place, mode) : null;
}
