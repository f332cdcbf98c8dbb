// Reading a log file: complete lines, and the torn bytes a crash can leave after the last newline.
import { promises as fs } from 'node:fs';
import path from 'node:path';

/** A log file split into complete lines and a torn tail. */
export type LogLines = {
  /** Complete lines (each ended by a newline in the file), without the newline. */
  lines: string[];
  /** The 1-based line number of a line that is not UTF-8, or null. */
  badUtf8Line: number | null;
  /** Bytes after the last newline: what a crash mid-append leaves. Empty when none. */
  torn: Buffer;
  /** The byte offset where the torn tail starts. */
  tornOffset: number;
};

const strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** Split file bytes into lines, checking UTF-8 without losing the line number of a bad one. */
export function splitLog(bytes: Buffer): LogLines {
  const end = bytes.lastIndexOf(0x0a) + 1;
  const torn = bytes.subarray(end);
  let text: string;
  let badUtf8Line: number | null = null;
  try {
    text = strict.decode(bytes.subarray(0, end));
  } catch {
    // Find the first bad line, keep the good ones before it.
    const good: string[] = [];
    let start = 0;
    while (start < end) {
      const nl = bytes.indexOf(0x0a, start);
      try {
        good.push(strict.decode(bytes.subarray(start, nl)));
      } catch {
        badUtf8Line = good.length + 1;
        break;
      }
      start = nl + 1;
    }
    return { lines: good, badUtf8Line, torn, tornOffset: end };
  }
  const lines = text.length === 0 ? [] : text.slice(0, -1).split('\n');
  return { lines, badUtf8Line, torn, tornOffset: end };
}

/** Read and split a log file. */
export async function readLog(file: string): Promise<LogLines> {
  return splitLog(await fs.readFile(file));
}

/** The folder that holds a log's output blobs, each named by its SHA-256. */
export function blobDir(logFile: string): string {
  return path.join(path.dirname(logFile), `${path.basename(logFile, '.jsonl')}.blobs`);
}
