import { guide } from './guide.setup.js';
import type { Aspect, GuideContext, MessageId, PendingQuestion, SpeakInput, SpeakParams } from './guide.types.js';

export function speakInput(context: GuideContext, messageId: MessageId, extra: SpeakParams = {}): SpeakInput {
  const params: SpeakParams = {
    ...(context.procedureId !== null ? { procedureId: context.procedureId } : {}),
    ...(context.counterId !== null ? { counterId: context.counterId } : {}),
    ...(context.ticket !== null ? { ticketNumber: context.ticket.number } : {}),
    ...extra,
  };
  return { messageId, lang: context.lang, params };
}

const ANSWER_MESSAGE: Record<Aspect, MessageId> = {
  overview: 'answer.overview',
  documents: 'answer.documents',
  fee: 'answer.fee',
  duration: 'answer.duration',
  location: 'answer.location',
};

/** What to ask again after silence: the question still open. */
const REPROMPT_MESSAGE: Record<PendingQuestion, MessageId> = {
  procedure: 'prompt.askProcedure',
  offerEscort: 'prompt.offerEscort',
  idConsent: 'prompt.idConsent',
  idConfirm: 'prompt.askProcedure',
  anythingElse: 'prompt.anythingElse',
};

export function answerMessage(context: GuideContext): MessageId {
  return ANSWER_MESSAGE[context.aspect];
}

export function repromptMessage(context: GuideContext): MessageId {
  return REPROMPT_MESSAGE[context.pending];
}

/** Unsure or nothing understood: say so; sure but outside the centre's work: say that; else ask for the procedure. */
export function clarifyMessage(context: GuideContext): MessageId {
  const { classification } = context;
  if (classification === null) return 'clarify.notUnderstood';
  const sure = classification.confidence >= context.settings.minConfidence;
  if (!sure) return 'clarify.notUnderstood';
  return classification.intent === 'out_of_scope' ? 'clarify.outOfScope' : 'clarify.askProcedure';
}

/** A fixed message, or one chosen from the conversation when the state is entered. */
export type MessageChoice = MessageId | ((context: GuideContext) => MessageId);

function chosen(message: MessageChoice, context: GuideContext): MessageId {
  return typeof message === 'function' ? message(context) : message;
}

/** Fire-and-forget speech as an entry action: nothing waits for it. */
export function announce(message: MessageChoice) {
  return { type: 'announce', params: ({ context }: { context: GuideContext }) => speakInput(context, chosen(message, context)) } as const;
}

/** Speak while in the state; leaving the state cuts the speech off. */
export function say(message: MessageChoice) {
  return guide.createStateConfig({
    invoke: {
      id: 'speak',
      src: 'speak',
      input: ({ context }) => speakInput(context, chosen(message, context)),
    },
  });
}

/** Speak, then go on to `next` when done; a speaker that fails or hangs does not hold the robot up. */
export function sayThen(message: MessageChoice, next: string) {
  return guide.createStateConfig({
    invoke: {
      id: 'speak',
      src: 'speak',
      input: ({ context }) => speakInput(context, chosen(message, context)),
      onDone: next,
      onError: next,
    },
    after: { speakTimeout: next },
  });
}
