// The audit log writer: appends signed records durably, in order, and never rewrites a byte
// that was reported written. A crash leaves at worst a torn last line.
import { randomBytes, verify } from 'node:crypto';
import { promises as fs } from 'node:fs';
import type { FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { UserError } from '../ground/errors';
import type { AnchorSink } from './anchor';
import { inlineOutput, INLINE_MAX, syncDir, writeBlob } from './blobs';
import { canonicalize } from './canonical-json';
import type { Signer } from './keys';
import type { AnchorReceipt, RecordData } from './record-data';
import {
  encodeLine,
  FORMAT_VERSION,
  GENESIS_PREV,
  sha256Hex,
  type Payload,
  type RecordType,
  type StoredRecord,
} from './records';
import { readChain } from './resume';

/**
 * When a record is on disk. `every`: one write and fdatasync per record. `batch`: group
 * commit — records that arrive during a sync share the next one. Either way, an append
 * resolves only after the sync that covers its record.
 */
export type FsyncPolicy = 'every' | 'batch';

/** How a writer is set up. */
export type WriterOptions = {
  file: string;
  /** The operator's signer: signs every record except approvals. */
  signer: Signer;
  fsync?: FsyncPolicy;
  clock?: () => Date;
  /** A checkpoint after this many records or this much time, idle or not; null for none. */
  checkpoint?: { records: number; ms: number } | null;
  anchor?: AnchorSink | null;
  /** Each record once it is durable: live sessions fold it into their state here. */
  onRecord?: (record: StoredRecord) => void;
  /** Background failures (anchoring, timed checkpoints) that no caller awaits. */
  onError?: (error: unknown) => void;
};

/** Records the session appends itself; open, checkpoint and seal belong to the writer. */
export type SessionRecordType = Exclude<RecordType, 'open' | 'checkpoint' | 'seal'>;

/** The open record's data, minus what the writer fills in (operator and anchor). */
export type OpenData = Omit<RecordData<'open'>, 'operator' | 'anchor'>;

type Pending = { line: string; resolve: () => void; reject: (e: unknown) => void };

/** Appends records to one log file. Make it with `createLog` or `resumeLog`. */
export class AuditWriter {
  readonly file: string;
  readonly logId: string;
  private seq: number;
  private prev: string;
  private readonly fd: FileHandle;
  private readonly options: WriterOptions;
  private readonly clock: () => Date;
  private chain: Promise<unknown> = Promise.resolve();
  private lastDurable: Promise<unknown> = Promise.resolve();
  private pending: Pending[] = [];
  private flushing = false;
  private failed: unknown = null;
  private sealed = false;
  private closed = false;
  private sinceCheckpoint = 0;
  private checkpointQueued = false;
  private timer: NodeJS.Timeout | null = null;
  private receipts: AnchorReceipt[] = [];
  private readonly anchoring = new Set<Promise<void>>();

  constructor(fd: FileHandle, options: WriterOptions, logId: string, seq: number, prev: string) {
    this.fd = fd;
    this.options = options;
    this.file = options.file;
    this.logId = logId;
    this.seq = seq;
    this.prev = prev;
    this.clock = options.clock ?? (() => new Date());
    this.armTimer();
  }

  /** The number of records prepared so far (the next record's seq). */
  get nextSeq(): number {
    return this.seq;
  }

  /** Append a session record signed by the operator, or by `signer` (an approver's key). */
  append<T extends SessionRecordType>(
    type: T,
    data: RecordData<T>,
    signer?: Signer,
  ): Promise<StoredRecord> {
    return this.enqueue(type, data as Payload['data'], signer ?? this.options.signer);
  }

  /** Append a chunk of command output: inline when small, else as a blob file next to the log. */
  async output(cmd: string, stream: 'stdout' | 'stderr', bytes: Buffer): Promise<StoredRecord> {
    const sha256 = sha256Hex(bytes);
    if (bytes.length > INLINE_MAX) {
      await writeBlob(this.file, bytes);
      return this.append('output', { cmd, stream, bytes: bytes.length, sha256, blob: true });
    }
    return this.append('output', {
      cmd,
      stream,
      bytes: bytes.length,
      sha256,
      ...inlineOutput(bytes),
    });
  }

  /** Write the open record; only `createLog` calls this, on an empty log. */
  start(data: RecordData<'open'>): Promise<StoredRecord> {
    if (this.seq !== 0)
      return Promise.reject(new Error('The open record can only be the first record.'));
    return this.enqueue('open', data as Payload['data'], this.options.signer);
  }

  /** Append a checkpoint of the chain head now (and anchor it when an anchor is set). */
  checkpoint(): Promise<StoredRecord> {
    this.checkpointQueued = true;
    return this.enqueue('checkpoint', null, this.options.signer);
  }

  /** Seal the log and close it: no record may follow. Waits for anchoring so the seal names every receipt. */
  async seal(reason: RecordData<'seal'>['reason']): Promise<StoredRecord> {
    await this.idle();
    const record = await this.enqueue('seal', { reason } as Payload['data'], this.options.signer);
    await this.close();
    return record;
  }

  /** Wait until everything enqueued is on disk and anchored. */
  async idle(): Promise<void> {
    await this.chain.catch(() => undefined);
    await this.lastDurable;
    await Promise.all(this.anchoring);
  }

  /** Stop timers and close the file; an unsealed log can be resumed later. */
  async close(): Promise<void> {
    this.stopTimer();
    await this.idle();
    if (this.closed) return;
    this.closed = true;
    await this.fd.close();
  }

  private enqueue(
    type: RecordType,
    data: Payload['data'] | null,
    signer: Signer,
  ): Promise<StoredRecord> {
    // The chain orders preparation (seq, prev, signature); durability follows in the same order.
    const result = this.chain.then(() => this.prepare(type, data, signer));
    this.chain = result.then(
      (r) => {
        this.lastDurable = r.durable.catch(() => undefined);
      },
      () => undefined,
    );
    return result.then((r) => r.durable.then(() => r.record));
  }

  private async prepare(type: RecordType, data: Payload['data'] | null, signer: Signer) {
    if (this.failed) throw this.writeError(this.failed);
    if (this.sealed || this.closed) {
      throw new UserError(
        'AUDIT_SEALED',
        `The audit log ${this.file} is ${this.sealed ? 'sealed' : 'closed'}: nothing more can be added.`,
        'Start a new session to record more.',
      );
    }
    let body = data ?? {};
    if (type === 'checkpoint' || type === 'seal') {
      body = { ...body, count: this.seq, head: this.prev, anchored: this.receipts };
      this.receipts = [];
    }
    const payload: Payload = {
      v: FORMAT_VERSION,
      log: this.logId,
      seq: this.seq,
      ts: this.clock().toISOString(),
      type,
      actor: signer.name,
      prev: this.prev,
      data: body,
    };
    let text: string;
    try {
      text = canonicalize(payload);
    } catch (error) {
      throw new UserError(
        'AUDIT_DATA',
        `A ${type} record cannot be written to the audit log: ${(error as Error).message}`,
        'This is a bug in the caller; the log is unchanged.',
      );
    }
    const bytes = Buffer.from(text, 'utf8');
    const sig = Buffer.from(await signer.sign(bytes));
    if (signer.publicKey && (sig.length !== 64 || !verify(null, bytes, signer.publicKey, sig))) {
      throw new UserError(
        'AUDIT_SIGNATURE',
        `The signature from ${signer.name} for a ${type} record does not verify; nothing was written.`,
        'Ask them to sign again with the key listed in keys/trusted.json.',
      );
    }
    const record: StoredRecord = {
      payload,
      bytes,
      hash: sha256Hex(bytes),
      sig,
      key: signer.keyId,
      line: encodeLine(text, sig, signer.keyId),
    };
    this.seq += 1;
    this.prev = record.hash;
    if (type === 'seal') this.sealed = true;
    if (type === 'checkpoint') {
      this.sinceCheckpoint = 0;
      this.checkpointQueued = false;
      this.armTimer();
    } else if (
      ++this.sinceCheckpoint >= (this.options.checkpoint?.records ?? Infinity) &&
      !this.checkpointQueued
    ) {
      this.checkpoint().catch((e: unknown) => this.options.onError?.(e));
    }
    const durable = this.commit(record.line).then(() => {
      this.options.onRecord?.(record);
      if ((type === 'checkpoint' || type === 'seal') && this.options.anchor) this.anchor(record);
    });
    durable.catch(() => undefined);
    return { record, durable };
  }

  private commit(line: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ line, resolve, reject });
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    if (this.flushing) return;
    this.flushing = true;
    try {
      while (this.pending.length > 0) {
        const batch =
          this.options.fsync === 'batch' ? this.pending.splice(0) : this.pending.splice(0, 1);
        try {
          if (this.failed) throw this.failed;
          const buffer = Buffer.from(batch.map((b) => `${b.line}\n`).join(''), 'utf8');
          for (let off = 0; off < buffer.length;)
            off += (await this.fd.write(buffer, off)).bytesWritten;
          await this.fd.datasync();
          for (const b of batch) b.resolve();
        } catch (error) {
          // After a failed write the file may end in a torn line: nothing may follow it.
          this.failed ??= error;
          for (const b of batch) b.reject(this.writeError(error));
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  private writeError(error: unknown): UserError {
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).message;
    return new UserError(
      'AUDIT_WRITE',
      `Writing the audit log ${this.file} failed (${code}); no record after the failure was kept.`,
      'Free disk space or fix permissions, then resume the session: the log verifies up to its last complete record.',
    );
  }

  private anchor(record: StoredRecord): void {
    const sink = this.options.anchor as AnchorSink;
    const job = sink
      .put(this.logId, record.payload.seq, record.line)
      .then((receipt) => {
        this.receipts.push(receipt);
      })
      .catch((error: unknown) => this.options.onError?.(error))
      .finally(() => this.anchoring.delete(job));
    this.anchoring.add(job);
  }

  private armTimer(): void {
    this.stopTimer();
    const ms = this.options.checkpoint?.ms;
    if (!ms || this.sealed) return;
    // Idle or not, the head is checkpointed every `ms`, so anchors show the log was alive.
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.checkpointQueued && !this.sealed && !this.closed)
        this.checkpoint().catch((e: unknown) => this.options.onError?.(e));
    }, ms);
    this.timer.unref();
  }

  private stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}

