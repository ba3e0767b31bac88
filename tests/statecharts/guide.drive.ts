import { initialTransition, transition } from 'xstate';
import { guideMachine, type GuideEvent, type GuideSettings } from '../../statecharts/index.js';
import type { Classification } from '../../src/ports/intent-model.js';
import { TEST_INPUT, TEST_SETTINGS } from './guide.fixtures.js';

/** Driving the pure machine by hand: events in, the snapshot and the actions it asks for out. */
export type Snapshot = ReturnType<typeof guideMachine.transition>;
/** The machine's own actor and delay events are sent by hand here, as the model-based test does. */
export type DriveEvent = GuideEvent | { readonly type: string; readonly output?: unknown; readonly error?: unknown };
export interface Effect {
  readonly type: string;
  readonly params: Record<string, unknown> | undefined;
}

export function start(settings: Partial<GuideSettings> = {}): Snapshot {
  return initialTransition(guideMachine, { ...TEST_INPUT, settings: { ...TEST_SETTINGS, ...settings } })[0];
}

/** Sends events one by one; returns the last snapshot and every action asked for on the way, with its params. */
export function drive(from: Snapshot, events: readonly DriveEvent[]): { snapshot: Snapshot; effects: Effect[] } {
  let snapshot = from;
  const effects: Effect[] = [];
  for (const event of events) {
    const [next, actions] = transition(guideMachine, snapshot, event as GuideEvent);
    for (const a of actions) effects.push({ type: a.type, params: (a as { params?: Record<string, unknown> }).params });
    snapshot = next;
  }
  return { snapshot, effects };
}

/** The event a running `after` delay of this name sends when it fires, from the state that set it. */
export function timeout(snapshot: Snapshot, delay: string): DriveEvent {
  for (const node of snapshot._nodes) {
    for (const key of node.transitions.keys()) if (key.startsWith(`xstate.after.${delay}.`)) return { type: key };
  }
  throw new Error(`no ${delay} running in ${JSON.stringify(snapshot.value)}`);
}

/** What the running actor with this id was started with, or undefined when none runs. */
export function inputOf<T = Record<string, unknown>>(snapshot: Snapshot, id: 'speak' | 'navigate' | 'issueTicket' | 'readId' | 'classify'): T | undefined {
  const child = snapshot.children[id];
  return (child?.getSnapshot() as { input?: T } | undefined)?.input;
}

/** The message the robot is saying now, or undefined. */
export const saying = (snapshot: Snapshot): string | undefined => inputOf<{ messageId: string }>(snapshot, 'speak')?.messageId;
/** The `interaction` region's state as a dotted path. */
export function interaction(snapshot: Snapshot): string {
  const path = (value: unknown): string => (typeof value === 'string' ? value : Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}.${path(v)}`).join(','));
  return path((snapshot.value as Record<string, unknown>)['interaction']);
}
/** Messages announced (fire-and-forget) on the way. */
export const announced = (effects: readonly Effect[]): unknown[] => effects.filter((e) => e.type === 'announce').map((e) => e.params?.['messageId']);
export const alerts = (effects: readonly Effect[]): unknown[] => effects.filter((e) => e.type === 'alert').map((e) => e.params?.['kind']);

export const spoke: DriveEvent = { type: 'xstate.done.actor.speak', output: { spokenMs: 1 } };
export const heard = (text = '…'): DriveEvent => ({ type: 'speech.heard', text, lang: null, confidence: 1 });
export const classified = (c: Partial<Classification>): DriveEvent => ({
  type: 'xstate.done.actor.classify',
  output: { intent: 'ask_procedure', procedure: null, lang: 'vi', confidence: 0.9, alternatives: [], ...c },
});
/** Heard and understood as `c`. */
export const says = (c: Partial<Classification>): DriveEvent[] => [heard(), classified(c)];
/** People the tracker reports: `[id, distance]` is seen now; `[id, distance, 'remembered']` only remembered at their last known place. */
export const people = (...list: [string, number, ('seen' | 'remembered')?][]): DriveEvent => ({
  type: 'people.updated',
  people: list.map(([id, distanceM, sighting = 'seen']) => ({ id, distanceM, seenNow: sighting === 'seen' })),
});
export const battery = (percent: number, charging = false): DriveEvent => ({ type: 'battery.updated', percent, charging });
export const navDone = (output: object): DriveEvent => ({ type: 'xstate.done.actor.navigate', output });
