// The planned work on disk between planning and running: one JSON line per action in a private
// temp folder, so a million keys never sit in memory and exactly what was counted is what runs.
import { createReadStream, createWriteStream, promises as fs, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { VersionEntry } from './listing';
import type { Action } from './plan';

// One action per line, as a JSON array (half the bytes of an object with its field names):
// [kind, rel, from, bytes, versionId, etag, size, storageClass, at, latest] (source fields null for a hide).
type Line = [
  Action['kind'],
  string,
  string | null,
  number,
  string | null,
  string | null,
  number,
  string | null,
  number,
  boolean,
];

const encode = (a: Action): string => {
  const s = a.source;
  const line: Line = [
    a.kind,
    a.rel,
    a.from,
    a.bytes,
    s?.versionId ?? null,
    s?.etag ?? null,
    s?.size ?? 0,
    s?.storageClass ?? null,
    s?.at ?? 0,
    s?.latest ?? false,
  ];
  return JSON.stringify(line);
};

const decode = (text: string): Action => {
  const [kind, rel, from, bytes, versionId, etag, size, storageClass, at, latest] = JSON.parse(
    text,
  ) as Line;
  const source: VersionEntry | null =
    versionId === null ? null : { versionId, marker: false, at, etag, size, storageClass, latest };
  return { kind, rel, from, bytes, source };
};

/** A spool file: append pages of actions, then read them back in order; remove() when done. */
export class Spool {
  private out: WriteStream | null = null;
  count = 0;

  private constructor(
    private readonly dir: string,
    readonly file: string,
  ) {}

  /** A new, empty spool in its own folder (mode 0700). */
  static async create(): Promise<Spool> {
    const dir = await fs.mkdtemp(path.join(tmpdir(), 'dapple-s3-'));
    await fs.chmod(dir, 0o700);
    return new Spool(dir, path.join(dir, 'actions.jsonl'));
  }

  /** Append a page of actions (waits when the disk is slower than the listing). */
  async append(actions: readonly Action[]): Promise<void> {
    this.out ??= createWriteStream(this.file, { flags: 'w', mode: 0o600 });
    const text = actions.map(encode).join('\n') + '\n';
    this.count += actions.length;
    if (!this.out.write(text)) {
      const out = this.out;
      await new Promise<void>((resolve, reject) => {
        const fail = (error: Error) => reject(error);
        out.once('error', fail);
        out.once('drain', () => {
          out.off('error', fail);
          resolve();
        });
      });
    }
  }

  /** Finish writing. */
  async close(): Promise<void> {
    const out = this.out;
    if (!out) return;
    await new Promise<void>((resolve, reject) =>
      out.end((error?: Error | null) => (error ? reject(error) : resolve())),
    );
  }

  /** The actions in the order they were planned. */
  async *read(): AsyncGenerator<Action> {
    if (this.count === 0) return;
    const lines = createInterface({ input: createReadStream(this.file), crlfDelay: Infinity });
    for await (const line of lines) if (line) yield decode(line);
  }

  /** Delete the folder. */
  async remove(): Promise<void> {
    await fs.rm(this.dir, { recursive: true, force: true });
  }
}
