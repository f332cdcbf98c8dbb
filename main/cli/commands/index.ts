// Every `dapple` command, in the order `dapple --help` lists them.
import type { Command } from '../command';
import { auditCommand } from './audit';
import { catalogCommand } from './catalog';
import { findingsCommand } from './findings';
import { groupsCommand } from './groups';
import { serveCommand } from './serve';
import { workspaceCommand } from '../../workspace/cli';

export const commands: Command[] = [
  serveCommand,
  catalogCommand,
  auditCommand,
  groupsCommand,
  findingsCommand,
  workspaceCommand,
];
