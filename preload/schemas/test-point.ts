// A recovery point with plain defaults for the contract's and the console's tests (no I/O).
import type { RecoveryPoint } from './catalog';

/** A full backup of `db` on one backend, mutable, never verified; `over` sets the rest. */
export const testPoint = (over: Partial<RecoveryPoint> & { id: string }): RecoveryPoint => ({
  source: 'db-nas',
  service: 'db',
  time: '2026-11-20T00:00:00Z',
  endTime: null,
  kind: 'full',
  parent: null,
  sizeBytes: 100,
  copies: ['nas'],
  immutable: null,
  lastVerified: null,
  tags: [],
  raw: null,
  ...over,
});
