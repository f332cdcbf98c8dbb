// The last catalog of each workspace, kept on disk so the console opens instantly and offline.
// Written atomically (temp file, fsync, rename). Raw records stay on disk until a point is opened,
// which keeps a million cached points well inside main's memory budget.
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';
import type { RecoveryPoint, SourceStatus } from '../../preload/schemas/catalog';
import { UserError } from '../ground/errors';
import {
  CACHE_FORMAT,
  decodePoint,
  encodePoint,
  Interner,
  isHeader,
  isSourceStatus,
  type CacheHeader,
} from './cache-format';

/** One source's cached points (raw left on disk) and where each raw record sits in the file. */
export type CachedSection = {
  status: SourceStatus;
  points: RecoveryPoint[];
  /** Pairs of (byte offset, byte length) of each point's raw JSON, in point order. */
  rawAt: Float64Array;
  /** Byte range of this section's point lines, to carry a failed source's points forward. */
  byteStart: number;
  byteEnd: number;
};

/** A cached catalog as loaded in memory. */
export type CatalogSnapshot = {
  file: string;
  generation: string;
  workspace: string;
  name: string;
  asOf: string;
  sections: Map<string, CachedSection>;
};

/** What to write for one source: points just read, or a section carried over from the last cache. */
export type SectionInput =
  | { status: SourceStatus; points: RecoveryPoint[] }
  | { status: SourceStatus; carried: CachedSection; from: CatalogSnapshot };

/** The cache file of a workspace folder inside the cache folder. */
export function cacheFile(cacheDir: string, workspaceRoot: string): string {
  const digest = createHash('sha256').update(workspaceRoot).digest('hex').slice(0, 20);
  return join(cacheDir, `catalog-${digest}.jsonl`);
}

/** A growable list of (offset, length) pairs. */
class OffsetList {
  private data = new Float64Array(1024);
  private size = 0;
  push(offset: number, length: number): void {
    if (this.size + 2 > this.data.length) {
      const next = new Float64Array(this.data.length * 2);
      next.set(this.data);
      this.data = next;
    }
    this.data[this.size++] = offset;
    this.data[this.size++] = length;
  }
  finish(): Float64Array {
    return this.data.slice(0, this.size);
  }
}

/** Buffers text and writes it in large chunks, tracking the byte position. */
class ChunkWriter {
  position = 0;
  private parts: string[] = [];
  private pending = 0;
  constructor(private readonly handle: FileHandle) {}
  /** Queue text; true when enough is queued that the caller should await flush(). */
  add(text: string): boolean {
    this.parts.push(text);
    this.pending += text.length;
    this.position += Buffer.byteLength(text);
    return this.pending > 1 << 20;
  }
  async text(text: string): Promise<void> {
    if (this.add(text)) await this.flush();
  }
  async bytes(buffer: Buffer): Promise<void> {
    await this.flush();
    await this.handle.write(buffer);
    this.position += buffer.length;
  }
  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const chunk = this.parts.join('');
    this.parts = [];
    this.pending = 0;
    await this.handle.write(chunk);
  }
}

/** Copy a carried section's bytes from the previous cache file, checking it is still that file. */
async function copySection(
  writer: ChunkWriter,
  input: Extract<SectionInput, { carried: CachedSection }>,
): Promise<CachedSection> {
  const { carried, from } = input;
  const handle = await open(from.file, 'r');
  try {
    await checkGeneration(handle, from);
    const start = writer.position;
    const shift = start - carried.byteStart;
    const chunk = Buffer.allocUnsafe(1 << 20);
    for (let at = carried.byteStart; at < carried.byteEnd;) {
      const { bytesRead } = await handle.read(
        chunk,
        0,
        Math.min(chunk.length, carried.byteEnd - at),
        at,
      );
      if (bytesRead === 0) break;
      await writer.bytes(Buffer.from(chunk.subarray(0, bytesRead)));
      at += bytesRead;
    }
    const rawAt = carried.rawAt.slice();
    for (let i = 0; i < rawAt.length; i += 2) rawAt[i] = (rawAt[i] as number) + shift;
    return {
      status: input.status,
      points: carried.points,
      rawAt,
      byteStart: start,
      byteEnd: writer.position,
    };
  } finally {
    await handle.close();
  }
}

