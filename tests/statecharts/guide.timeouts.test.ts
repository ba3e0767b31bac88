/**
 * Every wait of the guide machine is as long as its setting says: the delayed events it schedules,
 * read from the actions a transition asks for, each with its own distinct setting.
 */
import { describe, expect, it } from 'vitest';
import { initialTransition, transition } from 'xstate';
import { guideMachine, type GuideEvent, type GuideSettings } from '../../statecharts/index.js';
import { TEST_INPUT, TEST_SETTINGS } from './guide.fixtures.js';

type Snapshot = ReturnType<typeof guideMachine.transition>;
type DriveEvent = GuideEvent | { readonly type: string; readonly output?: unknown };

/** Each timeout a different length, so a wait that took another's setting shows. */
const TIMEOUTS: GuideSettings['timeoutsMs'] = {
  speak: 1_001,
  listen: 1_002,
  classify: 1_003,
  readId: 1_004,
  ticket: 1_005,
  escort: 1_006,
  escortWait: 1_007,
  callOut: 1_008,
  arrivedLinger: 1_009,
  halted: 1_010,
  handoff: 1_011,
  returnHome: 1_012,
};

/** The delay of every delayed event scheduled on the way, by delay name (`xstate.after.<name>.<state>`). */
function delaysOn(events: readonly DriveEvent[], from?: Snapshot): { snapshot: Snapshot; delays: Map<string, number[]> } {
  let snapshot = from ?? initialTransition(guideMachine, { ...TEST_INPUT, settings: { ...TEST_SETTINGS, timeoutsMs: TIMEOUTS } })[0];
  const delays = new Map<string, number[]>();
  for (const event of events) {
    const [next, actions] = transition(guideMachine, snapshot, event as GuideEvent);
    for (const action of actions) {
      const { id, delay } = (action as unknown as { params?: { id?: string; delay?: number } }).params ?? {};
      if (action.type === 'xstate.raise' && typeof id === 'string' && id.startsWith('xstate.after.')) {
        const name = id.split('.')[2]!;
        delays.set(name, [...(delays.get(name) ?? []), delay ?? Number.NaN]);
      }
    }
    snapshot = next;
  }
  return { snapshot, delays };
}

const spoke: DriveEvent = { type: 'xstate.done.actor.speak', output: { spokenMs: 1 } };
const heard = (text: string): DriveEvent => ({ type: 'speech.heard', text, lang: null, confidence: 1 });
const classified = (c: object): DriveEvent => ({ type: 'xstate.done.actor.classify', output: { intent: 'ask_procedure', procedure: null, lang: 'vi', confidence: 0.9, alternatives: [], ...c } });
const near: DriveEvent = { type: 'people.updated', people: [{ id: 'p1', distanceM: 1, seenNow: true }] };

describe('the guide machine\'s waits', () => {
  it('each last as long as its own setting', () => {
    const seen = new Map<string, number[]>();
    const add = <T extends { delays: Map<string, number[]> }>(run: T): T => {
      for (const [name, list] of run.delays) seen.set(name, [...(seen.get(name) ?? []), ...list]);
      return run;
    };
    // Greeted, asked what they need (speak), listening (listen), understood (classify), answered,
    // consent asked and given (readId), the card read and confirmed, the ticket issued (ticket),
    // the walk (escort), the citizen lost (escortWait) and called (callOut), found, arrived (arrivedLinger).
    const walked = add(
      delaysOn([
        near,
        spoke,
        heard('làm giấy khai sinh'),
        classified({ procedure: 'birth_registration' }),
        spoke,
        spoke,
        heard('vâng'),
        classified({ intent: 'affirm' }),
        spoke,
        heard('vâng'),
        classified({ intent: 'affirm' }),
        { type: 'xstate.done.actor.readId', output: { requestId: 'r1', cardsRead: 1 } },
        spoke,
        heard('đúng'),
        classified({ intent: 'affirm' }),
        { type: 'xstate.done.actor.issueTicket', output: { number: 'A001', counterId: 'counter-1' } },
        spoke,
        { type: 'people.updated', people: [] },
        { type: 'xstate.after.escortWaitTimeout.guide.interaction.serving.escorting.waitingForCitizen' },
        { type: 'people.updated', people: [{ id: 'p1', distanceM: 1, seenNow: true }] },
        { type: 'xstate.done.actor.navigate', output: { kind: 'arrived' } },
      ]),
    );
    expect(JSON.stringify(walked.snapshot.value)).toContain('"arrived"');
    // Sent home (returnHome), paused on the way (halted), home, then taken over (handoff).
    const back = add(
      delaysOn(
        [{ type: 'operator.goHome' }, { type: 'operator.pause' }, { type: 'operator.resume' }, { type: 'xstate.done.actor.navigate', output: { kind: 'arrived' } }, { type: 'operator.takeOver' }],
        walked.snapshot,
      ),
    );
    expect(back.snapshot.value).toMatchObject({ interaction: 'handoff' });
    expect(Object.fromEntries([...seen].map(([name, list]) => [name, [...new Set(list)]]))).toEqual({
      speakTimeout: [TIMEOUTS.speak],
      listenTimeout: [TIMEOUTS.listen],
      classifyTimeout: [TIMEOUTS.classify],
      readIdTimeout: [TIMEOUTS.readId],
      ticketTimeout: [TIMEOUTS.ticket],
      escortTimeout: [TIMEOUTS.escort],
      escortWaitTimeout: [TIMEOUTS.escortWait],
      callOutInterval: [TIMEOUTS.callOut],
      arrivedLinger: [TIMEOUTS.arrivedLinger],
      haltedTimeout: [TIMEOUTS.halted],
      handoffTimeout: [TIMEOUTS.handoff],
      returnTimeout: [TIMEOUTS.returnHome],
    });
  });
});
