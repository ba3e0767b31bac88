/**
 * The escort tells a hidden citizen from a lost one. The tracker reports the citizen seen now, only
 * remembered where it last saw them (round a corner, behind a pillar, beyond a door, behind other
 * people), or not at all. Hidden: the robot stops where it is and waits, without counting call-outs.
 * Gone: it calls out, by ticket number, and gives up only after the call-outs. It walks on only once
 * it sees the citizen close again. Events in, the escort's behaviour out.
 */
import { describe, expect, it } from 'vitest';
import { TEST_SETTINGS } from './guide.fixtures.js';
import { alerts, announced, drive, interaction, people, says, spoke, start, timeout, type DriveEvent, type Snapshot } from './guide.drive.js';

const TICKET = 'A001';

/** Walking citizen p1 to counter 1 with ticket A001, p1 seen a metre behind. */
function leading(): Snapshot {
  const s = drive(start({ idReaderAvailable: false }), [
    people(['p1', 1]),
    spoke,
    ...says({ procedure: 'birth_registration' }),
    spoke,
    spoke,
    ...says({ intent: 'affirm' }),
    { type: 'xstate.done.actor.issueTicket', output: { number: TICKET, counterId: 'counter-1' } },
    spoke,
  ]).snapshot;
  expect(interaction(s)).toBe('serving.escorting.leading');
  return s;
}

/** Runs the steps, firing the named delays of the states the machine is in when their turn comes. */
function run(from: Snapshot, steps: readonly (DriveEvent | { readonly fire: string })[]) {
  let snapshot = from;
  const effects: ReturnType<typeof drive>['effects'] = [];
  for (const step of steps) {
    const next = drive(snapshot, ['fire' in step ? timeout(snapshot, step.fire) : step]);
    snapshot = next.snapshot;
    effects.push(...next.effects);
  }
  return { snapshot, effects };
}

const moving = (s: Snapshot) => s.children['navigate'] !== undefined;
const callOutTickets = (effects: ReturnType<typeof drive>['effects']) =>
  effects
    .filter((e) => e.type === 'announce' && e.params?.['messageId'] === 'escort.callOut')
    .map((e) => (e.params?.['params'] as { ticketNumber?: string } | undefined)?.ticketNumber);

