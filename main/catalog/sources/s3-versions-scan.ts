// One pass over ListObjectVersions pages: counts, change density per day, delete markers and a
// bounded sample of versions whose Object Lock state is checked afterwards. Memory stays flat
// however many versions the prefix holds.
import type { DeleteMarkerEntry, ObjectVersion } from '@aws-sdk/client-s3';

/** A version picked for the Object Lock check. */
export type SampledVersion = { key: string; versionId: string; time: number };

/** Versions and delete markers on one UTC day. */
export type DayDensity = { day: string; versions: number; deletes: number };

/** What the scan found, ready to normalise. */
export type VersionScan = {
  versions: number;
  deleteMarkers: number;
  /** Keys whose newest entry is an object (what a restore "to now" brings back). */
  currentObjects: number;
  currentBytes: number;
  /** Keys whose newest entry is a delete marker. */
  deletedKeys: number;
  allVersionBytes: number;
  oldest: number | null;
  newest: number | null;
  latestDelete: { key: string; time: number } | null;
  density: DayDensity[];
  sample: SampledVersion[];
};

const DAY_MS = 86_400_000;

/** A tiny deterministic generator, so the sample is the same on every refresh of the same data. */
function prng(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 0x1_0000_0000;
  };
}

/** Accumulates pages as they arrive; call result() at the end. */
export class VersionScanner {
  private versions = 0;
  private deleteMarkers = 0;
  private currentObjects = 0;
  private currentBytes = 0;
  private deletedKeys = 0;
  private allVersionBytes = 0;
  private oldest: number | null = null;
  private newest: number | null = null;
  private oldestVersion: SampledVersion | null = null;
  private newestVersion: SampledVersion | null = null;
  private latestDelete: { key: string; time: number } | null = null;
  private readonly days = new Map<number, { versions: number; deletes: number }>();
  private lastDay = Number.NaN;
  private lastEntry: { versions: number; deletes: number } | null = null;
  private readonly reservoir: SampledVersion[] = [];
  private readonly random = prng(0x5eed);
  private readonly sampleSize: number;

  constructor(sampleSize: number) {
    this.sampleSize = Math.max(0, sampleSize);
  }

  /** The counters of the UTC day holding `time` (keyed by day number: no date formatting per version). */
  private day(time: number): { versions: number; deletes: number } {
    const day = Math.floor(time / DAY_MS);
    // Neighbouring versions usually share a day: skip the map lookup then.
    if (day === this.lastDay && this.lastEntry) return this.lastEntry;
    let entry = this.days.get(day);
    if (!entry) {
      entry = { versions: 0, deletes: 0 };
      this.days.set(day, entry);
    }
    this.lastDay = day;
    this.lastEntry = entry;
    return entry;
  }

  /** The window starts at the oldest version (a delete marker restores nothing); any change ends it. */
  private seen(time: number, isVersion: boolean): void {
    if (isVersion && (this.oldest === null || time < this.oldest)) this.oldest = time;
    if (this.newest === null || time > this.newest) this.newest = time;
  }

  /** Add one page of versions and delete markers. */
  add(versions: ObjectVersion[] | undefined, markers: DeleteMarkerEntry[] | undefined): void {
    for (const v of versions ?? []) {
      if (v.Key === undefined) continue;
      const time = v.LastModified?.getTime() ?? 0;
      const size = v.Size ?? 0;
      this.versions++;
      this.allVersionBytes += size;
      if (v.IsLatest) {
        this.currentObjects++;
        this.currentBytes += size;
      }
      this.seen(time, true);
      this.day(time).versions++;
      // Reservoir sampling (algorithm R): every version has the same chance to be checked.
      const slot =
        this.reservoir.length < this.sampleSize
          ? this.reservoir.length
          : Math.floor(this.random() * this.versions);
      const oldest = !this.oldestVersion || time < this.oldestVersion.time;
      const newest = !this.newestVersion || time > this.newestVersion.time;
      if (slot >= this.sampleSize && !oldest && !newest) continue;
      // Most versions stop above: the record is only built for the few that are kept.
      const picked = { key: v.Key, versionId: v.VersionId ?? 'null', time };
      if (oldest) this.oldestVersion = picked;
      if (newest) this.newestVersion = picked;
      if (slot < this.sampleSize) this.reservoir[slot] = picked;
    }
    for (const m of markers ?? []) {
      if (m.Key === undefined) continue;
      const time = m.LastModified?.getTime() ?? 0;
      this.deleteMarkers++;
      if (m.IsLatest) this.deletedKeys++;
      this.seen(time, false);
      this.day(time).deletes++;
      if (!this.latestDelete || time > this.latestDelete.time)
        this.latestDelete = { key: m.Key, time };
    }
  }

  /** Everything seen so far. The sample always holds the oldest and newest versions. */
  result(): VersionScan {
    const sample = new Map<string, SampledVersion>();
    for (const v of [this.oldestVersion, this.newestVersion, ...this.reservoir]) {
      if (v && sample.size < Math.max(this.sampleSize, 2))
        sample.set(`${v.key}\u0000${v.versionId}`, v);
    }
    return {
      versions: this.versions,
      deleteMarkers: this.deleteMarkers,
      currentObjects: this.currentObjects,
      currentBytes: this.currentBytes,
      deletedKeys: this.deletedKeys,
      allVersionBytes: this.allVersionBytes,
      oldest: this.oldest,
      newest: this.newest,
      latestDelete: this.latestDelete,
      density: [...this.days]
        .sort((a, b) => a[0] - b[0])
        .map(([day, counts]) => ({
          day: new Date(day * DAY_MS).toISOString().slice(0, 10),
          ...counts,
        })),
      sample: this.sampleSize === 0 ? [] : [...sample.values()],
    };
  }
}
