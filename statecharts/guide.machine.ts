import { and, assign, fromPromise, not, or, setup, stateIn } from 'xstate';
import type { Classification, Intent } from '../src/ports/intent-model.js';
import type { NavResult } from '../src/ports/robot-base.js';
import type {
  AlertKind,
  Aspect,
  ClassifyInput,
  GuideContext,
  GuideEvent,
  GuideInput,
  IdSummary,
  MessageId,
  NavigateInput,
  ReadIdInput,
  SpeakInput,
  SpeakParams,
  Ticket,
  TicketInput,
} from './guide.types.js';

/** The placeholders are the contract: the composition root provides real ones with `.provide()`. */
function notProvided(name: string): never {
  throw new Error(`guide machine: actor "${name}" was not provided`);
}

const ASPECT_OF: Partial<Record<Intent, Aspect>> = {
  ask_procedure: 'overview',
  ask_documents: 'documents',
  ask_fee: 'fee',
  ask_duration: 'duration',
  ask_location: 'location',
  repeat: 'overview',
};

const ANSWER_MESSAGE: Record<Aspect, MessageId> = {
  overview: 'answer.overview',
  documents: 'answer.documents',
  fee: 'answer.fee',
  duration: 'answer.duration',
  location: 'answer.location',
};

type Ctx = GuideContext;

function classified(context: Ctx): Classification {
  if (context.classification === null) throw new Error('guide machine: no classification in context');
  return context.classification;
}

/** The procedure the citizen means now: the one just named, else the one already under discussion. */
function procedureInPlay(context: Ctx): string | null {
  return context.classification?.procedure ?? context.procedureId;
}

function counterFor(context: Ctx, procedureId: string | null): string | null {
  if (procedureId === null) return null;
  const info = context.procedures[procedureId];
  if (info === undefined) return null;
  return context.counters.find((counter) => counter.fields.includes(info.field))?.id ?? null;
}

function speakInput(context: Ctx, messageId: MessageId, extra: SpeakParams = {}): SpeakInput {
  const params: SpeakParams = {
    ...(context.procedureId !== null ? { procedureId: context.procedureId } : {}),
    ...(context.counterId !== null ? { counterId: context.counterId } : {}),
    ...(context.ticket !== null ? { ticketNumber: context.ticket.number } : {}),
    ...extra,
  };
  return { messageId, lang: context.lang, params };
}

function navInput(context: Ctx, placeId: string, purpose: NavigateInput['purpose']): NavigateInput {
  return {
    placeId,
    purpose,
    speedLimitMps: purpose === 'escort' ? context.settings.escortSpeedMps : null,
    undockFirst: context.docked,
  };
}

const CONVERSATION_RESET = {
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
  counterId: null,
  ticket: null,
  idSummary: null,
} as const satisfies Partial<Ctx>;

