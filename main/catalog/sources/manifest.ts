// The manifest source: JSON manifests written by home-grown backup scripts (docs/manifest-format.md),
// read through any backend. A malformed manifest is a warning naming its file; the good ones still count.
import { join, posix } from 'node:path';
import { UserError } from '../../ground/errors';
import type { SourceConfig, Workspace } from '../../workspace/types';
import type { Backend, ListedFile, RecoveryPoint, SourceProgress, SourceReader } from '../types';
import { Manifest, describeManifestIssues } from './manifest-format';

/** The manifest entry of dapple.yaml's sources. */
export type ManifestConfig = Extract<SourceConfig, { type: 'manifest' }>;

/** The raw record of a manifest point: where the manifest was found and what it said. */
export type ManifestRaw = { file: string; backend: string; manifest: Manifest };

// Manifests are read a few at a time: enough to hide latency on ssh/s3, gentle on a NAS.
const CONCURRENCY = 16;
// A listing this large is not a manifest folder; stop before exhausting memory.
const MAX_MANIFESTS = 200_000;

const clip = (text: string, max = 120): string =>
  text.length > max ? `${text.slice(0, max - 3)}...` : text;

/** The backend path of a point's set folder (the folder named by its id next to its manifest), or null. */
export function setFolderOf(point: RecoveryPoint): string | null {
  const raw = point.raw as Partial<ManifestRaw> | null;
  if (!raw || typeof raw.file !== 'string' || !raw.manifest) return null;
  const dir = posix.dirname(raw.file);
  return dir === '.' ? raw.manifest.id : `${dir}/${raw.manifest.id}`;
}

/**
 * The absolute folder of a manifest point's files when its source reads a local backend, else null.
 * What a runbook's {{point.path}} binds to (e.g. for the demo's cp and sha256sum steps).
 */
export function localSetPath(workspace: Workspace, point: RecoveryPoint): string | null {
  const source = workspace.sources.get(point.source);
  const backend = source ? workspace.backends.get(source.backend) : undefined;
  const folder = setFolderOf(point);
  if (source?.type !== 'manifest' || backend?.type !== 'local' || folder === null) return null;
  // The listing never yields ".." or absolute paths; check again, since raw records come from a cache.
  const parts = folder.split('/');
  if (folder.startsWith('/') || parts.some((part) => part === '..' || part === '' || part === '.'))
    return null;
  return join(backend.path, ...parts);
}

// Files inside a set folder (<dir>/<id>/...) are payload, not manifests, even when they end in .json.
function manifestPaths(listed: ListedFile[]): string[] {
  const json = new Set(listed.map((f) => f.path).filter((p) => p.toLowerCase().endsWith('.json')));
  return [...json]
    .filter((path) => {
      for (
        let dir = posix.dirname(path);
        dir !== '.' && dir !== '/' && dir !== '';
        dir = posix.dirname(dir)
      ) {
        if (json.has(`${dir}.json`)) return false;
      }
      return true;
    })
    .sort();
}

/** Reads *.json manifests under the source's path (and bucket) and normalises them to RecoveryPoints. */
export class ManifestSource implements SourceReader {
  readonly name: string;
  /** Sentences about manifests skipped or doubtful in the last list(); the good points are still returned. */
  warnings: string[] = [];

  constructor(
    private readonly config: ManifestConfig,
    private readonly backend: Backend,
  ) {
    this.name = config.name;
  }

  // A folder prefix ends in "/" so that "orders-db" never also lists "orders-db-old/" on S3.
  private prefix(): string {
    const path = this.config.path.replace(/^\/+|\/+$/g, '');
    const folder = path === '' ? '' : `${path}/`;
    if (this.config.bucket === null)
      return this.config.path.startsWith('/') ? `/${folder}` : folder;
    return `${this.config.bucket}/${folder}`;
  }

  private warn(file: string, sentence: string): void {
    this.warnings.push(`Manifest ${clip(file)} in source ${clip(this.name, 80)} ${sentence}`);
  }

