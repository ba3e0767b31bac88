import type { TextListener } from '../src/adapters/text/text-listener.js';
import type { SpokenRecord } from '../src/adapters/speech/recording-speaker.js';
import type { Lang, Point2D } from '../src/ports/common.js';
import type { Field, Place } from '../src/ports/robot-base.js';
import { qrText, syntheticCard, type SyntheticCard } from './id-cards.js';
import type { Corpus } from './corpus.js';
import type { Random } from '../src/util/random.js';
import type { Agent, World } from './world.js';
import { nearWalkway, walkways, type Walkway } from './walkways.js';
import { HEARING_RANGE_M, hears } from './hearing.js';

export interface CitizenTraits {
  /** Chance that a citizen stops for a while during the escort, then catches up. */
  readonly fallBehindProbability: number;
  /** Chance that a citizen wanders off during the escort and comes back only if called. */
  readonly lostProbability: number;
  /** Chance that a lost citizen hears a call-out and comes back. */
  readonly answersCallOutProbability: number;
  /** How long a citizen waits for the robot before going to the ticket kiosk alone. */
  readonly patienceS: number;
  readonly walkSpeedMps: readonly [number, number];
  /** Minutes an officer spends on one citizen at a counter. */
  readonly serviceMinutes: readonly [number, number];
}

export type CitizenPhase =
  | 'queueing'
  | 'approaching'
  | 'talking'
  | 'following'
  | 'dawdling'
  | 'lost'
  | 'walkingAlone'
  | 'atCounter'
  | 'inService'
  | 'leaving'
  | 'gone';

export interface Citizen {
  readonly id: string;
  readonly agent: Agent;
  readonly lang: Lang;
  readonly procedureId: string;
  readonly field: Field;
  readonly arrivedS: number;
  /** Cleared once the citizen has dawdled: nobody is distracted twice. */
  fallsBehind: boolean;
  readonly getsLost: boolean;
  phase: CitizenPhase;
  greetedS: number | null;
  /** Procedures the robot talked about, in order. */
  told: string[];
  ticket: string | null;
  escortStarted: boolean;
  escortGaveUp: boolean;
  handedOff: boolean;
  /** The operators were alerted (help requested, citizen lost) while the robot was with this citizen. */
  staffAlerted: boolean;
  counterId: string | null;
  reachedCounterS: number | null;
  reachedByEscort: boolean;
  servedS: number | null;
  /** Utterances already used, so a citizen asked again rephrases. */
  used: Set<string>;
  phaseUntilS: number;
  nextRouteS: number;
  /** Until then a follower the robot is waiting for steps up beside it rather than keeping a step behind. */
  stepUpUntilS: number;
  /** Their own card and a partner's (marriage needs both), when the scenario has ID scans. */
  readonly cards: readonly SyntheticCard[];
  cardsShown: number;
  readonly declinesIdScan: boolean;
  /** A scratched or bent card: its QR never reads. */
  readonly damagedCard: boolean;
}

/** Scenario settings for card scans; draws come from their own random stream, so runs without scans do not change. */
export interface IdScanTraits {
  readonly random: Random;
  readonly declineProbability: number;
  readonly damagedCardProbability: number;
}

/** A line a citizen said aloud, with who said it: what a voice tracker and ASR would publish. */
export interface SpokenLine {
  readonly citizenId: string;
  readonly text: string;
  readonly lang: Lang;
}

interface PendingLine {
  readonly atS: number;
  readonly citizenId: string;
  readonly text: string;
  readonly lang: Lang;
}

const TALK_DISTANCE_M = 1.0;
const FOLLOW_GAP_M = 1.0;
/** Beside the robot, a follower it waits for stands this close, and keeps there this long. */
const STEP_UP_M = 0.8;
const STEP_UP_S = 4;

function distance(a: Point2D, b: Point2D): number {
  return Math.hypot(a.xM - b.xM, a.yM - b.yM);
}

/**
 * Simulated citizens: they come in, queue for the robot, talk to it with phrasings from the corpus,
 * follow it (or fall behind, or get lost), and wait at the counter. They only hear what the robot says
 * and see where it is, as a person would.
 */
