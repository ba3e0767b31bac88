import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { loadCatalog } from '../../src/civic/catalog.js';
import { createMemoryQueue } from '../../src/civic/queue/memory-queue.js';
import { startLiveLobby, type LiveLobby, type LiveLobbyOptions } from '../../src/cli/live-lobby.js';
import { createKeywordIntentModel } from '../../src/nlu/keyword-model.js';
import { projectPath } from '../../src/paths.js';
import { openDatabase } from '../../src/store/database.js';
import { parseScenario } from '../../sim/scenario.js';

// Busy and short: citizens every minute, all with card scans, so every kind of record goes out.
const BUSY = `
name: busy-quarter-hour
map: ../maps/ward-lobby.yaml
seed: 11
durationS: 900
arrivals: { ratePerHour: 60, firstArrivalAtS: 2, lastArrivalBeforeEndS: 300 }
languages: { vi: 0.5, en: 0.25, ko: 0.25 }
procedures: { marriage_registration: 2, birth_registration: 2, temporary_residence: 1 }
idScans: { enabled: true, declineProbability: 0, damagedCardProbability: 0.2 }
`;

/** The controller on a busy simulated quarter hour with its console, its files in `dir`. */
export async function startBusyLobby(dir: string, options: Partial<LiveLobbyOptions> & Pick<LiveLobbyOptions, 'speed'>): Promise<LiveLobby> {
  const catalog = loadCatalog();
  const database = openDatabase(join(dir, 'tiepdan.db'));
  const lobby = startLiveLobby({
    scenario: parseScenario(projectPath('sim', 'scenarios', 'busy-quarter-hour.yaml'), BUSY),
    intentModel: createKeywordIntentModel(catalog),
    catalog,
    queue: createMemoryQueue(),
    database,
    dataKey: randomBytes(32),
    host: '127.0.0.1',
    port: 0,
    webRoot: null,
    signal: new AbortController().signal,
    ...options,
  });
  // The database is this helper's: it closes once the lobby's run is over, however that ends.
  const closeDatabase = (): void => database.close();
  return lobby.then(
    (started) => {
      started.done.then(closeDatabase, closeDatabase);
      return started;
    },
    (error: unknown) => {
      closeDatabase();
      throw error;
    },
  );
}
