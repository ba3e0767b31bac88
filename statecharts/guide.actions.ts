import { assertEvent, assign } from 'xstate';
import type { Classification } from '../src/ports/intent-model.js';
import type { NavResult } from '../src/ports/robot-base.js';
import { ASPECT_OF, classified, CONVERSATION_RESET, counterFor, nearestCitizen, procedureInPlay, sightingOf } from './guide.context.js';
import type { AlertKind, GuideContext, GuideEvent, IdSummary, PendingQuestion, SpeakInput, Ticket } from './guide.types.js';

/** `assign` bound to the guide's context and events, so the assigners below are checked against them. */
const update = assign<GuideContext, GuideEvent, undefined, GuideEvent, never>;
/** The same for assigners that take the result of an invoked actor as their params. */
function updateWith<TParams>(assigner: (context: GuideContext, params: TParams) => Partial<GuideContext>) {
  return assign<GuideContext, GuideEvent, TParams, GuideEvent, never>(({ context }, params) => assigner(context, params));
}

/** The effects the composition root provides; the defaults do nothing, so a bare machine runs in tests. */
const effects = {
  /** Cancel motion and hold still (latched in the base). */
  stopBase: (_: unknown, _params: { reason: string }) => {},
  /** Lift the base's hold; never starts motion by itself. */
  releaseBase: () => {},
  alert: (_: unknown, _params: { kind: AlertKind }) => {},
  /** Fire-and-forget speech that must not wait (operator words, link loss). */
  announce: (_: unknown, _params: SpeakInput) => {},
  /** The citizen says the card data shown is not theirs or not right: the pre-filled request goes. */
  discardIdRequest: (_: unknown, _params: { requestId: string }) => {},
};

const conversation = {
  resetConversation: update(() => ({ ...CONVERSATION_RESET })),
  /** Staff take over, an escort starts or the citizen leaves: the counts of the talk so far no longer matter. */
  resetCounts: update({ pending: 'procedure', reprompts: 0, clarifications: 0, callOuts: 0, escortAttempts: 0 }),
  trackNearestCitizen: update(({ context, event }) => {
    assertEvent(event, 'people.updated');
    return { citizenId: nearestCitizen(context, event.people) };
  }),
  keepUtterance: update(({ event }) => {
    assertEvent(event, 'speech.heard');
    return { utterance: event.text, utteranceLang: event.lang };
  }),
  dropUtterance: update({ utterance: null }),
  takeKioskLanguage: update(({ event }) => {
    assertEvent(event, 'kiosk.languageSelected');
    return { lang: event.lang };
  }),
  takeKioskProcedure: update(({ context, event }) => {
    assertEvent(event, 'kiosk.procedureSelected');
    return {
      procedureId: event.procedureId,
      lang: event.lang,
      aspect: 'overview',
      counterId: counterFor(context, event.procedureId),
    };
  }),
  /** A tap is as certain as words can be: it is read as affirm or deny with full confidence. */
  takeKioskAnswer: update(({ context, event }) => {
    assertEvent(event, 'kiosk.answered');
    return {
      classification: {
        intent: event.answer === 'yes' ? 'affirm' : 'deny',
        procedure: null,
        lang: context.lang,
        confidence: 1,
        alternatives: [],
      },
      reprompts: 0,
    };
  }),
  takeClassification: updateWith((context, classification: Classification) => ({
    classification,
    utterance: null,
    reprompts: 0,
    // The conversation follows the citizen's language once we are sure of it.
    lang: classification.confidence >= context.settings.minConfidence ? classification.lang : context.lang,
  })),
  setPending: updateWith((_, { pending }: { pending: PendingQuestion }) => ({ pending })),
  countReprompt: update({ reprompts: ({ context }) => context.reprompts + 1 }),
  resetReprompts: update({ reprompts: 0 }),
  countClarification: update({ clarifications: ({ context }) => context.clarifications + 1, pending: 'procedure' }),
  answerNamedProcedure: update(({ context }) => {
    const { intent, procedure } = classified(context);
    return { procedureId: procedure, aspect: ASPECT_OF[intent] ?? 'overview', counterId: counterFor(context, procedure) };
  }),
  answerProcedureInPlay: update(({ context }) => {
    const procedureId = procedureInPlay(context);
    return {
      procedureId,
      aspect: ASPECT_OF[classified(context).intent] ?? 'overview',
      counterId: counterFor(context, procedureId),
    };
  }),
  keepIdSummary: updateWith((_, idSummary: IdSummary) => ({ idSummary })),
  forgetIdSummary: update({ idSummary: null }),
  keepTicket: updateWith((_, ticket: Ticket) => ({ ticket })),
};

const motion = {
  recordNav: updateWith((_, lastNav: NavResult) => ({ lastNav })),
  markDocked: update({ docked: true }),
  markUndocked: update({ docked: false }),
  setDestination: update(({ event }) => {
    assertEvent(event, 'operator.sendTo');
    return { destinationId: event.placeId };
  }),
  clearDestination: update({ destinationId: null }),
  /** Call-outs count one spell of losing the citizen; walking again starts a new count. */
  resetCallOuts: update({ callOuts: 0 }),
  countCallOut: update({ callOuts: ({ context }) => context.callOuts + 1 }),
  noteCitizenSighting: update(({ context, event }) => {
    assertEvent(event, 'people.updated');
    return { citizenSighting: sightingOf(context, event.people) };
  }),
  countEscortAttempt: update({ escortAttempts: ({ context }) => context.escortAttempts + 1 }),
};

export const guideActions = { ...effects, ...conversation, ...motion };
