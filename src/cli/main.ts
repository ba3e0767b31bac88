#!/usr/bin/env node
import { TiepdanError } from '../ports/errors.js';
import { UsageError } from './args.js';

const HELP = `Usage: tiepdan <command> [options]

The controller of a guide robot for a ward public-service centre lobby.

Commands:
  start   run the controller on the built-in lobby simulator, live in the terminal
  sim     run a scenario headless and print a summary (--json) or write a report
  nlu     train, evaluate and run the intent model (train | eval | classify)
  id      read a citizen ID card's QR text or image and validate it (parse)
  queue   today's queue tickets, and calling the next one at a counter (status | call)
  user    console accounts: add, remove, list
  privacy report personal data left in clear in the database, the log or a console stream
  say     speak a text with the robot's voices (vi, en, ko), or write it to a WAV file
  listen  voice activity, speech recognition and intent on a WAV file or the microphone
  help    show this help

Run "tiepdan <command> --help" for a command's options.`;

type Command = (argv: string[]) => Promise<number>;

/** Each command is loaded when it runs: the robot's process never loads the simulator's code. */
const COMMANDS: Record<string, () => Promise<Command>> = {
  start: async () => (await import('./start.js')).startCommand,
  sim: async () => (await import('./sim.js')).simCommand,
  nlu: async () => (await import('./nlu.js')).nluCommand,
  id: async () => (await import('./id.js')).idCommand,
  queue: async () => (await import('./queue.js')).queueCommand,
  user: async () => (await import('./user.js')).userCommand,
  privacy: async () => (await import('./privacy.js')).privacyCommand,
  say: async () => (await import('./say.js')).sayCommand,
  listen: async () => (await import('./listen.js')).listenCommand,
};

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === 'help' || command === '--help' || command === '-h') {
    process.stdout.write(`${HELP}\n`);
    return command === undefined ? 2 : 0;
  }
  const load = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (load === undefined) {
    process.stderr.write(`tiepdan: unknown command "${command}"\n\n${HELP}\n`);
    return 2;
  }
  try {
    const run = await load();
    return await run(rest);
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`tiepdan ${command}: ${error.message}\nRun "tiepdan ${command} --help" for usage.\n`);
      return 2;
    }
    if (error instanceof TiepdanError) {
      process.stderr.write(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

// Piped into `head` or a closed pager: stop quietly instead of crashing on the next write.
process.stdout.on('error', (error: NodeJS.ErrnoException) => {
  if (error.code === 'EPIPE') process.exit(0);
  throw error;
});

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`tiepdan: unexpected failure: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
