// The version scanner: counts, per-day density and a bounded sample that always holds the ends.
import { describe, expect, it } from 'vitest';
import { VersionScanner } from './s3-versions-scan';

const DAY = 86_400_000;
const at = (day: number, n = 0) => new Date(Date.UTC(2026, 0, 1) + day * DAY + n * 1000);

describe('VersionScanner', () => {
  it('counts versions and delete markers per UTC day, and keeps the oldest and newest in its sample', () => {
    const scanner = new VersionScanner(4);
    const versions = Array.from({ length: 5000 }, (_, i) => ({
      Key: `k/${i % 50}`,
      VersionId: `v${i}`,
      IsLatest: i >= 4950,
      LastModified: at(i % 3, i),
      Size: 10,
    }));
    scanner.add(versions.slice(0, 2500), [
      { Key: 'k/1', VersionId: 'd1', IsLatest: false, LastModified: at(5) },
    ]);
    scanner.add(versions.slice(2500), []);
    const scan = scanner.result();
    expect(scan).toMatchObject({
      versions: 5000,
      deleteMarkers: 1,
      currentObjects: 50,
      currentBytes: 500,
      allVersionBytes: 50_000,
    });
    expect(scan.density).toEqual([
      { day: '2026-01-01', versions: 1667, deletes: 0 },
      { day: '2026-01-02', versions: 1667, deletes: 0 },
      { day: '2026-01-03', versions: 1666, deletes: 0 },
      { day: '2026-01-06', versions: 0, deletes: 1 },
    ]);
    expect(scan.oldest).toBe(at(0, 0).getTime());
    expect(scan.newest).toBe(at(5).getTime());
    expect(scan.latestDelete).toEqual({ key: 'k/1', time: at(5).getTime() });
    expect(scan.sample.length).toBeLessThanOrEqual(4);
    const ids = scan.sample.map((s) => s.versionId);
    expect(ids).toContain('v0');
    expect(ids).toContain('v4997'); // day 2 + 4997 s: the newest version
  });
});
