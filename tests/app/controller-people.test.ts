/**
 * How the controller turns the base's tracked people into the statechart's `people.updated`: the
 * distance from the robot, and whether each person is seen now or only remembered, sent only when
 * that changes.
 */
import { describe, expect, it } from 'vitest';
import { LOST_BELOW_CONFIDENCE, SEEN_NOW_FROM_CONFIDENCE, type BaseEvent, type TrackedPerson } from '../../src/ports/robot-base.js';
import type { GuideEvent } from '../../statecharts/index.js';
import { keywordController, simRig } from './sim-rig.js';

/** The controller on the simulated base, fed base events by hand; returns the people updates it sends on. */
function rig() {
  const { base, clock } = simRig();
  let feed: ((event: BaseEvent) => void) | null = null;
  const subscribe = base.subscribe.bind(base);
  base.subscribe = (listener) => {
    feed = listener;
    return subscribe(listener);
  };
  const controller = keywordController({ base, clock }, 'console');
  const sent: Extract<GuideEvent, { type: 'people.updated' }>[] = [];
  const send = controller.send.bind(controller);
  controller.send = (event) => {
    if (event.type === 'people.updated') sent.push(event);
    send(event);
  };
  controller.start();
  const emit = (event: BaseEvent) => {
    if (feed === null) throw new Error('the controller did not subscribe to the base');
    feed(event);
  };
  // Far from anyone's greeting distance, so nobody is greeted and the updates are only looked at.
  emit({ type: 'pose', pose: { xM: 0, yM: 0, yawRad: 0 }, linearMps: 0, angularRadps: 0 });
  const people = (...list: TrackedPerson[]) => emit({ type: 'people', people: list });
  return { controller, sent, people };
}

const at = (id: string, xM: number, confidence: number): TrackedPerson => ({ id, position: { xM, yM: 0 }, confidence });

describe('controller: people reports to the statechart', () => {
  it('the seen-now mark sits above the lost mark, and a confidence of 1 (ROS4HRI: seen now) meets it', () => {
    expect(SEEN_NOW_FROM_CONFIDENCE).toBeGreaterThan(LOST_BELOW_CONFIDENCE);
    expect(SEEN_NOW_FROM_CONFIDENCE).toBeLessThanOrEqual(1);
  });

  it('tells a person seen now from one only remembered at their last known place', async () => {
    const r = rig();
    r.people(at('a', 6, 1), at('b', 7, SEEN_NOW_FROM_CONFIDENCE), at('c', 9, SEEN_NOW_FROM_CONFIDENCE - 0.01));
    expect(r.sent.at(-1)?.people).toEqual([
      { id: 'a', distanceM: 6, seenNow: true },
      { id: 'b', distanceM: 7, seenNow: true },
      { id: 'c', distanceM: 9, seenNow: false },
    ]);
    await r.controller.stop();
  });

  it('sends an update when someone goes from seen to remembered and back, not while a memory fades', async () => {
    const r = rig();
    r.people(at('a', 6, 1));
    r.people(at('a', 6, 0.99));
    expect(r.sent).toHaveLength(1);
    r.people(at('a', 6, 0.9));
    expect(r.sent).toHaveLength(2);
    expect(r.sent.at(-1)?.people).toEqual([{ id: 'a', distanceM: 6, seenNow: false }]);
    r.people(at('a', 6, 0.8));
    r.people(at('a', 6, 0.6));
    expect(r.sent).toHaveLength(2);
    r.people(at('a', 6, 1));
    expect(r.sent).toHaveLength(3);
    expect(r.sent.at(-1)?.people).toEqual([{ id: 'a', distanceM: 6, seenNow: true }]);
    await r.controller.stop();
  });
});
