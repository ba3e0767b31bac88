import { intentModelFromOption } from '../app/intent-model.js';
import { createWatchdogAlertRelay } from '../app/watchdog-alerts.js';
import { databaseFile, openDatabase } from '../store/database.js';
import { loadCatalog } from '../civic/catalog.js';
import { openSqliteQueue } from '../civic/queue/sqlite-queue.js';
import type { ControllerRecord } from '../app/controller.js';
import { createLog, DEFAULT_LOG_MAX_BYTES, DEFAULT_LOG_MAX_FILES, type TiepdanLog } from '../observability/log.js';
import { maskTranscript } from '../console/controller-backend.js';
import { ROBOT_ID, type ConsoleSecurity } from '../console/lobby-console.js';
import { checkOrigins } from '../console/origins.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { runRobotLobby } from './robot-lobby.js';
import { loadSpeechConfig } from './say.js';
import { projectPath, WEB_ROOT } from '../paths.js';
import { interruptible, intOption, parse, UsageError } from './args.js';

export const START_HELP = `Usage: tiepdan start [--base sim] [--scenario FILE] [--map FILE] [--seed N] [--speed N]
       tiepdan start --base ros2 --map FILE [--ros2-config FILE] [--ears ros2|mic|none] [--speech-config FILE]

Runs the controller and shows in the terminal what happens: the robot's state, what it hears and
says, where it goes; serves the console, kiosk and counter pages, and Prometheus metrics at
/metrics. Writes what the controller does to a JSON-lines log, with personal data removed.
Ctrl-C stops the robot and exits.

Options:
  --base sim|ros2  sim: the built-in lobby simulator (default); ros2: a real robot through ROS 2
                   (Nav2, ROS4HRI), which needs a sourced ROS 2 and rclnodejs installed
  --ros2-config FILE  for ros2: topics, actions, QoS and timeouts (YAML; default: a standard Nav2
                   bringup, see sim/ros2/nav2-default.yaml)
  --ears E         for ros2: ros2 (ROS4HRI speech, default), mic (this machine's microphone, English
                   through pocketsphinx), none (the kiosk and console only)
  --speech-config FILE  for ros2: voices per language (see tiepdan say --help)
  --scenario FILE  who comes into the lobby (default sim/scenarios/lobby-live.yaml)
  --map FILE       map YAML (ROS map_server format) with its .places.yaml beside it
  --seed N         random seed for the simulated citizens
  --speed N        simulated seconds per wall second (default 1: real time)
  --intent-model DIR|keyword  the intent model: a trained model directory (default
                   models/intent, the shipped one) or keyword, the rule-based model;
                   a missing or broken model falls back to keyword with a warning
  --db FILE        the SQLite file for queue tickets and sealed requests, created 0600 on
                   first start (default: $TIEPDAN_DB, else var/tiepdan.db)
  --data-key-file FILE  the key (32 bytes, base64) sealing pre-filled requests with
                   AES-256-GCM (default: $TIEPDAN_DATA_KEY_FILE, else tiepdan.key beside the
                   database, generated 0600 on first start; $TIEPDAN_DATA_KEY is still
                   read, with a warning: the environment is visible in /proc)
  --request-retention-min N  minutes a pre-filled request is kept at most (default: until
                   midnight in Ho Chi Minh City); it is deleted sooner when the counter
                   opens it or calls the next ticket, and purged every minute
  --host H         the console's address (default 127.0.0.1)
  --port N         the console's port (default 8080; 0 picks a free one)
  --allowed-origin URL  an origin whose pages may log in and open the console's socket, exactly as
                   the browser shows it (http://192.168.1.20:8080, https://lobby.ward7.example);
                   repeatable; default: the console's own address as it listens (for --host
                   0.0.0.0, every address of this machine), never the Host a request names
  --audit-retention-days N  days the console audit keeps a row (default 90)
  --metrics-public serve /metrics (Prometheus text format, no login) to any address that reaches
                   the console; without it only to this machine (127.0.0.1, ::1), others get 403
  --log FILE       the JSON-lines log, 0600 (default var/log/tiepdan.log); rotated at ${DEFAULT_LOG_MAX_BYTES / 1024 / 1024} MiB,
                   ${DEFAULT_LOG_MAX_FILES} files kept (FILE, FILE.1 ... FILE.${DEFAULT_LOG_MAX_FILES - 1}); ID numbers, names, dates of
                   birth and addresses never reach it
  -h, --help       show this help`;

