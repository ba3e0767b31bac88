import { createActor, fromPromise, type Actor, type SnapshotFrom } from 'xstate';
import { guideMachine } from '../../statecharts/guide.machine.js';
import type {
  AlertKind,
  GuideEvent,
  GuideInput,
  GuideSettings,
  IdSummary,
  ReadIdInput,
  NavigateInput,
  ProcedureInfo,
  SeenPerson,
  SpeakInput,
} from '../../statecharts/guide.types.js';
import type { Queue } from '../ports/queue.js';
import type { CardScanner } from '../ports/card-scanner.js';
import type { IdReader, IdRecord } from '../ports/id-reader.js';
import { maskRecord, type MaskedIdRecord } from '../civic/id-card/mask.js';
import { prefillFields } from '../civic/id-card/prefill.js';
import type { RequestStore } from '../civic/requests/sealed-store.js';
import { defaultCounterLabel, renderMessage, type MessageContext } from '../messages/catalogue.js';
import type { Catalog } from '../ports/catalog.js';
import type { Lang, Pose2D } from '../ports/common.js';
import { TiepdanError } from '../ports/errors.js';
import type { IntentModel } from '../ports/intent-model.js';
import type { Listener } from '../ports/listener.js';
import { SEEN_NOW_FROM_CONFIDENCE, type BaseEvent, type NavGoal, type NavResult, type RobotBase } from '../ports/robot-base.js';
import type { Speaker, SpeechRate } from '../ports/speaker.js';
import { CornerSlowdown, DEFAULT_CORNER_SLOWDOWN } from './corner-slowdown.js';
import { DEFAULT_WATCHDOG_SETTINGS, type TimerClock, type WatchdogAlertKind, type WatchdogSettings } from './watchdog-alerts.js';

/** What the controller reports as it works: the terminal, the simulator's report and later the console read this. */
export type ControllerRecord =
  | { readonly kind: 'state'; readonly interaction: string; readonly safety: string; readonly power: string; readonly link: string }
  | { readonly kind: 'heard'; readonly text: string; readonly lang: Lang | null }
  | { readonly kind: 'understood'; readonly intent: string; readonly procedure: string | null; readonly lang: Lang; readonly confidence: number }
  | { readonly kind: 'said'; readonly messageId: string; readonly lang: Lang; readonly text: string; readonly params: SpeakInput['params'] }
  | { readonly kind: 'nav'; readonly purpose: NavigateInput['purpose']; readonly placeId: string; readonly result: NavResult | null }
  | { readonly kind: 'ticket'; readonly number: string; readonly counterId: string }
  /** Shown on the kiosk for the citizen to confirm: masked, never the card data itself. */
  | { readonly kind: 'idRead'; readonly procedureId: string; readonly requestId: string; readonly cards: readonly MaskedIdRecord[] }
  | { readonly kind: 'idRejected'; readonly codes: readonly string[] }
  | { readonly kind: 'alert'; readonly alert: AlertKind | WatchdogAlertKind }
  | { readonly kind: 'error'; readonly where: string; readonly message: string };

export interface ControllerDeps {
  readonly base: RobotBase;
  readonly listener: Listener;
  readonly speaker: Speaker;
  readonly intentModel: IntentModel;
  readonly catalog: Catalog;
  readonly tickets: Queue;
  readonly settings: GuideSettings;
  /** The statechart's timers and the watchdogs run on this clock: virtual in the simulator, Node's timers on the robot. */
  readonly clock: TimerClock;
  /** Milliseconds on the same clock as `clock`. */
  readonly now: () => number;
  /** The controller's own watchdogs; each default in DEFAULT_WATCHDOG_SETTINGS. */
  readonly watchdogs?: Partial<WatchdogSettings>;
  readonly speechRate?: SpeechRate;
  /** The card reader and what keeps the pre-filled requests; without them the robot asks for no card. */
  readonly idCards?: { readonly reader: IdReader; readonly scanner: CardScanner; readonly requests: RequestStore; readonly robotId: string };
  readonly record?: (record: ControllerRecord) => void;
}

export type GuideActor = Actor<typeof guideMachine>;
export type GuideSnapshot = SnapshotFrom<typeof guideMachine>;

