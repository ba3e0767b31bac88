import { and, not, or, stateIn } from 'xstate';
import type { NavResult } from '../src/ports/robot-base.js';
import { ASPECT_OF, classified, nearestCitizen, procedureInfo, procedureInPlay } from './guide.context.js';
import type { GuideContext, GuideEvent } from './guide.types.js';

interface GuardArgs {
  readonly context: GuideContext;
  readonly event: GuideEvent;
}

/** Safety, link and power: read from the other regions. */
const regionGuards = {
  canMove: stateIn({ safety: 'normal', link: 'up' }),
  /** An operator's resume restarts a halted task unless the e-stop is still engaged or the base is unreachable. */
  canResume: and([not(stateIn({ safety: 'estopped' })), stateIn({ link: 'up' })]),
  safetyNormal: stateIn({ safety: 'normal' }),
  /** Power low or critical and not on the dock: go charge before taking anyone else. */
  mustCharge: and([or([stateIn({ power: 'low' }), stateIn({ power: 'critical' })]), 'notDocked']),
  /** Docking is for charging: once charged, the robot goes back to work. */
  chargedOnDock: and(['docked', 'batteryCharged']),
  canGreet: and(['someoneNear', 'notDocked', stateIn({ power: 'ok' })]),
};

const peopleGuards = {
  someoneNear: ({ context, event }: GuardArgs) =>
    event.type === 'people.updated' && event.people.some((p) => p.distanceM <= context.settings.greetRadiusM),
  citizenBehind: ({ context, event }: GuardArgs) => {
    // Stryker disable next-line BooleanLiteral: only `people.updated` transitions use this guard; the check narrows the event's type
    if (event.type !== 'people.updated') return false;
    // A citizen who came by the kiosk without being tracked cannot be watched.
    if (context.citizenId === null) return false;
    const citizen = event.people.find((p) => p.id === context.citizenId);
    return citizen === undefined || citizen.distanceM > context.settings.followMaxDistanceM;
  },
  /** The tracker still has the citizen, but only where it last saw them: round a corner, behind a pillar or people. */
  citizenHidden: ({ context, event }: GuardArgs) => {
    // Stryker disable next-line BooleanLiteral: only `people.updated` transitions use this guard; the check narrows the event's type
    if (event.type !== 'people.updated') return false;
    const citizen = event.people.find((p) => p.id === context.citizenId);
    return citizen !== undefined && !citizen.seenNow;
  },
  /** At the last report the citizen was hidden, not gone: waiting on is worth more than calling out. */
  citizenRemembered: ({ context }: GuardArgs) => context.citizenSighting === 'remembered',
  /**
   * Someone else now stands nearest, within talking distance: the one the robot is talking to. The
   * person it greeted may have been a passer-by, and the citizen who then spoke stepped up after.
   */
  partnerMoved: ({ context, event }: GuardArgs) => {
    // Stryker disable next-line BooleanLiteral: only `people.updated` transitions use this guard; the check narrows the event's type
    if (event.type !== 'people.updated') return false;
    const nearest = nearestCitizen(context, event.people);
    return nearest !== null && nearest !== context.citizenId;
  },
  citizenClose: ({ context, event }: GuardArgs) => {
    // Stryker disable next-line BooleanLiteral: only `people.updated` transitions use this guard; the check narrows the event's type
    if (event.type !== 'people.updated') return false;
    const citizen = event.people.find((p) => p.id === context.citizenId);
    // A remembered place is where the citizen was, not where they are: only a sighting lets the robot walk on.
    return citizen !== undefined && citizen.seenNow && citizen.distanceM <= context.settings.followRejoinDistanceM;
  },
  hasCitizen: ({ context }: GuardArgs) => context.citizenId !== null,
  noCitizen: ({ context }: GuardArgs) => context.citizenId === null,
};

const batteryGuards = {
  batteryCritical: ({ context, event }: GuardArgs) =>
    event.type === 'battery.updated' && !event.charging && event.percent <= context.settings.batteryCriticalPercent,
  batteryLow: ({ context, event }: GuardArgs) =>
    event.type === 'battery.updated' && !event.charging && event.percent <= context.settings.batteryLowPercent,
  batteryCharging: ({ event }: GuardArgs) => event.type === 'battery.updated' && event.charging,
  /** Hysteresis: back to `ok` only well above the low mark, so a flickering reading does not flap. */
  batteryRecovered: ({ context, event }: GuardArgs) =>
    event.type === 'battery.updated' &&
    !event.charging &&
    event.percent >= Math.min(100, context.settings.batteryLowPercent + 10),
  batteryCharged: ({ context, event }: GuardArgs) =>
    event.type === 'battery.updated' && event.percent >= context.settings.batteryChargedPercent,
  notDocked: ({ context }: GuardArgs) => !context.docked,
  docked: ({ context }: GuardArgs) => context.docked,
};