export function clockText(tS: number): string {
  const s = Math.floor(tS);
  const hh = String(Math.floor(s / 3600)).padStart(2, '0');
  const mm = String(Math.floor((s % 3600) / 60)).padStart(2, '0');
  const ss = String(s % 60).padStart(2, '0');
  return `${hh}:${mm}:${ss}`;
}

/** One terminal line per thing worth seeing; free text masked as on the console and in the log. */
export function describeRecord(record: ControllerRecord): string | null {
  switch (record.kind) {
    case 'state':
      return `state    ${record.interaction}  [safety ${record.safety}, power ${record.power}, link ${record.link}]`;
    case 'heard':
      return `hears    "${maskTranscript(record.text)}"`;
    case 'understood':
      return `intent   ${record.intent}${record.procedure !== null ? ` / ${record.procedure}` : ''} (${record.lang}, ${record.confidence.toFixed(2)})`;
    case 'said':
      return `says     [${record.lang}] ${maskTranscript(record.text)}`;
    case 'nav':
      return record.result === null
        ? `moves    to ${record.placeId} (${record.purpose})`
        : `arrives  ${record.placeId}: ${record.result.kind}${record.result.kind === 'failed' ? ` (${record.result.reason}: ${maskTranscript(record.result.detail)})` : ''}`;
    case 'ticket':
      return `ticket   ${record.number} for ${record.counterId}`;
    case 'idRead':
      return `card     ${record.cards.map((c) => `${c.idNumber} ${c.fullName}`).join(' + ')} -> request for ${record.procedureId}`;
    case 'idRejected':
      return `card     not read (${record.codes.join(', ')})`;
    case 'alert':
      return `ALERT    ${record.alert}`;
    case 'error':
      return `ERROR    ${record.where}: ${maskTranscript(record.message)}`;
  }
}

export async function startCommand(argv: string[]): Promise<number> {
  const { values } = parse(argv, {
    base: { type: 'string' },
    scenario: { type: 'string' },
    map: { type: 'string' },
    seed: { type: 'string' },
    speed: { type: 'string' },
    'intent-model': { type: 'string' },
    db: { type: 'string' },
    'request-retention-min': { type: 'string' },
    'data-key-file': { type: 'string' },
    host: { type: 'string' },
    port: { type: 'string' },
    'ros2-config': { type: 'string' },
    ears: { type: 'string' },
    'speech-config': { type: 'string' },
    'metrics-public': { type: 'boolean' },
    'allowed-origin': { type: 'string', multiple: true },
    'audit-retention-days': { type: 'string' },
    log: { type: 'string' },
  });
  if (values.help === true) {
    process.stdout.write(`${START_HELP}\n`);
    return 0;
  }
  const { 'allowed-origin': allowedOrigins, 'audit-retention-days': retention, ...rest } = values;
  const security = consoleSecurity(allowedOrigins, retention);
  const baseKind = values.base ?? 'sim';
  if (baseKind !== 'sim' && baseKind !== 'ros2') throw new UsageError(`--base must be sim or ros2, got "${baseKind}"`);
  if (baseKind === 'ros2') return startOnRobot(rest, security);
  for (const option of ['ros2-config', 'ears', 'speech-config'] as const) {
    if (values[option] !== undefined) throw new UsageError(`--${option} is for --base ros2`);
  }
  const { startOnSimulator } = await import('./start-sim.js');
  return startOnSimulator(rest, security);
}

/** `--allowed-origin` (repeatable) and `--audit-retention-days`, checked before anything starts. */
export function consoleSecurity(allowedOrigins: readonly string[] | undefined, retentionDays: string | undefined): ConsoleSecurity {
  if (allowedOrigins !== undefined) {
    try {
      checkOrigins(allowedOrigins);
    } catch (error) {
      throw new UsageError(`--allowed-origin: ${(error as Error).message.replace(/^tiepdan \w+: /, '')}`);
    }
  }
  const days = intOption('audit-retention-days', retentionDays, 1, 36_500);
  return { ...(allowedOrigins !== undefined ? { allowedOrigins } : {}), ...(days !== undefined ? { auditRetentionDays: days } : {}) };
}

