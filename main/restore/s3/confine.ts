// Where an S3 step may write in a drill: only inside a sandbox target, never where a production
// target overlaps — decided by endpoint + bucket + prefix (or the resolved folder), not by names.
// Checked when a session starts and again just before the step writes.
// TODO(hardening): replace with the workspace confinement API once it lands on main.
import { realpathSync } from 'node:fs';
import path from 'node:path';
import type { S3Operation } from '../../../preload/schemas/runbook';
import type { SessionMode } from '../../../preload/schemas/session';
import { overlappingTargets, targetPlace, writePlace, type S3Facts } from '../../runbook/s3-bind';
import type { Workspace } from '../../workspace/types';

const resolved = (p: string): string => {
  try {
    return realpathSync(p);
  } catch {
    return path.resolve(p);
  }
};

const inside = (child: string, parent: string): boolean => {
  const rel = path.relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
};

/** Null when the operation may write where it writes in this mode, else the sentence that refuses it. */
export function confinementProblem(
  workspace: Workspace,
  op: S3Operation,
  mode: SessionMode,
): string | null {
  const place = writePlace(op);
  if (!place || mode !== 'drill') return null;
  const facts: S3Facts = {
    backends: workspace.backends,
    sources: workspace.sources,
    targets: workspace.targets,
  };
  if (place.kind === 'folder') {
    const where = resolved(place.path);
    for (const target of workspace.targets.values()) {
      if (target.kind !== 'folder') continue;
      const root = resolved(target.path);
      if (target.environment === 'production' && (inside(where, root) || inside(root, where)))
        return `a drill cannot download into ${where}: it overlaps the production target ${target.name}`;
    }
    const sandbox = [...workspace.targets.values()].some(
      (t) => t.kind === 'folder' && t.environment === 'sandbox' && inside(where, resolved(t.path)),
    );
    return sandbox
      ? null
      : `a drill downloads only into a sandbox target's folder, and ${where} is in none`;
  }
  const production = overlappingTargets(place, facts, 'production');
  if (production.length > 0)
    return `a drill cannot write to s3://${place.bucket}/${place.prefix}: it overlaps the production target ${production.join(', ')}`;
  const held = [...workspace.targets.values()].some((t) => {
    const p = t.environment === 'sandbox' ? targetPlace(t, facts) : null;
    return (
      p !== null &&
      p.endpoint === place.endpoint &&
      p.bucket === place.bucket &&
      place.prefix.startsWith(p.prefix)
    );
  });
  return held
    ? null
    : `a drill writes only inside a sandbox target, and s3://${place.bucket}/${place.prefix} is in none (add it to dapple.yaml's targets as a sandbox bucket)`;
}
