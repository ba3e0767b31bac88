/**
 * The guide machine's promises about safety, power and certainty, checked from outside: events in,
 * the named effects it asks for (`stopBase`, `releaseBase`) and the actors it runs (their inputs)
 * out. Nothing here reads the machine's definition, so it holds however the states are arranged.
 */
import { describe, expect, it } from 'vitest';
import { initialTransition, transition } from 'xstate';
import { guideMachine, type GuideEvent, type NavigateInput, type SpeakInput } from '../../statecharts/index.js';
import type { Classification } from '../../src/ports/intent-model.js';
import { TEST_INPUT, TEST_SETTINGS } from './guide.fixtures.js';

type Snapshot = ReturnType<typeof guideMachine.transition>;
/** The machine's own actor events are sent by hand here, as the model-based test does. */
type DriveEvent = GuideEvent | { readonly type: string; readonly output?: unknown };

/** Sends events one by one; returns the last snapshot and the type of every action asked for on the way. */
function drive(from: Snapshot, events: readonly DriveEvent[]): { snapshot: Snapshot; effects: string[] } {
  let snapshot = from;
  const effects: string[] = [];
  for (const event of events) {
    const [next, actions] = transition(guideMachine, snapshot, event as GuideEvent);
    effects.push(...actions.map((a) => a.type));
    snapshot = next;
  }
  return { snapshot, effects };
}

/** What the running actor with this id was started with, or undefined when none runs. */
function inputOf<T>(snapshot: Snapshot, id: 'speak' | 'navigate' | 'issueTicket'): T | undefined {
  const child = snapshot.children[id];
  return (child?.getSnapshot() as { input?: T } | undefined)?.input;
}

const start = (settings = TEST_SETTINGS): Snapshot => initialTransition(guideMachine, { ...TEST_INPUT, settings })[0];
const spoke: DriveEvent = { type: 'xstate.done.actor.speak', output: { spokenMs: 1 } };
const classified = (c: Partial<Classification>): DriveEvent => ({
  type: 'xstate.done.actor.classify',
  output: { intent: 'ask_procedure', procedure: null, lang: 'vi', confidence: 0.9, alternatives: [], ...c },
});
const near: DriveEvent = { type: 'people.updated', people: [{ id: 'p1', distanceM: 1, seenNow: true }] };
/** A citizen greeted and asked what they need: the robot is listening. */
const greeted = (): Snapshot => drive(start(), [near, spoke]).snapshot;
/** Walking a citizen to counter 1 (no card reader, so no consent step). */
function escorting(): Snapshot {
  const { snapshot } = drive(start({ ...TEST_SETTINGS, idReaderAvailable: false }), [
    near,
    spoke,
    { type: 'speech.heard', text: 'làm giấy khai sinh', lang: null, confidence: 1 },
    classified({ procedure: 'birth_registration' }),
    spoke,
    spoke,
    { type: 'speech.heard', text: 'vâng', lang: null, confidence: 1 },
    classified({ intent: 'affirm' }),
    { type: 'xstate.done.actor.issueTicket', output: { number: 'A001', counterId: 'counter-1' } },
    spoke,
  ]);
  expect(inputOf<NavigateInput>(snapshot, 'navigate')).toMatchObject({ placeId: 'counter-1', purpose: 'escort' });
  return snapshot;
}

