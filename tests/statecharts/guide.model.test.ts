/**
 * Model-based tests of the guide machine: xstate/graph generates the paths, the machine's
 * own definition says what must be covered, and the safety and liveness promises are checked
 * on every reachable state.
 */
import { describe, expect, it } from 'vitest';
import { initialTransition, transition, type AnyStateNode, type AnyTransitionDefinition } from 'xstate';
import { getAdjacencyMap, getShortestPaths } from 'xstate/graph';
import { guideMachine, type GuideEvent } from '../../statecharts/index.js';
import type { Classification } from '../../src/ports/intent-model.js';
import { TEST_INPUT, TEST_SETTINGS } from './guide.fixtures.js';

/** Small bounds keep the state space small while still exercising every "one more / give up" branch. */
const MODEL_INPUT = {
  ...TEST_INPUT,
  settings: { ...TEST_SETTINGS, maxReprompts: 1, maxClarifications: 1, maxCallOuts: 1, maxEscortAttempts: 1 },
};

type Snapshot = ReturnType<typeof guideMachine.transition>;
type ModelEvent = GuideEvent | { type: string; output?: unknown; error?: unknown };

function walkNodes(node: AnyStateNode, visit: (node: AnyStateNode) => void): void {
  visit(node);
  for (const child of Object.values(node.states)) walkNodes(child, visit);
}

const allNodes: AnyStateNode[] = [];
walkNodes(guideMachine.root, (node) => allNodes.push(node));

const delayedEvents: ModelEvent[] = [];
for (const node of allNodes) {
  for (const key of node.transitions.keys()) {
    if (key.startsWith('xstate.after.')) delayedEvents.push({ type: key });
  }
}

const said = (c: Partial<Classification>): ModelEvent => ({
  type: 'xstate.done.actor.classify',
  output: { intent: 'ask_procedure', procedure: null, lang: 'vi', confidence: 0.9, alternatives: [], ...c },
});

const EVENTS: ModelEvent[] = [
  { type: 'people.updated', people: [{ id: 'p1', distanceM: 1 }] },
  { type: 'people.updated', people: [{ id: 'p1', distanceM: 6 }] },
  { type: 'people.updated', people: [] },
  { type: 'speech.heard', text: 'xin chào', lang: null, confidence: 1 },
  { type: 'kiosk.procedureSelected', procedureId: 'marriage_registration', lang: 'ko' },
  { type: 'kiosk.procedureSelected', procedureId: 'no_such_procedure', lang: 'ko' },
  { type: 'kiosk.languageSelected', lang: 'en' },
  { type: 'battery.updated', percent: 80, charging: false },
  { type: 'battery.updated', percent: 20, charging: false },
  { type: 'battery.updated', percent: 5, charging: false },
  { type: 'battery.updated', percent: 50, charging: true },
  { type: 'battery.updated', percent: 95, charging: true },
  { type: 'link.lost' },
  { type: 'link.restored' },
  { type: 'operator.pause' },
  { type: 'operator.resume' },
  { type: 'operator.estop' },
  { type: 'operator.releaseEstop' },
  { type: 'operator.goHome' },
  { type: 'operator.dock' },
  { type: 'operator.cancelEscort' },
  { type: 'operator.takeOver' },
  { type: 'operator.handBack' },
  { type: 'operator.say', text: 'Xin chờ một chút', lang: 'vi' },
  { type: 'xstate.done.actor.speak', output: { spokenMs: 1200 } },
  said({ intent: 'ask_procedure', procedure: 'birth_registration' }),
  said({ intent: 'ask_fee', procedure: 'copy_certification', lang: 'en' }),
  said({ intent: 'ask_procedure', procedure: 'land_certificate' }),
  said({ intent: 'ask_documents', procedure: null }),
  said({ intent: 'request_escort', procedure: null }),
  said({ intent: 'affirm' }),
  said({ intent: 'deny' }),
  said({ intent: 'greet' }),
  said({ intent: 'goodbye' }),
  said({ intent: 'talk_to_staff' }),
  said({ intent: 'change_language', lang: 'ko' }),
  said({ intent: 'out_of_scope' }),
  said({ intent: 'ask_procedure', confidence: 0.2 }),
  { type: 'xstate.done.actor.navigate', output: { kind: 'arrived' } },
  { type: 'xstate.done.actor.navigate', output: { kind: 'canceled' } },
  { type: 'xstate.done.actor.navigate', output: { kind: 'failed', reason: 'blocked', detail: 'corridor blocked' } },
  { type: 'xstate.done.actor.readId', output: { requestId: 'r1', cardsRead: 1 } },
  { type: 'xstate.done.actor.issueTicket', output: { number: 'A001', counterId: 'counter-1' } },
  ...['speak', 'classify', 'navigate', 'readId', 'issueTicket'].map((id) => ({
    type: `xstate.error.actor.${id}`,
    error: new Error('boom'),
  })),
  ...delayedEvents,
];

