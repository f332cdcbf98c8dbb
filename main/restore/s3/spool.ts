// The planned work on disk between planning and running: one JSON line per action in a private
// temp folder, so a million keys never sit in memory and exactly what was counted is what runs.
import { createReadStream, createWriteStream, promises as fs, type WriteStream } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import type { Action } from './plan';

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
    const text = actions.map((a) => JSON.stringify(a)).join('\n') + '\n';
    this.count += actions.length;
    if (!this.out.write(text)) {
      const out = this.out;
      await new Promise<void>((resolve, reject) => {
        out.once('drain', resolve);
        out.once('error', reject);
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
    for await (const line of lines) if (line) yield JSON.parse(line) as Action;
  }

  /** Delete the folder. */
  async remove(): Promise<void> {
    await fs.rm(this.dir, { recursive: true, force: true });
  }
}
