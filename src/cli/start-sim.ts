import { intentModelFromOption } from '../app/intent-model.js';
import { createWatchdogAlertRelay } from '../app/watchdog-alerts.js';
import { databaseFile, openDatabase } from '../store/database.js';
import { loadCatalog } from '../civic/catalog.js';
import { openSqliteQueue } from '../civic/queue/sqlite-queue.js';
import { defaultKeyFile, resolveDataKey } from '../civic/requests/sealed-store.js';
import { projectPath, WEB_ROOT } from '../paths.js';
import { loadScenario } from '../../sim/scenario.js';
import { interruptible, intOption, speedOption } from './args.js';
import type { ConsoleSecurity } from '../console/lobby-console.js';
import { startLiveLobby } from './live-lobby.js';
import { printSummary } from './sim.js';
import { announceConsole, clockText, describeRecord, openLog } from './start.js';

/**
 * `tiepdan start` on the built-in lobby simulator, until the scenario ends or Ctrl-C. Loaded only
 * for the simulator, so the robot's process never loads the simulator's code.
 */
export async function startOnSimulator(values: Record<string, string | boolean | undefined>, security: ConsoleSecurity = {}): Promise<number> {
  const text = (name: string): string | undefined => (typeof values[name] === 'string' ? (values[name] as string) : undefined);
  const seed = intOption('seed', text('seed'), 0, 4_294_967_295);
  const speed = speedOption(text('speed'), 1, false);
  const retentionMin = intOption('request-retention-min', text('request-retention-min'), 1, 7 * 24 * 60);
  const host = text('host') ?? '127.0.0.1';
  const port = intOption('port', text('port'), 0, 65_535) ?? 8080;
  const scenario = loadScenario(text('scenario') ?? projectPath('sim', 'scenarios', 'lobby-live.yaml'));
  const catalog = loadCatalog();
  const watchdogAlerts = createWatchdogAlertRelay();
  const intentModel = await intentModelFromOption(text('intent-model'), catalog, (m) => process.stderr.write(`warning: ${m}\n`), () => watchdogAlerts.raise('intentModelFailed'));
  const dbFile = databaseFile(text('db'));
  const database = openDatabase(dbFile);
  // Tickets are dated by the wall clock (sped up with the simulation), so numbers restart at local midnight.
  const startedAt = Date.now();
  const factor = typeof speed === 'number' ? speed : 1;
  const queue = openSqliteQueue(database, () => startedAt + (Date.now() - startedAt) * factor);
  // Cards are read only when the scenario has ID scans: only then is a key needed, or generated.
  const dataKey = scenario.idScans.enabled
    ? resolveDataKey({
        ...(text('data-key-file') !== undefined ? { file: text('data-key-file')! } : {}),
        defaultFile: defaultKeyFile(dbFile),
        notice: (m) => process.stdout.write(`${m}\n`),
      })
    : null;
  if (dataKey !== null) process.stdout.write(`pre-filled requests: sealed with AES-256-GCM in ${dbFile}${dataKey.file !== null ? `, key in ${dataKey.file}` : ''}\n`);
  const log = openLog(text('log'));
  const interrupt = interruptible(() => process.stdout.write('\nstopping: holding the base still, then shutting down\n'));
  try {
    const lobby = await startLiveLobby({
      scenario,
      intentModel,
      catalog,
      queue,
      database,
      dataKey: dataKey?.key ?? null,
      host,
      port,
      speed,
      webRoot: WEB_ROOT,
      epochMs: startedAt,
      signal: interrupt.signal,
      ...(retentionMin !== undefined ? { requestRetentionMs: retentionMin * 60_000 } : {}),
      ...(text('map') !== undefined ? { mapPath: text('map')! } : {}),
      ...(seed !== undefined ? { seed } : {}),
      metricsPublic: values['metrics-public'] === true,
      security,
      log: log.logger,
      watchdogAlerts,
      onRecord: (tS, record) => {
        const line = describeRecord(record);
        if (line !== null) process.stdout.write(`${clockText(tS)}  ${line}\n`);
      },
    });
    announceConsole(lobby.server.url, lobby.firstAdmin);
    process.stdout.write(
      `tiepdan: simulated ward lobby (${scenario.name}), ${speed}x real time; understanding with the ${intentModel.name} model; queue in ${dbFile}. Ctrl-C to stop.\n`,
    );
    const result = await lobby.done;
    printSummary(result, process.stdout);
    return 0;
  } finally {
    interrupt.dispose();
    queue.close();
    database.close();
    await intentModel.close();
    log.close();
  }
}

