// Options shared by the library commands. Kept apart from cli.ts so that registering commands
// (which `parley` does for every command at start-up) loads nothing heavy.
import type { Command } from 'commander';
import os from 'node:os';

export function addDbOption(cmd: Command): Command {
  return cmd.option('--db <file|url>', 'library: a SQLite file or a postgres:// URL (default: $PARLEY_DB or ./parley.db)');
}

export function addWorkersOption(cmd: Command): Command {
  return cmd.option('--workers <n>', `analysis threads (default: ${os.availableParallelism()}; 0 = on the main thread)`);
}