/** Start a new log at `file` (which must not exist) with its open record. */
export async function createLog(
  options: WriterOptions,
  open: OpenData,
  logId = randomBytes(16).toString('hex'),
): Promise<AuditWriter> {
  await fs.mkdir(path.dirname(options.file), { recursive: true });
  const fd = await fs.open(options.file, 'ax', 0o644).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'EEXIST') {
      throw new UserError(
        'AUDIT_EXISTS',
        `An audit log already exists at ${options.file}.`,
        'Resume it, or choose a new file name.',
      );
    }
    throw error;
  });
  await syncDir(path.dirname(options.file));
  const writer = new AuditWriter(fd, options, logId, 0, GENESIS_PREV);
  const data = {
    ...open,
    operator: { name: options.signer.name, keyId: options.signer.keyId },
    anchor: options.anchor?.ref ?? null,
  };
  await writer.start(data);
  return writer;
}

/**
 * Continue an unsealed log after a crash or a restart: seq and prev carry on. A torn last
 * line (never reported written) is cut off and a note says how many bytes were discarded.
 */
export async function resumeLog(
  options: WriterOptions,
): Promise<{ writer: AuditWriter; records: StoredRecord[] }> {
  const chain = await readChain(options.file);
  if (chain.torn > 0) await fs.truncate(options.file, chain.tornOffset);
  const fd = await fs.open(options.file, 'a');
  const last = chain.records[chain.records.length - 1] as StoredRecord;
  const writer = new AuditWriter(fd, options, last.payload.log, chain.records.length, last.hash);
  if (chain.torn > 0) {
    await writer.append('note', {
      step: null,
      text: `Resumed after an interruption: ${chain.torn} bytes of a torn record after record ${last.payload.seq} were discarded.`,
    });
  }
  return { writer, records: chain.records };
}