export class Crowd {
  readonly citizens: Citizen[] = [];
  readonly #world: World;
  readonly #listener: TextListener;
  readonly #corpus: Corpus;
  readonly #random: Random;
  readonly #traits: CitizenTraits;
  readonly #fieldOf: (procedureId: string) => Field;
  readonly #home: Place;
  /** The ways the robot takes between its posts and the counters, which people waiting keep clear. */
  readonly #walkways: readonly Walkway[];
  readonly #entrance: Place;
  readonly #counters: readonly Place[];
  readonly #waiting: Place;
  #pending: PendingLine[] = [];
  #active: Citizen | null = null;
  /** Counter id -> citizens waiting there, first come first served. */
  readonly #counterLines = new Map<string, Citizen[]>();
  readonly #inService = new Map<string, Citizen>();
  readonly #idScans: IdScanTraits | null;
  readonly #lineHearers = new Set<(line: SpokenLine) => void>();

  constructor(options: {
    world: World;
    listener: TextListener;
    corpus: Corpus;
    random: Random;
    traits: CitizenTraits;
    fieldOf: (procedureId: string) => Field;
    idScans?: IdScanTraits;
  }) {
    this.#idScans = options.idScans ?? null;
    this.#world = options.world;
    this.#listener = options.listener;
    this.#corpus = options.corpus;
    this.#random = options.random;
    this.#traits = options.traits;
    this.#fieldOf = options.fieldOf;
    const places = options.world.places;
    this.#home = places.find((p) => p.kind === 'home')!;
    this.#entrance = places.find((p) => p.kind === 'entrance') ?? this.#home;
    this.#waiting = places.find((p) => p.kind === 'waiting') ?? this.#home;
    this.#counters = places.filter((p) => p.kind === 'counter');
    this.#walkways = walkways(options.world.planner, [this.#home, this.#entrance, this.#waiting], [...this.#counters, ...places.filter((p) => p.kind === 'dock')]);
  }

  /** Told of every line a citizen says, after the listener got it. Returns an unsubscribe. */
  onLine(hearer: (line: SpokenLine) => void): () => void {
    this.#lineHearers.add(hearer);
    return () => this.#lineHearers.delete(hearer);
  }

  get waitingForRobot(): number {
    return this.citizens.filter((c) => c.phase === 'queueing' || c.phase === 'approaching').length;
  }

