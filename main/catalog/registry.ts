// From a workspace to live readers: one backend per configured backend (shared by its sources)
// and one reader per source. A source that cannot be built becomes its error, never a crash.
import { join } from 'node:path';
import { UserError } from '../ground/errors';
import type { BackendConfig, SourceConfig, Workspace } from '../workspace/types';
import { createLocalBackend } from './backends/local';
import { localRunner } from './backends/local-runner';
import type { S3BackendOptions } from './backends/s3';
import { clip } from './backends/s3-errors';
import type { HostKeyInfo, SshOptions } from './backends/ssh';
import type { S3VersionsOptions } from './sources/s3-versions';
import type { Backend, SourceReader } from './types';

// Backends and sources load their modules when a workspace uses them: the AWS SDK, ssh2 and zod
// cost a CLI run more than reading a restic repository does.

/** A source reader (restic and borg readers also browse files: see fileBrowserOf). */
export type CatalogReader = SourceReader;

/** Questions SSH connections ask the person at the keyboard (the console's prompt broker). */
export type SshPrompts = {
  acceptHostKey(info: HostKeyInfo): Promise<boolean>;
  askPassphrase(request: { host: string; keyFile: string }): Promise<string | null>;
};

/** How backends and sources are built: credentials prompts, keychain, and tuning. */
export type RegistryOptions = {
  ssh?: SshOptions;
  /** Asked about unknown host keys and encrypted key files; without it both count as "no" (the CLI). */
  sshPrompts?: SshPrompts;
  s3?: S3BackendOptions;
  s3Versions?: S3VersionsOptions;
  /** The OS keychain (Electron safeStorage in the app), for repository passwords. */
  keychain?: (name: string) => Promise<string | null>;
  /** Set by openSources: the workspace folder (its known_hosts). */
  workspaceRoot?: string;
};

/** The readers of a workspace's sources; close() releases every backend. */
export type OpenSources = {
  readers: Map<string, CatalogReader | UserError>;
  close(): Promise<void>;
};

// The workspace's known_hosts is trusted and receives accepted keys; prompts name the backend's host.
function sshOptionsFor(
  config: Extract<BackendConfig, { type: 'ssh' }>,
  options: RegistryOptions,
): SshOptions {
  const ssh: SshOptions = { ...options.ssh };
  if (ssh.workspaceKnownHosts === undefined && options.workspaceRoot)
    ssh.workspaceKnownHosts = join(options.workspaceRoot, 'known_hosts');
  const prompts = options.sshPrompts;
  if (!prompts) return ssh;
  return {
    ...ssh,
    acceptHostKey: (info) => prompts.acceptHostKey(info),
    askPassphrase: (keyFile) => prompts.askPassphrase({ host: config.host, keyFile }),
  };
}

/** A backend of the workspace, opened for reading (its ssh prompts and tuning from options). */
export async function buildBackend(
  config: BackendConfig,
  options: RegistryOptions,
): Promise<Backend> {
  switch (config.type) {
    case 's3': {
      const { S3Backend } = await import('./backends/s3');
      return new S3Backend(config, { runner: () => localRunner, ...options.s3 });
    }
    case 'ssh': {
      const { createSshBackend } = await import('./backends/ssh');
      return createSshBackend(config, sshOptionsFor(config, options));
    }
    case 'local':
      return createLocalBackend(config);
  }
}

async function buildReader(
  source: SourceConfig,
  backend: Backend,
  options: RegistryOptions,
): Promise<CatalogReader> {
  const secrets = options.keychain ? { keychain: options.keychain } : {};
  switch (source.type) {
    case 's3-versions': {
      const { S3Backend } = await import('./backends/s3');
      if (!(backend instanceof S3Backend)) {
        throw new UserError(
          'SOURCE_NEEDS_S3',
          `Source ${clip(source.name, 80)} reads versions of bucket ${clip(source.bucket, 63)}, but its backend ${clip(backend.name, 80)} is ${backend.type}, not s3.`,
          'Point this source at an s3 backend in dapple.yaml.',
        );
      }
      const { createS3VersionsSource } = await import('./sources/s3-versions');
      return createS3VersionsSource(source, backend, options.s3Versions ?? {});
    }
    case 'restic': {
      // The same reader createSourceReader makes, without loading borg's and pgbackrest's modules.
      const { ResticSource } = await import('./sources/restic');
      return new ResticSource(source, backend, secrets);
    }
    case 'borg':
    case 'pgbackrest': {
      const { createSourceReader } = await import('./sources/tool-sources');
      return createSourceReader(source, backend, secrets);
    }
    case 'manifest': {
      const { createManifestSource } = await import('./sources/manifest');
      return createManifestSource(source, backend);
    }
  }
}

/** Build the readers for the sources keep() selects (all by default). */
export async function openSources(
  workspace: Workspace,
  options: RegistryOptions = {},
  keep: (source: SourceConfig) => boolean = () => true,
): Promise<OpenSources> {
  const backends = new Map<string, Backend | UserError>();
  const readers = new Map<string, CatalogReader | UserError>();
  const backendFor = async (name: string): Promise<Backend | UserError> => {
    let backend = backends.get(name);
    if (backend) return backend;
    const config = workspace.backends.get(name);
    try {
      if (!config) {
        throw new UserError(
          'BACKEND_UNKNOWN',
          `No backend is named ${clip(name, 80)} in dapple.yaml.`,
          'Add it under backends:, or fix the name on the source.',
        );
      }
      backend = await buildBackend(config, { workspaceRoot: workspace.root, ...options });
    } catch (error) {
      backend =
        error instanceof UserError
          ? error
          : new UserError(
              'BACKEND_BROKEN',
              `Backend ${clip(name, 80)} could not be set up: ${String(error).slice(0, 200)}.`,
              'Check its settings in dapple.yaml.',
            );
    }
    backends.set(name, backend);
    return backend;
  };
  for (const source of workspace.sources.values()) {
    if (!keep(source)) continue;
    const backend = await backendFor(source.backend);
    if (backend instanceof UserError) {
      readers.set(source.name, backend);
      continue;
    }
    try {
      readers.set(source.name, await buildReader(source, backend, options));
    } catch (error) {
      readers.set(
        source.name,
        error instanceof UserError
          ? error
          : new UserError(
              'SOURCE_BROKEN',
              `Source ${clip(source.name, 80)} could not be set up: ${String(error).slice(0, 200)}.`,
              'Check its settings in dapple.yaml.',
            ),
      );
    }
  }
  return {
    readers,
    async close() {
      await Promise.all(
        [...backends.values()].map((b) =>
          b instanceof UserError ? undefined : b.close().catch(() => undefined),
        ),
      );
    },
  };
}