/** Only what changes future behaviour: words and languages do not, counters and flags do. */
function serialize(snapshot: Snapshot): string {
  const c = snapshot.context;
  return JSON.stringify([
    snapshot.value,
    c.pending,
    c.reprompts,
    c.clarifications,
    c.callOuts,
    c.escortAttempts,
    c.docked,
    c.counterId !== null,
    c.citizenId !== null,
    c.procedureId !== null && (c.procedures[c.procedureId]?.idCards ?? 0) > 0,
  ]);
}

/** Offering only the events some active state handles keeps the search to what can change anything. */
function eventsFor(snapshot: Snapshot): GuideEvent[] {
  const handled = new Set<string>();
  for (const node of snapshot._nodes) for (const key of node.transitions.keys()) handled.add(key);
  // Loosely typed: the model also sends the machine's internal actor and delay events.
  return EVENTS.filter((event) => handled.has(event.type)) as GuideEvent[];
}

const traversal = {
  input: MODEL_INPUT,
  events: eventsFor,
  serializeState: (snapshot: Snapshot) => serialize(snapshot),
  serializeEvent: (event: GuideEvent) => JSON.stringify(event),
};

const adjacency = getAdjacencyMap(guideMachine, traversal);
const vertices = Object.values(adjacency);
const edges = vertices.flatMap((vertex) =>
  Object.values(vertex.transitions).map((t) => ({ from: vertex.state, event: t.event, to: t.state })),
);

const MOTION_ACTOR = 'navigate';
const isMoving = (snapshot: Snapshot) => Object.keys(snapshot.children).includes(MOTION_ACTOR);
const mustStandStill = (snapshot: Snapshot) =>
  snapshot.matches({ safety: 'paused' }) || snapshot.matches({ safety: 'estopped' }) || snapshot.matches({ link: 'down' });