/** The ids a message refers to; the operator's free text is not a slot. */
function slotsOf(input: SpeakInput): Record<string, string> {
  const { text: _text, ...ids } = input.params;
  return Object.fromEntries(Object.entries(ids).filter((entry): entry is [string, string] => typeof entry[1] === 'string'));
}

/** Distance bands the statechart reacts to; people updates go to it only when someone changes band. */
function band(distanceM: number, settings: GuideSettings): number {
  if (distanceM <= settings.greetRadiusM) return 0;
  if (distanceM <= settings.followRejoinDistanceM) return 1;
  if (distanceM <= settings.followMaxDistanceM) return 2;
  return 3;
}

export function describeState(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value !== null && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>)
      .map(([key, child]) => `${key}.${describeState(child)}`)
      .join(',');
  }
  return String(value);
}

export function guideInputFrom(base: RobotBase, catalog: Catalog, settings: GuideSettings): GuideInput {
  const places = base.places();
  const home = places.find((p) => p.kind === 'home');
  const dock = places.find((p) => p.kind === 'dock');
  if (home === undefined || dock === undefined) {
    throw new TiepdanError('places_invalid', 'the places file needs a home and a dock');
  }
  const procedures: Record<string, ProcedureInfo> = {};
  for (const p of catalog.procedures()) procedures[p.id] = { field: p.field, idCards: p.idCards };
  return {
    settings,
    counters: places.filter((p) => p.kind === 'counter').map((p) => ({ id: p.id, fields: p.fields })),
    procedures,
    homeId: home.id,
    dockId: dock.id,
  };
}

/**
 * The composition of the guide statechart with its ports: it provides the machine's named effects,
 * turns what the base and the listener report into the machine's events, and reports what happens.
 */
