import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RecordingSpeaker } from '../../src/adapters/speech/recording-speaker.js';
import { TextListener } from '../../src/adapters/text/text-listener.js';
import { checkpointOnChange, openCheckpointStore, startAfterRestart } from '../../src/app/checkpoint.js';
import { Controller, type ControllerRecord } from '../../src/app/controller.js';
import { DEFAULT_GUIDE_SETTINGS } from '../../src/app/settings.js';
import { loadCatalog } from '../../src/civic/catalog.js';
import { openSqliteQueue } from '../../src/civic/queue/sqlite-queue.js';
import { openDatabase } from '../../src/store/database.js';
import { createKeywordIntentModel } from '../../src/nlu/keyword-model.js';
import type { BaseEvent, RobotBase } from '../../src/ports/robot-base.js';
import { simRig } from './sim-rig.js';

const catalog = loadCatalog();
const dir = mkdtempSync(join(tmpdir(), 'tiepdan-recovery-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * The base as one controller process sees it. `kill()` is the process dying: its subscriptions and
 * its cancellations vanish with it, and whatever goal it started goes on, as Nav2's would.
 */
function processView(base: RobotBase, calls: string[]) {
  let alive = true;
  const offs: (() => void)[] = [];
  const detached = (signal: AbortSignal): AbortSignal => {
    const own = new AbortController();
    signal.addEventListener('abort', () => alive && own.abort(), { once: true });
    return own.signal;
  };
  const view: RobotBase = {
    robotId: base.robotId,
    places: () => base.places(),
    navigate: (goal, options) => (calls.push(`navigate:${goal.kind === 'place' ? goal.placeId : 'pose'}`), base.navigate(goal, { ...options, signal: detached(options.signal) })),
    stop: async (reason) => {
      if (!alive) return;
      calls.push(`stop:${reason}`);
      await base.stop(reason);
    },
    release: async () => {
      if (!alive) return;
      calls.push('release');
      await base.release();
    },
    setSpeedLimit: (v) => (alive ? base.setSpeedLimit(v) : Promise.resolve()),
    dock: (options) => base.dock({ ...options, signal: detached(options.signal) }),
    undock: (options) => base.undock({ ...options, signal: detached(options.signal) }),
    subscribe: (listener: (event: BaseEvent) => void) => {
      const off = base.subscribe(listener);
      offs.push(off);
      return off;
    },
    health: () => base.health(),
    close: async () => {},
  };
  return {
    base: view,
    kill: () => {
      alive = false;
      for (const off of offs.splice(0)) off();
    },
  };
}

type Script = (say: (text: string) => void, run: (s: number) => Promise<void>) => Promise<void>;

const SCRIPTS: readonly [string, Script, boolean][] = [
  ['idle, nobody near', async () => {}, false],
  ['listening after the greeting', async (_say, run) => run(15), true],
  ['answering about a procedure', async (say, run) => (await run(15), say('I want to register my marriage'), await run(3)), true],
  ['escorting with a ticket', async (say, run) => (await run(15), say('I want to register my marriage'), await run(60), say('yes please'), await run(8)), true],
];

describe('killed at any moment and restarted', () => {
  it.each(SCRIPTS)('while %s: stops the base first, hands a waiting citizen to staff in their language, loses no ticket and issues none twice', async (name, script, citizenWaiting) => {
    const db = openDatabase(join(dir, `${name.replace(/\W+/g, '-')}.db`));
    const rig = simRig();
    const calls: string[] = [];
    const queue = openSqliteQueue(db);
    const checkpoints = openCheckpointStore(db);
    const boot = (records: ControllerRecord[]) => {
      const process = processView(rig.base, calls);
      const listener = new TextListener('sim');
      const checkpoint = checkpointOnChange(checkpoints, () => controller, () => rig.clock.nowMs);
      const controller: Controller = new Controller({
        base: process.base, listener, speaker: new RecordingSpeaker(rig.clock, () => rig.clock.nowMs), intentModel: createKeywordIntentModel(catalog), catalog,
        tickets: queue, settings: DEFAULT_GUIDE_SETTINGS, clock: rig.clock, now: () => rig.clock.nowMs,
        record: (r) => {
          records.push(r);
          checkpoint(r);
        },
      });
      return { controller, listener, base: process.base, kill: process.kill };
    };

    const before: ControllerRecord[] = [];
    const first = boot(before);
    rig.citizenAtHome();
    first.controller.start();
    await script((text) => first.listener.push({ text }), rig.run);
    const issued = before.flatMap((r) => (r.kind === 'ticket' ? [r.number] : []));
    // The ticket checks below are only worth anything when the script really got a ticket issued.
    expect(issued).toHaveLength(name === 'escorting with a ticket' ? 1 : 0);
    const movingAtKill = rig.world.hasGoal;
    first.kill();
    first.controller.actor.stop();

    const after: ControllerRecord[] = [];
    // Read before the new controller starts: its own first state would overwrite the checkpoint.
    const last = checkpoints.load();
    const second = boot(after);
    calls.length = 0;
    const outcome = await startAfterRestart(second.controller, second.base, last);
    // The base is stopped before the new process moves it: whatever the dead one started is over.
    expect(calls.slice(0, 2)).toEqual(['stop:restart', 'release']);
    expect(rig.world.hasGoal).toBe(false);
    if (name.startsWith('escorting')) expect(movingAtKill).toBe(true);
    expect(outcome).toBe(citizenWaiting ? 'handedOff' : 'fresh');
    await rig.run(2);
    if (citizenWaiting) {
      expect(after).toContainEqual({ kind: 'alert', alert: 'helpRequested' });
      const lang = name === 'listening after the greeting' ? 'vi' : 'en';
      expect(after).toContainEqual(expect.objectContaining({ kind: 'said', messageId: 'handoff.staff', lang }));
    } else {
      expect(after.filter((r) => r.kind === 'alert')).toEqual([]);
    }
    // Tickets: every one issued before is still there, and numbering goes on without a repeat.
    for (const number of issued) expect(queue.find(number)).not.toBeNull();
    const next = queue.issue({ field: 'civil_status' });
    expect(issued).not.toContain(next.number);
    // Then the robot goes back to work.
    await rig.run(120);
    expect(JSON.stringify(second.controller.snapshot().value)).toMatch(/idle|returning|serving/);
    await second.controller.stop();
    queue.close();
    checkpoints.close();
    db.close();
  });
});
