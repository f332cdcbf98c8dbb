// The factory makes the right reader for each tool source type, and refuses the others with a sentence.
import { describe, expect, it } from 'vitest';
import { runnerBackend } from '../../../test-support/tool-backends';
import { localRunner } from '../backends/local-runner';
import { BorgSource } from './borg';
import { PgbackrestSource } from './pgbackrest';
import { ResticSource } from './restic';
import { createSourceReader, fileBrowserOf, isToolSource } from './tool-sources';

const backend = runnerBackend('nas', localRunner);

describe('createSourceReader', () => {
  it('makes restic, borg and pgbackrest readers; restic and borg can browse files', () => {
    const restic = createSourceReader(
      { name: 'r', type: 'restic', backend: 'nas', service: 's', repository: '/r', password: null },
      backend,
    );
    const borg = createSourceReader(
      { name: 'b', type: 'borg', backend: 'nas', service: 's', repository: '/b', passphrase: null },
      backend,
    );
    const pg = createSourceReader(
      { name: 'p', type: 'pgbackrest', backend: 'nas', service: 's', stanza: 'main', config: null },
      backend,
    );
    expect([restic, borg, pg].map((r) => r.constructor)).toEqual([
      ResticSource,
      BorgSource,
      PgbackrestSource,
    ]);
    expect([restic, borg, pg].map((r) => r.name)).toEqual(['r', 'b', 'p']);
    expect(fileBrowserOf(restic)).toBe(restic);
    expect(fileBrowserOf(pg)).toBeNull();
  });

  it('refuses a source type it does not read', () => {
    const manifest = {
      name: 'm',
      type: 'manifest' as const,
      backend: 'nas',
      service: null,
      path: 'x',
      bucket: null,
    };
    expect(isToolSource(manifest)).toBe(false);
    expect(() => createSourceReader(manifest, backend)).toThrow(
      /not read by running a backup tool/,
    );
  });
});
