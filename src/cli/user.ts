import { createInterface } from 'node:readline';
import { ROLES, type Role } from '../console/protocol.js';
import { generatePassword, openUserStore } from '../console/users.js';
import { loadMap, loadPlaces, placesPathFor } from '../maps/map.js';
import { projectPath } from '../paths.js';
import { databaseFile, openDatabase } from '../store/database.js';
import { parse, UsageError } from './args.js';

export const USER_HELP = `Usage: tiepdan user <add|remove|list> [options]

  tiepdan user add NAME --role ROLE [--counter ID [--map FILE]] [--generate] [--db FILE]
      Adds an account. The password is read from the first line of stdin, or with --generate
      made up and printed once, to be changed at the first login. ROLE: ${ROLES.join(', ')};
      an officer needs --counter, a counter of the map's places file. A password has at least
      10 characters and is not a common one, a repetition or a run of keys.
  tiepdan user remove NAME [--db FILE]
      Removes the account and ends its sessions.
  tiepdan user list [--db FILE] [--json]
      Lists accounts (never passwords).

Options:
  --db FILE   the SQLite file (default: $TIEPDAN_DB, else var/tiepdan.db)
  --map FILE  map YAML whose .places.yaml lists the counters (default sim/maps/ward-lobby.yaml)
  -h, --help  show this help`;

async function firstLine(): Promise<string> {
  const lines = createInterface({ input: process.stdin, crlfDelay: Infinity });
  for await (const line of lines) {
    lines.close();
    return line;
  }
  return '';
}

export async function userCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    process.stdout.write(`${USER_HELP}\n`);
    return 0;
  }
  const { values, positionals: names } = parse(
    rest,
    { role: { type: 'string' }, counter: { type: 'string' }, map: { type: 'string' }, generate: { type: 'boolean' }, db: { type: 'string' }, json: { type: 'boolean' } },
    true,
  );
  if (values.help === true) {
    process.stdout.write(`${USER_HELP}\n`);
    return 0;
  }
  if (sub === 'add' && values.counter !== undefined) {
    // An officer bound to a counter that is not on the map would be refused every counter command.
    const mapPath = values.map ?? projectPath('sim', 'maps', 'ward-lobby.yaml');
    const placesPath = placesPathFor(mapPath);
    const counter = loadPlaces(placesPath, loadMap(mapPath)).find((p) => p.id === values.counter && p.kind === 'counter');
    if (counter === undefined) throw new UsageError(`--counter ${values.counter}: not a counter in ${placesPath}`);
  } else if (values.map !== undefined) {
    throw new UsageError('--map is for user add --counter');
  }
  const database = openDatabase(databaseFile(values.db));
  const users = openUserStore(database);
  try {
    switch (sub) {
      case 'add': {
        const [name] = names;
        if (name === undefined || names.length !== 1) throw new UsageError('give exactly one user NAME');
        if (values.role === undefined || !(ROLES as readonly string[]).includes(values.role)) throw new UsageError(`--role must be one of ${ROLES.join(', ')}`);
        const generated = values.generate === true;
        const password = generated ? generatePassword() : (await firstLine()).trim();
        // A generated password has been on a screen: its owner chooses their own before anything else.
        users.add(name, values.role as Role, password, { ...(values.counter !== undefined ? { counterId: values.counter } : {}), mustChangePassword: generated });
        process.stdout.write(generated ? `added ${name} (${values.role}); password, shown once, to be changed at the first login: ${password}\n` : `added ${name} (${values.role})\n`);
        return 0;
      }
      case 'remove': {
        const [name] = names;
        if (name === undefined || names.length !== 1) throw new UsageError('give exactly one user NAME');
        if (!users.remove(name)) {
          process.stderr.write(`tiepdan user: no user ${name}\n`);
          return 1;
        }
        process.stdout.write(`removed ${name}\n`);
        return 0;
      }
      case 'list': {
        if (names.length > 0) throw new UsageError('list takes no NAME');
        const list = users.list();
        if (values.json === true) process.stdout.write(`${JSON.stringify(list)}\n`);
        else for (const u of list) process.stdout.write(`${u.name.padEnd(24)} ${u.role.padEnd(9)} ${u.counterId ?? ''}${u.mustChangePassword ? '  (must change password)' : ''}\n`);
        return 0;
      }
      default:
        throw new UsageError(`unknown subcommand "${sub}"; use add, remove or list`);
    }
  } finally {
    users.close();
    database.close();
  }
}