describe('guide machine, model-based', { timeout: 300_000 }, () => {
  it('explores a finite, non-trivial state space', () => {
    expect(vertices.length).toBeGreaterThan(200);
  });

  it('reaches every state node', () => {
    const reached = new Set<string>();
    for (const vertex of vertices) for (const node of vertex.state._nodes) reached.add(node.id);
    const missing = allNodes.map((n) => n.id).filter((id) => !reached.has(id));
    expect(missing).toEqual([]);
  });

  it('takes every event-triggered transition and reaches every eventless target', () => {
    const taken = new Set<AnyTransitionDefinition>();
    for (const edge of edges) {
      for (const t of guideMachine.getTransitionData(edge.from, edge.event as GuideEvent)) taken.add(t);
    }
    const untaken: string[] = [];
    for (const node of allNodes) {
      for (const [eventType, list] of node.transitions) {
        list.forEach((t, i) => {
          if (!taken.has(t)) untaken.push(`${node.id} --${eventType}[${i}]-->`);
        });
      }
    }
    expect(untaken).toEqual([]);
    const reached = new Set(vertices.flatMap((v) => v.state._nodes.map((n) => n.id)));
    const unreachedAlways = allNodes.flatMap((node) =>
      node.always?.flatMap((t) => (t.target ?? []).filter((target) => !reached.has(target.id)).map((target) => `${node.id} -> ${target.id}`)) ?? [],
    );
    expect(unreachedAlways).toEqual([]);
  });

  it('never has a navigation running while paused, e-stopped or with the link down', () => {
    const violations = vertices.filter((v) => mustStandStill(v.state) && isMoving(v.state)).map((v) => serialize(v.state));
    expect(violations).toEqual([]);
  });

  it('stops the base on every transition into paused, e-stopped or link down', () => {
    const missed: string[] = [];
    for (const edge of edges) {
      const enters =
        (!edge.from.matches({ safety: 'paused' }) && edge.to.matches({ safety: 'paused' })) ||
        (!edge.from.matches({ safety: 'estopped' }) && edge.to.matches({ safety: 'estopped' })) ||
        (!edge.from.matches({ link: 'down' }) && edge.to.matches({ link: 'down' }));
      if (!enters) continue;
      const [, actions] = transition(guideMachine, edge.from, edge.event as GuideEvent);
      if (!actions.some((a) => a.type === 'stopBase')) missed.push(`${serialize(edge.from)} ${edge.event.type}`);
    }
    expect(missed).toEqual([]);
  });

  it('never starts motion on release or resume alone, except an operator resume of a halted task', () => {
    for (const edge of edges) {
      if (edge.event.type !== 'operator.releaseEstop' && edge.event.type !== 'link.restored') continue;
      if (!isMoving(edge.from)) expect(isMoving(edge.to)).toBe(false);
    }
  });

  it('can end every conversation back in idle or handoff, from every reachable state', () => {
    const key = (s: Snapshot) => serialize(s);
    const reverse = new Map<string, Set<string>>();
    for (const edge of edges) {
      const to = key(edge.to);
      if (!reverse.has(to)) reverse.set(to, new Set());
      reverse.get(to)!.add(key(edge.from));
    }
    const ended = vertices
      .filter((v) => v.state.matches({ interaction: 'idle' }) || v.state.matches({ interaction: 'handoff' }))
      .map((v) => key(v.state));
    const canEnd = new Set(ended);
    const queue = [...ended];
    while (queue.length > 0) {
      const next = queue.pop()!;
      for (const prev of reverse.get(next) ?? []) {
        if (!canEnd.has(prev)) {
          canEnd.add(prev);
          queue.push(prev);
        }
      }
    }
    const stuck = vertices.map((v) => key(v.state)).filter((k) => !canEnd.has(k));
    expect(stuck).toEqual([]);
  });

  it('generates a shortest path to every state, safe at every step', () => {
    const paths = getShortestPaths(guideMachine, traversal);
    expect(paths.length).toBe(vertices.length);
    let steps = 0;
    for (const path of paths) {
      for (const step of path.steps) {
        steps += 1;
        if (mustStandStill(step.state)) expect(isMoving(step.state)).toBe(false);
      }
    }
    expect(steps).toBeGreaterThan(paths.length);
  });

  it('replays sampled generated paths through the machine to the same states', () => {
    const paths = getShortestPaths(guideMachine, { ...traversal, toState: (s: Snapshot) => s.matches({ safety: 'normal', power: 'ok', link: 'up' }) });
    for (const path of paths.filter((_, i) => i % 7 === 0)) {
      let [snapshot] = initialTransition(guideMachine, MODEL_INPUT);
      for (const step of path.steps) {
        [snapshot] = transition(guideMachine, snapshot, step.event);
        expect(serialize(snapshot)).toBe(serialize(step.state));
      }
    }
  });

  it('walks the happy path: greet, understand, answer, ticket, escort, arrive, return', () => {
    const [start] = initialTransition(guideMachine, { ...MODEL_INPUT, settings: { ...MODEL_INPUT.settings, idReaderAvailable: false } });
    const steps: ModelEvent[] = [
      { type: 'people.updated', people: [{ id: 'p1', distanceM: 1 }] },
      { type: 'xstate.done.actor.speak', output: { spokenMs: 1 } },
      { type: 'speech.heard', text: 'cho em hỏi làm giấy khai sinh', lang: null, confidence: 1 },
      said({ intent: 'ask_procedure', procedure: 'birth_registration', lang: 'en' }),
      { type: 'xstate.done.actor.speak', output: { spokenMs: 1 } },
      { type: 'xstate.done.actor.speak', output: { spokenMs: 1 } },
      { type: 'speech.heard', text: 'yes please', lang: null, confidence: 1 },
      said({ intent: 'affirm', lang: 'en' }),
      { type: 'xstate.done.actor.issueTicket', output: { number: 'A001', counterId: 'counter-1' } },
      { type: 'xstate.done.actor.speak', output: { spokenMs: 1 } },
    ];
    let snapshot = start;
    for (const event of steps) [snapshot] = transition(guideMachine, snapshot, event as GuideEvent);
    expect(snapshot.value).toMatchObject({ interaction: { serving: { escorting: 'leading' } } });
    expect(snapshot.context).toMatchObject({ lang: 'en', procedureId: 'birth_registration', counterId: 'counter-1' });
    expect(isMoving(snapshot)).toBe(true);
    [snapshot] = transition(guideMachine, snapshot, { type: 'operator.estop' });
    expect(isMoving(snapshot)).toBe(false);
    expect(snapshot.value).toMatchObject({ safety: 'estopped', interaction: { serving: { escorting: 'halted' } } });
    [snapshot] = transition(guideMachine, snapshot, { type: 'operator.releaseEstop' });
    expect(snapshot.value).toMatchObject({ safety: 'paused' });
    expect(isMoving(snapshot)).toBe(false);
    [snapshot] = transition(guideMachine, snapshot, { type: 'operator.resume' });
    expect(isMoving(snapshot)).toBe(true);
    [snapshot] = transition(guideMachine, snapshot, { type: 'xstate.done.actor.navigate', output: { kind: 'arrived' } } as unknown as GuideEvent);
    expect(snapshot.value).toMatchObject({ interaction: { serving: 'arrived' } });
  });
});
