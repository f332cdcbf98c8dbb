// Counting a blast radius while the listing streams by: per kind of change the keys, the bytes
// and the first few keys; nothing else is kept, so a million keys cost a few counters.
import type { BlastRadius, RadiusPart } from '../../../preload/schemas/s3';

/** The kinds a key can fall into. */
export type RadiusKind = 'overwrite' | 'bringBack' | 'create' | 'hide' | 'leave';

/** A radius being counted. */
export class RadiusCounter {
  readonly parts: Record<RadiusKind, RadiusPart> = {
    overwrite: { count: 0, bytes: 0, first: [] },
    bringBack: { count: 0, bytes: 0, first: [] },
    create: { count: 0, bytes: 0, first: [] },
    hide: { count: 0, bytes: 0, first: [] },
    leave: { count: 0, bytes: 0, first: [] },
  };
  listed = 0;
  keysAtInstant = 0;
  /** The oldest LastModified seen under the source prefix (ms), or null before any. */
  oldest: number | null = null;

  constructor(private readonly firstKeys = 5) {}

  add(kind: RadiusKind, key: string, bytes: number): void {
    const part = this.parts[kind];
    part.count++;
    part.bytes += bytes;
    if (part.first.length < this.firstKeys) part.first.push(key);
  }

  /** The radius as the plan preview, the log and the confirmation show it. */
  result(
    action: BlastRadius['action'],
    where: string,
    at: string,
    warnings: string[],
  ): BlastRadius {
    return {
      action,
      where,
      at,
      ...this.parts,
      listed: this.listed,
      keysAtInstant: this.keysAtInstant,
      warnings,
    };
  }
}

/** Keys and bytes that change: every kind but leave. */
export function changes(radius: BlastRadius): { keys: number; bytes: number } {
  const parts = [radius.overwrite, radius.bringBack, radius.create, radius.hide];
  return {
    keys: parts.reduce((sum, p) => sum + p.count, 0),
    // Hiding writes no bytes: only copies and downloads move them.
    bytes: radius.overwrite.bytes + radius.bringBack.bytes + radius.create.bytes,
  };
}
