import { randomBytes } from 'node:crypto';
import { RecordingSpeaker } from '../../src/adapters/speech/recording-speaker.js';
import { TextListener } from '../../src/adapters/text/text-listener.js';
import { composeGuide } from '../../src/app/compose.js';
import type { ControllerRecord } from '../../src/app/controller.js';
import { loadCatalog } from '../../src/civic/catalog.js';
import { createMemoryQueue } from '../../src/civic/queue/memory-queue.js';
import { openRequestStore } from '../../src/civic/requests/sealed-store.js';
import { createKeywordIntentModel } from '../../src/nlu/keyword-model.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { qrText, syntheticCards } from '../../sim/id-cards.js';
import { simRig } from '../app/sim-rig.js';

export const LISTENING = '"listening":"waiting"';

/** 9:00 on a service day in Ho Chi Minh City, as the calendar the requests are dated by. */
export const MORNING_MS = Date.UTC(2025, 2, 10, 2, 0, 0);

/**
 * The composed controller on the simulated lobby with a card reader that reads synthetic cards in
 * turn, requests sealed in an in-memory database, and every published record kept.
 */
export function composedRig(options: { readonly retentionMs?: number; readonly seedRequests?: (database: Database) => void } = {}) {
  const { clock, base, run, citizenAtHome } = simRig();
  const catalog = loadCatalog();
  const cards = syntheticCards(6, 17);
  let next = 0;
  const database = openDatabase(':memory:');
  const calendarNowMs = () => MORNING_MS + clock.nowMs;
  const requests = openRequestStore(database, { key: randomBytes(32), now: calendarNowMs, ...(options.retentionMs !== undefined ? { retentionMs: options.retentionMs } : {}) });
  options.seedRequests?.(database);
  const listener = new TextListener('console');
  const records: ControllerRecord[] = [];
  const queue = createMemoryQueue(calendarNowMs);
  const composed = composeGuide(
    {
      base,
      listener,
      speaker: new RecordingSpeaker(clock, () => clock.nowMs),
      intentModel: createKeywordIntentModel(catalog),
      scanner: { nextScan: async () => qrText(cards[next++ % cards.length]!) },
      clock,
      nowMs: () => clock.nowMs,
      calendarNowMs,
    },
    { catalog, robotId: 'robot-1', stores: { queue, requests, checkpoints: null }, onRecord: (_tS, r) => records.push(r) },
  );
  const rows = () => database.connection.prepare<[], { request_id: string; ticket: string | null }>('SELECT request_id, ticket FROM requests').all();
  const interaction = () => JSON.stringify(composed.controller.snapshot().value);
  /** Says something and lets the robot answer. */
  const say = async (text: string, seconds = 30) => {
    listener.push({ text });
    await run(seconds);
  };
  /** Runs the lobby until the interaction state holds `fragment` (e.g. `"listening":"waiting"`). */
  const waitFor = async (fragment: string, maxS = 120) => {
    for (let s = 0; s < maxS * 2; s += 1) {
      if (interaction().includes(fragment)) return;
      await run(0.5);
    }
    throw new Error(`the interaction never reached ${fragment}: ${interaction()}`);
  };
  /** Says something once the robot listens, then waits until it listens again (or `until` holds). */
  const answer = async (text: string, until = LISTENING) => {
    await waitFor(LISTENING);
    listener.push({ text });
    await run(1);
    await waitFor(until);
  };
  return { clock, run, waitFor, answer, listener, citizenAtHome, composed, requests, database, records, rows, interaction, say, cards, queue };
}
