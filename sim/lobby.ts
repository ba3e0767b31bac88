import type { ControllerRecord } from '../src/app/controller.js';
import type { LobbyPorts } from '../src/app/lobby-host.js';
import { RecordingSpeaker } from '../src/adapters/speech/recording-speaker.js';
import { TextListener } from '../src/adapters/text/text-listener.js';
import { loadCatalog } from '../src/civic/catalog.js';
import { ROBOT_CLEARANCE_M } from '../src/maps/footprint.js';
import { loadMap, loadPlaces, placesPathFor, type OccupancyMap } from '../src/maps/map.js';
import type { Catalog } from '../src/ports/catalog.js';
import { LANGS, type Lang } from '../src/ports/common.js';
import { TiepdanError } from '../src/ports/errors.js';
import type { Place } from '../src/ports/robot-base.js';
import { Random } from '../src/util/random.js';
import { VirtualClock } from '../src/util/virtual-clock.js';
import { SimCardScanner } from './card-scanner.js';
import { Crowd } from './citizens.js';
import { loadCorpus, type Corpus } from './corpus.js';
import { createPlanner } from './planner.js';
import type { FaultSpec, Scenario } from './scenario.js';
import { SimBase } from './sim-base.js';
import { World } from './world.js';

/** Simulated time 0 is 08:00 on a Monday in Ho Chi Minh City, so a day's tickets number from 1. */
export const SIM_EPOCH_MS = Date.UTC(2026, 0, 5, 1, 0);

/** Robot radius 0.3 m plus a margin for path-following error, as a Nav2 inflation layer would; `map check` uses the same. */
export const INFLATION_RADIUS_M = ROBOT_CLEARANCE_M;

/** How close to a wall a walking person's centre comes: half a shoulder width and a little room. */
export const PERSON_CLEARANCE_M = 0.25;

/**
 * People's route searches weigh the straight-line estimate 1.5 times: on generated layouts they
 * expand about a third of the cells, for routes 0.2 % longer on average (the robot's stay shortest).
 */
export const PEOPLE_HEURISTIC_WEIGHT = 1.5;

/** Citizens wait outside while the robot is this close to the entrance, rather than appear where it stands. */
const ENTRANCE_CLEAR_M = 1.5;

/**
 * Which procedures citizens come for. Without weights in the scenario: every procedure some counter on
 * this map serves, so any map works; procedures named explicitly must be served, or the run is refused.
 */
function procedureWeights(scenario: Scenario, catalog: Catalog, corpus: Corpus, served: (id: string) => boolean, placesFile: string): Record<string, number> {
  const known = catalog.procedures().map((p) => p.id).filter((id) => corpus.procedures[id] !== undefined);
  if (scenario.procedures === undefined) {
    const weights = Object.fromEntries(known.filter(served).map((id) => [id, 1]));
    if (Object.keys(weights).length === 0) throw new TiepdanError('places_invalid', `${placesFile}: no counter serves any procedure in the catalog`);
    return weights;
  }
  for (const id of Object.keys(scenario.procedures)) {
    if (!known.includes(id)) {
      throw new TiepdanError('scenario_invalid', `${scenario.file}: procedures.${id}: not a procedure in the catalog and the corpus`);
    }
    if (!served(id)) {
      throw new TiepdanError('places_invalid', `${placesFile}: no counter serves the field "${catalog.get(id)!.field}" of ${id}, which ${scenario.file} names`);
    }
  }
  return { ...scenario.procedures };
}

/** The map a run uses (the scenario's, or the override) and its places. */
export function lobbyOf(scenario: Scenario, mapOverride?: string): { readonly mapPath: string; readonly map: OccupancyMap; readonly places: Place[] } {
  const mapPath = mapOverride ?? scenario.mapPath;
  const map = loadMap(mapPath);
  return { mapPath, map, places: loadPlaces(placesPathFor(mapPath), map) };
}

export interface SimLobbyOptions {
  readonly scenario: Scenario;
  /** Overrides the scenario's map (a map YAML with a `<map>.places.yaml` beside it). */
  readonly mapPath?: string;
  readonly seed: number;
  /** The procedures citizens come for (their fields, which counter serves them). */
  readonly catalog?: Catalog;
  readonly corpus?: Corpus;
  /** The calendar time of simulated time 0 (tickets and requests are dated by it); default SIM_EPOCH_MS. */
  readonly epochMs?: number;
}

/**
 * The simulated lobby: the same ports the robot has (base, ears, voice, card reader, clock), plus
 * `step` to move the world on. Citizens arrive, speak, present cards and follow the robot; staff and
 * visitors walk about; the scenario's faults happen. It understands no speech and builds no controller.
 */
export interface SimLobby {
  /** What a controller is given; the caller adds where its records go. */
  readonly ports: Omit<LobbyPorts, 'record'>;
  readonly world: World;
  readonly crowd: Crowd;
  readonly clock: VirtualClock;
  readonly map: OccupancyMap;
  readonly places: readonly Place[];
  /** The lobby hears what the controller reports: staff come over when it alerts them. */
  hear(record: ControllerRecord): void;
  /** Moves everything on by `dtS` simulated seconds: arrivals, faults, walkers, the world, the base, the crowd, the clock. */
  step(dtS: number): void;
  close(): Promise<void>;
}

