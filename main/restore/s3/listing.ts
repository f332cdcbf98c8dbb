// A prefix's history, streamed: ListObjectVersions page by page (each page its own abort signal,
// see catalog/backends/s3-abort.ts), versions and delete markers merged back into S3's order,
// and handed on one key at a time. Memory holds a page, never the listing.
import {
  ListObjectVersionsCommand,
  type DeleteMarkerEntry,
  type ListObjectVersionsCommandOutput,
  type ObjectVersion,
} from '@aws-sdk/client-s3';
import { UserError } from '../../ground/errors';
import type { S3Backend } from '../../catalog/backends/s3';
import { withOwnAbort } from '../../catalog/backends/s3-abort';
import { clip } from '../../catalog/backends/s3-errors';
import { compareKeys, decodeListedKey } from './keys';

/** One version or delete marker of a key. */
export type VersionEntry = {
  versionId: string;
  marker: boolean;
  /** LastModified in ms (S3 reports whole seconds). */
  at: number;
  /** The ETag without its quotes; null for a delete marker. */
  etag: string | null;
  size: number;
  storageClass: string | null;
  latest: boolean;
};

/** Every version of one key, newest first. */
export type KeyHistory = { key: string; entries: VersionEntry[] };

/** One page of ListObjectVersions as the SDK gives it (versions and markers in two lists). */
export type VersionPage = {
  versions: readonly ObjectVersion[];
  markers: readonly DeleteMarkerEntry[];
  /** The keys are URL-encoded (the server honoured EncodingType=url). */
  encoded: boolean;
};

const unquote = (etag: string | undefined): string | null =>
  etag === undefined
    ? null
    : etag.length >= 2 && etag.startsWith('"') && etag.endsWith('"')
      ? etag.slice(1, -1)
      : etag;

function entryOf(item: ObjectVersion | DeleteMarkerEntry, marker: boolean): VersionEntry {
  const v = item as ObjectVersion;
  return {
    versionId: item.VersionId ?? 'null',
    marker,
    at: item.LastModified?.getTime() ?? 0,
    etag: marker ? null : unquote(v.ETag),
    size: marker ? 0 : (v.Size ?? 0),
    storageClass: marker ? null : (v.StorageClass ?? null),
    latest: item.IsLatest === true,
  };
}

/**
 * Merge a page's two lists back into listing order: by key, newest first. Within one second a
 * version and a marker cannot be told apart by time: the current one comes first, else the
 * marker (a delete usually follows the write it removes).
 */
export function mergePage(page: VersionPage): { key: string; entry: VersionEntry }[] {
  const out: { key: string; entry: VersionEntry }[] = [];
  const { versions, markers } = page;
  let i = 0;
  let j = 0;
  const keyOf = (item: { Key?: string | undefined }) =>
    decodeListedKey(item.Key ?? '', page.encoded);
  while (i < versions.length || j < markers.length) {
    const v = versions[i];
    const m = markers[j];
    let takeMarker: boolean;
    if (v === undefined) takeMarker = true;
    else if (m === undefined) takeMarker = false;
    else {
      const order = compareKeys(keyOf(v), keyOf(m));
      if (order !== 0) takeMarker = order > 0;
      else {
        const vt = v.LastModified?.getTime() ?? 0;
        const mt = m.LastModified?.getTime() ?? 0;
        takeMarker = mt !== vt ? mt > vt : v.IsLatest !== true;
      }
    }
    if (takeMarker) {
      const item = m as DeleteMarkerEntry;
      out.push({ key: keyOf(item), entry: entryOf(item, true) });
      j++;
    } else {
      const item = v as ObjectVersion;
      out.push({ key: keyOf(item), entry: entryOf(item, false) });
      i++;
    }
  }
  return out;
}

/** Group pages into key histories; a key cut by a page boundary waits for the next page. */
export async function* keyHistories(
  pages: AsyncIterable<VersionPage>,
): AsyncGenerator<KeyHistory[]> {
  let open: KeyHistory | null = null;
  for await (const page of pages) {
    const done: KeyHistory[] = [];
    for (const { key, entry } of mergePage(page)) {
      if (open && open.key === key) open.entries.push(entry);
      else {
        if (open) done.push(open);
        open = { key, entries: [entry] };
      }
    }
    if (done.length > 0) yield done;
  }
  if (open) yield [open];
}

/** What a listing is asked for. */
export type ListOptions = { signal?: AbortSignal; pageSize?: number };

/** Page through ListObjectVersions under a prefix (keys asked URL-encoded, so any key survives XML). */
export async function* listVersionPages(
  backend: S3Backend,
  bucket: string,
  prefix: string,
  options: ListOptions = {},
): AsyncGenerator<VersionPage> {
  let keyMarker: string | undefined;
  let versionMarker: string | undefined;
  for (;;) {
    const page: ListObjectVersionsCommandOutput = await backend.call(
      's3:ListBucketVersions',
      bucket,
      () =>
        withOwnAbort(options.signal, (abort) =>
          backend.client.send(
            new ListObjectVersionsCommand({
              Bucket: bucket,
              Prefix: prefix,
              EncodingType: 'url',
              MaxKeys: options.pageSize ?? 1000,
              ...(keyMarker !== undefined ? { KeyMarker: keyMarker } : {}),
              ...(versionMarker !== undefined ? { VersionIdMarker: versionMarker } : {}),
            }),
            abort,
          ),
        ),
    );
    const encoded = page.EncodingType === 'url';
    yield { versions: page.Versions ?? [], markers: page.DeleteMarkers ?? [], encoded };
    if (!page.IsTruncated) return;
    const next =
      page.NextKeyMarker === undefined ? undefined : decodeListedKey(page.NextKeyMarker, encoded);
    if (next === undefined || (next === keyMarker && page.NextVersionIdMarker === versionMarker)) {
      // A server that says "truncated" without moving its marker would loop forever.
      throw new UserError(
        'S3_BAD_PAGINATION',
        `S3 at ${backend.config.endpoint ?? 'AWS'} returned a truncated version listing of bucket ${clip(bucket, 63)} without a next marker.`,
        'This S3-compatible server does not paginate ListObjectVersions correctly; report it to its vendor.',
      );
    }
    keyMarker = next;
    versionMarker = page.NextVersionIdMarker;
  }
}

/** The version of a key at instant T (the newest at or before T; null when absent or deleted then), and its current one. */
export function stateAt(
  history: KeyHistory,
  t: number,
): { atT: VersionEntry | null; current: VersionEntry | null } {
  const atT = history.entries.find((e) => e.at <= t) ?? null;
  const current = history.entries.find((e) => e.latest) ?? history.entries[0] ?? null;
  return { atT: atT && !atT.marker ? atT : null, current };
}
