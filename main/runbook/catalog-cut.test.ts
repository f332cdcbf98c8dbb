// A cut binds only what the catalog holds, at a time the point has: a snapshot at its instant, a
// closed window inside its bounds, and an open window (an s3-versions prefix: no end) up to now.
import { describe, expect, it } from 'vitest';
import type { RecoveryPoint } from '../../preload/schemas/catalog';
import type { Cut, CutMember } from '../../preload/schemas/groups';
import type { Workspace } from '../workspace/types';
import { checkCutInCatalog } from './catalog-cut';

const workspace = {
  name: 'shop',
  groups: new Map([['shop', { name: 'shop', members: ['uploads', 'files'] }]]),
} as unknown as Workspace;

const point = (over: Partial<RecoveryPoint>): RecoveryPoint => ({
  id: 'p',
  source: 'src',
  service: 'uploads',
  time: '2026-12-01T10:00:00.000Z',
  endTime: null,
  kind: 'full',
  parent: null,
  sizeBytes: null,
  copies: [],
  immutable: null,
  lastVerified: null,
  tags: [],
  raw: null,
  ...over,
});

const cutAt = (time: string, member: Partial<CutMember> = {}): Cut => ({
  group: 'shop',
  time,
  skewSeconds: 0,
  toleranceSeconds: 2,
  consistent: true,
  reason: '',
  snapshotId: null,
  members: [
    {
      service: 'uploads',
      pointId: null,
      windowId: 'p',
      source: 'src',
      time,
      lagSeconds: 0,
      ...member,
    } as CutMember,
  ],
});

const check = (cut: Cut, p: RecoveryPoint) => checkCutInCatalog(workspace, cut, async () => p);

describe('a cut checked against the catalog', () => {
  it('accepts an instant inside an open window (no end: up to now), and refuses one before its start or in the future', async () => {
    const open = point({ kind: 'window' });
    await expect(check(cutAt('2026-12-01T10:05:00.000Z'), open)).resolves.toBeUndefined();
    await expect(check(cutAt('2026-12-01T09:59:59.000Z'), open)).rejects.toThrow(
      /a window from 2026-12-01T10:00:00.000Z to now/,
    );
    const future = new Date(Date.now() + 3_600_000).toISOString();
    await expect(check(cutAt(future), open)).rejects.toThrow(/to now/);
  });

  it('accepts a closed window only inside its bounds', async () => {
    const closed = point({ kind: 'window', endTime: '2026-12-01T11:00:00.000Z' });
    await expect(check(cutAt('2026-12-01T10:30:00.000Z'), closed)).resolves.toBeUndefined();
    await expect(check(cutAt('2026-12-01T11:00:01.000Z'), closed)).rejects.toThrow(
      /a window from .* to 2026-12-01T11:00:00.000Z/,
    );
  });

  it('accepts a snapshot only at its own instant', async () => {
    const snap = point({ kind: 'full' });
    const member = { pointId: 'p', windowId: null };
    await expect(check(cutAt('2026-12-01T10:00:00.000Z', member), snap)).resolves.toBeUndefined();
    await expect(check(cutAt('2026-12-01T10:00:01.000Z', member), snap)).rejects.toThrow(
      /is of 2026-12-01T10:00:00.000Z/,
    );
  });
});
