import { describe, expect, it } from 'vitest';
import { RecordingSpeaker } from '../../src/adapters/speech/recording-speaker.js';
import { TextListener } from '../../src/adapters/text/text-listener.js';
import { Controller, type ControllerRecord } from '../../src/app/controller.js';
import { DEFAULT_GUIDE_SETTINGS } from '../../src/app/settings.js';
import { loadCatalog } from '../../src/civic/catalog.js';
import { createMemoryQueue } from '../../src/civic/queue/memory-queue.js';
import { createKeywordIntentModel } from '../../src/nlu/keyword-model.js';
import { simRig } from './sim-rig.js';

const catalog = loadCatalog();
const model = createKeywordIntentModel(catalog);

/** The real controller on the simulated lobby, with a citizen standing in front of the robot. */
function rig() {
  const { world, clock, base, run, citizenAtHome } = simRig();
  const calls: string[] = [];
  const stop = base.stop.bind(base);
  base.stop = async (reason) => {
    calls.push(`stop:${reason}`);
    await stop(reason);
  };
  const listener = new TextListener('console');
  const speaker = new RecordingSpeaker(clock, () => clock.nowMs);
  const records: ControllerRecord[] = [];
  const controller = new Controller({
    base, listener, speaker, intentModel: model, catalog, tickets: createMemoryQueue(),
    settings: DEFAULT_GUIDE_SETTINGS, clock, now: () => clock.nowMs, record: (r) => records.push(r),
  });
  citizenAtHome();
  const interaction = () => JSON.stringify(controller.snapshot().value);
  return { world, base, calls, listener, speaker, records, controller, run, interaction };
}

describe('controller: the statechart wired to the ports', () => {
  it('greets, answers from the catalog, issues a ticket and starts the escort, speaking the citizen\'s language', async () => {
    const r = rig();
    r.controller.start();
    await r.run(15);
    expect(r.speaker.spoken.map((s) => s.messageId)).toContain('greeting');
    r.listener.push({ text: 'I want to register my marriage' });
    await r.run(60);
    r.listener.push({ text: 'yes please' });
    await r.run(10);
    expect(r.interaction()).toContain('escorting');
    expect(r.world.hasGoal).toBe(true);
    const said = r.speaker.spoken.map((s) => `${s.lang}:${s.messageId}`);
    expect(said).toEqual(expect.arrayContaining(['en:answer.overview', 'en:ticket.issued', 'en:escort.start']));
    expect(r.records).toContainEqual(expect.objectContaining({ kind: 'ticket', counterId: 'counter-1' }));
    await r.controller.stop();
  });

  it('an e-stop during the escort cancels the goal and holds the base; release does not move it', async () => {
    const r = rig();
    r.controller.start();
    await r.run(15);
    r.listener.push({ text: 'birth certificate for my baby' });
    await r.run(60);
    r.listener.push({ text: 'yes' });
    await r.run(5);
    expect(r.world.hasGoal).toBe(true);
    r.controller.send({ type: 'operator.estop' });
    await r.run(1);
    expect(r.calls).toContain('stop:estop');
    expect(r.world.hasGoal).toBe(false);
    expect(r.world.linearMps).toBe(0);
    r.controller.send({ type: 'operator.releaseEstop' });
    await r.run(5);
    expect(r.world.hasGoal).toBe(false);
    expect(r.interaction()).toContain('halted');
    r.controller.send({ type: 'operator.resume' });
    await r.run(2);
    expect(r.world.hasGoal).toBe(true);
    await r.controller.stop();
  });

  it('a lost base heartbeat stops the base and raises an alert', async () => {
    const r = rig();
    r.controller.start();
    r.world.inject('link_loss', { durationS: 5 });
    await r.run(1);
    expect(r.calls).toContain('stop:link_down');
    expect(r.records).toContainEqual({ kind: 'alert', alert: 'linkDown' });
    expect(r.interaction()).toContain('"link":"down"');
    await r.run(6);
    expect(r.interaction()).toContain('"link":"up"');
    await r.controller.stop();
  });

  it('stops the base first when it shuts down', async () => {
    const r = rig();
    r.controller.start();
    await r.controller.stop();
    expect(r.calls[0]).toBe('stop:shutdown');
  });
});