  get waitingAtCounters(): number {
    let n = 0;
    for (const line of this.#counterLines.values()) n += line.length;
    return n;
  }

  arrive(lang: Lang, procedureId: string): Citizen {
    const speed = this.#random.between(this.#traits.walkSpeedMps[0], this.#traits.walkSpeedMps[1]);
    const agent = this.#world.addAgent('citizen', this.#entrance.pose, speed);
    const citizen: Citizen = {
      id: agent.id,
      agent,
      lang,
      procedureId,
      field: this.#fieldOf(procedureId),
      arrivedS: this.#world.timeS,
      fallsBehind: this.#random.chance(this.#traits.fallBehindProbability),
      getsLost: this.#random.chance(this.#traits.lostProbability),
      phase: 'queueing',
      greetedS: null,
      told: [],
      ticket: null,
      escortStarted: false,
      escortGaveUp: false,
      handedOff: false,
      staffAlerted: false,
      counterId: null,
      reachedCounterS: null,
      reachedByEscort: false,
      servedS: null,
      used: new Set(),
      phaseUntilS: this.#world.timeS + this.#traits.patienceS,
      nextRouteS: 0,
      stepUpUntilS: 0,
      cards: this.#idScans === null ? [] : [syntheticCard(this.#idScans.random), syntheticCard(this.#idScans.random)],
      cardsShown: 0,
      declinesIdScan: this.#idScans !== null && this.#idScans.random.chance(this.#idScans.declineProbability),
      damagedCard: this.#idScans !== null && this.#idScans.random.chance(this.#idScans.damagedCardProbability),
    };
    this.citizens.push(citizen);
    // People wait for the robot seated, out of its way, and come when it is free.
    if (!this.#world.routeAgent(agent, this.#seat())) this.#world.routeAgent(agent, this.#waiting.pose);
    this.#world.log('citizen.arrived', `${citizen.id} ${lang} ${procedureId}`);
    return citizen;
  }

  /** What the robot said, as everyone near it hears it. */
  hear(record: SpokenRecord): void {
    const citizen = this.#active;
    if (citizen === null) return;
    if (!this.#hearsRobot(citizen)) return;
    const afterSpeechS = (record.startedMs + record.durationMs) / 1000;
    const reply = (text: string): void => {
      this.#pending.push({ atS: afterSpeechS + this.#random.between(0.8, 2.5), citizenId: citizen.id, text, lang: citizen.lang });
    };
    const slots = record.slots ?? {};
    const procedureId = slots['procedureId'];
    switch (record.messageId) {
      case 'greeting':
      case 'prompt.askProcedure':
      case 'clarify.askProcedure':
      case 'clarify.notUnderstood':
      case 'clarify.outOfScope':
        citizen.greetedS ??= this.#world.timeS;
        citizen.phase = 'talking';
        reply(this.#request(citizen));
        break;
      case 'answer.overview':
      case 'answer.documents':
      case 'answer.fee':
      case 'answer.duration':
      case 'answer.location':
        if (procedureId !== undefined) citizen.told.push(procedureId);
        break;
      case 'prompt.offerEscort':
        reply(
          citizen.told.at(-1) === citizen.procedureId
            ? this.#line(citizen, 'affirm')
            : `${this.#line(citizen, 'deny')} ${this.#request(citizen)}`,
        );
        break;
      case 'prompt.anythingElse':
        reply(citizen.told.at(-1) === citizen.procedureId ? this.#line(citizen, 'goodbye') : this.#request(citizen));
        break;
      case 'prompt.idConsent':
        reply(this.#line(citizen, citizen.declinesIdScan ? 'deny' : 'affirm'));
        break;
      case 'id.confirm':
        reply(this.#line(citizen, 'affirm'));
        break;
      case 'ticket.issued':
        citizen.ticket = slots['ticketNumber'] ?? null;
        break;
      case 'escort.start':
        if (citizen.phase === 'talking' || citizen.phase === 'lost' || citizen.phase === 'dawdling') {
          citizen.escortStarted = true;
          if (citizen.phase === 'talking') this.#startFollowing(citizen);
        }
        citizen.counterId = slots['counterId'] ?? citizen.counterId;
        break;
      case 'escort.waiting':
      case 'escort.callOut':
        if (citizen.phase === 'lost' && this.#random.chance(this.#traits.answersCallOutProbability)) {
          this.#world.log('citizen.heardCallOut', citizen.id);
          this.#startFollowing(citizen);
        } else if (citizen.phase === 'following') {
          this.#stepUp(citizen);
        }
        break;
      case 'escort.arrived':
        if (slots['counterId'] !== undefined) this.#reachCounter(citizen, slots['counterId'], true);
        break;
      case 'escort.gaveUp':
      case 'escort.failed':
        citizen.escortGaveUp = record.messageId === 'escort.gaveUp';
        this.#walkAlone(citizen);
        break;
      case 'handoff.staff':
        citizen.handedOff = true;
        this.#walkAlone(citizen);
        break;
      case 'power.critical':
      case 'goodbye':
        this.#walkAlone(citizen);
        break;
      default:
        break;
    }
  }

  /**
   * The robot alerted the operators (it asked for staff, or lost the citizen it was walking): staff
   * take over the citizen it was with. One out of earshot (wandered off during an escort) is found
   * by staff and shown the way; one still beside the robot hears what it says, like every other line.
   * Either way the robot is free for the next person.
   */
  staffAlerted(): void {
    const citizen = this.#active;
    if (citizen === null) return;
    citizen.staffAlerted = true;
    const outOfEarshot = !this.#hearsRobot(citizen);
    if (outOfEarshot && (citizen.phase === 'lost' || citizen.phase === 'dawdling')) {
      this.#world.log('citizen.foundByStaff', citizen.id);
      this.#walkAlone(citizen);
    }
  }

  /** The robot's reader asks for a card: the citizen in front of it holds out the next one. */
  presentCard(): string | null {
    const citizen = this.#active;
    if (citizen === null || citizen.cards.length === 0 || distance(citizen.agent.position, this.#world.pose) > HEARING_RANGE_M) return null;
    const text = qrText(citizen.cards[citizen.cardsShown % citizen.cards.length]!);
    citizen.cardsShown += 1;
    this.#world.log('citizen.presentedCard', citizen.id);
    // A damaged QR reads as part of the text, cut where the scratch is.
    return citizen.damagedCard ? text.slice(0, Math.floor(text.length / 2)) : text;
  }

  #hearsRobot(citizen: Citizen): boolean {
    return hears(this.#world.planner, citizen.agent.position, this.#world.pose);
  }

  #line(citizen: Citizen, kind: 'affirm' | 'deny' | 'goodbye'): string {
    return this.#random.pick(this.#corpus.replies[kind][citizen.lang]);
  }

  /** A way of asking for the procedure, not used before by this citizen while others remain. */
  #request(citizen: Citizen): string {
    const options = this.#corpus.procedures[citizen.procedureId]?.[citizen.lang] ?? [];
    const fresh = options.filter((text) => !citizen.used.has(text));
    const text = this.#random.pick(fresh.length > 0 ? fresh : options);
    citizen.used.add(text);
    return text;
  }

  #startFollowing(citizen: Citizen): void {
    citizen.phase = 'following';
    citizen.nextRouteS = 0;
    // Some citizens get distracted on the way: decide when, once.
    citizen.phaseUntilS = this.#world.timeS + this.#random.between(5, 25);
  }

  /** Without the robot: the citizen finds the counter for their field (directions, staff, signs). */
  #walkAlone(citizen: Citizen): void {
    if (this.#active === citizen) this.#active = null;
    if (citizen.reachedCounterS !== null) return;
    const counter = this.#counters.find((c) => c.fields.includes(citizen.field));
    if (counter === undefined) {
      this.#leave(citizen);
      return;
    }
    citizen.phase = 'walkingAlone';
    citizen.counterId = counter.id;
    this.#world.routeAgent(citizen.agent, this.#standingSpot(counter));
  }

  /** Beside the robot's spot at the counter, so the robot can still bring the next person. */
  #standingSpot(counter: Place): Point2D {
    return { xM: counter.pose.xM + 0.6, yM: counter.pose.yM + 0.6 };
  }

  /**
   * Citizens wait for their number seated, as the centre asks them to: somewhere within a few metres
   * of the waiting area that is free and off the robot's way (not on the waiting place itself, not near the robot's post,
   * not in the aisles and doors it takes to the counters).
   */
  #seat(): Point2D {
    for (let attempt = 0; attempt < 60; attempt += 1) {
      const spot = {
        xM: this.#waiting.pose.xM + this.#random.between(-9, 9),
        yM: this.#waiting.pose.yM + this.#random.between(1.5, 7.5),
      };
      const offTheWay = Math.abs(spot.xM - this.#waiting.pose.xM) > 2 && distance(spot, this.#home.pose) > 3 && !nearWalkway(spot, this.#walkways);
      if (offTheWay && this.#world.standable(spot)) return spot;
    }
    return this.#waiting.pose;
  }

  #reachCounter(citizen: Citizen, counterId: string, byEscort: boolean): void {
    if (citizen.reachedCounterS !== null) return;
    if (this.#active === citizen) this.#active = null;
    citizen.reachedCounterS = this.#world.timeS;
    citizen.reachedByEscort = byEscort;
    citizen.counterId = counterId;
    citizen.phase = 'atCounter';
    if (!this.#world.routeAgent(citizen.agent, this.#seat())) this.#world.routeAgent(citizen.agent, this.#waiting.pose);
    const line = this.#counterLines.get(counterId) ?? [];
    line.push(citizen);
    this.#counterLines.set(counterId, line);
    this.#world.log('citizen.atCounter', `${citizen.id} ${counterId}${byEscort ? ' escorted' : ''}`);
  }

  #leave(citizen: Citizen): void {
    if (this.#active === citizen) this.#active = null;
    citizen.phase = 'leaving';
    if (!this.#world.routeAgent(citizen.agent, this.#entrance.pose)) citizen.agent.route = [];
  }

  step(): void {
    const now = this.#world.timeS;
    // Speak what is due, in the order it was scheduled.
    if (this.#pending.length > 0) {
      const due = this.#pending.filter((line) => line.atS <= now);
      if (due.length > 0) {
        this.#pending = this.#pending.filter((line) => line.atS > now);
        for (const line of due) {
          const citizen = this.citizens.find((c) => c.id === line.citizenId);
          if (citizen === undefined || citizen !== this.#active) continue;
          this.#listener.push({ text: line.text, confidence: 0.9 });
          for (const hearer of this.#lineHearers) hearer({ citizenId: line.citizenId, text: line.text, lang: line.lang });
        }
      }
    }
    this.#serveCounters(now);
    this.#pickActive(now);
    for (const citizen of this.citizens) this.#move(citizen, now);
  }

  #pickActive(now: number): void {
    if (this.#active !== null) {
      const active = this.#active;
      // A conversation that went quiet for long: the citizen gives up on the robot.
      if (active.phase === 'talking' && now - (active.greetedS ?? active.arrivedS) > 600) this.#walkAlone(active);
      return;
    }
    // At its post, or as near as the people there let it get (the base's crowded-goal tolerance).
    const robotHome = distance(this.#world.pose, this.#home.pose) < 1.0 && !this.#world.hasGoal;
    const next = this.citizens.find((c) => c.phase === 'queueing');
    if (next !== undefined && robotHome) {
      next.phase = 'approaching';
      this.#active = next;
      const { xM, yM, yawRad } = this.#home.pose;
      this.#world.routeAgent(next.agent, { xM: xM + Math.cos(yawRad) * TALK_DISTANCE_M, yM: yM + Math.sin(yawRad) * TALK_DISTANCE_M });
    }
  }

  #serveCounters(now: number): void {
    for (const [counterId, line] of this.#counterLines) {
      const current = this.#inService.get(counterId);
      if (current !== undefined) {
        if (now >= current.phaseUntilS) {
          current.servedS = now;
          this.#inService.delete(counterId);
          this.#leave(current);
        }
        continue;
      }
      const next = line.shift();
      if (next === undefined) continue;
      next.phase = 'inService';
      const counter = this.#counters.find((c) => c.id === counterId);
      if (counter !== undefined) this.#world.routeAgent(next.agent, this.#standingSpot(counter));
      next.phaseUntilS = now + 60 * this.#random.between(this.#traits.serviceMinutes[0], this.#traits.serviceMinutes[1]);
      this.#inService.set(counterId, next);
    }
  }

  #move(citizen: Citizen, now: number): void {
    const agent = citizen.agent;
    switch (citizen.phase) {
      case 'queueing': {
        if (now >= citizen.phaseUntilS) {
          this.#world.log('citizen.impatient', citizen.id);
          this.#walkAlone(citizen);
          return;
        }
        return;
      }
      case 'following': {
        if (citizen.fallsBehind && now >= citizen.phaseUntilS) {
          citizen.phase = 'dawdling';
          citizen.phaseUntilS = now + this.#random.between(8, 25);
          agent.route = [];
          this.#world.log('citizen.fellBehind', citizen.id);
          return;
        }
        if (citizen.getsLost && now >= citizen.phaseUntilS) {
          citizen.phase = 'lost';
          this.#world.log('citizen.lost', citizen.id);
          this.#world.routeAgent(agent, this.#waiting.pose);
          return;
        }
        this.#follow(citizen, now);
        return;
      }
      case 'dawdling':
        if (now >= citizen.phaseUntilS) {
          citizen.fallsBehind = false;
          this.#startFollowing(citizen);
        }
        return;
      case 'walkingAlone':
        if (agent.route.length === 0 && citizen.counterId !== null) this.#reachCounter(citizen, citizen.counterId, false);
        return;
      case 'leaving':
        if (agent.route.length === 0 || distance(agent.position, this.#entrance.pose) < 0.5) {
          citizen.phase = 'gone';
          this.#world.removeAgent(agent.id);
        }
        return;
      default:
        return;
    }
  }

  /**
   * The robot says it waits for them while they stand a step behind it (someone else between them
   * hides them from its tracker): like a person, they step up beside it, where it cannot miss them.
   */
  #stepUp(citizen: Citizen): void {
    const pose = this.#world.pose;
    for (const side of [1, -1]) {
      const spot = { xM: pose.xM - Math.sin(pose.yawRad) * STEP_UP_M * side, yM: pose.yM + Math.cos(pose.yawRad) * STEP_UP_M * side };
      if (this.#world.standable(spot) && this.#world.routeAgent(citizen.agent, spot)) {
        citizen.stepUpUntilS = this.#world.timeS + STEP_UP_S;
        this.#world.log('citizen.steppedUp', citizen.id);
        return;
      }
    }
  }

  #follow(citizen: Citizen, now: number): void {
    if (now < citizen.stepUpUntilS) return;
    const pose = this.#world.pose;
    const target = { xM: pose.xM - Math.cos(pose.yawRad) * FOLLOW_GAP_M, yM: pose.yM - Math.sin(pose.yawRad) * FOLLOW_GAP_M };
    const position = citizen.agent.position;
    const bearing = Math.atan2(position.yM - pose.yM, position.xM - pose.xM) - pose.yawRad;
    const inFront = Math.cos(bearing) > 0.3;
    // Close behind the robot: stay. In front of it: step round behind, out of its way.
    if (distance(position, pose) <= FOLLOW_GAP_M + 0.2 && !inFront) {
      citizen.agent.route = [];
      return;
    }
    if (now < citizen.nextRouteS && citizen.agent.route.length > 0) return;
    citizen.nextRouteS = now + 1;
    if (!this.#world.routeAgent(citizen.agent, target)) this.#world.routeAgent(citizen.agent, pose);
  }
}
