// Planning an S3 step from its listings, streamed: for each key its version at T and what the
// destination holds now, classified (overwrite, bring back, create, hide, leave) and counted into
// the blast radius. The work goes to `emit` page by page (the executor spools it): exactly what
// was counted is what runs. Nothing here writes to S3.
import type { S3Operation } from '../../../preload/schemas/runbook';
import type { S3Backend } from '../../catalog/backends/s3';
import { isMultipartEtag, quickCompare, sameObject, headVersion, type ObjectRef } from './compare';
import type { FolderGuard } from './download-paths';
import { fileAgainst, isFolder, keyPath } from './download-paths';
import {
  keyHistories,
  stateAt,
  type KeyHistory,
  type VersionEntry,
  type VersionPage,
} from './listing';
import { runPool } from './pool';
import { RadiusCounter, type RadiusKind } from './radius';
import { inPlace, joinByKey, singles, type Pair } from './streams';

/** A bucket prefix and the backend that reaches it. */
export type Place = { backend: S3Backend; bucket: string; prefix: string };

/** One change to make: the key relative to the prefixes, the version at T to copy, what it replaces. */
export type Action = {
  kind: Exclude<RadiusKind, 'leave'>;
  rel: string;
  /** The version at T (null for a hide). */
  source: VersionEntry | null;
  /** The destination's current version or delete marker it replaces, or null. */
  from: string | null;
  bytes: number;
};

/** What planning needs. */
export type PlanInput = {
  action: S3Operation['action'];
  /** The instant T in ms. */
  at: number;
  source: Place;
  /** Where a copy writes or a verify looks; null for in place. */
  dest: Place | null;
  /** The download folder; null unless downloading. */
  folder: FolderGuard | null;
  sourcePages: AsyncIterable<VersionPage>;
  destPages: AsyncIterable<VersionPage> | null;
  concurrency: number;
  /** Compare Content-Type and user metadata too (a restore), or keys and hashes only (a verify). */
  headers: boolean;
  signal?: AbortSignal;
  emit?: (actions: Action[]) => Promise<void>;
  firstKeys?: number;
  /** Versions listed so far, as pages arrive. */
  onListed?: (versions: number) => void;
};

/** What planning found: the counted radius, and the keys that stop the step before it writes. */
export type PlanOutcome = {
  counter: RadiusCounter;
  /** Versions at T in an archive storage class, not restored: copying them would fail. */
  archived: { key: string; version: string; storageClass: string }[];
  archivedCount: number;
  /** Keys a download cannot place inside its folder, with why. */
  hostile: { key: string; why: string }[];
  hostileCount: number;
};

// Keys decided together (their HeadObject calls run concurrently), then counted in order.
const BATCH = 500;
const KEEP = 20;
const ARCHIVE = new Set(['GLACIER', 'DEEP_ARCHIVE']);

type Decision = { kind: RadiusKind; key: string; bytes: number; action: Action | null } | null;

/** The path of a download: a prefix without "/" leaves one on the relative key. */
function downloadRel(rel: string, prefix: string): string {
  return prefix !== '' && !prefix.endsWith('/') && rel.startsWith('/') ? rel.slice(1) : rel;
}

/** Plan the step: list, classify, count; emit the work. */
export async function planS3(input: PlanInput): Promise<PlanOutcome> {
  const counter = new RadiusCounter(input.firstKeys);
  const outcome: PlanOutcome = {
    counter,
    archived: [],
    archivedCount: 0,
    hostile: [],
    hostileCount: 0,
  };
  const listed = (history: KeyHistory, source: boolean) => {
    counter.listed += history.entries.length;
    if (source)
      for (const e of history.entries)
        if (counter.oldest === null || e.at < counter.oldest) counter.oldest = e.at;
    input.onListed?.(counter.listed);
  };
  const src = singles(keyHistories(input.sourcePages), (h) => listed(h, true));
  const pairs =
    input.dest && input.destPages
      ? joinByKey(
          src,
          input.source.prefix,
          singles(keyHistories(input.destPages), (h) => listed(h, false)),
          input.dest.prefix,
        )
      : inPlace(src, input.source.prefix);
  let batch: Pair[] = [];
  for await (const pair of pairs) {
    batch.push(pair);
    if (batch.length >= BATCH) {
      await decideBatch(batch, input, outcome);
      batch = [];
    }
  }
  if (batch.length > 0) await decideBatch(batch, input, outcome);
  return outcome;
}

