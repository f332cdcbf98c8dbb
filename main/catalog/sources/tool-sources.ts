// The factory the catalog service calls for sources read by running a backup tool: restic, borg, pgbackrest.
import { UserError } from '../../ground/errors';
import type { SourceConfig } from '../../workspace/types';
import type { SecretContext } from '../secrets';
import type { Backend, SourceReader } from '../types';
import { BorgSource } from './borg';
import { PgbackrestSource } from './pgbackrest';
import { ResticSource } from './restic';
import type { FileBrowser } from './tool-run';

export type { FileBrowser, SnapshotEntry } from './tool-run';

/** The source types this factory makes. */
export const TOOL_SOURCE_TYPES = ['restic', 'borg', 'pgbackrest'] as const;

/** Options shared by tool sources: where keychain secrets come from (the app provides it). */
export type ToolSourceOptions = Omit<SecretContext, 'source'>;

/** True when createSourceReader can make a reader for this source. */
export function isToolSource(config: SourceConfig): boolean {
  return (TOOL_SOURCE_TYPES as readonly string[]).includes(config.type);
}

/** Make the reader of a restic, borg or pgbackrest source; tools run through backend.runner(). */
export function createSourceReader(
  config: SourceConfig,
  backend: Backend,
  options: ToolSourceOptions = {},
): SourceReader {
  switch (config.type) {
    case 'restic':
      return new ResticSource(config, backend, options);
    case 'borg':
      return new BorgSource(config, backend, options);
    case 'pgbackrest':
      return new PgbackrestSource(config, backend);
    default:
      throw new UserError(
        'SOURCE_TYPE_UNSUPPORTED',
        `Source "${config.name}" has type ${config.type}, which is not read by running a backup tool.`,
        'This is a bug in how sources are wired; report it.',
      );
  }
}

/** The file browser of a reader, when its source can list files inside a point (restic, borg). */
export function fileBrowserOf(reader: SourceReader): FileBrowser | null {
  return reader instanceof ResticSource || reader instanceof BorgSource ? reader : null;
}
