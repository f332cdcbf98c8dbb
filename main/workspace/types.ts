// The parsed workspace (dapple.yaml): the engine's view, with durations in seconds.
// resources/schemas/workspace.schema.json is the authority on the file format.

/** Where bytes live. Tags such as "offsite" feed the 3-2-1 findings. */
export type BackendConfig =
  | { name: string; type: 'local'; path: string; tags: string[] }
  | {
      name: string;
      type: 'ssh';
      /** A hostname or a ~/.ssh/config alias. */
      host: string;
      port: number | null;
      user: string | null;
      identityFile: string | null;
      tags: string[];
    }
  | {
      name: string;
      type: 's3';
      endpoint: string | null;
      region: string | null;
      profile: string | null;
      forcePathStyle: boolean | null;
      tags: string[];
    };

/** How a repository password is obtained; never the password itself. */
export type SecretRef =
  | { from: 'file'; path: string }
  | { from: 'command'; argv: string[] }
  | { from: 'keychain'; name: string }
  | { from: 'env'; name: string };

/** What wrote the backups, read through a backend. */
export type SourceConfig =
  | {
      name: string;
      type: 'restic';
      backend: string;
      service: string;
      repository: string;
      password: SecretRef | null;
    }
  | {
      name: string;
      type: 'borg';
      backend: string;
      service: string;
      repository: string;
      passphrase: SecretRef | null;
    }
  | {
      name: string;
      type: 'pgbackrest';
      backend: string;
      service: string;
      stanza: string;
      config: string | null;
    }
  | {
      name: string;
      type: 'manifest';
      backend: string;
      service: string | null;
      path: string;
      bucket: string | null;
    }
  | {
      name: string;
      type: 's3-versions';
      backend: string;
      service: string;
      bucket: string;
      prefix: string;
    };

/** Retention tiers in days (how long dailies, weeklies, monthlies and yearlies are kept). */
export type RetentionPolicy = { daily: number; weekly: number; monthly: number; yearly: number };

/** A protected service with its objectives. */
export type ServiceConfig = {
  name: string;
  owner: string;
  rpoSeconds: number;
  rtoSeconds: number;
  retention: RetentionPolicy;
};

/** Services restored to one logical point. */
export type GroupConfig = {
  name: string;
  members: string[];
  toleranceSeconds: number;
  order: string[];
  /** Workspace-relative runbook path, or null. */
  runbook: string | null;
};

/** A place a restore may write to. */
export type TargetConfig = {
  name: string;
  kind: 'host' | 'bucket' | 'folder';
  environment: 'production' | 'sandbox';
  /** backend name for host/bucket targets; null for a local folder. */
  backend: string | null;
  /** A folder path (folder/host targets) or bucket name (bucket targets). */
  path: string;
};

/** A runbook file found in the workspace: its title and step count, or why it is unusable. */
export type RunbookSummary = {
  /** Workspace-relative path with '/' separators, e.g. "runbooks/shop-restore.yaml". */
  file: string;
  /** Absolute path. */
  path: string;
  /** The title, or the file name when the file is not valid. */
  title: string;
  steps: number;
  /** True when the file passed the runbook schema and the loader's cross-checks. */
  valid: boolean;
};

/** A loaded workspace. Paths inside are absolute. */
export type Workspace = {
  /** Absolute folder of the workspace. */
  root: string;
  name: string;
  /** dapple.yaml drillEvery: how often each runbook should be drilled (null: the default, 30 days). */
  drillEverySeconds?: number | null;
  backends: Map<string, BackendConfig>;
  sources: Map<string, SourceConfig>;
  services: Map<string, ServiceConfig>;
  groups: Map<string, GroupConfig>;
  targets: Map<string, TargetConfig>;
  /** The files in runbooks/ (set by loadWorkspace). */
  runbooks?: RunbookSummary[];
  /**
   * The approvals drop folder (`approvals:` in dapple.yaml), absolute; null when the workspace
   * has none. Requests and responses are written there and both sides watch it.
   */
  approvalsDir?: string | null;
  /** Absolute path of keys/trusted.json, or null when absent (set by loadWorkspace). */
  trustedKeys?: string | null;
};