const countGuards = {
  moreReprompts: ({ context }: GuardArgs) => context.reprompts < context.settings.maxReprompts,
  tooManyClarifications: ({ context }: GuardArgs) => context.clarifications > context.settings.maxClarifications,
  moreCallOuts: ({ context }: GuardArgs) => context.callOuts < context.settings.maxCallOuts,
  moreEscortAttempts: ({ context }: GuardArgs) => context.escortAttempts < context.settings.maxEscortAttempts,
};

/** Actor results arrive as done events, which are not in `GuideEvent`; hence the look at `output`. */
function navOutcome(event: GuideEvent): NavResult['kind'] | null {
  return 'output' in event ? (event.output as NavResult).kind : null;
}

const taskGuards = {
  navArrived: ({ event }: GuardArgs) => navOutcome(event) === 'arrived',
  navCanceled: ({ event }: GuardArgs) => navOutcome(event) === 'canceled',
  knownProcedure: ({ context, event }: GuardArgs) =>
    event.type === 'kiosk.procedureSelected' && procedureInfo(context, event.procedureId) !== undefined,
  noCounter: ({ context }: GuardArgs) => context.counterId === null,
  needsIdScan: ({ context }: GuardArgs) =>
    context.settings.idReaderAvailable &&
    context.procedureId !== null &&
    (procedureInfo(context, context.procedureId)?.idCards ?? 0) > 0,
};

/** Routing after classification, read in the order `understanding` lists them. */
const routingGuards = {
  unsure: ({ context }: GuardArgs) => classified(context).confidence < context.settings.minConfidence,
  saysGoodbye: ({ context }: GuardArgs) => classified(context).intent === 'goodbye',
  /** A complaint naming a procedure is a petition to file (complaint_petition), not a call for staff. */
  wantsStaff: ({ context }: GuardArgs) => {
    const { intent, procedure } = classified(context);
    return intent === 'talk_to_staff' || (intent === 'complaint' && procedure === null);
  },
  changesLanguage: ({ context }: GuardArgs) => classified(context).intent === 'change_language',
  namesOtherProcedure: ({ context }: GuardArgs) => {
    const named = classified(context).procedure;
    return named !== null && named !== context.procedureId && procedureInfo(context, named) !== undefined;
  },
  acceptsEscort: ({ context }: GuardArgs) => {
    const { intent } = classified(context);
    return (
      context.procedureId !== null &&
      ((context.pending === 'offerEscort' && intent === 'affirm') ||
        intent === 'request_escort' ||
        intent === 'request_ticket' ||
        intent === 'scan_id')
    );
  },
  declinesOffer: ({ context }: GuardArgs) => context.pending === 'offerEscort' && classified(context).intent === 'deny',
  givesConsent: ({ context }: GuardArgs) => context.pending === 'idConsent' && classified(context).intent === 'affirm',
  refusesConsent: ({ context }: GuardArgs) => context.pending === 'idConsent' && classified(context).intent === 'deny',
  confirmsIdData: ({ context }: GuardArgs) => context.pending === 'idConfirm' && classified(context).intent === 'affirm',
  rejectsIdData: ({ context }: GuardArgs) => context.pending === 'idConfirm' && classified(context).intent === 'deny',
  nothingElse: ({ context }: GuardArgs) => context.pending === 'anythingElse' && classified(context).intent === 'deny',
  asksAboutProcedure: ({ context }: GuardArgs) => {
    const { intent } = classified(context);
    return ASPECT_OF[intent] !== undefined && procedureInPlay(context) !== null;
  },
  smallTalk: ({ context }: GuardArgs) => ['greet', 'affirm', 'deny', 'repeat'].includes(classified(context).intent),
};

export const guideGuards = {
  ...regionGuards,
  ...peopleGuards,
  ...batteryGuards,
  ...countGuards,
  ...taskGuards,
  ...routingGuards,
};
