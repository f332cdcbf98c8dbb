// The Dapple manifest: one JSON file per backup set, written by home-grown backup scripts.
// docs/manifest-format.md is its documentation; this schema is what Dapple accepts.
import { z } from 'zod';

/** The format tag every manifest carries; a future incompatible format gets a new number. */
export const MANIFEST_FORMAT = 'dapple-manifest/1';

const HEX64 = /^[0-9a-f]{64}$/;

/** A set id: also the name of the folder next to the manifest holding the set's files. */
export const ManifestId = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/,
    'an id uses letters, digits, ".", "_" and "-" (at most 128), starting with a letter or digit',
  );

/** A file path inside the set's folder: relative, "/"-separated, never leaving the folder. */
export const SetFilePath = z
  .string()
  .min(1)
  .max(1024)
  .refine(
    (path) =>
      !path.startsWith('/') &&
      !path.includes('\\') &&
      !path.includes('\0') &&
      path.split('/').every((part) => part !== '' && part !== '.' && part !== '..'),
    'a file path is relative to the set folder, uses "/" and has no "..", "." or empty parts',
  );

/** An instant with its offset, e.g. 2026-11-20T03:00:00Z or 2026-11-20T04:00:00+01:00. */
const Instant = z.iso.datetime({ offset: true });

/** Object Lock or an equivalent write-once guarantee of the set. */
export const ManifestImmutability = z.object({
  mode: z.enum(['GOVERNANCE', 'COMPLIANCE', 'WORM']),
  retainUntil: Instant.nullable(),
  legalHold: z.boolean().default(false),
});

/** One file of the set. */
export const ManifestFile = z.object({
  path: SetFilePath,
  sizeBytes: z.number().int().nonnegative(),
  sha256: z.string().regex(HEX64, 'sha256 is 64 lowercase hex digits'),
});
export type ManifestFile = z.infer<typeof ManifestFile>;

/** One backup set. Only format, id, time and kind are required; the rest has documented defaults. */
export const Manifest = z
  .object({
    format: z.literal(MANIFEST_FORMAT),
    id: ManifestId,
    /** The service; when absent, the source's `service` from dapple.yaml is used. */
    service: z.string().min(1).max(200).nullable().default(null),
    time: Instant,
    kind: z.enum(['full', 'diff', 'incr', 'snapshot']),
    /** The set this one depends on (diff/incr), by id. */
    parent: ManifestId.nullable().default(null),
    sizeBytes: z.number().int().nonnegative().nullable().default(null),
    /** sha256: the SHA-256 of the set's checksum listing (see docs/manifest-format.md). */
    checksums: z
      .object({ sha256: z.string().regex(HEX64, 'sha256 is 64 lowercase hex digits') })
      .nullable()
      .default(null),
    files: z.array(ManifestFile).max(100_000).default([]),
    /** Backend names (from dapple.yaml) holding a copy of this set. */
    copies: z.array(z.string().min(1).max(200)).max(100).default([]),
    immutability: ManifestImmutability.nullable().default(null),
    status: z.enum(['ok', 'failed']).default('ok'),
    /** When a test restore of this set last succeeded. */
    lastVerified: Instant.nullable().default(null),
    tags: z.array(z.string().min(1).max(200)).max(100).default([]),
  })
  // Fields a script adds for itself are kept (they show in the raw record), never interpreted.
  .loose();
export type Manifest = z.infer<typeof Manifest>;
/** A manifest as a script writes it (defaults not yet applied). */
export type ManifestInput = z.input<typeof Manifest>;

/** The checksum listing of a set, in `sha256sum` format with paths under the set's folder. */
export function checksumListing(id: string, files: readonly ManifestFile[]): string {
  const sorted = [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return sorted.map((file) => `${file.sha256}  ${id}/${file.path}\n`).join('');
}

/** Turn a zod failure into one short clause: "time: Invalid ISO datetime; files[2].sha256: …". */
export function describeManifestIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((issue) => {
      const path = issue.path
        .map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))
        .join('')
        .replace(/^\./, '');
      return `${path || 'the manifest'}: ${issue.message}`;
    })
    .join('; ')
    .concat(error.issues.length > 3 ? ` (and ${error.issues.length - 3} more)` : '');
}
