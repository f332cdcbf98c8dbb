// The blast radius of an S3 step before any session runs it: the plan preview and the typed
// confirmation ask for it. Listing only; a short cache keeps a re-render from listing again.
import type { S3Operation } from '../../../preload/schemas/runbook';
import type { BlastRadius } from '../../../preload/schemas/s3';
import type { Workspace } from '../../workspace/types';
import { backendsOf } from './executor';
import { planOperation } from './operation';

const KEEP_MS = 15_000;
const MAX_ENTRIES = 16;
const cache = new Map<string, { at: number; radius: Promise<BlastRadius> }>();

/** Count what the operation would change now (never writes); the same question within 15 s is answered from memory. */
export function previewRadius(workspace: Workspace, op: S3Operation): Promise<BlastRadius> {
  const key = JSON.stringify([workspace.root, op]);
  const now = Date.now();
  const hit = cache.get(key);
  if (hit && now - hit.at < KEEP_MS) return hit.radius;
  for (const [k, v] of cache)
    if (now - v.at >= KEEP_MS || cache.size >= MAX_ENTRIES) cache.delete(k);
  const backends = backendsOf(workspace);
  const radius = planOperation({ op, backend: (name) => backends.get(name) }, false)
    .then((planned) => planned.radius)
    .finally(() => void backends.close());
  cache.set(key, { at: now, radius });
  // A failure is not kept: the next ask lists again.
  radius.catch(() => cache.delete(key));
  return radius;
}