describe('escort: a citizen hidden is waited for, a citizen gone is called', () => {
  it('behind a corner: the robot stops at once, waits without calling while the citizen is remembered, walks on when it sees them close', () => {
    const rounding = run(leading(), [people(['p1', 1.5, 'remembered'])]);
    expect(interaction(rounding.snapshot)).toBe('serving.escorting.waitingForCitizen');
    expect(moving(rounding.snapshot), 'stopped where it can see back along its path').toBe(false);
    expect(announced(rounding.effects)).toEqual(['escort.waiting']);

    // Still round the corner when the wait is over: the robot waits on, saying so again, and calls nobody.
    const stillHidden = run(rounding.snapshot, [{ fire: 'escortWaitTimeout' }, { fire: 'escortWaitTimeout' }]);
    expect(interaction(stillHidden.snapshot)).toBe('serving.escorting.waitingForCitizen');
    expect(announced(stillHidden.effects)).toEqual(['escort.waiting', 'escort.waiting']);
    expect(stillHidden.snapshot.context.callOuts).toBe(0);

    const roundTheCorner = run(stillHidden.snapshot, [people(['p1', 1.2])]);
    expect(interaction(roundTheCorner.snapshot)).toBe('serving.escorting.leading');
    expect(moving(roundTheCorner.snapshot)).toBe(true);
  });

  it('behind a pillar: a remembered place, however close, does not let the robot walk on; a sighting close by does', () => {
    const hidden = run(leading(), [people(['p1', 2.5]), people(['p1', 2.5, 'remembered'])]);
    expect(interaction(hidden.snapshot)).toBe('serving.escorting.waitingForCitizen');
    expect(moving(hidden.snapshot)).toBe(false);
    // The last known place is right by the robot, but nobody is seen there now.
    const rememberedClose = run(hidden.snapshot, [people(['p1', 1, 'remembered'])]);
    expect(interaction(rememberedClose.snapshot)).toBe('serving.escorting.waitingForCitizen');
    // Seen again past the pillar, still too far to walk on; then close.
    const seenFar = run(hidden.snapshot, [people(['p1', TEST_SETTINGS.followRejoinDistanceM + 0.5])]);
    expect(interaction(seenFar.snapshot)).toBe('serving.escorting.waitingForCitizen');
    const seenClose = run(seenFar.snapshot, [people(['p1', TEST_SETTINGS.followRejoinDistanceM])]);
    expect(interaction(seenClose.snapshot)).toBe('serving.escorting.leading');
    expect(announced(seenClose.effects)).toEqual(['escort.start']);
  });

  it('through a door: hidden, then gone from the tracker, the citizen is called by ticket number; the robot gives up only after the call-outs', () => {
    const { snapshot, effects } = run(leading(), [
      people(['p1', 2, 'remembered']),
      people(),
      { fire: 'escortWaitTimeout' },
      { fire: 'callOutInterval' },
      { fire: 'callOutInterval' },
    ]);
    expect(announced(effects)).toEqual(['escort.waiting', 'escort.callOut', 'escort.callOut', 'escort.gaveUp']);
    expect(callOutTickets(effects)).toEqual([TICKET, TICKET]);
    expect(alerts(effects)).toEqual(['personLost']);
    expect(interaction(snapshot)).toBe('returning.driving');
  });

  it('through a door: glimpsed while being called, the citizen is waited for and that call-out does not count', () => {
    const called = run(leading(), [people(), { fire: 'escortWaitTimeout' }]);
    expect(interaction(called.snapshot)).toBe('serving.escorting.callingOut');
    expect(called.snapshot.context.callOuts).toBe(1);
    // Seen far off through the door, then hidden by its frame: remembered when the call-out's interval ends.
    const glimpsed = run(called.snapshot, [people(['p1', 5]), people(['p1', 5, 'remembered']), { fire: 'callOutInterval' }]);
    expect(interaction(glimpsed.snapshot)).toBe('serving.escorting.waitingForCitizen');
    expect(glimpsed.snapshot.context.callOuts).toBe(1);
    expect(announced(glimpsed.effects)).toEqual(['escort.waiting']);
    // Gone again: the wait ends in a call-out, the second and last; then the robot gives up.
    const lost = run(glimpsed.snapshot, [people(), { fire: 'escortWaitTimeout' }]);
    expect(lost.snapshot.context.callOuts).toBe(2);
    expect(callOutTickets(lost.effects)).toEqual([TICKET]);
    const gaveUp = run(lost.snapshot, [{ fire: 'callOutInterval' }]);
    expect(announced(gaveUp.effects)).toEqual(['escort.gaveUp']);
    expect(interaction(gaveUp.snapshot)).toBe('returning.driving');
  });

  it('a citizen who keeps slipping out of sight is called at most maxCallOuts times, then the robot gives up', () => {
    const glimpsedAndGone = [people(['p1', 5]), people(['p1', 5, 'remembered']), { fire: 'callOutInterval' }, people(), { fire: 'escortWaitTimeout' }] as const;
    const { snapshot, effects } = run(leading(), [people(), { fire: 'escortWaitTimeout' }, ...glimpsedAndGone, ...glimpsedAndGone]);
    expect(announced(effects).filter((m) => m === 'escort.callOut')).toHaveLength(TEST_SETTINGS.maxCallOuts);
    expect(announced(effects).at(-1)).toBe('escort.gaveUp');
    expect(interaction(snapshot)).toBe('returning.driving');
  });

  it('in a crowd: hidden behind other people, the robot stops and does not take someone close by for the citizen', () => {
    const crowd = run(leading(), [people(['p1', 1.8, 'remembered'], ['p7', 0.8], ['p8', 1.2])]);
    expect(interaction(crowd.snapshot)).toBe('serving.escorting.waitingForCitizen');
    expect(moving(crowd.snapshot)).toBe(false);
    const othersClose = run(crowd.snapshot, [people(['p1', 1.8, 'remembered'], ['p7', 0.5], ['p8', 0.9])]);
    expect(interaction(othersClose.snapshot)).toBe('serving.escorting.waitingForCitizen');
    expect(othersClose.snapshot.context.citizenId).toBe('p1');
    const stepsOut = run(othersClose.snapshot, [people(['p1', 1.6], ['p7', 0.5], ['p8', 0.9])]);
    expect(interaction(stepsOut.snapshot)).toBe('serving.escorting.leading');
  });

  it('a citizen without a ticket is called without a number', () => {
    const s = drive(start({ idReaderAvailable: false }), [
      people(['p1', 1]),
      spoke,
      ...says({ procedure: 'birth_registration' }),
      spoke,
      spoke,
      ...says({ intent: 'affirm' }),
      { type: 'xstate.error.actor.issueTicket', error: new Error('queue down') },
      spoke,
    ]).snapshot;
    const { effects } = run(s, [people(), { fire: 'escortWaitTimeout' }]);
    expect(announced(effects)).toEqual(['escort.waiting', 'escort.callOut']);
    expect(callOutTickets(effects)).toEqual([undefined]);
  });
});
