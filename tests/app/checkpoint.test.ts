import { describe, expect, it } from 'vitest';
import { RecordingSpeaker } from '../../src/adapters/speech/recording-speaker.js';
import { TextListener } from '../../src/adapters/text/text-listener.js';
import { checkpointOnChange, citizenWasWaiting, openCheckpointStore, type Checkpoint, type CheckpointStore } from '../../src/app/checkpoint.js';
import { composeGuide } from '../../src/app/compose.js';
import type { ControllerRecord } from '../../src/app/controller.js';
import { loadCatalog } from '../../src/civic/catalog.js';
import { openSqliteQueue } from '../../src/civic/queue/sqlite-queue.js';
import { createKeywordIntentModel } from '../../src/nlu/keyword-model.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { keywordController, simRig } from './sim-rig.js';

const catalog = loadCatalog();
/** 9:00 in Ho Chi Minh City, as the calendar checkpoints are dated by. */
const MORNING_MS = Date.UTC(2025, 2, 10, 2, 0, 0);

const checkpoint = (over: Partial<Checkpoint> = {}): Checkpoint => ({
  interaction: 'serving.escorting.leading',
  lang: 'en',
  procedureId: 'marriage_registration',
  counterId: 'counter-1',
  ticketNumber: 'A004',
  atMs: MORNING_MS,
  ...over,
});

describe('the checkpoint store', () => {
  it('holds nothing on a first start, then the last checkpoint written, every field as saved, for the next process too', () => {
    const database = openDatabase(':memory:');
    const store = openCheckpointStore(database);
    expect(store.load()).toBeNull();
    store.save(checkpoint());
    expect(store.load()).toEqual(checkpoint());
    const later = checkpoint({ interaction: 'handoff', lang: 'ko', procedureId: null, counterId: null, ticketNumber: null, atMs: MORNING_MS + 61_000 });
    store.save(later);
    store.close();
    // One row, rewritten: another store on the same database (the next process) reads the last one.
    expect(openCheckpointStore(database).load()).toEqual(later);
    expect(database.connection.prepare('SELECT COUNT(*) AS n FROM controller_checkpoint').get()).toEqual({ n: 1 });
    database.close();
  });
});

describe('when a citizen counts as waiting after a restart', () => {
  it.each([
    ['serving.listening.waiting', true],
    ['serving.escorting.leading', true],
    ['serving', true],
    ['handoff', true],
    ['goodbye', true],
    ['idle', false],
    ['returning.driving', false],
    ['docking.announcing', false],
    // A state whose name only ends like one of a conversation's.
    ['reserving', false],
  ] as const)('%s: %s', (interaction, waiting) => {
    expect(citizenWasWaiting(checkpoint({ interaction }))).toBe(waiting);
  });

  it('no checkpoint (a first start): nobody waits', () => {
    expect(citizenWasWaiting(null)).toBe(false);
  });
});

/** The store as a port fake: every checkpoint saved, in order. */
function recordingStore(): CheckpointStore & { saved: Checkpoint[] } {
  const saved: Checkpoint[] = [];
  return { saved, save: (c) => void saved.push(c), load: () => saved.at(-1) ?? null, close: () => {} };
}

describe('writing the checkpoint as the controller works', () => {
  it('writes on a state change or a ticket, dated by the calendar, and not for what is only said, heard or alerted', () => {
    const { base, clock } = simRig();
    const controller = keywordController({ base, clock }, 'sim');
    const store = recordingStore();
    let calendarMs = MORNING_MS;
    const write = checkpointOnChange(store, () => controller, () => calendarMs);
    const passing: ControllerRecord[] = [
      { kind: 'said', messageId: 'greeting', lang: 'vi', text: 'Xin chào', params: {} },
      { kind: 'heard', text: 'hello', lang: null },
      { kind: 'alert', alert: 'helpRequested' },
      { kind: 'understood', intent: 'greet', procedure: null, lang: 'en', confidence: 0.9 },
    ];
    for (const record of passing) write(record);
    expect(store.saved).toEqual([]);
    write({ kind: 'state', interaction: 'idle', safety: 'normal', power: 'ok', link: 'up' });
    calendarMs += 5_000;
    write({ kind: 'ticket', number: 'A001', counterId: 'counter-1' });
    const idle = { interaction: 'idle', lang: 'vi', procedureId: null, counterId: null, ticketNumber: null };
    expect(store.saved).toEqual([
      { ...idle, atMs: MORNING_MS },
      { ...idle, atMs: MORNING_MS + 5_000 },
    ]);
  });
});