describe('the base stays held while the robot is stopped', () => {
  it.each([
    ['e-stopped', 'operator.estop'],
    ['paused', 'operator.pause'],
  ] as const)('a link that comes back while %s does not release the base', (_name, stop) => {
    for (const from of [start(), escorting()]) {
      const { snapshot, effects } = drive(from, [{ type: stop }, { type: 'link.lost' }, { type: 'link.restored' }]);
      expect(effects).toContain('stopBase');
      expect(effects).not.toContain('releaseBase');
      expect(snapshot.children['navigate']).toBeUndefined();
    }
  });

  it('an e-stop released while the link is down and then the link back still leaves the base held until resume', () => {
    const stopped = drive(escorting(), [{ type: 'operator.estop' }, { type: 'link.lost' }, { type: 'operator.releaseEstop' }, { type: 'link.restored' }]);
    expect(stopped.effects).not.toContain('releaseBase');
    expect(stopped.snapshot.children['navigate']).toBeUndefined();
    const resumed = drive(stopped.snapshot, [{ type: 'operator.resume' }]);
    expect(resumed.effects).toContain('releaseBase');
  });

  it('a link that comes back with nothing stopping the robot releases the hold the link loss put on', () => {
    const { effects } = drive(start(), [{ type: 'link.lost' }, { type: 'link.restored' }]);
    expect(effects.filter((e) => e === 'stopBase' || e === 'releaseBase')).toEqual(['stopBase', 'releaseBase']);
  });
});

describe('a critical battery while serving', () => {
  const critical: DriveEvent = { type: 'battery.updated', percent: TEST_SETTINGS.batteryCriticalPercent - 1, charging: false };

  it.each([
    ['listening to a citizen', greeted],
    ['walking a citizen to a counter', escorting],
  ] as const)('sends the robot to its dock when %s, after telling the citizen', (_name, serving) => {
    const told = drive(serving(), [critical]).snapshot;
    expect(inputOf<SpeakInput>(told, 'speak')?.messageId).toBe('power.critical');
    expect(told.children['navigate']).toBeUndefined();
    const { snapshot } = drive(told, [spoke]);
    expect(inputOf<NavigateInput>(snapshot, 'navigate')).toMatchObject({ placeId: TEST_INPUT.dockId, purpose: 'dock' });
  });

  it('a low battery alone lets the conversation go on', () => {
    const { snapshot } = drive(greeted(), [{ type: 'battery.updated', percent: TEST_SETTINGS.batteryLowPercent - 1, charging: false }]);
    expect(snapshot.matches({ interaction: 'serving' })).toBe(true);
    expect(snapshot.children['navigate']).toBeUndefined();
  });
});

describe('a guess below minConfidence is not acted on', () => {
  const unsure = TEST_SETTINGS.minConfidence / 2;
  const heard: DriveEvent = { type: 'speech.heard', text: 'ờ… giấy gì đó', lang: null, confidence: 1 };

  it('a procedure named with low confidence is not answered: the robot says it did not understand', () => {
    const { snapshot } = drive(greeted(), [heard, classified({ procedure: 'birth_registration', intent: 'ask_fee', lang: 'en', confidence: unsure })]);
    expect(inputOf<SpeakInput>(snapshot, 'speak')).toMatchObject({ messageId: 'clarify.notUnderstood', lang: 'vi' });
    expect(snapshot.context.procedureId).toBeNull();
    expect(snapshot.context.counterId).toBeNull();
  });

  it.each(['goodbye', 'talk_to_staff'] as const)('a low-confidence "%s" does not end the conversation', (intent) => {
    const { snapshot } = drive(greeted(), [heard, classified({ intent, confidence: unsure })]);
    expect(inputOf<SpeakInput>(snapshot, 'speak')?.messageId).toBe('clarify.notUnderstood');
  });

  it('a low-confidence "yes" to the escort offer issues no ticket and starts no walk', () => {
    const offered = drive(greeted(), [heard, classified({ procedure: 'birth_registration' }), spoke, spoke]).snapshot;
    expect(offered.context.pending).toBe('offerEscort');
    const { snapshot } = drive(offered, [heard, classified({ intent: 'affirm', confidence: unsure })]);
    expect(snapshot.children['issueTicket']).toBeUndefined();
    expect(snapshot.children['navigate']).toBeUndefined();
    expect(inputOf<SpeakInput>(snapshot, 'speak')?.messageId).toBe('clarify.notUnderstood');
    // The same words heard clearly are acted on.
    const sure = drive(offered, [heard, classified({ intent: 'affirm' })]).snapshot;
    expect(sure.children['readId'] ?? sure.children['speak']).toBeDefined();
    expect(sure.context.pending).toBe('idConsent');
  });
});
