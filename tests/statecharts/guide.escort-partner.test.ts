/**
 * Whom the robot leads: the citizen it talked with, not whoever it greeted first. In a busy lobby
 * the person nearest at the greeting is often a passer-by; the citizen who then speaks has stepped
 * up in front. Events in, the escort's behaviour out.
 */
import { describe, expect, it } from 'vitest';
import { initialTransition, transition } from 'xstate';
import { guideMachine, type GuideEvent, type NavigateInput } from '../../statecharts/index.js';
import type { Classification } from '../../src/ports/intent-model.js';
import { TEST_INPUT, TEST_SETTINGS } from './guide.fixtures.js';

type Snapshot = ReturnType<typeof guideMachine.transition>;
type DriveEvent = GuideEvent | { readonly type: string; readonly output?: unknown };

const drive = (from: Snapshot, events: readonly DriveEvent[]): Snapshot => events.reduce((s, e) => transition(guideMachine, s, e as GuideEvent)[0], from);
const start = (): Snapshot => initialTransition(guideMachine, { ...TEST_INPUT, settings: { ...TEST_SETTINGS, idReaderAvailable: false } })[0];
const spoke: DriveEvent = { type: 'xstate.done.actor.speak', output: { spokenMs: 1 } };
const classified = (c: Partial<Classification>): DriveEvent => ({
  type: 'xstate.done.actor.classify',
  output: { intent: 'ask_procedure', procedure: null, lang: 'vi', confidence: 0.9, alternatives: [], ...c },
});
const people = (...seen: [string, number][]): DriveEvent => ({ type: 'people.updated', people: seen.map(([id, distanceM]) => ({ id, distanceM, seenNow: true })) });
const leading = (s: Snapshot) => s.matches({ interaction: { serving: { escorting: 'leading' } } });
const waiting = (s: Snapshot) => s.matches({ interaction: { serving: { escorting: 'waitingForCitizen' } } });

/** Greeted because p1 walked by close; p1 walks on and c2, who came to ask, stands in front; then the talk up to the walk. */
function escortingAfterPasserBy(): Snapshot {
  const s = drive(start(), [
    people(['p1', 1.2]),
    spoke,
    people(['p1', 2.0], ['c2', 0.8]),
    people(['p1', 5.0], ['c2', 0.8]),
    { type: 'speech.heard', text: 'làm giấy khai sinh', lang: null, confidence: 1 },
    classified({ procedure: 'birth_registration' }),
    spoke,
    spoke,
    { type: 'speech.heard', text: 'vâng', lang: null, confidence: 1 },
    classified({ intent: 'affirm' }),
    { type: 'xstate.done.actor.issueTicket', output: { number: 'A001', counterId: 'counter-1' } },
    spoke,
  ]);
  const nav = (s.children['navigate']?.getSnapshot() as { input?: NavigateInput } | undefined)?.input;
  expect(nav).toMatchObject({ purpose: 'escort', placeId: 'counter-1' });
  return s;
}

describe('the robot leads the citizen it talked with', () => {
  it('takes the citizen who stepped up in front for the one it serves, not the passer-by it greeted', () => {
    const s = escortingAfterPasserBy();
    expect(s.context.citizenId).toBe('c2');
  });

  it('walks on while that citizen follows, though the passer-by it greeted is long gone', () => {
    const s = drive(escortingAfterPasserBy(), [people(['c2', 1.1]), people(['c2', 1.6])]);
    expect(leading(s)).toBe(true);
  });

  it('waits when that citizen falls behind', () => {
    const s = drive(escortingAfterPasserBy(), [people(['p1', 0.9], ['c2', 4.5])]);
    expect(waiting(s)).toBe(true);
  });

  it('while leading, someone passing closer than the citizen is not taken for them', () => {
    const s = drive(escortingAfterPasserBy(), [people(['c2', 1.2], ['p9', 0.4])]);
    expect(s.context.citizenId).toBe('c2');
    const behind = drive(s, [people(['c2', 6], ['p9', 0.4])]);
    expect(waiting(behind)).toBe(true);
  });

  it('keeps the greeted citizen when nobody else comes near', () => {
    const s = drive(start(), [people(['c1', 1.0]), spoke, people(['c1', 1.4], ['p2', 3])]);
    expect(s.context.citizenId).toBe('c1');
  });
});
