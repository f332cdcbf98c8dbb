// Where bytes land, decided from the bytes' address and never from a label: a folder by its real
// path (`..`, symlinks — dangling ones too — and the same folder written two ways all resolve to
// one path), a host folder by the ssh host and port it reaches plus its normalised path, a bucket
// prefix by its endpoint, bucket and prefix. Two places overlap when one equals or contains the other.
import { spawnSync } from 'node:child_process';
import { lstatSync, readlinkSync, statSync } from 'node:fs';
import { BlockList, isIPv4 } from 'node:net';
import path from 'node:path';
import type { TargetConfig, Workspace } from './types';

/** A place a step writes to, as executors name it. */
export type WritePlace =
  /** A folder on this machine (absolute, or relative to the workspace). */
  | { kind: 'folder'; path: string }
  /** A folder on the host of an ssh backend of the workspace. */
  | { kind: 'host'; backend: string; path: string }
  /** A prefix of a bucket reached through an s3 backend ('' for the whole bucket). */
  | { kind: 'bucket'; backend: string; bucket: string; prefix: string };

/** A place reduced to what identifies its bytes. */
export type ResolvedPlace =
  | { kind: 'folder'; path: string }
  | { kind: 'host'; host: string; path: string }
  | { kind: 'bucket'; endpoint: string; bucket: string; prefix: string };

/**
 * This machine's addresses, in any spelling: all of 127/8, ::1, and the unspecified address (a
 * connection to 0.0.0.0 or :: reaches this machine on Linux). The write-time check on a host
 * (main/restore/confine-remote.ts) asks it of every address a host name resolves to.
 */
export const THIS_MACHINE = new BlockList();
THIS_MACHINE.addSubnet('127.0.0.0', 8, 'ipv4');
THIS_MACHINE.addAddress('0.0.0.0', 'ipv4');
THIS_MACHINE.addAddress('::1', 'ipv6');
THIS_MACHINE.addAddress('::', 'ipv6');

// Here, at load time, a host is taken as written: a name of this machine, or an IPv4 address in
// THIS_MACHINE. Other spellings (an IPv4-mapped or long IPv6 address, a DNS alias) are found at
// write time, where the host's addresses are resolved.
const LOOPBACK_NAMES = new Set(['localhost', 'ip6-localhost', 'ip6-loopback', '::1', '::']);
function thisMachine(host: string): boolean {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  return LOOPBACK_NAMES.has(bare) || (isIPv4(bare) && THIS_MACHINE.check(bare, 'ipv4'));
}
const MAX_LINKS = 40;

/**
 * The real path of a folder that may not exist yet: each component resolved in turn as the kernel
 * would (a `..` after a symlink climbs from the link's target), links followed even when their
 * target does not exist yet (writing there creates it), the missing rest kept as written.
 */
export function realPath(input: string, base: string): string {
  const start = path.isAbsolute(input) ? input : `${base}${path.sep}${input}`;
  return walk(start, 0);
}

function walk(absolute: string, depth: number): string {
  let current = path.parse(absolute).root || path.sep;
  for (const part of absolute.split(path.sep)) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      current = path.dirname(current);
      continue;
    }
    const next = path.join(current, part);
    let link: string | null = null;
    try {
      if (lstatSync(next).isSymbolicLink()) link = readlinkSync(next);
    } catch {
      // Missing: the rest is kept as written (a write would create it).
    }
    if (link === null || depth >= MAX_LINKS) current = next;
    else current = walk(path.isAbsolute(link) ? link : `${current}${path.sep}${link}`, depth + 1);
  }
  return current;
}

const lexicallyInside = (inner: string, outer: string, sep: string): boolean =>
  inner === outer || inner.startsWith(outer.endsWith(sep) ? outer : outer + sep);

/** The (device, inode) of an existing folder, or null. */
function identity(folder: string): string | null {
  try {
    const info = statSync(folder);
    return `${info.dev}:${info.ino}`;
  } catch {
    return null;
  }
}

/**
 * Whether the real folder `inner` equals or lies inside `outer`: by path, and by (device, inode)
 * of inner's existing ancestors, so a bind mount or a case-folding disk cannot hide a match.
 */
export function folderInside(inner: string, outer: string): boolean {
  if (lexicallyInside(inner, outer, path.sep)) return true;
  const id = identity(outer);
  if (id === null) return false;
  for (let at = inner; ; at = path.dirname(at)) {
    if (identity(at) === id) return true;
    if (path.dirname(at) === at) return false;
  }
}

const hostCache = new Map<string, string>();

/** host:port an ssh backend reaches, through ~/.ssh/config (ssh -G) when ssh is installed. */
function sshAddress(host: string, port: number | null): string {
  const key = `${host}\n${port ?? ''}`;
  const cached = hostCache.get(key);
  if (cached) return cached;
  let name = host.toLowerCase().replace(/\.$/, '');
  let real = port ?? 22;
  const shown = spawnSync('ssh', ['-G', ...(port ? ['-p', String(port)] : []), '--', host], {
    encoding: 'utf8',
    timeout: 3000,
  });
  if (shown.status === 0) {
    for (const line of shown.stdout.split('\n')) {
      const [word, value] = line.split(' ');
      if (word === 'hostname' && value) name = value.toLowerCase().replace(/\.$/, '');
      if (word === 'port' && value && Number(value) > 0) real = Number(value);
    }
  }
  const address = `${thisMachine(name) ? 'localhost' : name}:${real}`;
  hostCache.set(key, address);
  return address;
}

