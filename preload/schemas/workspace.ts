// The workspace as the renderer sees it: names and settings, never secrets.
import { z } from 'zod';

/** One problem found while loading a workspace file, with where it is. */
export const WorkspaceProblem = z.object({
  file: z.string(),
  line: z.number().int().nullable(),
  message: z.string(),
  severity: z.enum(['error', 'warning']),
});
export type WorkspaceProblem = z.infer<typeof WorkspaceProblem>;

/** A backend: where bytes live. */
export const BackendView = z.object({
  name: z.string(),
  type: z.enum(['s3', 'ssh', 'local']),
  /** A short human location: host, endpoint/bucket or folder. */
  location: z.string(),
  tags: z.array(z.string()),
});

/** A source: what wrote backups, read through a backend. */
export const SourceView = z.object({
  name: z.string(),
  type: z.enum(['restic', 'pgbackrest', 'borg', 'manifest', 's3-versions']),
  backend: z.string(),
  service: z.string(),
});

/** A protected service with its owner and objectives (seconds). */
export const ServiceView = z.object({
  name: z.string(),
  owner: z.string(),
  rpoSeconds: z.number(),
  rtoSeconds: z.number(),
});

/** Services restored to one logical point. */
export const GroupView = z.object({
  name: z.string(),
  members: z.array(z.string()),
  toleranceSeconds: z.number(),
  order: z.array(z.string()),
  runbook: z.string().nullable(),
});

/** A place a restore may write to. */
export const TargetView = z.object({
  name: z.string(),
  kind: z.enum(['host', 'bucket', 'folder']),
  environment: z.enum(['production', 'sandbox']),
  location: z.string(),
});

/** A runbook file found in the workspace. */
export const RunbookView = z.object({
  file: z.string(),
  title: z.string(),
  steps: z.number().int(),
});

/** The loaded workspace, or what stopped it from loading. */
export const WorkspaceView = z.object({
  path: z.string(),
  name: z.string(),
  problems: z.array(WorkspaceProblem),
  backends: z.array(BackendView),
  sources: z.array(SourceView),
  services: z.array(ServiceView),
  groups: z.array(GroupView),
  targets: z.array(TargetView),
  runbooks: z.array(RunbookView),
});
export type WorkspaceView = z.infer<typeof WorkspaceView>;
