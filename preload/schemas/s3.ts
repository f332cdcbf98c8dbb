// The blast radius of an S3 step: what it would change, counted from a listing before anything
// runs. The plan preview, a rehearsal, the typed confirmation and the step's start show it.
import { z } from 'zod';

const count = z.number().int().min(0);

/** One kind of change: how many keys, their bytes, and the first keys in listing order. */
export const RadiusPart = z.object({ count, bytes: count, first: z.array(z.string()) });
export type RadiusPart = z.infer<typeof RadiusPart>;

/**
 * overwrite: the key holds something else now (the version at T is copied onto it);
 * bringBack: the key was deleted after T (a delete marker is current; the version at T comes back);
 * create: the destination has no such key (copy, download);
 * hide: the key was born after T (a delete marker hides it; no version is deleted);
 * leave: already equal to T (not touched).
 */
export const BlastRadius = z.object({
  action: z.enum(['restore-to-instant', 'copy', 'download', 'prefix-equals-instant']),
  /** Where bytes land, in words (s3://bucket/prefix on backend, or a folder). */
  where: z.string(),
  /** The instant, ISO 8601. */
  at: z.string(),
  overwrite: RadiusPart,
  bringBack: RadiusPart,
  create: RadiusPart,
  hide: RadiusPart,
  leave: RadiusPart,
  /** Versions and delete markers listed to compute it. */
  listed: count,
  /** Keys the prefix held at T. */
  keysAtInstant: count,
  /** Facts worth a sentence (a destination without versioning, a bucket with Object Lock). */
  warnings: z.array(z.string()),
});
export type BlastRadius = z.infer<typeof BlastRadius>;

/** The keys a restore changes: every kind but leave. */
export const CHANGE_KINDS = ['overwrite', 'bringBack', 'create', 'hide'] as const;
