import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { z } from 'zod';
import { TiepdanError } from '../src/ports/errors.js';
import { describeIssues, parseYamlText } from '../src/validation.js';
import { FAULT_KINDS } from './world.js';

const nonNegative = z.number().finite().nonnegative();
const point = z.strictObject({ x: z.number().finite(), y: z.number().finite() });
const range = z.tuple([nonNegative, nonNegative]).refine(([a, b]) => a <= b, 'the first number must not exceed the second');

const faultSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('blocked_corridor'), atS: nonNegative, durationS: nonNegative, at: point, radiusM: z.number().positive().max(5) }),
  z.strictObject({ kind: z.literal('nav_abort'), atS: nonNegative }),
  z.strictObject({ kind: z.literal('localization_loss'), atS: nonNegative, durationS: nonNegative }),
  z.strictObject({ kind: z.literal('battery_drain'), atS: nonNegative, percent: z.number().positive().max(100) }),
  z.strictObject({ kind: z.literal('link_loss'), atS: nonNegative, durationS: nonNegative }),
]);

/** A scenario file: who comes, when, speaking what, and what goes wrong. Strict: unknown keys are errors. */
export const scenarioSchema = z.strictObject({
  name: z.string().trim().min(1),
  description: z.string().optional(),
  /** Relative to the scenario file; `--map` overrides it. */
  map: z.string().trim().min(1),
  seed: z.number().int().nonnegative().default(1),
  /** One service day's length (or the whole run's, with one day). */
  durationS: z.number().positive().max(8 * 24 * 3600),
  arrivals: z.strictObject({
    ratePerHour: z.number().positive().max(2000),
    /** Stop new arrivals this long before the end, so the last ones can be served. */
    lastArrivalBeforeEndS: nonNegative.default(0),
    maxCitizens: z.number().int().positive().optional(),
    /** When the first citizen walks in; later ones follow the Poisson process. Default: drawn like the rest. */
    firstArrivalAtS: nonNegative.optional(),
  }),
  languages: z.strictObject({ vi: nonNegative, en: nonNegative, ko: nonNegative }).refine((l) => l.vi + l.en + l.ko > 0, 'at least one language needs a weight above 0'),
  /** Relative weights per procedure id; omitted ids get weight 1 when `procedures` is absent. */
  procedures: z.record(z.string(), nonNegative).optional(),
  citizens: z
    .strictObject({
      fallBehindProbability: z.number().min(0).max(1).default(0.15),
      lostProbability: z.number().min(0).max(1).default(0.03),
      answersCallOutProbability: z.number().min(0).max(1).default(0.7),
      patienceS: z.number().positive().default(1800),
      walkSpeedMps: range.default([0.7, 1.3]),
      serviceMinutes: range.default([3, 10]),
    })
    .prefault({}),
  crowd: z.strictObject({ walkers: z.number().int().min(0).max(100).default(4) }).prefault({}),
  /** The robot's card reader: citizens consent (or not) and hold out their synthetic ID cards. */
  idScans: z
    .strictObject({
      enabled: z.boolean().default(false),
      declineProbability: z.number().min(0).max(1).default(0.15),
      damagedCardProbability: z.number().min(0).max(1).default(0.08),
    })
    .prefault({}),
  startBatteryPercent: z.number().min(0).max(100).default(100),
  faults: z.array(faultSchema).default([]),
  /**
   * Service days to run, each `durationS` long, one after the other with the same controller (a
   * soak). Each day draws new citizens; faults listed under `faults` happen every day.
   */
  days: z.number().int().min(1).max(31).default(1),
  /** Faults drawn at random each day, of every kind the simulator has (or the kinds listed). */
  randomFaults: z
    .strictObject({
      perDay: z.number().int().min(0).max(200),
      kinds: z.array(z.enum(FAULT_KINDS)).min(1).default([...FAULT_KINDS]),
      /** How long a timed fault lasts (blocked corridor, localisation loss, link loss). */
      durationS: range.default([10, 300]),
    })
    .optional(),
  /**
   * The controller runs as a separate process that the runner kills (SIGKILL) at random moments
   * and starts again, as a crash or a power cut would.
   */
  controllerKills: z
    .strictObject({
      perDay: z.number().int().min(0).max(50),
      /** Seconds of simulated time before the new process starts. */
      restartAfterS: range.default([5, 30]),
    })
    .optional(),
  expect: z
    .strictObject({
      minServedFraction: z.number().min(0).max(1).optional(),
      maxSafetyViolations: z.number().int().min(0).optional(),
      minEscortSuccessFraction: z.number().min(0).max(1).optional(),
    })
    .prefault({}),
});

export type Scenario = z.infer<typeof scenarioSchema> & { readonly file: string; readonly mapPath: string };
export type FaultSpec = z.infer<typeof faultSchema>;

export function parseScenario(file: string, text: string): Scenario {
  let raw: unknown;
  try {
    raw = parseYamlText(text);
  } catch (cause) {
    throw new TiepdanError('scenario_invalid', `${file}: not valid YAML (${(cause as Error).message.split('\n')[0]})`, { cause });
  }
  const parsed = scenarioSchema.safeParse(raw);
  if (!parsed.success) {
    throw new TiepdanError('scenario_invalid', `${file}: ${describeIssues(parsed.error.issues)}`);
  }
  const scenario = parsed.data;
  for (const fault of scenario.faults) {
    if (fault.atS > scenario.durationS) {
      throw new TiepdanError('scenario_invalid', `${file}: faults: a ${fault.kind} at ${fault.atS} s is after the end (${scenario.durationS} s)`);
    }
  }
  if (scenario.days > 1 && scenario.durationS > 24 * 3600) {
    throw new TiepdanError('scenario_invalid', `${file}: durationS: with days: ${scenario.days}, one day lasts at most 86400 s`);
  }
  const mapPath = isAbsolute(scenario.map) ? scenario.map : resolve(dirname(file), scenario.map);
  return { ...scenario, file, mapPath };
}

export function loadScenario(file: string): Scenario {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new TiepdanError('scenario_invalid', `${file}: cannot read the file`, { cause });
  }
  return parseScenario(file, text);
}
