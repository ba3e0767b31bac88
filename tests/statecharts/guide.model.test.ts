/**
 * Model-based tests of the guide machine: xstate/graph generates the paths, the machine's
 * own definition says what must be covered, and the safety and liveness promises are checked
 * on every reachable state.
 */
import { describe, expect, it } from 'vitest';
import { getMicrosteps, initialTransition, transition, type AnyStateNode, type AnyTransitionDefinition } from 'xstate';
import { getShortestPaths } from 'xstate/graph';
import { guideMachine, type GuideEvent } from '../../statecharts/index.js';
import type { Classification } from '../../src/ports/intent-model.js';
import { TEST_INPUT, TEST_SETTINGS } from './guide.fixtures.js';

/** Small bounds keep the state space small while still exercising every "one more / give up" branch. */
const MODEL_INPUT = {
  ...TEST_INPUT,
  settings: { ...TEST_SETTINGS, maxReprompts: 1, maxClarifications: 1, maxCallOuts: 2, maxEscortAttempts: 1 },
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

/** Hidden round a corner: close by, but only where the tracker last saw them. Only the escort tells it from a sighting. */
const CITIZEN_HIDDEN: ModelEvent = { type: 'people.updated', people: [{ id: 'p1', distanceM: 1, seenNow: false }] };

const EVENTS: ModelEvent[] = [
  { type: 'people.updated', people: [{ id: 'p1', distanceM: 1, seenNow: true }] },
  { type: 'people.updated', people: [{ id: 'p1', distanceM: 6, seenNow: true }] },
  { type: 'people.updated', people: [] },
  { type: 'speech.heard', text: 'xin chào', lang: null, confidence: 1 },
  { type: 'kiosk.procedureSelected', procedureId: 'marriage_registration', lang: 'ko' },
  { type: 'kiosk.procedureSelected', procedureId: 'no_such_procedure', lang: 'ko' },
  { type: 'kiosk.languageSelected', lang: 'en' },
  { type: 'kiosk.answered', answer: 'yes' },
  { type: 'operator.sendTo', placeId: 'waiting-area' },
  { type: 'kiosk.answered', answer: 'no' },
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

/**
 * The abstraction the search works on: the active states plus the counters that bound reprompts,
 * clarifications, call-outs and retries while serving (every way out of `serving` resets them), and
 * while waiting for the citizen whether they were last only remembered (it decides between waiting on and calling out).
 * and whether a citizen is tracked. Flags such as "the robot is docked" are left out to keep the product of
 * the four regions small; the coverage test below proves the search still takes every transition.
 */
function serialize(snapshot: Snapshot): string {
  const c = snapshot.context;
  const serving = snapshot.matches({ interaction: 'serving' });
  const walking = snapshot.matches({ interaction: { serving: 'escorting' } }) || snapshot.matches({ interaction: { serving: 'arrived' } });
  // Only the waits read the sighting; every way into them writes it first, so elsewhere it would only split states.
  const waitingForCitizen =
    snapshot.matches({ interaction: { serving: { escorting: 'waitingForCitizen' } } }) ||
    snapshot.matches({ interaction: { serving: { escorting: 'callingOut' } } });
  return JSON.stringify([
    snapshot.value,
    c.citizenId !== null,
    walking ? [c.callOuts, c.escortAttempts, waitingForCitizen && c.citizenSighting === 'remembered'] : serving ? [c.pending, c.reprompts, c.clarifications] : null,
  ]);
}

/** Offering only the events some active state handles keeps the search to what can change anything. */
function eventsFor(snapshot: Snapshot): GuideEvent[] {
  const handled = new Set<string>();
  for (const node of snapshot._nodes) for (const key of node.transitions.keys()) handled.add(key);
  // A hidden citizen matters only to the escort; offered elsewhere it would only add edges to search.
  const escorting = snapshot.matches({ interaction: { serving: 'escorting' } });
  // Loosely typed: the model also sends the machine's internal actor and delay events.
  return [...EVENTS, ...(escorting ? [CITIZEN_HIDDEN] : [])].filter((event) => handled.has(event.type)) as GuideEvent[];
}

const MOTION_ACTOR = 'navigate';
const isMoving = (snapshot: Snapshot) => Object.keys(snapshot.children).includes(MOTION_ACTOR);
const mustStandStill = (snapshot: Snapshot) =>
  snapshot.matches({ safety: 'paused' }) || snapshot.matches({ safety: 'estopped' }) || snapshot.matches({ link: 'down' });
const enteredStandStill = (from: Snapshot, to: Snapshot) =>
  (['paused', 'estopped'] as const).some((s) => !from.matches({ safety: s }) && to.matches({ safety: s })) ||
  (!from.matches({ link: 'down' }) && to.matches({ link: 'down' }));

/**
 * The whole reachable state space, breadth first, checking each edge as it is found. xstate/graph's
 * adjacency search shifts an array queue and keeps every edge's snapshot, which at this size is
 * quadratic in time and runs out of memory; this walk is linear and keeps only keys per edge.
 */
function explore() {
  const [initial] = initialTransition(guideMachine, MODEL_INPUT);
  const vertices = new Map<string, Snapshot>([[serialize(initial), initial]]);
  const reverse = new Map<string, Set<string>>();
  const untaken = new Set<AnyTransitionDefinition>();
  for (const node of allNodes) for (const list of node.transitions.values()) for (const t of list) untaken.add(t);
  let untakenSources = new Set([...untaken].map((t) => t.source.id));
  // Transient states (left at once by an eventless transition) show up only in microsteps.
  const visited = new Set<string>(initial._nodes.map((n) => n.id));
  const stopMissed: string[] = [];
  const startedByRelease: string[] = [];
  let edgeCount = 0;
  const queue: Snapshot[] = [initial];
  for (let head = 0; head < queue.length; head += 1) {
    const from = queue[head]!;
    const fromKey = serialize(from);
    for (const event of eventsFor(from)) {
      edgeCount += 1;
      const [to, actions] = transition(guideMachine, from, event);
      if (visited.size < allNodes.length) {
        for (const [micro] of getMicrosteps(guideMachine, from, event)) for (const n of micro._nodes) visited.add(n.id);
      }
      const key = serialize(to);
      // Asking which transitions an event takes costs as much as taking it: only ask while it can tell something new.
      if (untaken.size > 0 && from._nodes.some((node) => untakenSources.has(node.id))) {
        for (const t of guideMachine.getTransitionData(from, event)) untaken.delete(t);
        untakenSources = new Set([...untaken].map((t) => t.source.id));
      }
      if (enteredStandStill(from, to) && !actions.some((a) => a.type === 'stopBase')) stopMissed.push(`${fromKey} ${event.type}`);
      if ((event.type === 'operator.releaseEstop' || event.type === 'link.restored') && !isMoving(from) && isMoving(to)) {
        startedByRelease.push(`${fromKey} ${event.type}`);
      }
      if (!reverse.has(key)) reverse.set(key, new Set());
      reverse.get(key)!.add(fromKey);
      if (!vertices.has(key)) {
        vertices.set(key, to);
        queue.push(to);
      }
    }
  }
  return { vertices, reverse, untaken, visited, stopMissed, startedByRelease, edgeCount };
}

const exploreStartMs = performance.now();
const graph = explore();
process.stderr.write(`guide model: ${graph.vertices.size} states, ${graph.edgeCount} transitions explored in ${Math.round(performance.now() - exploreStartMs)} ms\n`);
const vertices = [...graph.vertices.values()].map((state) => ({ state }));

/** For path generation: the same abstraction as the exhaustive walk. */
const traversal = {
  input: MODEL_INPUT,
  events: eventsFor,
  serializeState: (snapshot: Snapshot) => serialize(snapshot),
  serializeEvent: (event: GuideEvent) => JSON.stringify(event),
};

describe('guide machine, model-based', { timeout: 300_000 }, () => {
  it('explores a finite, non-trivial state space', () => {
    expect(vertices.length).toBeGreaterThan(200);
    expect(graph.edgeCount).toBeGreaterThan(vertices.length);
  });

  it('reaches every state node, transient ones included', () => {
    const missing = allNodes.map((n) => n.id).filter((id) => !graph.visited.has(id));
    expect(missing).toEqual([]);
  });

  it('takes every event-triggered transition and reaches every eventless target', () => {
    const untaken = [...graph.untaken].map((t) => `${t.source.id} --${t.eventType}--> ${(t.target ?? []).map((n) => n.id).join(',')}`);
    expect(untaken).toEqual([]);
    const reached = graph.visited;
    const unreachedAlways = allNodes.flatMap(
      (node) =>
        node.always?.flatMap((t) => (t.target ?? []).filter((target) => !reached.has(target.id)).map((target) => `${node.id} -> ${target.id}`)) ?? [],
    );
    expect(unreachedAlways).toEqual([]);
  });

  it('never has a navigation running while paused, e-stopped or with the link down', () => {
    const violations = vertices
      .filter((v) => mustStandStill(v.state) && isMoving(v.state))
      .map((v) => `${serialize(v.state)} children=${Object.keys(v.state.children).join('+')}`);
    expect(violations).toEqual([]);
  });

  it('stops the base on every transition into paused, e-stopped or link down', () => {
    expect(graph.stopMissed).toEqual([]);
  });

  it('never starts motion on an e-stop release or a restored link alone', () => {
    expect(graph.startedByRelease).toEqual([]);
  });

  it('can end every conversation back in idle or handoff, from every reachable state', () => {
    const ended = [...graph.vertices]
      .filter(([, s]) => s.matches({ interaction: 'idle' }) || s.matches({ interaction: 'handoff' }))
      .map(([key]) => key);
    const canEnd = new Set(ended);
    const queue = [...ended];
    while (queue.length > 0) {
      const next = queue.pop()!;
      for (const prev of graph.reverse.get(next) ?? []) {
        if (!canEnd.has(prev)) {
          canEnd.add(prev);
          queue.push(prev);
        }
      }
    }
    const stuck = [...graph.vertices.keys()].filter((k) => !canEnd.has(k));
    expect(stuck).toEqual([]);
  });

  it('generates shortest paths that replay through the machine, stay safe at every step and visit every state', () => {
    const paths = getShortestPaths(guideMachine, traversal);
    expect(paths.length).toBeGreaterThan(100);
    const reachedNodes = new Set<string>();
    for (const path of paths) {
      let [snapshot] = initialTransition(guideMachine, MODEL_INPUT);
      for (const step of path.steps) {
        for (const [micro] of getMicrosteps(guideMachine, snapshot, step.event)) for (const n of micro._nodes) reachedNodes.add(n.id);
        [snapshot] = transition(guideMachine, snapshot, step.event);
        expect(snapshot.value).toEqual(step.state.value);
        if (mustStandStill(snapshot)) expect(isMoving(snapshot)).toBe(false);
        for (const node of snapshot._nodes) reachedNodes.add(node.id);
      }
    }
    // A state always left at once (an unguarded eventless transition) lies on a path only when it is the shortest way on;
    // the exhaustive walk above covers those.
    const passThrough = (n: AnyStateNode) => n.always?.some((t) => t.guard === undefined) === true;
    expect(allNodes.filter((n) => !reachedNodes.has(n.id) && !passThrough(n)).map((n) => n.id)).toEqual([]);
  });

  it('walks the happy path: greet, understand, answer, ticket, escort, arrive, return', () => {
    const [start] = initialTransition(guideMachine, { ...MODEL_INPUT, settings: { ...MODEL_INPUT.settings, idReaderAvailable: false } });
    const steps: ModelEvent[] = [
      { type: 'people.updated', people: [{ id: 'p1', distanceM: 1, seenNow: true }] },
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