async function decideBatch(batch: Pair[], input: PlanInput, outcome: PlanOutcome): Promise<void> {
  const decisions: Decision[] = new Array<Decision>(batch.length);
  let failure: unknown = null;
  await runPool(
    batch.map((pair, index) => ({ pair, index })),
    {
      concurrency: input.concurrency,
      ...(input.signal ? { signal: input.signal } : {}),
      run: async ({ pair, index }) => {
        decisions[index] = await decide(pair, input, outcome);
      },
      retryable: () => false,
      failed: (_item, error) => {
        failure ??= error;
      },
    },
  );
  if (failure) throw failure;
  if (input.signal?.aborted) throw input.signal.reason ?? new Error('aborted');
  const actions: Action[] = [];
  for (const [index, decision] of decisions.entries()) {
    const pair = batch[index] as Pair;
    if (pair.src && stateAt(pair.src, input.at).atT) outcome.counter.keysAtInstant++;
    if (!decision) continue;
    outcome.counter.add(decision.kind, decision.key, decision.bytes);
    if (decision.action) actions.push(decision.action);
  }
  if (actions.length > 0) await input.emit?.(actions);
}

/** A version at T that would have to be copied while it sits in an archive class (not restored). */
async function frozen(
  input: PlanInput,
  key: string,
  entry: VersionEntry,
  outcome: PlanOutcome,
): Promise<boolean> {
  if (!ARCHIVE.has(entry.storageClass ?? '')) return false;
  const ref: ObjectRef = { backend: input.source.backend, bucket: input.source.bucket, key, entry };
  const head = await headVersion(ref, input.signal);
  if (head.Restore?.includes('ongoing-request="false"')) return false;
  outcome.archivedCount++;
  if (outcome.archived.length < KEEP)
    outcome.archived.push({
      key,
      version: entry.versionId,
      storageClass: entry.storageClass ?? '',
    });
  return true;
}

async function decide(pair: Pair, input: PlanInput, outcome: PlanOutcome): Promise<Decision> {
  const atT = pair.src ? stateAt(pair.src, input.at).atT : null;
  const srcKey = input.source.prefix + pair.rel;
  if (input.folder) return atT ? decideFile(pair.rel, atT, input, outcome) : null;
  const dest = input.dest ?? input.source;
  const destKey = dest.prefix + pair.rel;
  const current = pair.dst ? stateAt(pair.dst, Infinity).current : null;
  const act = (kind: Action['kind'], source: VersionEntry | null, bytes: number): Decision => ({
    kind,
    key: destKey,
    bytes,
    action: { kind, rel: pair.rel, source, from: current?.versionId ?? null, bytes },
  });
  if (!atT) return current && !current.marker ? act('hide', null, current.size) : null;
  if (!current || current.marker) {
    await frozen(input, srcKey, atT, outcome);
    return act(current ? 'bringBack' : 'create', atT, atT.size);
  }
  const a: ObjectRef = {
    backend: input.source.backend,
    bucket: input.source.bucket,
    key: srcKey,
    entry: atT,
  };
  const b: ObjectRef = { backend: dest.backend, bucket: dest.bucket, key: destKey, entry: current };
  let same: boolean;
  const quick = quickCompare(a, b);
  if (quick !== 'ask') same = quick === 'same';
  else if (!input.headers && isMultipartEtag(a.entry.etag) === isMultipartEtag(b.entry.etag))
    same = a.entry.etag === b.entry.etag;
  else same = await sameObject(a, b, input.signal, input.headers);
  if (same) return { kind: 'leave', key: destKey, bytes: atT.size, action: null };
  await frozen(input, srcKey, atT, outcome);
  return act('overwrite', atT, atT.size);
}

async function decideFile(
  rel: string,
  atT: VersionEntry,
  input: PlanInput,
  outcome: PlanOutcome,
): Promise<Decision> {
  const folder = input.folder as FolderGuard;
  const shown = downloadRel(rel, input.source.prefix);
  const refuse = (why: string): Decision => {
    outcome.hostileCount++;
    if (outcome.hostile.length < KEEP)
      outcome.hostile.push({ key: input.source.prefix + rel, why });
    return null;
  };
  const kp = keyPath(shown, atT.size);
  if (typeof kp === 'string') return refuse(kp);
  const why = await folder.check(kp);
  if (why) return refuse(why);
  const action = (kind: 'create' | 'overwrite'): Decision => ({
    kind,
    key: shown,
    bytes: atT.size,
    action: { kind, rel, source: atT, from: null, bytes: atT.size },
  });
  if (kp.folder) {
    // A folder marker ("photos/", no bytes) is a folder to make.
    const exists = await isFolder(folder.pathOf(kp));
    return exists ? { kind: 'leave', key: shown, bytes: 0, action: null } : action('create');
  }
  const state = await fileAgainst(folder.pathOf(kp), atT.size);
  if (typeof state === 'object' && !isMultipartEtag(atT.etag) && state.md5 === atT.etag)
    return { kind: 'leave', key: shown, bytes: atT.size, action: null };
  await frozen(input, input.source.prefix + rel, atT, outcome);
  return action(state === 'missing' ? 'create' : 'overwrite');
}
