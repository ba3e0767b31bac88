import type { Classification, Intent } from '../src/ports/intent-model.js';
import type { Aspect, GuideContext, NavigateInput, ProcedureInfo, SeenPerson, Sighting } from './guide.types.js';

/**
 * A value the machine's structure guarantees at this point (the state can only be entered once it is
 * set); throwing names the broken promise instead of sending an empty id to a port.
 */
export function required<T>(value: T | null | undefined, name: string): T {
  if (value === null || value === undefined) throw new Error(`guide machine: ${name} must be set here`);
  return value;
}

/** The routing guards run only after `understanding` or a kiosk answer has filled it in. */
export function classified(context: GuideContext): Classification {
  return required(context.classification, 'classification');
}

export const ASPECT_OF: Partial<Record<Intent, Aspect>> = {
  ask_procedure: 'overview',
  ask_documents: 'documents',
  ask_fee: 'fee',
  ask_duration: 'duration',
  ask_location: 'location',
  repeat: 'overview',
};

/** The procedure the citizen means now: the one just named, else the one already under discussion. */
export function procedureInPlay(context: GuideContext): string | null {
  return context.classification?.procedure ?? context.procedureId;
}

/**
 * The catalog's facts for a procedure id, own keys only: ids come from the kiosk and the classifier,
 * and "constructor" must not find what every plain object inherits.
 */
export function procedureInfo(context: Pick<GuideContext, 'procedures'>, procedureId: string | null): ProcedureInfo | undefined {
  return procedureId !== null && Object.hasOwn(context.procedures, procedureId) ? context.procedures[procedureId] : undefined;
}

export function counterFor(context: GuideContext, procedureId: string | null): string | null {
  const info = procedureInfo(context, procedureId);
  if (info === undefined) return null;
  return context.counters.find((counter) => counter.fields.includes(info.field))?.id ?? null;
}

/**
 * The nearest person within greeting distance; ties go to the smaller id, so the choice does not hang on
 * the order the people are reported in.
 */
export function nearestCitizen(context: GuideContext, people: readonly SeenPerson[]): string | null {
  const near = people
    .filter((p) => p.distanceM <= context.settings.greetRadiusM)
    .sort((a, b) => a.distanceM - b.distanceM || (a.id < b.id ? -1 : 1));
  return near[0]?.id ?? null;
}

/** What a people report says of the citizen being led; null when the robot leads nobody it tracked. */
export function sightingOf(context: GuideContext, people: readonly SeenPerson[]): Sighting | null {
  if (context.citizenId === null) return null;
  const citizen = people.find((p) => p.id === context.citizenId);
  if (citizen === undefined) return 'gone';
  return citizen.seenNow ? 'seen' : 'remembered';
}

export function navInput(context: GuideContext, placeId: string, purpose: NavigateInput['purpose']): NavigateInput {
  return {
    placeId,
    purpose,
    speedLimitMps: purpose === 'escort' ? context.settings.escortSpeedMps : null,
    undockFirst: context.docked,
  };
}

/** Home, unless an operator sent the robot somewhere else. */
export function returnTrip(context: GuideContext): NavigateInput {
  return context.destinationId === null
    ? navInput(context, context.homeId, 'return')
    : navInput(context, context.destinationId, 'relocate');
}

export const CONVERSATION_RESET = {
  citizenId: null,
  procedureId: null,
  aspect: 'overview',
  pending: 'procedure',
  utterance: null,
  utteranceLang: null,
  classification: null,
  reprompts: 0,
  clarifications: 0,
  callOuts: 0,
  escortAttempts: 0,
  citizenSighting: null,
  counterId: null,
  ticket: null,
  idSummary: null,
} as const satisfies Partial<GuideContext>;