  // One manifest file to a point, or null (with a warning) when it cannot be used.
  private toPoint(file: string, bytes: Buffer, seen: Set<string>): RecoveryPoint | null {
    let json: unknown;
    try {
      json = JSON.parse(bytes.toString('utf8'));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.warn(file, `is not valid JSON (${clip(reason, 160)}), so it was skipped.`);
      return null;
    }
    const parsed = Manifest.safeParse(json);
    if (!parsed.success) {
      this.warn(
        file,
        `does not follow the manifest format (${clip(describeManifestIssues(parsed.error), 300)}), so it was skipped.`,
      );
      return null;
    }
    const manifest = parsed.data;
    const service = manifest.service ?? this.config.service;
    if (service === null) {
      this.warn(
        file,
        `names no service and the source has none, so it was skipped: add "service" to the manifest or service: to the source.`,
      );
      return null;
    }
    if (seen.has(manifest.id)) {
      this.warn(file, `repeats the id ${manifest.id} of another manifest, so it was skipped.`);
      return null;
    }
    seen.add(manifest.id);
    if (posix.basename(file) !== `${manifest.id}.json`) {
      this.warn(
        file,
        `holds id ${manifest.id} but is not named ${manifest.id}.json, so its files will not be found next to it.`,
      );
    }
    const copies = [...new Set([...manifest.copies, this.backend.name])];
    const listedSize =
      manifest.files.length > 0 ? manifest.files.reduce((sum, f) => sum + f.sizeBytes, 0) : null;
    const raw: ManifestRaw = { file, backend: this.backend.name, manifest };
    return {
      id: manifest.id,
      source: this.name,
      service,
      time: new Date(manifest.time).toISOString(),
      endTime: null,
      kind: manifest.kind,
      parent: manifest.parent,
      sizeBytes: manifest.sizeBytes ?? listedSize,
      copies,
      immutable: manifest.immutability && {
        mode: manifest.immutability.mode,
        retainUntil:
          manifest.immutability.retainUntil &&
          new Date(manifest.immutability.retainUntil).toISOString(),
        legalHold: manifest.immutability.legalHold,
      },
      lastVerified: manifest.lastVerified && new Date(manifest.lastVerified).toISOString(),
      // A failed set is kept (it explains a gap) but marked so the groups model treats it as errored.
      tags: manifest.status === 'failed' ? [...manifest.tags, 'status:failed'] : manifest.tags,
      raw,
    };
  }

  async list(
    options: { signal?: AbortSignal; progress?: (p: SourceProgress) => void } = {},
  ): Promise<RecoveryPoint[]> {
    this.warnings = [];
    const { signal, progress } = options;
    const prefix = this.prefix();
    const listed: ListedFile[] = [];
    progress?.({
      done: 0,
      total: null,
      message: `Listing manifests under ${clip(prefix || '/')} on ${this.backend.name}`,
    });
    for await (const file of this.backend.list(prefix, signal ? { signal } : {})) {
      listed.push(file);
      if (listed.length > MAX_MANIFESTS * 20) {
        throw new UserError(
          'MANIFEST_FOLDER_TOO_LARGE',
          `Source ${clip(this.name, 80)} lists more than ${MAX_MANIFESTS * 20} files under ${clip(prefix || '/')} on ${this.backend.name}.`,
          'Point the source at the folder that holds the manifests, not at a whole disk.',
        );
      }
    }
    const paths = manifestPaths(listed);
    const total = paths.length;
    const bytes: (Buffer | null)[] = new Array<Buffer | null>(total).fill(null);
    let next = 0;
    let done = 0;
    const worker = async (): Promise<void> => {
      while (next < total) {
        const index = next++;
        const path = paths[index] ?? '';
        if (signal?.aborted)
          throw new UserError(
            'CANCELLED',
            `Reading source ${clip(this.name, 80)} was cancelled.`,
            '',
          );
        try {
          bytes[index] = await this.backend.read(path, signal ? { signal } : {});
        } catch (error) {
          const reason = error instanceof Error ? error.message : String(error);
          this.warn(path, `could not be read (${clip(reason, 200)}), so it was skipped.`);
        }
        done++;
        if (done % 50 === 0 || done === total)
          progress?.({ done, total, message: `Read ${done} of ${total} manifests` });
      }
    };
    await Promise.all(Array.from({ length: Math.min(CONCURRENCY, total) }, worker));
    const seen = new Set<string>();
    const points: RecoveryPoint[] = [];
    paths.forEach((path, index) => {
      const data = bytes[index];
      const point = data ? this.toPoint(path, data, seen) : null;
      if (point) points.push(point);
    });
    return points.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0));
  }
}

/** Make the reader of a manifest source over its backend. */
export function createManifestSource(config: ManifestConfig, backend: Backend): ManifestSource {
  return new ManifestSource(config, backend);
}
