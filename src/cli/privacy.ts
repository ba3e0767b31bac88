import { existsSync, readFileSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { findPersonalData, type Finding } from '../civic/privacy/scan.js';
import { databasePath } from '../store/database.js';
import { projectPath } from '../paths.js';
import { DEFAULT_LOG_MAX_FILES } from '../observability/log.js';
import { parse, UsageError } from './args.js';

export const PRIVACY_HELP = `Usage: tiepdan privacy report [--db FILE] [--log FILE] [--stream FILE] [--names FILE] [--json]

Looks for personal data left in clear where the controller writes: every table of the database
(clear-text columns only; the sealed requests are not decrypted), the JSON-lines log and its rotated
files, and optionally a recorded console stream (JSON lines). It reports 12-digit ID numbers and
9-digit old ID numbers however they are grouped (spaces, dashes, dots, full-width digits), dates
(d/m/yyyy, yyyy-mm-dd, ddmmyyyy, "ngày 15 tháng 3 năm 1985"...), and the names in --names. What it
finds is printed masked, with the file and the line, table row or column where it is.

Exits 0 when nothing is found, 1 when something is, 2 on a usage error.

Options:
  --db FILE      the controller's SQLite file (default: $TIEPDAN_DB, else var/tiepdan.db); skipped
                 when it does not exist
  --log FILE     the log (default var/log/tiepdan.log); FILE.1 ... FILE.${DEFAULT_LOG_MAX_FILES - 1} are read too
  --stream FILE  a recorded console stream, one JSON message a line
  --names FILE   names to look for, one a line (e.g. the synthetic citizens of a test run)
  --json         one JSON object: { findings: [{ file, where, kind, masked }] }
  -h, --help     show this help`;

export interface Located extends Finding {
  readonly file: string;
  readonly where: string;
}

/**
 * Keys and columns that hold the controller's own clocks and ids, not a citizen's: a ticket's day
 * (`yyyy-mm-dd`), epoch milliseconds, a request id (`robot-1-<ms>-<seq>`), and sealed or hashed bytes.
 */
const OWN_KEYS = new Set(['time', 'tS', 'atMs', 'at', 'day', 'issued_at', 'called_at', 'expires_at', 'requestId', 'request_id', 'iv', 'tag', 'data', 'salt', 'hash', 'token', 'pid', 'issueDate']);

/** Every string and number in a JSON value, with its key, except under the controller's own keys. */
function* values(value: unknown, key = ''): Generator<string> {
  if (OWN_KEYS.has(key)) return;
  if (typeof value === 'string') yield value;
  else if (typeof value === 'number') yield String(value);
  else if (Array.isArray(value)) for (const v of value) yield* values(v, key);
  else if (value !== null && typeof value === 'object') for (const [k, v] of Object.entries(value)) yield* values(v, k);
}

function scanJsonLines(file: string, names: readonly string[]): Located[] {
  const found: Located[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '') return;
      let texts: string[];
      try {
        texts = [...values(JSON.parse(line) as unknown)];
      } catch {
        // Not JSON (a truncated last line, a foreign file): the line as text.
        texts = [line];
      }
      for (const text of texts) for (const f of findPersonalData(text, names)) found.push({ ...f, file, where: String(i + 1) });
    });
  return found;
}

/** Every clear-text cell of every table; blobs (sealed requests, password hashes) are not opened. */
function scanDatabase(file: string, names: readonly string[]): Located[] {
  // Read-only and without the migrations `openDatabase` would run: a report must not change the file.
  const db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
  const found: Located[] = [];
  try {
    const tables = db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all();
    for (const { name } of tables) {
      const rows = db.prepare<[], Record<string, unknown>>(`SELECT rowid AS _rowid, * FROM "${name.replace(/"/g, '""')}"`).all();
      for (const row of rows) {
        for (const [column, value] of Object.entries(row)) {
          if (column === '_rowid' || OWN_KEYS.has(column) || (typeof value !== 'string' && typeof value !== 'number')) continue;
          for (const f of findPersonalData(String(value), names)) found.push({ ...f, file, where: `${name} row ${String(row['_rowid'])} ${column}` });
        }
      }
    }
  } finally {
    db.close();
  }
  return found;
}

export async function privacyCommand(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === undefined || sub === '--help' || sub === '-h' || sub === 'help') {
    process.stdout.write(`${PRIVACY_HELP}\n`);
    return sub === undefined ? 2 : 0;
  }
  if (sub !== 'report') throw new UsageError(`unknown subcommand "${sub}"; use report`);
  const { values: options } = parse(rest, { db: { type: 'string' }, log: { type: 'string' }, stream: { type: 'string' }, names: { type: 'string' }, json: { type: 'boolean' } });
  if (options.help === true) {
    process.stdout.write(`${PRIVACY_HELP}\n`);
    return 0;
  }
  const names =
    options.names === undefined
      ? []
      : readFileSync(options.names, 'utf8')
          .split('\n')
          .map((n) => n.trim())
          .filter((n) => n !== '');
  const findings: Located[] = [];
  const scanned: string[] = [];
  const dbFile = databasePath(options.db);
  if (existsSync(dbFile)) {
    findings.push(...scanDatabase(dbFile, names));
    scanned.push(dbFile);
  }
  const logFile = options.log ?? projectPath('var', 'log', 'tiepdan.log');
  for (const file of [logFile, ...Array.from({ length: DEFAULT_LOG_MAX_FILES - 1 }, (_, i) => `${logFile}.${i + 1}`)]) {
    if (!existsSync(file)) continue;
    findings.push(...scanJsonLines(file, names));
    scanned.push(file);
  }
  if (options.stream !== undefined) {
    if (!existsSync(options.stream)) throw new UsageError(`--stream ${options.stream}: no such file`);
    findings.push(...scanJsonLines(options.stream, names));
    scanned.push(options.stream);
  }
  if (options.json === true) process.stdout.write(`${JSON.stringify({ scanned, findings })}\n`);
  else if (findings.length === 0) process.stdout.write(`privacy report: nothing that looks like personal data in ${scanned.length > 0 ? scanned.join(', ') : 'no files (none exist yet)'}\n`);
  else {
    for (const f of findings) process.stdout.write(`${f.file}:${f.where}: ${f.kind} ${f.masked}\n`);
    process.stdout.write(`privacy report: ${findings.length} finding${findings.length === 1 ? '' : 's'} in ${new Set(findings.map((f) => f.file)).size} of ${scanned.length} files\n`);
  }
  return findings.length === 0 ? 0 : 1;
}