export function createSimLobby(options: SimLobbyOptions): SimLobby {
  const { scenario, seed } = options;
  const { mapPath, map, places } = lobbyOf(scenario, options.mapPath);
  const catalog = options.catalog ?? loadCatalog();
  const corpus = options.corpus ?? loadCorpus();
  const fieldOf = (id: string) => {
    const procedure = catalog.get(id);
    if (procedure === undefined) throw new TiepdanError('scenario_invalid', `unknown procedure ${id}`);
    return procedure.field;
  };
  const isServed = (id: string) => places.some((p) => p.kind === 'counter' && p.fields.includes(fieldOf(id)));
  const weights = procedureWeights(scenario, catalog, corpus, isServed, placesPathFor(mapPath));

  const random = new Random(seed);
  const arrivalsRandom = random.fork(1);
  const crowdRandom = random.fork(2);
  const walkersRandom = random.fork(3);
  const clock = new VirtualClock();
  const planner = createPlanner(map, { inflationRadiusM: INFLATION_RADIUS_M });
  // People keep out of the robot's way where they can, and pass where it cannot: between a pillar and
  // a wall, along a counter. Their searches trust the estimate more (PEOPLE_HEURISTIC_WEIGHT).
  const routePlanner = createPlanner(map, { inflationRadiusM: INFLATION_RADIUS_M, heuristicWeight: PEOPLE_HEURISTIC_WEIGHT });
  const walkPlanner = createPlanner(map, { inflationRadiusM: PERSON_CLEARANCE_M, heuristicWeight: PEOPLE_HEURISTIC_WEIGHT });
  const world = new World({ map, places, planner, routePlanner, walkPlanner, random: random.fork(4), batteryPercent: scenario.startBatteryPercent });
  const entrance = places.find((p) => p.kind === 'entrance');
  const base = new SimBase(world);
  const listener = new TextListener('sim');
  const speaker = new RecordingSpeaker(clock, () => clock.nowMs);
  const epochMs = options.epochMs ?? SIM_EPOCH_MS;
  const crowd = new Crowd({
    world,
    listener,
    corpus,
    random: crowdRandom,
    traits: scenario.citizens,
    fieldOf,
    ...(scenario.idScans.enabled
      ? { idScans: { random: random.fork(5), declineProbability: scenario.idScans.declineProbability, damagedCardProbability: scenario.idScans.damagedCardProbability } }
      : {}),
  });
  const scanner = new SimCardScanner(crowd, clock);
  speaker.onSpeech((spoken) => crowd.hear(spoken));

  // People who are not here for the robot: staff and visitors walking between places.
  const walkTargets = places.filter((p) => p.kind !== 'dock' && p.kind !== 'home');
  const walkers = Array.from({ length: scenario.crowd.walkers }, () =>
    world.addAgent('walker', walkersRandom.pick(walkTargets).pose, walkersRandom.between(0.8, 1.3)),
  );

  const faults: FaultSpec[] = [...scenario.faults].sort((a, b) => a.atS - b.atS);
  let faultIndex = 0;
  const lastArrivalS = scenario.durationS - scenario.arrivals.lastArrivalBeforeEndS;
  const ratePerS = scenario.arrivals.ratePerHour / 3600;
  let nextArrivalS = scenario.arrivals.firstArrivalAtS ?? arrivalsRandom.exponential(ratePerS);
  const langWeights = scenario.languages as Record<Lang, number>;

  return {
    ports: {
      base,
      listener,
      speaker,
      scanner: scenario.idScans.enabled ? scanner : null,
      clock,
      nowMs: () => epochMs - SIM_EPOCH_MS + clock.nowMs,
      calendarNowMs: () => epochMs + clock.nowMs,
      map,
      view: () => ({
        pose: world.pose,
        linearMps: world.linearMps,
        batteryPercent: world.batteryPercent,
        path: world.currentPath,
        people: [...world.agents.values()].map((a) => ({ id: a.id, xM: a.position.xM, yM: a.position.yM })),
      }),
    },
    world,
    crowd,
    clock,
    map,
    places,
    hear(record) {
      if (record.kind === 'alert' && (record.alert === 'helpRequested' || record.alert === 'personLost')) crowd.staffAlerted();
    },
    step(dtS) {
      const now = world.timeS;
      // Someone coming in waits at the door while the robot passes through it, as a person would.
      const doorwayBusy = entrance !== undefined && Math.hypot(world.pose.xM - entrance.pose.xM, world.pose.yM - entrance.pose.yM) < ENTRANCE_CLEAR_M;
      while (!doorwayBusy && nextArrivalS <= now && nextArrivalS <= lastArrivalS) {
        if (scenario.arrivals.maxCitizens === undefined || crowd.citizens.length < scenario.arrivals.maxCitizens) {
          const lang = arrivalsRandom.weighted(langWeights);
          crowd.arrive(LANGS.includes(lang) ? lang : 'vi', arrivalsRandom.weighted(weights));
        }
        nextArrivalS += arrivalsRandom.exponential(ratePerS);
      }
      while (faultIndex < faults.length && faults[faultIndex]!.atS <= now) {
        const fault = faults[faultIndex++]!;
        world.inject(fault.kind, {
          ...('durationS' in fault ? { durationS: fault.durationS } : {}),
          ...('at' in fault ? { at: { xM: fault.at.x, yM: fault.at.y }, radiusM: fault.radiusM } : {}),
          ...('percent' in fault ? { percent: fault.percent } : {}),
        });
      }
      for (const walker of walkers) {
        if (walker.route.length === 0 && walkersRandom.chance(dtS / 20)) world.routeAgent(walker, walkersRandom.pick(walkTargets).pose);
      }
      world.step(dtS);
      base.tick(dtS);
      crowd.step();
      clock.advance(dtS * 1000);
    },
    close: () => base.close(),
  };
}