export const guideMachine = setup({
  types: {
    context: {} as GuideContext,
    events: {} as GuideEvent,
    input: {} as GuideInput,
  },
  actors: {
    speak: fromPromise<{ spokenMs: number }, SpeakInput>(async () => notProvided('speak')),
    classify: fromPromise<Classification, ClassifyInput>(async () => notProvided('classify')),
    navigate: fromPromise<NavResult, NavigateInput>(async () => notProvided('navigate')),
    readId: fromPromise<IdSummary, ReadIdInput>(async () => notProvided('readId')),
    issueTicket: fromPromise<Ticket, TicketInput>(async () => notProvided('issueTicket')),
  },
  actions: {
    /** Cancel motion and hold still (latched in the base). */
    stopBase: (_, _params: { reason: string }) => {},
    /** Lift the base's hold; never starts motion by itself. */
    releaseBase: () => {},
    alert: (_, _params: { kind: AlertKind }) => {},
    /** Fire-and-forget speech that must not wait (operator words, link loss). */
    announce: (_, _params: SpeakInput) => {},
    resetConversation: assign(() => ({ ...CONVERSATION_RESET })),
    /** The citizen says the card data shown is not theirs or not right: the pre-filled request goes. */
    discardIdRequest: (_, _params: { requestId: string }) => {},
  },
  guards: {
    canMove: stateIn({ safety: 'normal', link: 'up' }),
    /** An operator's resume restarts a halted task unless the e-stop is still engaged or the base is unreachable. */
    canResume: and([not(stateIn({ safety: 'estopped' })), stateIn({ link: 'up' })]),
    someoneNear: ({ context, event }) =>
      event.type === 'people.updated' && event.people.some((p) => p.distanceM <= context.settings.greetRadiusM),
    citizenBehind: ({ context, event }) => {
      if (event.type !== 'people.updated') return false;
      // A citizen who came by the kiosk without being tracked cannot be watched.
      if (context.citizenId === null) return false;
      const citizen = event.people.find((p) => p.id === context.citizenId);
      return citizen === undefined || citizen.distanceM > context.settings.followMaxDistanceM;
    },
    citizenClose: ({ context, event }) => {
      if (event.type !== 'people.updated') return false;
      const citizen = event.people.find((p) => p.id === context.citizenId);
      return citizen !== undefined && citizen.distanceM <= context.settings.followRejoinDistanceM;
    },
    batteryCritical: ({ context, event }) =>
      event.type === 'battery.updated' && !event.charging && event.percent <= context.settings.batteryCriticalPercent,
    batteryLow: ({ context, event }) =>
      event.type === 'battery.updated' && !event.charging && event.percent <= context.settings.batteryLowPercent,
    batteryCharging: ({ event }) => event.type === 'battery.updated' && event.charging,
    /** Hysteresis: back to `ok` only well above the low mark, so a flickering reading does not flap. */
    batteryRecovered: ({ context, event }) =>
      event.type === 'battery.updated' &&
      !event.charging &&
      event.percent >= Math.min(100, context.settings.batteryLowPercent + 10),
    batteryCharged: ({ context, event }) =>
      event.type === 'battery.updated' && event.percent >= context.settings.batteryChargedPercent,
    notDocked: ({ context }) => !context.docked,
    docked: ({ context }) => context.docked,
    moreReprompts: ({ context }) => context.reprompts < context.settings.maxReprompts,
    tooManyClarifications: ({ context }) => context.clarifications > context.settings.maxClarifications,
    moreCallOuts: ({ context }) => context.callOuts < context.settings.maxCallOuts,
    moreEscortAttempts: ({ context }) => context.escortAttempts < context.settings.maxEscortAttempts,
    navArrived: ({ event }) => 'output' in event && (event.output as NavResult).kind === 'arrived',
    navCanceled: ({ event }) => 'output' in event && (event.output as NavResult).kind === 'canceled',
    knownProcedure: ({ context, event }) =>
      event.type === 'kiosk.procedureSelected' && context.procedures[event.procedureId] !== undefined,
    hasCounter: ({ context }) => context.counterId !== null,
    needsIdScan: ({ context }) =>
      context.settings.idReaderAvailable &&
      context.procedureId !== null &&
      (context.procedures[context.procedureId]?.idCards ?? 0) > 0,
    // Routing after classification, read in the order `understanding` lists them.
    unsure: ({ context }) => classified(context).confidence < context.settings.minConfidence,
    saysGoodbye: ({ context }) => classified(context).intent === 'goodbye',
    /** A complaint naming a procedure is a petition to file (complaint_petition), not a call for staff. */
    wantsStaff: ({ context }) => {
      const { intent, procedure } = classified(context);
      return intent === 'talk_to_staff' || (intent === 'complaint' && procedure === null);
    },
    changesLanguage: ({ context }) => classified(context).intent === 'change_language',
    namesOtherProcedure: ({ context }) => {
      const named = classified(context).procedure;
      return named !== null && named !== context.procedureId && context.procedures[named] !== undefined;
    },
    acceptsEscort: ({ context }) => {
      const { intent } = classified(context);
      return (
        context.procedureId !== null &&
        ((context.pending === 'offerEscort' && intent === 'affirm') ||
          intent === 'request_escort' ||
          intent === 'request_ticket' ||
          intent === 'scan_id')
      );
    },
    declinesOffer: ({ context }) => context.pending === 'offerEscort' && classified(context).intent === 'deny',
    givesConsent: ({ context }) => context.pending === 'idConsent' && classified(context).intent === 'affirm',
    refusesConsent: ({ context }) => context.pending === 'idConsent' && classified(context).intent === 'deny',
    confirmsIdData: ({ context }) => context.pending === 'idConfirm' && classified(context).intent === 'affirm',
    rejectsIdData: ({ context }) => context.pending === 'idConfirm' && classified(context).intent === 'deny',
    nothingElse: ({ context }) => context.pending === 'anythingElse' && classified(context).intent === 'deny',
    asksAboutProcedure: ({ context }) => {
      const { intent } = classified(context);
      return ASPECT_OF[intent] !== undefined && procedureInPlay(context) !== null;
    },
    smallTalk: ({ context }) => ['greet', 'affirm', 'deny', 'repeat'].includes(classified(context).intent),
  },
  delays: {
    speakTimeout: ({ context }) => context.settings.timeoutsMs.speak,
    listenTimeout: ({ context }) => context.settings.timeoutsMs.listen,
    classifyTimeout: ({ context }) => context.settings.timeoutsMs.classify,
    readIdTimeout: ({ context }) => context.settings.timeoutsMs.readId,
    ticketTimeout: ({ context }) => context.settings.timeoutsMs.ticket,
    escortTimeout: ({ context }) => context.settings.timeoutsMs.escort,
    escortWaitTimeout: ({ context }) => context.settings.timeoutsMs.escortWait,
    callOutInterval: ({ context }) => context.settings.timeoutsMs.callOut,
    arrivedLinger: ({ context }) => context.settings.timeoutsMs.arrivedLinger,
    haltedTimeout: ({ context }) => context.settings.timeoutsMs.halted,
    handoffTimeout: ({ context }) => context.settings.timeoutsMs.handoff,
    returnTimeout: ({ context }) => context.settings.timeoutsMs.returnHome,
  },
}).createMachine({
  id: 'guide',
  type: 'parallel',
  context: ({ input }) => ({
    ...input,
    ...CONVERSATION_RESET,
    lang: input.settings.defaultLang,
    docked: false,
    lastNav: null,
    destinationId: null,
  }),
  on: {
    'operator.say': {
      actions: {
        type: 'announce',
        params: ({ event }) => ({ messageId: 'operator.text', lang: event.lang, params: { text: event.text } }),
      },
    },
  },
  states: {
    safety: {
      initial: 'normal',
      states: {
        normal: {
          on: {
            'operator.pause': 'paused',
            'operator.estop': 'estopped',
          },
        },
        paused: {
          entry: { type: 'stopBase', params: { reason: 'paused' } },
          on: {
            'operator.resume': {
              target: 'normal',
              actions: [{ type: 'releaseBase' }],
            },
            'operator.estop': 'estopped',
          },
        },
        estopped: {
          entry: { type: 'stopBase', params: { reason: 'estop' } },
          on: {
            // Releasing the e-stop leaves the robot paused: an operator resumes explicitly.
            'operator.releaseEstop': 'paused',
          },
        },
      },
    },

    power: {
      initial: 'ok',
      states: {
        ok: {
          on: {
            'battery.updated': [
              { guard: 'batteryCritical', target: 'critical' },
              { guard: 'batteryLow', target: 'low' },
              { guard: 'batteryCharging', target: 'charging' },
            ],
          },
        },
        low: {
          entry: { type: 'alert', params: { kind: 'batteryLow' } },
          on: {
            'battery.updated': [
              { guard: 'batteryCritical', target: 'critical' },
              { guard: 'batteryCharging', target: 'charging' },
              { guard: 'batteryRecovered', target: 'ok' },
            ],
          },
        },
        critical: {
          entry: { type: 'alert', params: { kind: 'batteryCritical' } },
          on: {
            'battery.updated': [{ guard: 'batteryCharging', target: 'charging' }],
          },
        },
        charging: {
          on: {
            'battery.updated': [
              { guard: 'batteryCharged', target: 'ok' },
              { guard: 'batteryCharging' },
              { guard: 'batteryCritical', target: 'critical' },
              { guard: 'batteryLow', target: 'low' },
              { target: 'ok' },
            ],
          },
        },
      },
    },

    link: {
      initial: 'up',
      states: {
        up: {
          on: { 'link.lost': 'down' },
        },
        down: {
          entry: [
            { type: 'stopBase', params: { reason: 'link_down' } },
            { type: 'alert', params: { kind: 'linkDown' } },
            { type: 'announce', params: ({ context }) => speakInput(context, 'link.down') },
          ],
          on: {
            'link.restored': [
              { guard: stateIn({ safety: 'normal' }), target: 'up', actions: 'releaseBase' },
              { target: 'up' },
            ],
          },
        },
      },
    },

    interaction: {
      initial: 'idle',
      states: {
        idle: {
          id: 'idle',
          entry: 'resetConversation',
          // Power low or critical: go charge before taking anyone else.
          always: {
            guard: and([or([stateIn({ power: 'low' }), stateIn({ power: 'critical' })]), 'notDocked']),
            target: 'docking',
          },
          on: {
            // Docking is for charging: once charged, the robot goes back to work.
            'battery.updated': { guard: and(['docked', 'batteryCharged']), target: 'returning' },
            'people.updated': {
              guard: and(['someoneNear', 'notDocked', stateIn({ power: 'ok' })]),
              target: 'serving',
              actions: assign({
                citizenId: ({ context, event }) => {
                  const near = event.people
                    .filter((p) => p.distanceM <= context.settings.greetRadiusM)
                    .sort((a, b) => a.distanceM - b.distanceM || (a.id < b.id ? -1 : 1));
                  return near[0]?.id ?? null;
                },
              }),
            },
            'speech.heard': {
              target: 'serving.understanding',
              actions: assign({ utterance: ({ event }) => event.text, utteranceLang: ({ event }) => event.lang }),
            },
            'kiosk.procedureSelected': {
              guard: 'knownProcedure',
              target: 'serving.answering',
              actions: assign({
                procedureId: ({ event }) => event.procedureId,
                lang: ({ event }) => event.lang,
                aspect: 'overview',
                counterId: ({ context, event }) => counterFor(context, event.procedureId),
              }),
            },
            'kiosk.languageSelected': { actions: assign({ lang: ({ event }) => event.lang }) },
            'operator.goHome': 'returning',
            'operator.sendTo': { target: '#returning', actions: assign({ destinationId: ({ event }) => event.placeId }) },
            'operator.dock': 'docking',
            'operator.takeOver': 'handoff',
          },
        },

        serving: {
          initial: 'greeting',
          on: {
            'operator.takeOver': '#handoff',
            'operator.goHome': '#returning',
            'battery.updated': { guard: 'batteryCritical', target: 'docking' },
            'kiosk.languageSelected': { actions: assign({ lang: ({ event }) => event.lang }) },
          },
          states: {
            greeting: {
              invoke: {
                id: 'speak',
                src: 'speak',
                input: ({ context }) => speakInput(context, 'greeting'),
                onDone: 'listening',
                onError: 'listening',
              },
              after: { speakTimeout: 'listening' },
            },

            listening: {
              id: 'listening',
              initial: 'waiting',
              on: {
                'speech.heard': {
                  target: 'understanding',
                  actions: assign({ utterance: ({ event }) => event.text, utteranceLang: ({ event }) => event.lang }),
                },
                // A tap is as certain as words can be: it goes straight to routing as affirm or deny.
                'kiosk.answered': {
                  target: 'routing',
                  actions: assign({
                    classification: ({ context, event }) => ({
                      intent: event.answer === 'yes' ? 'affirm' : 'deny',
                      procedure: null,
                      lang: context.lang,
                      confidence: 1,
                      alternatives: [],
                    }),
                    reprompts: 0,
                  }),
                },
                'kiosk.procedureSelected': {
                  guard: 'knownProcedure',
                  target: 'answering',
                  actions: assign({
                    procedureId: ({ event }) => event.procedureId,
                    lang: ({ event }) => event.lang,
                    aspect: 'overview',
                    counterId: ({ context, event }) => counterFor(context, event.procedureId),
                  }),
                },
              },
              states: {
                waiting: {
                  after: {
                    listenTimeout: [
                      { guard: 'moreReprompts', target: 'reprompting' },
                      { target: '#goodbye' },
                    ],
                  },
                },
                reprompting: {
                  entry: assign({ reprompts: ({ context }) => context.reprompts + 1 }),
                  invoke: {
                    id: 'speak',
                    src: 'speak',
                    input: ({ context }) =>
                      speakInput(
                        context,
                        context.pending === 'offerEscort'
                          ? 'prompt.offerEscort'
                          : context.pending === 'idConsent'
                            ? 'prompt.idConsent'
                            : context.pending === 'anythingElse'
                              ? 'prompt.anythingElse'
                              : 'prompt.askProcedure',
                      ),
                    onDone: 'waiting',
                    onError: 'waiting',
                  },
                  after: { speakTimeout: 'waiting' },
                },
              },
            },

            understanding: {
              invoke: {
                id: 'classify',
                src: 'classify',
                input: ({ context }) => ({ text: context.utterance ?? '', langHint: context.utteranceLang }),
                onDone: {
                  target: 'routing',
                  actions: assign({
                    classification: ({ event }) => event.output,
                    utterance: null,
                    reprompts: 0,
                    // The conversation follows the citizen's language once we are sure of it.
                    lang: ({ context, event }) =>
                      event.output.confidence >= context.settings.minConfidence ? event.output.lang : context.lang,
                  }),
                },
                onError: { target: 'clarifying', actions: assign({ utterance: null }) },
              },
              after: { classifyTimeout: { target: 'clarifying', actions: assign({ utterance: null }) } },
            },

            routing: {
              always: [
                { guard: 'unsure', target: 'clarifying' },
                { guard: 'saysGoodbye', target: '#goodbye' },
                { guard: 'wantsStaff', target: '#handoff' },
                {
                  guard: 'changesLanguage',
                  target: 'listening.reprompting',
                  actions: assign({ reprompts: 0 }),
                },
                { guard: 'givesConsent', target: 'scanningId' },
                { guard: 'refusesConsent', target: 'ticketing' },
                { guard: 'confirmsIdData', target: 'ticketing' },
                {
                  guard: 'rejectsIdData',
                  target: 'ticketing',
                  actions: [
                    { type: 'discardIdRequest', params: ({ context }) => ({ requestId: context.idSummary?.requestId ?? '' }) },
                    assign({ idSummary: null }),
                  ],
                },
                {
                  guard: 'namesOtherProcedure',
                  target: 'answering',
                  actions: assign({
                    procedureId: ({ context }) => classified(context).procedure,
                    aspect: ({ context }) => ASPECT_OF[classified(context).intent] ?? 'overview',
                    counterId: ({ context }) => counterFor(context, classified(context).procedure),
                  }),
                },
                { guard: 'acceptsEscort', target: 'offerAccepted' },
                {
                  guard: 'declinesOffer',
                  target: 'listening.reprompting',
                  actions: assign({ pending: 'anythingElse' }),
                },
                { guard: 'nothingElse', target: '#goodbye' },
                {
                  guard: 'asksAboutProcedure',
                  target: 'answering',
                  actions: assign({
                    procedureId: ({ context }) => procedureInPlay(context),
                    aspect: ({ context }) => ASPECT_OF[classified(context).intent] ?? 'overview',
                    counterId: ({ context }) => counterFor(context, procedureInPlay(context)),
                  }),
                },
                { guard: 'smallTalk', target: 'listening.reprompting', actions: assign({ reprompts: 0 }) },
                { target: 'clarifying' },
              ],
            },

            clarifying: {
              entry: assign({ clarifications: ({ context }) => context.clarifications + 1, pending: 'procedure' }),
              always: { guard: 'tooManyClarifications', target: '#handoff' },
              invoke: {
                id: 'speak',
                src: 'speak',
                input: ({ context }) =>
                  speakInput(
                    context,
                    context.classification === null
                      ? 'clarify.notUnderstood'
                      : context.classification.intent === 'out_of_scope' &&
                          context.classification.confidence >= context.settings.minConfidence
                        ? 'clarify.outOfScope'
                        : context.classification.confidence < context.settings.minConfidence
                          ? 'clarify.notUnderstood'
                          : 'clarify.askProcedure',
                  ),
                onDone: 'listening',
                onError: 'listening',
              },
              after: { speakTimeout: 'listening' },
            },

            answering: {
              initial: 'telling',
              states: {
                telling: {
                  invoke: {
                    id: 'speak',
                    src: 'speak',
                    input: ({ context }) => speakInput(context, ANSWER_MESSAGE[context.aspect]),
                    onDone: 'offering',
                    onError: 'offering',
                  },
                  after: { speakTimeout: 'offering' },
                },
                offering: {
                  always: {
                    guard: ({ context }) => context.counterId === null,
                    target: '#handoff',
                  },
                  entry: assign({ pending: 'offerEscort' }),
                  invoke: {
                    id: 'speak',
                    src: 'speak',
                    input: ({ context }) => speakInput(context, 'prompt.offerEscort'),
                    onDone: '#listening',
                    onError: '#listening',
                  },
                  after: { speakTimeout: '#listening' },
                },
              },
            },

            offerAccepted: {
              always: [
                { guard: 'needsIdScan', target: 'scanningId.askingConsent' },
                { target: 'ticketing' },
              ],
            },

            scanningId: {
              initial: 'reading',
              states: {
                askingConsent: {
                  entry: assign({ pending: 'idConsent' }),
                  invoke: {
                    id: 'speak',
                    src: 'speak',
                    input: ({ context }) => speakInput(context, 'prompt.idConsent'),
                    onDone: '#listening',
                    onError: '#listening',
                  },
                  after: { speakTimeout: '#listening' },
                },
                reading: {
                  entry: assign({ pending: 'procedure' }),
                  invoke: {
                    id: 'readId',
                    src: 'readId',
                    input: ({ context }) => ({
                      procedureId: context.procedureId ?? '',
                      cards: context.procedures[context.procedureId ?? '']?.idCards ?? 1,
                    }),
                    onDone: {
                      target: 'confirming',
                      actions: assign({ idSummary: ({ event }) => event.output }),
                    },
                    onError: 'failed',
                  },
                  after: { readIdTimeout: 'failed' },
                },
                // The kiosk shows the masked data; the citizen says whether it is theirs and right.
                confirming: {
                  entry: assign({ pending: 'idConfirm' }),
                  invoke: {
                    id: 'speak',
                    src: 'speak',
                    input: ({ context }) => speakInput(context, 'id.confirm'),
                    onDone: '#listening',
                    onError: '#listening',
                  },
                  after: { speakTimeout: '#listening' },
                },
                failed: {
                  invoke: {
                    id: 'speak',
                    src: 'speak',
                    input: ({ context }) => speakInput(context, 'id.readFailed'),
                    onDone: '#ticketing',
                    onError: '#ticketing',
                  },
                  after: { speakTimeout: '#ticketing' },
                },
              },
            },

            ticketing: {
              id: 'ticketing',
              initial: 'issuing',
              entry: assign({ pending: 'procedure' }),
              states: {
                issuing: {
                  always: { guard: ({ context }) => context.counterId === null, target: '#handoff' },
                  invoke: {
                    id: 'issueTicket',
                    src: 'issueTicket',
                    input: ({ context }) => ({
                      procedureId: context.procedureId ?? '',
                      field: context.procedures[context.procedureId ?? '']?.field ?? 'civil_status',
                      counterId: context.counterId ?? '',
                      requestId: context.idSummary?.requestId ?? null,
                    }),
                    onDone: { target: 'telling', actions: assign({ ticket: ({ event }) => event.output }) },
                    onError: 'failed',
                  },
                  after: { ticketTimeout: 'failed' },
                },
                telling: {
                  invoke: {
                    id: 'speak',
                    src: 'speak',
                    input: ({ context }) => speakInput(context, 'ticket.issued'),
                    onDone: '#escorting',
                    onError: '#escorting',
                  },
                  after: { speakTimeout: '#escorting' },
                },
                failed: {
                  invoke: {
                    id: 'speak',
                    src: 'speak',
                    input: ({ context }) => speakInput(context, 'ticket.failed'),
                    onDone: '#escorting',
                    onError: '#escorting',
                  },
                  after: { speakTimeout: '#escorting' },
                },
              },
            },

            escorting: {
              id: 'escorting',
              initial: 'checking',
              // The talking is over: what was asked and how often no longer matters on the way.
              entry: assign({ callOuts: 0, escortAttempts: 0, pending: 'procedure', reprompts: 0, clarifications: 0 }),
              on: {
                'operator.cancelEscort': '#returning',
                'operator.pause': '.halted',
                'operator.estop': '.halted',
                'link.lost': '.halted',
              },
              states: {
                checking: {
                  always: [{ guard: 'canMove', target: 'leading' }, { target: 'halted' }],
                },
                leading: {
                  // Call-outs count one spell of losing the citizen; walking again starts a new count.
                  entry: [
                    assign({ callOuts: 0 }),
                    { type: 'announce', params: ({ context }) => speakInput(context, 'escort.start') },
                  ],
                  invoke: {
                    id: 'navigate',
                    src: 'navigate',
                    input: ({ context }) => navInput(context, context.counterId ?? '', 'escort'),
                    onDone: [
                      {
                        guard: 'navArrived',
                        target: '#arrived',
                        actions: assign({ lastNav: ({ event }) => event.output }),
                      },
                      { guard: 'navCanceled', target: 'halted', actions: assign({ lastNav: ({ event }) => event.output }) },
                      { target: 'failed', actions: assign({ lastNav: ({ event }) => event.output }) },
                    ],
                    onError: 'failed',
                  },
                  after: { escortTimeout: 'failed' },
                  on: {
                    'people.updated': { guard: 'citizenBehind', target: 'waitingForCitizen' },
                  },
                },
                waitingForCitizen: {
                  entry: { type: 'announce', params: ({ context }) => speakInput(context, 'escort.waiting') },
                  after: { escortWaitTimeout: 'callingOut' },
                  on: {
                    'people.updated': { guard: 'citizenClose', target: 'checking' },
                  },
                },
                callingOut: {
                  entry: [
                    assign({ callOuts: ({ context }) => context.callOuts + 1 }),
                    { type: 'announce', params: ({ context }) => speakInput(context, 'escort.callOut') },
                  ],
                  after: {
                    callOutInterval: [
                      { guard: 'moreCallOuts', target: 'callingOut', reenter: true },
                      { target: 'givingUp' },
                    ],
                  },
                  on: {
                    'people.updated': { guard: 'citizenClose', target: 'checking' },
                  },
                },
                givingUp: {
                  entry: [
                    { type: 'alert', params: { kind: 'personLost' } },
                    { type: 'announce', params: ({ context }) => speakInput(context, 'escort.gaveUp') },
                  ],
                  always: '#returning',
                },
                failed: {
                  entry: { type: 'alert', params: { kind: 'navFailed' } },
                  always: [
                    { guard: stateIn({ safety: 'normal', link: 'up' }), target: 'retrying' },
                    { target: 'halted' },
                  ],
                },
                retrying: {
                  always: [
                    {
                      guard: 'moreEscortAttempts',
                      target: 'leading',
                      actions: assign({ escortAttempts: ({ context }) => context.escortAttempts + 1 }),
                    },
                    { target: 'tellingDirections' },
                  ],
                },
                tellingDirections: {
                  invoke: {
                    id: 'speak',
                    src: 'speak',
                    input: ({ context }) => speakInput(context, 'escort.failed'),
                    onDone: '#returning',
                    onError: '#returning',
                  },
                  after: { speakTimeout: '#returning' },
                },
                halted: {
                  entry: { type: 'announce', params: ({ context }) => speakInput(context, 'escort.halted') },
                  on: {
                    'operator.resume': {
                      guard: 'canResume',
                      target: 'leading',
                      // Only the operator's explicit resume restarts an escort; release alone does not.
                    },
                    // Re-entering `halted` on a repeated stop would only repeat the announcement.
                    'operator.pause': {},
                    'operator.estop': {},
                    'link.lost': {},
                  },
                  after: { haltedTimeout: '#handoff' },
                },
              },
            },

            arrived: {
              id: 'arrived',
              invoke: {
                id: 'speak',
                src: 'speak',
                input: ({ context }) => speakInput(context, 'escort.arrived'),
              },
              after: { arrivedLinger: '#returning' },
            },
          },
        },

        /** Back to the home post, or to where an operator sent the robot. */
        returning: {
          id: 'returning',
          initial: 'checking',
          entry: 'resetConversation',
          exit: assign({ destinationId: null }),
          on: {
            'operator.sendTo': {
              target: '#returning',
              reenter: true,
              actions: assign({ destinationId: ({ event }) => event.placeId }),
            },
            'operator.pause': '.halted',
            'operator.estop': '.halted',
            'link.lost': '.halted',
          },
          states: {
            checking: {
              always: [{ guard: 'canMove', target: 'driving' }, { target: 'halted' }],
            },
            driving: {
              invoke: {
                id: 'navigate',
                src: 'navigate',
                input: ({ context }) =>
                  context.destinationId === null
                    ? navInput(context, context.homeId, 'return')
                    : navInput(context, context.destinationId, 'relocate'),
                onDone: [
                  { guard: 'navArrived', target: '#idle', actions: assign({ docked: false }) },
                  { guard: 'navCanceled', target: 'halted' },
                  { target: 'failed' },
                ],
                onError: 'failed',
              },
              after: { returnTimeout: 'failed' },
            },
            failed: {
              entry: { type: 'alert', params: { kind: 'navFailed' } },
              always: '#handoff',
            },
            halted: {
              on: {
                'operator.resume': { guard: 'canResume', target: 'driving' },
                'operator.pause': {},
                'operator.estop': {},
                'link.lost': {},
              },
              after: { haltedTimeout: '#handoff' },
            },
          },
        },

        docking: {
          id: 'docking',
          initial: 'announcing',
          on: {
            'operator.pause': '.halted',
            'operator.estop': '.halted',
            'link.lost': '.halted',
          },
          states: {
            announcing: {
              always: { guard: ({ context }) => context.citizenId === null, target: 'checking' },
              invoke: {
                id: 'speak',
                src: 'speak',
                input: ({ context }) => speakInput(context, 'power.critical'),
                onDone: 'checking',
                onError: 'checking',
              },
              after: { speakTimeout: 'checking' },
            },
            checking: {
              entry: 'resetConversation',
              always: [{ guard: 'canMove', target: 'driving' }, { target: 'halted' }],
            },
            driving: {
              invoke: {
                id: 'navigate',
                src: 'navigate',
                input: ({ context }) => navInput(context, context.dockId, 'dock'),
                onDone: [
                  { guard: 'navArrived', target: '#idle', actions: assign({ docked: true }) },
                  { guard: 'navCanceled', target: 'halted' },
                  { target: 'failed' },
                ],
                onError: 'failed',
              },
              after: { returnTimeout: 'failed' },
            },
            failed: {
              entry: { type: 'alert', params: { kind: 'navFailed' } },
              always: '#handoff',
            },
            halted: {
              on: {
                'operator.resume': { guard: 'canResume', target: 'driving' },
                'operator.pause': {},
                'operator.estop': {},
                'link.lost': {},
              },
              after: { haltedTimeout: '#handoff' },
            },
          },
        },

        handoff: {
          id: 'handoff',
          entry: [
            { type: 'alert', params: { kind: 'helpRequested' } },
            // Staff take it from here: a handed-back conversation starts its counts afresh.
            assign({ pending: 'procedure', reprompts: 0, clarifications: 0, callOuts: 0, escortAttempts: 0 }),
          ],
          invoke: {
            id: 'speak',
            src: 'speak',
            input: ({ context }) => speakInput(context, 'handoff.staff'),
          },
          on: {
            'operator.handBack': [
              { guard: ({ context }) => context.citizenId !== null, target: 'serving.listening' },
              { target: 'returning' },
            ],
            'operator.goHome': 'returning',
            'operator.sendTo': { target: '#returning', actions: assign({ destinationId: ({ event }) => event.placeId }) },
            'operator.dock': 'docking',
          },
          // Nobody took over: go back to the post (a no-op when already there) and carry on.
          after: { handoffTimeout: 'returning' },
        },

        goodbye: {
          id: 'goodbye',
          entry: assign({ pending: 'procedure', reprompts: 0, clarifications: 0, callOuts: 0, escortAttempts: 0 }),
          invoke: {
            id: 'speak',
            src: 'speak',
            input: ({ context }) => speakInput(context, 'goodbye'),
            onDone: 'idle',
            onError: 'idle',
          },
          after: { speakTimeout: 'idle' },
        },
      },
    },
  },
});

export type GuideMachine = typeof guideMachine;
