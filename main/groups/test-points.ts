// Hand-built recovery points for the group model's tests and benchmarks (no I/O).
import type { RecoveryPoint } from '../../preload/schemas/catalog';

/** A point with sensible defaults: a snapshot on one backend, mutable, never verified. */
export function point(
  service: string,
  id: string,
  time: string,
  extra: Partial<RecoveryPoint> = {},
): RecoveryPoint {
  return {
    id,
    source: `${service}-src`,
    service,
    time,
    endTime: null,
    kind: 'snapshot',
    parent: null,
    sizeBytes: 1024,
    copies: ['nas'],
    immutable: null,
    lastVerified: null,
    tags: [],
    raw: null,
    ...extra,
  };
}

/** A continuous window (WAL archive, versioned bucket); `end` null = up to now. */
export function window(
  service: string,
  id: string,
  start: string,
  end: string | null,
): RecoveryPoint {
  return point(service, id, start, { kind: 'window', endTime: end });
}

/** A UTC ISO instant from "YYYY-MM-DD HH:MM[:SS]" shorthand used in tests. */
export function at(text: string): string {
  const iso = text.replace(' ', 'T');
  return `${iso.length === 16 ? `${iso}:00` : iso}.000Z`;
}