/** Write a catalog atomically and return it as a snapshot (points without raw, raw left on disk). */
export async function writeCache(
  file: string,
  meta: { workspace: string; name: string; asOf: string },
  inputs: SectionInput[],
): Promise<CatalogSnapshot> {
  await mkdir(join(file, '..'), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const header: CacheHeader = {
    format: CACHE_FORMAT,
    generation: randomBytes(8).toString('hex'),
    ...meta,
  };
  const sections = new Map<string, CachedSection>();
  const handle = await open(temp, 'w', 0o600);
  try {
    const writer = new ChunkWriter(handle);
    await writer.text(`${JSON.stringify(header)}\n`);
    for (const input of inputs) {
      await writer.text(
        `${JSON.stringify({ section: input.status.source, status: input.status })}\n`,
      );
      if ('carried' in input) {
        sections.set(input.status.source, await copySection(writer, input));
        continue;
      }
      const byteStart = writer.position;
      const offsets = new OffsetList();
      const points: RecoveryPoint[] = new Array<RecoveryPoint>(input.points.length);
      for (let i = 0; i < input.points.length; i++) {
        const point = input.points[i] as RecoveryPoint;
        const { head, raw } = encodePoint(point);
        writer.add(`${head}\t`);
        offsets.push(writer.position, Buffer.byteLength(raw));
        // A million points: awaiting only when a chunk is full keeps this loop synchronous.
        if (writer.add(`${raw}\n`)) await writer.flush();
        points[i] = { ...point, raw: null };
      }
      sections.set(input.status.source, {
        status: input.status,
        points,
        rawAt: offsets.finish(),
        byteStart,
        byteEnd: writer.position,
      });
    }
    await writer.flush();
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  await rename(temp, file);
  return {
    file,
    generation: header.generation,
    workspace: meta.workspace,
    name: meta.name,
    asOf: meta.asOf,
    sections,
  };
}

/** Call onLine for every line of the file with its bytes and byte offset. */
async function eachLine(
  handle: FileHandle,
  onLine: (buf: Buffer, start: number, end: number, offset: number) => void,
): Promise<void> {
  let carry = Buffer.alloc(0);
  let base = 0;
  const chunk = Buffer.allocUnsafe(4 << 20);
  for (;;) {
    const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
    const buf = carry.length
      ? Buffer.concat([carry, chunk.subarray(0, bytesRead)])
      : chunk.subarray(0, bytesRead);
    let start = 0;
    for (let nl = buf.indexOf(10, start); nl >= 0; nl = buf.indexOf(10, start)) {
      onLine(buf, start, nl, base + start);
      start = nl + 1;
    }
    base += start;
    carry = Buffer.from(buf.subarray(start));
    if (bytesRead === 0) break;
  }
  if (carry.length) onLine(carry, 0, carry.length, base);
}

/** Why a cache could not be used, for a one-line note (the catalog is then simply refreshed). */
export class CacheUnreadable extends Error {}

/** Read a cache file; null when there is none. keep() drops sections of sources no longer configured. */
export async function readCache(
  file: string,
  keep: (source: string) => boolean = () => true,
): Promise<CatalogSnapshot | null> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  const intern = new Interner();
  const sections = new Map<string, CachedSection>();
  let header: CacheHeader | null = null;
  type Open = {
    status: SourceStatus;
    points: RecoveryPoint[];
    offsets: OffsetList;
    byteStart: number;
    drop: boolean;
  };
  let current: Open | null = null;
  let lineNo = 0;
  let fileEnd = 0;
  const closeSection = (end: number): void => {
    if (current && !current.drop) {
      const { status, points, offsets, byteStart } = current;
      sections.set(status.source, {
        status,
        points,
        rawAt: offsets.finish(),
        byteStart,
        byteEnd: end,
      });
    }
    current = null;
  };
  const bad = (why: string): never => {
    throw new CacheUnreadable(`line ${lineNo} ${why}`);
  };
  try {
    await eachLine(handle, (buf, start, end, offset) => {
      lineNo++;
      fileEnd = offset + end - start + 1;
      if (end === start) return;
      if (buf[start] === 0x5b /* [ */) {
        const tab = buf.indexOf(9, start);
        if (!header || !current || tab < 0 || tab >= end)
          return bad('is not a point inside a section');
        if (current.drop) return;
        const point = decodePoint(
          JSON.parse(buf.toString('utf8', start, tab)),
          current.status.source,
          intern,
        );
        if (!point) return bad('is not a valid point');
        current.points.push(point);
        current.offsets.push(offset + (tab - start) + 1, end - tab - 1);
        return;
      }
      const value = JSON.parse(buf.toString('utf8', start, end)) as unknown;
      if (!header) {
        if (!isHeader(value)) return bad('is not a Dapple catalog header');
        header = value;
        return;
      }
      const section = value as { section?: unknown; status?: unknown };
      if (typeof section.section !== 'string' || !isSourceStatus(section.status))
        return bad('is not a section');
      closeSection(offset);
      const status = { ...section.status, source: intern.str(section.section) };
      current = {
        status,
        points: [],
        offsets: new OffsetList(),
        byteStart: fileEnd,
        drop: !keep(section.section),
      };
    });
  } catch (error) {
    if (error instanceof CacheUnreadable) throw error;
    const text = error instanceof Error ? error.message.slice(0, 120) : String(error);
    throw new CacheUnreadable(`line ${lineNo} cannot be parsed: ${text}`);
  } finally {
    await handle.close();
  }
  closeSection(fileEnd);
  const h = header as CacheHeader | null;
  if (!h) throw new CacheUnreadable('the file is empty');
  return {
    file,
    generation: h.generation,
    workspace: h.workspace,
    name: h.name,
    asOf: h.asOf,
    sections,
  };
}

/** Fail when the file on disk is no longer the one a snapshot was read from. */
async function checkGeneration(handle: FileHandle, snapshot: CatalogSnapshot): Promise<void> {
  const head = Buffer.alloc(256);
  const { bytesRead } = await handle.read(head, 0, head.length, 0);
  if (
    !head.subarray(0, bytesRead).toString('utf8').includes(`"generation":"${snapshot.generation}"`)
  ) {
    throw new UserError(
      'CATALOG_CHANGED',
      'The cached catalog changed on disk while Dapple was reading it (another refresh finished).',
      'Open the point again.',
    );
  }
}

/** Read one cached point's raw record from disk. */
export async function readRaw(
  snapshot: CatalogSnapshot,
  section: CachedSection,
  index: number,
): Promise<unknown> {
  const offset = section.rawAt[index * 2];
  const length = section.rawAt[index * 2 + 1];
  if (offset === undefined || length === undefined) return null;
  const handle = await open(snapshot.file, 'r');
  try {
    await checkGeneration(handle, snapshot);
    const buf = Buffer.alloc(length);
    await handle.read(buf, 0, length, offset);
    return JSON.parse(buf.toString('utf8')) as unknown;
  } finally {
    await handle.close();
  }
}