export class Controller {
  readonly actor: GuideActor;
  readonly #deps: ControllerDeps;
  readonly #unsubscribers: (() => void)[] = [];
  readonly #messageContext: MessageContext;
  #pose: Pose2D | null = null;
  #peopleSignature = '';
  #batteryPercent = -1;
  #batteryCharging = false;
  #lastState = '';
  #announcement: AbortController | null = null;
  #requestSeq = 0;
  /** The request read in this conversation that has no ticket yet: a re-scan or the end of the conversation discards it. */
  #unticketedRequestId: string | null = null;
  readonly #watchdogs: WatchdogSettings;
  /** Slower round the corners of an escort's path, so the citizen behind keeps the robot in sight. */
  readonly #corners = new CornerSlowdown({
    ...DEFAULT_CORNER_SLOWDOWN,
    setSpeedLimit: (maxSpeedMps) => void this.#deps.base.setSpeedLimit(maxSpeedMps).catch((error: unknown) => this.#fault('speedLimit', error)),
  });
  /** The link is up only while the adapter's heartbeat is fresh and poses keep coming. */
  #heartbeatFresh = true;
  #posesFresh = true;
  #lastPoseAtMs = 0;
  #silenceAlerted = false;
  #silenceTimer: unknown = null;

  constructor(deps: ControllerDeps) {
    this.#deps = deps;
    this.#watchdogs = { ...DEFAULT_WATCHDOG_SETTINGS, ...deps.watchdogs };
    this.#messageContext = { catalog: deps.catalog, counterLabel: defaultCounterLabel };
    const record = (r: ControllerRecord): void => deps.record?.(r);
    const machine = guideMachine.provide({
      actors: {
        speak: fromPromise(async ({ input, signal }) => {
          const text = this.#render(input);
          record({ kind: 'said', messageId: input.messageId, lang: input.lang, text, params: input.params });
          const result = await deps.speaker.speak(
            { text, lang: input.lang, messageId: input.messageId, rate: deps.speechRate ?? 'normal', slots: slotsOf(input) },
            { signal },
          );
          return { spokenMs: result.kind === 'done' ? result.durationMs : 0 };
        }),
        classify: fromPromise(async ({ input }) => {
          const result = await deps.intentModel.classify(input.text);
          record({ kind: 'understood', intent: result.intent, procedure: result.procedure, lang: result.lang, confidence: result.confidence });
          return result;
        }),
        navigate: fromPromise(async ({ input, signal }) => {
          record({ kind: 'nav', purpose: input.purpose, placeId: input.placeId, result: null });
          const result = await this.#navigate(input, signal);
          record({ kind: 'nav', purpose: input.purpose, placeId: input.placeId, result });
          return result;
        }),
        // The machine asks only when `idReaderAvailable` is set; without a reader this answers plainly.
        readId: fromPromise<IdSummary, ReadIdInput>(async ({ input, signal }) => this.#readId(input, signal)),
        issueTicket: fromPromise(async ({ input }) => {
          const ticket = deps.tickets.issue({ field: input.field, procedureId: input.procedureId });
          if (input.requestId !== null) deps.idCards?.requests.attachTicket(input.requestId, ticket.number);
          if (input.requestId === this.#unticketedRequestId) this.#unticketedRequestId = null;
          record({ kind: 'ticket', number: ticket.number, counterId: input.counterId });
          return { number: ticket.number, counterId: input.counterId };
        }),
      },
      actions: {
        stopBase: (_, params) => {
          deps.base.stop(params.reason).catch((error: unknown) => this.#fault('stopBase', error));
        },
        releaseBase: () => {
          deps.base.release().catch((error: unknown) => this.#fault('releaseBase', error));
        },
        alert: (_, params) => record({ kind: 'alert', alert: params.kind }),
        announce: (_, params) => this.#announce(params),
        discardIdRequest: (_, params) => {
          const cards = deps.idCards;
          if (cards !== undefined && params.requestId !== '') cards.requests.discard(params.requestId, cards.robotId);
          if (params.requestId === this.#unticketedRequestId) this.#unticketedRequestId = null;
        },
      },
    });
    this.actor = createActor(machine, {
      input: guideInputFrom(deps.base, deps.catalog, deps.settings),
      clock: deps.clock,
    });
    this.actor.subscribe({
      next: (snapshot) => {
        const value = snapshot.value as Record<string, unknown>;
        const state = describeState(value['interaction']);
        const key = `${state}|${describeState(value['safety'])}|${describeState(value['power'])}|${describeState(value['link'])}`;
        if (key !== this.#lastState) {
          this.#lastState = key;
          if (state.startsWith('idle')) this.#discardUnticketed();
          record({
            kind: 'state',
            interaction: state,
            safety: describeState(value['safety']),
            power: describeState(value['power']),
            link: describeState(value['link']),
          });
        }
      },
      error: (error) => this.#fault('statechart', error),
    });
  }

  start(): void {
    this.actor.start();
    this.#lastPoseAtMs = this.#deps.now();
    this.#armSilenceWatch(this.#watchdogs.baseSilenceMs);
    this.#unsubscribers.push(() => this.#deps.clock.clearTimeout(this.#silenceTimer));
    this.#unsubscribers.push(this.#deps.base.subscribe((event) => this.#onBase(event)));
    this.#unsubscribers.push(
      this.#deps.listener.subscribe((utterance) => {
        this.#deps.record?.({ kind: 'heard', text: utterance.text, lang: utterance.lang ?? null });
        this.send({ type: 'speech.heard', text: utterance.text, lang: utterance.lang ?? null, confidence: utterance.confidence });
      }),
    );
  }

  send(event: GuideEvent): void {
    this.actor.send(event);
  }

  snapshot(): GuideSnapshot {
    return this.actor.getSnapshot();
  }

  get pose(): Pose2D | null {
    return this.#pose;
  }

  /** Stops the base before anything else goes down. */
  async stop(): Promise<void> {
    for (const unsubscribe of this.#unsubscribers.splice(0)) unsubscribe();
    this.#announcement?.abort();
    try {
      await this.#deps.base.stop('shutdown');
    } finally {
      this.actor.stop();
    }
  }

  #render(input: SpeakInput): string {
    return renderMessage(input.messageId, input.lang, input.params, this.#messageContext);
  }

  /** Fire-and-forget speech; a newer announcement cuts the previous one short. */
  #announce(input: SpeakInput): void {
    this.#announcement?.abort();
    const controller = new AbortController();
    this.#announcement = controller;
    const text = this.#render(input);
    if (text.length === 0) return;
    this.#deps.record?.({ kind: 'said', messageId: input.messageId, lang: input.lang, text, params: input.params });
    this.#deps.speaker
      .speak(
        { text, lang: input.lang, messageId: input.messageId, rate: this.#deps.speechRate ?? 'normal', slots: slotsOf(input) },
        { signal: controller.signal },
      )
      .catch((error: unknown) => this.#fault('announce', error));
  }

  async #navigate(input: NavigateInput, signal: AbortSignal): Promise<NavResult> {
    const base = this.#deps.base;
    if (input.undockFirst) {
      const undocked = await base.undock({ signal });
      if (undocked.kind !== 'arrived') return undocked;
    }
    if (input.purpose === 'dock') return base.dock({ signal });
    await base.setSpeedLimit(input.speedLimitMps);
    if (input.purpose === 'escort' && input.speedLimitMps !== null) this.#corners.start(input.speedLimitMps);
    try {
      const goal = { kind: 'place', placeId: input.placeId } as const;
      const first = await this.#navigateWatched(goal, signal);
      if (first !== 'no_progress') return first;
      // One replan: a fresh goal from where the robot stands now.
      const second = await this.#navigateWatched(goal, signal);
      if (second !== 'no_progress') return second;
      this.#deps.record?.({ kind: 'alert', alert: 'navNoProgress' });
      const seconds = Math.round(this.#watchdogs.navNoProgressMs / 1000);
      return { kind: 'failed', reason: 'no_progress', detail: `the remaining distance did not drop by ${this.#watchdogs.navProgressM} m in ${seconds} s, twice` };
    } finally {
      this.#corners.end();
      if (input.speedLimitMps !== null) await base.setSpeedLimit(null);
    }
  }

  /**
   * One goal under the no-progress watchdog: progress is the remaining distance (from the base's
   * feedback) dropping by `navProgressM` below its best so far. No feedback at all counts as none.
   * The caller's signal still cancels the goal as before.
   */
  async #navigateWatched(goal: NavGoal, signal: AbortSignal): Promise<NavResult | 'no_progress'> {
    const { clock, now } = this.#deps;
    const { navNoProgressMs, navProgressM } = this.#watchdogs;
    const goalAbort = new AbortController();
    const forward = (): void => goalAbort.abort();
    if (signal.aborted) goalAbort.abort();
    else signal.addEventListener('abort', forward, { once: true });
    let bestM = Number.POSITIVE_INFINITY;
    let progressAtMs = now();
    let stuck = false;
    let timer: unknown = null;
    // One timer at a time: when it fires early (progress was made meanwhile) it is set for the rest.
    const watch = (ms: number): void => {
      timer = clock.setTimeout(() => {
        const quietMs = now() - progressAtMs;
        if (quietMs < navNoProgressMs) return watch(navNoProgressMs - quietMs);
        stuck = true;
        goalAbort.abort();
      }, ms);
    };
    watch(navNoProgressMs);
    try {
      const result = await this.#deps.base.navigate(goal, {
        signal: goalAbort.signal,
        onFeedback: (feedback) => {
          if (feedback.distanceRemainingM <= bestM - navProgressM) {
            bestM = feedback.distanceRemainingM;
            progressAtMs = now();
          }
        },
      });
      return stuck && !signal.aborted && result.kind === 'canceled' ? 'no_progress' : result;
    } finally {
      clock.clearTimeout(timer);
      signal.removeEventListener('abort', forward);
    }
  }

  /**
   * Checks that poses keep coming; one timer at a time, set for what is left of the silence limit.
   * A silence the adapter's heartbeat has already reported is not alerted twice.
   */
  #armSilenceWatch(ms: number): void {
    this.#silenceTimer = this.#deps.clock.setTimeout(() => {
      // The watchdog ends with the statechart, however that was stopped.
      if (this.actor.getSnapshot().status !== 'active') return;
      const limitMs = this.#watchdogs.baseSilenceMs;
      const silentMs = this.#deps.now() - this.#lastPoseAtMs;
      if (silentMs < limitMs) return this.#armSilenceWatch(limitMs - silentMs);
      this.#posesFresh = false;
      if (this.#heartbeatFresh && !this.#silenceAlerted) {
        this.#silenceAlerted = true;
        this.#deps.record?.({ kind: 'alert', alert: 'baseSilent' });
        this.send({ type: 'link.lost' });
      }
      this.#armSilenceWatch(limitMs);
    }, ms);
  }

  #onBase(event: BaseEvent): void {
    switch (event.type) {
      case 'pose':
        this.#pose = event.pose;
        this.#corners.onPose(event.pose);
        this.#lastPoseAtMs = this.#deps.now();
        if (!this.#posesFresh) {
          this.#posesFresh = true;
          this.#silenceAlerted = false;
          if (this.#heartbeatFresh) this.send({ type: 'link.restored' });
        }
        break;
      case 'heartbeat':
        this.#heartbeatFresh = event.fresh;
        if (!event.fresh) this.send({ type: 'link.lost' });
        else if (this.#posesFresh) this.send({ type: 'link.restored' });
        break;
      case 'battery': {
        const percent = Math.floor(event.battery.percent);
        if (percent !== this.#batteryPercent || event.battery.charging !== this.#batteryCharging) {
          this.#batteryPercent = percent;
          this.#batteryCharging = event.battery.charging;
          this.send({ type: 'battery.updated', percent, charging: event.battery.charging });
        }
        break;
      }
      case 'people': {
        const pose = this.#pose;
        if (pose === null) break;
        const people: SeenPerson[] = event.people
          .map((p) => ({
            id: p.id,
            distanceM: Math.hypot(p.position.xM - pose.xM, p.position.yM - pose.yM),
            seenNow: p.confidence >= SEEN_NOW_FROM_CONFIDENCE,
          }))
          .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
        // A confidence fading from moment to moment is news only when it crosses from seen to remembered.
        const signature = people.map((p) => `${p.id}:${band(p.distanceM, this.#deps.settings)}:${p.seenNow ? 'seen' : 'remembered'}`).join(',');
        if (signature !== this.#peopleSignature) {
          this.#peopleSignature = signature;
          this.send({ type: 'people.updated', people });
        }
        break;
      }
      case 'path':
        this.#corners.onPath(event.path);
        break;
    }
  }

  /**
   * Reads the cards the procedure's form needs (two for a marriage): a card that does not read gets
   * one more try, then the conversation goes on without it (the statechart gives a ticket anyway).
   * The request keeps only the fields the form needs; the conversation keeps only its id.
   */
  async #readId(input: ReadIdInput, signal: AbortSignal): Promise<IdSummary> {
    const cards = this.#deps.idCards;
    if (cards === undefined) throw new TiepdanError('no_id_reader', 'no ID card reader is configured');
    const records: IdRecord[] = [];
    while (records.length < input.cards) {
      let read: IdRecord | null = null;
      for (let attempt = 0; attempt < 2 && read === null; attempt += 1) {
        const result = cards.reader.readQr(await cards.scanner.nextScan(signal));
        if (result.ok) read = result.record;
        else this.#deps.record?.({ kind: 'idRejected', codes: result.errors.map((e) => e.code) });
      }
      if (read === null) throw new TiepdanError('id_unreadable', 'the card could not be read twice in a row');
      records.push(read);
    }
    // A second scan replaces the first: its request would otherwise stay, with no ticket to find it by.
    this.#discardUnticketed();
    this.#requestSeq += 1;
    const requestId = `${cards.robotId}-${this.#deps.now()}-${this.#requestSeq}`;
    const needed = this.#deps.catalog.get(input.procedureId)?.idData ?? [];
    cards.requests.put({ requestId, procedureId: input.procedureId, fields: prefillFields(records, needed) }, cards.robotId);
    this.#unticketedRequestId = requestId;
    this.#deps.record?.({ kind: 'idRead', procedureId: input.procedureId, requestId, cards: records.map(maskRecord) });
    return { requestId, cardsRead: records.length };
  }

  #discardUnticketed(): void {
    const cards = this.#deps.idCards;
    const requestId = this.#unticketedRequestId;
    this.#unticketedRequestId = null;
    if (cards !== undefined && requestId !== null) cards.requests.discard(requestId, cards.robotId);
  }

  #fault(where: string, error: unknown): void {
    this.#deps.record?.({ kind: 'error', where, message: error instanceof Error ? error.message : String(error) });
  }
}