/** A controller composed over the simulated lobby with its checkpoint and queue in `database`; `rig` is the lobby. */
function composedOn(database: Database, rig: ReturnType<typeof simRig>) {
  const listener = new TextListener('sim');
  const records: ControllerRecord[] = [];
  const checkpoints = openCheckpointStore(database);
  const composed = composeGuide(
    {
      base: rig.base,
      listener,
      speaker: new RecordingSpeaker(rig.clock, () => rig.clock.nowMs),
      intentModel: createKeywordIntentModel(catalog),
      scanner: null,
      clock: rig.clock,
      nowMs: () => rig.clock.nowMs,
      calendarNowMs: () => MORNING_MS + rig.clock.nowMs,
    },
    {
      catalog,
      robotId: 'robot-1',
      stores: { queue: openSqliteQueue(database), requests: null, checkpoints },
      // Whoever hears of a record hears of it after the checkpoint holds it.
      onRecord: (_tS, record) => {
        if (record.kind === 'state') expect(checkpoints.load()?.interaction).toBe(record.interaction);
        records.push(record);
      },
    },
  );
  return { composed, listener, records, checkpoints };
}

describe('the composed controller across a restart', () => {
  it('checkpoints the conversation with its ticket, and the next process hands the waiting citizen to staff in their language', async () => {
    const database = openDatabase(':memory:');
    const rig = simRig();
    const first = composedOn(database, rig);
    rig.citizenAtHome();
    expect(await first.composed.start()).toBe('fresh');
    await rig.run(15);
    first.listener.push({ text: 'I want to register my marriage' });
    await rig.run(60);
    first.listener.push({ text: 'yes please' });
    await rig.run(8);
    const ticket = first.records.find((r) => r.kind === 'ticket');
    expect(ticket).toBeDefined();
    const saved = first.checkpoints.load()!;
    expect(saved).toMatchObject({ lang: 'en', procedureId: 'marriage_registration', ticketNumber: ticket?.kind === 'ticket' ? ticket.number : '' });
    expect(saved.interaction).toMatch(/^serving\.escorting/);
    expect(saved.counterId).toBe(ticket?.kind === 'ticket' ? ticket.counterId : '');
    expect(saved.atMs).toBeGreaterThan(MORNING_MS);
    expect(saved.atMs).toBeLessThanOrEqual(MORNING_MS + rig.clock.nowMs);
    // The process dies here: its actor stops without the orderly stop.
    first.composed.controller.actor.stop();

    const second = composedOn(database, rig);
    expect(await second.composed.start()).toBe('handedOff');
    await rig.run(2);
    expect(second.records).toContainEqual({ kind: 'alert', alert: 'helpRequested' });
    expect(second.records).toContainEqual(expect.objectContaining({ kind: 'said', messageId: 'handoff.staff', lang: 'en' }));
    expect(second.checkpoints.load()?.interaction).toBe('handoff');
    await second.composed.stop();
    database.close();
  });

  it('starts fresh when the last process left the robot idle, and without a checkpoint store keeps none', async () => {
    const database = openDatabase(':memory:');
    openCheckpointStore(database).save(checkpoint({ interaction: 'idle', procedureId: null, counterId: null, ticketNumber: null }));
    const rig = simRig();
    const composed = composedOn(database, rig);
    expect(await composed.composed.start()).toBe('fresh');
    await rig.run(2);
    expect(composed.records.filter((r) => r.kind === 'alert')).toEqual([]);
    await composed.composed.stop();

    const records: ControllerRecord[] = [];
    const bare = composeGuide(
      {
        base: rig.base,
        listener: new TextListener('sim'),
        speaker: new RecordingSpeaker(rig.clock, () => rig.clock.nowMs),
        intentModel: createKeywordIntentModel(catalog),
        scanner: null,
        clock: rig.clock,
        nowMs: () => rig.clock.nowMs,
        calendarNowMs: () => MORNING_MS + rig.clock.nowMs,
      },
      { catalog, robotId: 'robot-1', stores: { queue: openSqliteQueue(database), requests: null, checkpoints: null }, onRecord: (_tS, r) => records.push(r) },
    );
    expect(await bare.start()).toBe('fresh');
    await rig.run(2);
    expect(records.some((r) => r.kind === 'state')).toBe(true);
    await bare.stop();
    database.close();
  });
});
