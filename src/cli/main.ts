// The `parley` command. Each subcommand lives in src/cli/commands/<name>.ts and exports
// `register(program)`; they are discovered here so adding a command touches no shared file.
import { Command, CommanderError } from 'commander';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { UserError, oneLine } from './errors.js';

function fail(err: unknown): never {
  const code = err instanceof UserError ? err.exitCode : 1;
  process.stderr.write(`parley: ${oneLine(err)}\n`);
  if (process.env.PARLEY_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  process.exit(code);
}

process.on('uncaughtException', fail);
process.on('unhandledRejection', fail);
// A closed pipe on stdout (`parley … | head`) ends quietly.
process.stdout.on('error', (e: NodeJS.ErrnoException) => {
  if (e.code === 'EPIPE') process.exit(0);
  fail(e);
});

async function main(): Promise<void> {
  const program = new Command();
  program
    .name('parley')
    .description('News intelligence: stories, actors, who said what, who did what to whom, where each side stands.')
    .version('0.1.0')
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s.split('\n')[0] ? `${s.split('\n')[0]}\n` : s) });
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'commands');
  // Load only the named command's module when there is one of that name (startup stays fast: each
  // command's heavy imports are paid only when it runs); otherwise load all, for help and errors.
  const all = readdirSync(dir).filter((f) => f.endsWith('.js')).sort();
  const named = process.argv[2] ? `${process.argv[2]}.js` : '';
  const files = all.includes(named) ? [named] : all;
  for (const f of files) {
    // One broken command module must not take the others down.
    try {
      const mod = (await import(pathToFileURL(path.join(dir, f)).href)) as { register?: (p: Command) => void };
      mod.register?.(program);
    } catch (err) {
      if (files.length === 1) throw err;
      process.stderr.write(`parley: command ${f.replace(/\.js$/, '')} is unavailable (${oneLine(err)})\n`);
    }
  }
  try {
    await program.parseAsync(process.argv);
  } catch (err) {
    if (err instanceof CommanderError) {
      if (err.exitCode === 0) process.exit(0);
      process.exit(2); // commander already printed its one-line message
    }
    throw err;
  }
}

main().catch(fail);
