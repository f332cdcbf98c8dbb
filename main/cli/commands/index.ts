// Every `dapple` command, in the order `dapple --help` lists them. Each command's module loads only
// when it runs: `dapple catalog list` must not pay for the server, the audit log or the AWS SDK.
import type { Command } from '../command';

/** A command as `dapple --help` knows it; load() brings in its code (see commands.test.ts). */
export type CommandEntry = Pick<Command, 'name' | 'summary'> & { load: () => Promise<Command> };

export const commands: CommandEntry[] = [
  {
    name: 'serve',
    summary: 'serve the console to a browser on 127.0.0.1 (browser mode)',
    load: async () => (await import('./serve')).serveCommand,
  },
  {
    name: 'drill',
    summary: 'run a runbook as a drill, rehearsal or live session, writing the signed audit log',
    load: async () => (await import('./drill')).drillCommand,
  },
  {
    name: 'approve',
    summary:
      'answer an approval request with your own key (or sign a standing approval for drills)',
    load: async () => (await import('./approve')).approveCommand,
  },
  {
    name: 'catalog',
    summary: 'list the recovery points of a workspace (cached, or --refresh)',
    load: async () => (await import('./catalog')).catalogCommand,
  },
  {
    name: 'audit',
    summary: 'verify an audit log offline; make and export your signing key',
    load: async () => (await import('./audit')).auditCommand,
  },
  {
    name: 'groups',
    summary: 'candidate cuts of a consistency group; the last good state before an incident',
    load: async () => (await import('./groups')).groupsCommand,
  },
  {
    name: 'findings',
    summary: 'health findings of a workspace: stale, broken chains, 3-2-1, retention, orphans',
    load: async () => (await import('./findings')).findingsCommand,
  },
  {
    name: 'workspace',
    summary: 'Check a workspace folder (for CI), or write the demo workspace',
    load: async () => (await import('./workspace')).workspaceCommand,
  },
];