/** host:port of an S3 endpoint ("aws" for AWS itself, where bucket names are global). */
function endpointAddress(endpoint: string | null): string {
  if (endpoint === null || endpoint.trim() === '') return 'aws';
  try {
    const url = new URL(endpoint.includes('://') ? endpoint : `https://${endpoint}`);
    const host = url.hostname.toLowerCase().replace(/\.$/, '');
    const port = url.port || (url.protocol === 'http:' ? '80' : '443');
    return `${thisMachine(host) ? 'localhost' : host}:${port}`;
  } catch {
    return endpoint.toLowerCase();
  }
}

/** A host folder's path: `..` and repeated slashes folded; a relative path stays in the login's home. */
const remotePath = (p: string): string => {
  const normal = path.posix.normalize(p);
  return normal.length > 1 ? normal.replace(/\/$/, '') : normal;
};

/** Split "bucket/prefix" (an optional s3:// in front) into its bucket and prefix. */
export function bucketAndPrefix(text: string): { bucket: string; prefix: string } {
  const trimmed = text.replace(/^s3:\/\//, '').replace(/^\/+/, '');
  const slash = trimmed.indexOf('/');
  return slash < 0
    ? { bucket: trimmed, prefix: '' }
    : { bucket: trimmed.slice(0, slash), prefix: trimmed.slice(slash + 1) };
}

/** What identifies the bytes of a place; null when its backend is not in the workspace. */
export function resolvePlace(workspace: Workspace, place: WritePlace): ResolvedPlace | null {
  if (place.kind === 'folder')
    return { kind: 'folder', path: realPath(place.path, workspace.root) };
  const backend = workspace.backends.get(place.backend);
  if (place.kind === 'host') {
    if (backend?.type !== 'ssh') return null;
    const host = sshAddress(backend.host, backend.port);
    const where = remotePath(place.path);
    // A host on this machine writes where a folder target of the same path does.
    if (host.startsWith('localhost:') && where.startsWith('/'))
      return { kind: 'folder', path: realPath(where, '/') };
    return { kind: 'host', host, path: where };
  }
  if (backend?.type !== 's3') return null;
  return {
    kind: 'bucket',
    endpoint: endpointAddress(backend.endpoint),
    bucket: place.bucket,
    prefix: place.prefix.replace(/^\/+/, ''),
  };
}

/** The place a target writes to. */
export function targetWritePlace(target: TargetConfig): WritePlace {
  if (target.kind === 'folder') return { kind: 'folder', path: target.path };
  if (target.kind === 'host')
    return { kind: 'host', backend: target.backend ?? '', path: target.path };
  return { kind: 'bucket', backend: target.backend ?? '', ...bucketAndPrefix(target.path) };
}

/** How `a` meets `b`: 'equals', 'inside' (a lies in b), 'contains' (b lies in a), or null. */
export function overlap(
  a: ResolvedPlace,
  b: ResolvedPlace,
): 'equals' | 'inside' | 'contains' | null {
  let inside: boolean;
  let contains: boolean;
  if (a.kind === 'folder' && b.kind === 'folder') {
    inside = folderInside(a.path, b.path);
    contains = folderInside(b.path, a.path);
  } else if (a.kind === 'host' && b.kind === 'host') {
    if (a.host !== b.host) return null;
    inside = lexicallyInside(a.path, b.path, '/');
    contains = lexicallyInside(b.path, a.path, '/');
  } else if (a.kind === 'bucket' && b.kind === 'bucket') {
    if (a.endpoint !== b.endpoint || a.bucket !== b.bucket) return null;
    // Keys are plain strings: prefix "data" also holds "data2/x".
    inside = a.prefix.startsWith(b.prefix);
    contains = b.prefix.startsWith(a.prefix);
  } else return null;
  if (inside && contains) return 'equals';
  return inside ? 'inside' : contains ? 'contains' : null;
}

/** A resolved place in words: a folder, host:folder or s3://bucket/prefix (endpoint). */
export function placeWords(place: ResolvedPlace): string {
  if (place.kind === 'folder') return place.path;
  if (place.kind === 'host') return `${place.host}:${place.path}`;
  const at = place.endpoint === 'aws' ? '' : ` at ${place.endpoint}`;
  return `s3://${place.bucket}/${place.prefix}${at}`;
}

/** The production targets whose bytes a write at `place` would touch, with how they meet. */
export function productionOverlaps(
  workspace: Workspace,
  place: ResolvedPlace,
): { target: TargetConfig; how: 'equals' | 'inside' | 'contains'; at: ResolvedPlace }[] {
  const found = [];
  for (const target of workspace.targets.values()) {
    if (target.environment !== 'production') continue;
    const at = resolvePlace(workspace, targetWritePlace(target));
    const how = at ? overlap(place, at) : null;
    if (at && how) found.push({ target, how, at });
  }
  return found;
}
