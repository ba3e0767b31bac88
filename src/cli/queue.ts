import { existsSync } from 'node:fs';
import { openSqliteQueue } from '../civic/queue/sqlite-queue.js';
import { dataKeyFromEnvironment, defaultKeyFile, openRequestStore, type PrefilledRequest } from '../civic/requests/sealed-store.js';
import { projectPath } from '../paths.js';
import { databasePath, openDatabase } from '../store/database.js';
import { loadMap, loadPlaces, placesPathFor } from '../maps/map.js';
import { parse, UsageError } from './args.js';

export const QUEUE_HELP = `Usage: tiepdan queue <status|call> [options]

  tiepdan queue status [--db FILE] [--json]
      Today's queue per field: tickets waiting, the last one called, the estimated wait.
  tiepdan queue call --counter ID [--db FILE] [--map FILE] [--reveal]
      Calls the next ticket for a counter (priority tickets first) and prints its number, and hands
      over the citizen's pre-filled request when there is one (audited; deleted once handed over).
      The counter's fields come from the map's places file.

Options:
  --db FILE      the SQLite file (default: $TIEPDAN_DB, else var/tiepdan.db)
  --map FILE     map YAML whose .places.yaml lists the counters (default sim/maps/ward-lobby.yaml)
  --json         print JSON instead of text
  --reveal       print the pre-filled request's fields in clear (for the counter's officer only)
  -h, --help     show this help`;

export async function queueCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    process.stdout.write(`${QUEUE_HELP}\n`);
    return 0;
  }
  const { values } = parse(rest, { db: { type: 'string' }, json: { type: 'boolean' }, counter: { type: 'string' }, map: { type: 'string' }, reveal: { type: 'boolean' } });
  if (values.help === true) {
    process.stdout.write(`${QUEUE_HELP}\n`);
    return 0;
  }
  const file = databasePath(values.db);
  if (!existsSync(file)) throw new UsageError(`${file}: no queue database yet (tiepdan start creates it)`);
  const database = openDatabase(file);
  const queue = openSqliteQueue(database);
  try {
    if (sub === 'status') {
      const status = queue.status();
      if (values.json === true) process.stdout.write(`${JSON.stringify(status)}\n`);
      else {
        for (const s of status) {
          process.stdout.write(`${s.field.padEnd(14)} waiting ${String(s.waiting).padStart(3)}  last called ${(s.lastCalled ?? '-').padEnd(5)}  estimated wait ${Math.round(s.estimatedWaitS / 60)} min\n`);
        }
      }
      return 0;
    }
    if (sub === 'call') {
      if (values.counter === undefined) throw new UsageError('--counter ID is required');
      const mapPath = values.map ?? projectPath('sim', 'maps', 'ward-lobby.yaml');
      const counter = loadPlaces(placesPathFor(mapPath), loadMap(mapPath)).find((p) => p.id === values.counter && p.kind === 'counter');
      if (counter === undefined) throw new UsageError(`--counter ${values.counter}: not a counter in ${placesPathFor(mapPath)}`);
      const ticket = queue.callNext(counter.id, counter.fields);
      const requests = openRequestStore(database, { key: dataKeyFromEnvironment(process.env, defaultKeyFile(file)) });
      let handed: PrefilledRequest | null = null;
      try {
        handed = ticket === null ? null : requests.handOver(ticket.number, counter.id);
      } finally {
        requests.close();
      }
      const request =
        handed === null ? null : { procedureId: handed.procedureId, fields: values.reveal === true ? handed.fields : Object.keys(handed.fields) };
      if (values.json === true) process.stdout.write(`${JSON.stringify({ ticket, request })}\n`);
      else if (ticket === null) process.stdout.write(`no ticket waiting for ${counter.id}\n`);
      else {
        process.stdout.write(`${ticket.number} to ${counter.id}\n`);
        if (request !== null) process.stdout.write(`pre-filled request for ${request.procedureId}: ${JSON.stringify(request.fields)}\n`);
      }
      return 0;
    }
    throw new UsageError(`unknown subcommand "${sub}"; use status or call`);
  } finally {
    queue.close();
    database.close();
  }
}
