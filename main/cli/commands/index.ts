// Every `dapple` command, in the order `dapple --help` lists them.
import type { Command } from '../command';
import { serveCommand } from './serve';

export const commands: Command[] = [serveCommand];