/** `tiepdan start --base ros2`: the controller on a robot, until Ctrl-C. */
async function startOnRobot(values: Record<string, string | boolean | undefined>, security: ConsoleSecurity): Promise<number> {
  const text = (name: string): string | undefined => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  // The robot has no card reader adapter yet: nothing to seal, so no key.
  for (const option of ['scenario', 'seed', 'speed', 'request-retention-min', 'data-key-file'] as const) {
    if (values[option] !== undefined) throw new UsageError(`--${option} is for the simulator, not --base ros2`);
  }
  const mapPath = text('map');
  if (mapPath === undefined) throw new UsageError('--base ros2 needs --map FILE: the robot\'s Nav2 map, with its .places.yaml beside it');
  const ears = text('ears') ?? 'ros2';
  if (ears !== 'ros2' && ears !== 'mic' && ears !== 'none') throw new UsageError('--ears must be ros2, mic or none');
  const host = text('host') ?? '127.0.0.1';
  const port = intOption('port', text('port'), 0, 65_535) ?? 8080;
  const catalog = loadCatalog();
  const speech = loadSpeechConfig(text('speech-config'));
  const watchdogAlerts = createWatchdogAlertRelay();
  const intentModel = await intentModelFromOption(text('intent-model'), catalog, (m) => process.stderr.write(`warning: ${m}\n`), () => watchdogAlerts.raise('intentModelFailed'));
  const dbFile = databaseFile(text('db'));
  const database = openDatabase(dbFile);
  const queue = openSqliteQueue(database);
  const log = openLog(text('log'));
  const interrupt = interruptible(() => process.stdout.write('\nstopping: holding the base still, then shutting down\n'));
  try {
    await runRobotLobby({
      mapPath,
      ...(text('ros2-config') !== undefined ? { ros2ConfigPath: text('ros2-config')! } : {}),
      speech,
      ears,
      intentModel,
      catalog,
      queue,
      database,
      host,
      port,
      webRoot: WEB_ROOT,
      signal: interrupt.signal,
      metricsPublic: values['metrics-public'] === true,
      security,
      log: log.logger,
      watchdogAlerts,
      onReady: (lobbyConsole) => {
        announceConsole(lobbyConsole.server.url, lobbyConsole.firstAdmin);
        process.stdout.write(`tiepdan: on the robot through ROS 2, map ${mapPath}; understanding with the ${intentModel.name} model; queue in ${dbFile}. Ctrl-C to stop.\n`);
      },
      onRecord: (tS, record) => {
        const line = describeRecord(record);
        if (line !== null) process.stdout.write(`${clockText(tS)}  ${line}\n`);
      },
    });
    return 0;
  } finally {
    interrupt.dispose();
    queue.close();
    database.close();
    await intentModel.close();
    log.close();
  }
}

/** The controller's JSON-lines log, its folder created on first start. */
export function openLog(file: string | undefined): TiepdanLog {
  const path = file ?? projectPath('var', 'log', 'tiepdan.log');
  const log = createLog({ file: path, bindings: { robotId: ROBOT_ID } });
  process.stdout.write(`log: ${path}\n`);
  return log;
}

export function announceConsole(url: string, firstAdmin: { readonly name: string; readonly password: string } | null): void {
  process.stdout.write(`console: ${url}/console  kiosk: ${url}/kiosk  counter: ${url}/counter  metrics: ${url}/metrics\n`);
  if (!existsSync(join(WEB_ROOT, 'console', 'index.html'))) {
    process.stdout.write('console: the web pages are not built (npm run build); the websocket and API work without them\n');
  }
  if (firstAdmin !== null) {
    process.stdout.write(`console: first start, account "${firstAdmin.name}" created with the password ${firstAdmin.password} (shown once; change it before use)\n`);
  }
}
