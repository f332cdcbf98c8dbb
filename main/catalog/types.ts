// The seams of the catalog: how backends expose bytes and commands, and how sources read them.
import type { RecoveryPoint } from '../../preload/schemas/catalog';

export type { RecoveryPoint };

/** One file or object found under a prefix. */
export type ListedFile = { path: string; sizeBytes: number; modified: Date };

/** The outcome of one command run without a shell: argv in, bytes out. */
export type RunResult = { stdout: Buffer; stderr: string; code: number };

/** Options for one command. env values are passed to the process, never logged. */
export type RunOptions = {
  env?: Record<string, string>;
  stdin?: string | Buffer;
  timeoutMs?: number;
  signal?: AbortSignal;
};

/** Runs argv where a tool lives: locally (execFile, no shell) or on an SSH host (one quoting function). */
export interface Runner {
  /** A short place name for messages, e.g. "local" or "backup@db1:22". */
  readonly where: string;
  run(argv: string[], options?: RunOptions): Promise<RunResult>;
}

/** Bytes on a backend. Paths are relative to the backend's root and never escape it. */
export interface Backend {
  readonly name: string;
  readonly type: 'local' | 'ssh' | 's3';
  list(prefix: string, options?: { signal?: AbortSignal }): AsyncIterable<ListedFile>;
  read(path: string, options?: { signal?: AbortSignal }): Promise<Buffer>;
  /** Where tools run for sources on this backend (local for local/s3, the host for ssh). */
  runner(): Runner;
  /**
   * Optional: environment a backup tool needs to reach this backend itself (e.g. AWS credentials
   * resolved by the SDK, for restic's s3: repositories). Values are secrets: passed, never logged.
   */
  toolEnv?(options?: { signal?: AbortSignal }): Promise<Record<string, string>>;
  close(): Promise<void>;
}

/** Progress of one source while it reads. */
export type SourceProgress = { done: number; total: number | null; message: string };

/** Reads one source's recovery points. Errors are thrown as UserError sentences. */
export interface SourceReader {
  readonly name: string;
  list(options: {
    signal?: AbortSignal;
    progress?: (p: SourceProgress) => void;
  }): Promise<RecoveryPoint[]>;
  /**
   * Optional: sentences about records the last list() skipped or doubted (e.g. a malformed manifest),
   * while the good points were still returned. Show them on the source; they are not errors of it.
   */
  readonly warnings?: readonly string[];
}
