import { CONVERSATION_RESET, navInput, procedureInfo, required, returnTrip } from './guide.context.js';
import { motionState } from './guide.motion.js';
import { guide } from './guide.setup.js';
import { announce, answerMessage, clarifyMessage, repromptMessage, say, sayThen } from './guide.speech.js';

/** The parallel regions beside the conversation: each can stop the robot whatever it is doing. */
const safety = guide.createStateConfig({
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
});

const power = guide.createStateConfig({
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
});

const link = guide.createStateConfig({
  initial: 'up',
  states: {
    up: {
      on: { 'link.lost': 'down' },
    },
    down: {
      entry: [
        { type: 'stopBase', params: { reason: 'link_down' } },
        { type: 'alert', params: { kind: 'linkDown' } },
        announce('link.down'),
      ],
      on: {
        'link.restored': [{ guard: 'safetyNormal', target: 'up', actions: 'releaseBase' }, { target: 'up' }],
      },
    },
  },
});

/** Walking the citizen to the counter, watching that they keep up. */
const escorting = motionState({
  id: 'escorting',
  driving: 'leading',
  // The talking is over: what was asked and how often no longer matters on the way.
  entry: 'resetCounts',
  // The citizen being led is kept: someone passing close by is not taken for them.
  on: { 'operator.cancelEscort': '#returning', 'people.updated': { actions: 'noteCitizenSighting' } },
  // Ticketing hands off when there is no counter, so every escort has one to go to.
  destination: (context) => navInput(context, required(context.counterId, 'counterId'), 'escort'),
  timeout: 'escortTimeout',
  drivingEntry: ['resetCallOuts', announce('escort.start')],
  // The robot never walks on without seeing the citizen: hidden or gone, it stops where it can see back along its path.
  drivingOn: {
    'people.updated': [
      { guard: 'citizenBehind', target: 'waitingForCitizen', actions: 'noteCitizenSighting' },
      { guard: 'citizenHidden', target: 'waitingForCitizen', actions: 'noteCitizenSighting' },
    ],
  },
  arrived: { target: '#arrived' },
  recordOutcome: true,
  failed: [{ guard: 'canMove', target: 'retrying' }, { target: 'halted' }],
  haltedEntry: announce('escort.halted'),
  whileDriving: {
    waitingForCitizen: {
      entry: announce('escort.waiting'),
      after: {
        // Still hidden, not gone: most likely on the way round the corner; the robot waits on and says so again.
        // Back here after call-outs, the count still holds: a citizen who keeps slipping out of sight is not called for ever.
        escortWaitTimeout: [
          { guard: 'citizenRemembered', target: 'waitingForCitizen', reenter: true },
          { guard: 'moreCallOuts', target: 'callingOut' },
          { target: 'givingUp' },
        ],
      },
      on: { 'people.updated': { guard: 'citizenClose', target: 'checking', actions: 'noteCitizenSighting' } },
    },
    // By ticket number when there is one: the message names it.
    callingOut: {
      entry: ['countCallOut', announce('escort.callOut')],
      after: {
        // Only call-outs to a citizen gone from the tracker count towards giving up.
        callOutInterval: [
          { guard: 'citizenRemembered', target: 'waitingForCitizen' },
          { guard: 'moreCallOuts', target: 'callingOut', reenter: true },
          { target: 'givingUp' },
        ],
      },
      on: { 'people.updated': { guard: 'citizenClose', target: 'checking', actions: 'noteCitizenSighting' } },
    },
    givingUp: {
      entry: [{ type: 'alert', params: { kind: 'personLost' } }, announce('escort.gaveUp')],
      always: '#returning',
    },
  },
  afterFailure: {
    retrying: {
      always: [{ guard: 'moreEscortAttempts', target: 'leading', actions: 'countEscortAttempt' }, { target: 'tellingDirections' }],
    },
    tellingDirections: sayThen('escort.failed', '#returning'),
  },
});

/** A conversation: greet, understand, answer, and (when asked) scan the card, issue a ticket, walk along. */
const serving = guide.createStateConfig({
  initial: 'greeting',
  on: {
    'operator.takeOver': '#handoff',
    'operator.goHome': '#returning',
    'battery.updated': { guard: 'batteryCritical', target: 'docking' },
    'kiosk.languageSelected': { actions: 'takeKioskLanguage' },
    // While talking, the citizen is whoever stands nearest within talking distance; escorting keeps the one it leads.
    'people.updated': { guard: 'partnerMoved', actions: 'trackNearestCitizen' },
  },
  states: {
    greeting: sayThen('greeting', 'listening'),

    listening: {
      id: 'listening',
      initial: 'waiting',
      on: {
        'speech.heard': { target: 'understanding', actions: 'keepUtterance' },
        // A tap is as certain as words can be: it goes straight to routing as affirm or deny.
        'kiosk.answered': { target: 'routing', actions: 'takeKioskAnswer' },
        'kiosk.procedureSelected': { guard: 'knownProcedure', target: 'answering', actions: 'takeKioskProcedure' },
      },
      states: {
        waiting: {
          after: {
            listenTimeout: [{ guard: 'moreReprompts', target: 'reprompting' }, { target: '#goodbye' }],
          },
        },
        reprompting: {
          entry: 'countReprompt',
          ...sayThen(repromptMessage, 'waiting'),
        },
      },
    },

    understanding: {
      invoke: {
        id: 'classify',
        src: 'classify',
        input: ({ context }) => ({ text: required(context.utterance, 'utterance'), langHint: context.utteranceLang }),
        onDone: { target: 'routing', actions: { type: 'takeClassification', params: ({ event }) => event.output } },
        onError: { target: 'clarifying', actions: 'dropUtterance' },
      },
      after: { classifyTimeout: { target: 'clarifying', actions: 'dropUtterance' } },
    },

    routing: {
      always: [
        { guard: 'unsure', target: 'clarifying' },
        { guard: 'saysGoodbye', target: '#goodbye' },
        { guard: 'wantsStaff', target: '#handoff' },
        { guard: 'changesLanguage', target: 'listening.reprompting', actions: 'resetReprompts' },
        { guard: 'givesConsent', target: 'scanningId' },
        { guard: 'refusesConsent', target: 'ticketing' },
        { guard: 'confirmsIdData', target: 'ticketing' },
        {
          guard: 'rejectsIdData',
          target: 'ticketing',
          actions: [
            // `idConfirm` is asked only once a card has been read, so a summary is there to discard.
            { type: 'discardIdRequest', params: ({ context }) => ({ requestId: required(context.idSummary, 'idSummary').requestId }) },
            'forgetIdSummary',
          ],
        },
        { guard: 'namesOtherProcedure', target: 'answering', actions: 'answerNamedProcedure' },
        { guard: 'acceptsEscort', target: 'offerAccepted' },
        {
          guard: 'declinesOffer',
          target: 'listening.reprompting',
          actions: { type: 'setPending', params: { pending: 'anythingElse' } },
        },
        { guard: 'nothingElse', target: '#goodbye' },
        { guard: 'asksAboutProcedure', target: 'answering', actions: 'answerProcedureInPlay' },
        { guard: 'smallTalk', target: 'listening.reprompting', actions: 'resetReprompts' },
        { target: 'clarifying' },
      ],
    },

    clarifying: {
      entry: 'countClarification',
      always: { guard: 'tooManyClarifications', target: '#handoff' },
      ...sayThen(clarifyMessage, 'listening'),
    },

    answering: {
      initial: 'telling',
      states: {
        telling: sayThen(answerMessage, 'offering'),
        offering: {
          always: { guard: 'noCounter', target: '#handoff' },
          entry: { type: 'setPending', params: { pending: 'offerEscort' } },
          ...sayThen('prompt.offerEscort', '#listening'),
        },
      },
    },

    offerAccepted: {
      always: [{ guard: 'needsIdScan', target: 'scanningId.askingConsent' }, { target: 'ticketing' }],
    },

    scanningId: {
      initial: 'reading',
      states: {
        askingConsent: {
          entry: { type: 'setPending', params: { pending: 'idConsent' } },
          ...sayThen('prompt.idConsent', '#listening'),
        },
        reading: {
          entry: { type: 'setPending', params: { pending: 'procedure' } },
          invoke: {
            id: 'readId',
            src: 'readId',
            input: ({ context }) => {
              // Consent is asked only for a procedure whose form takes cards.
              const procedureId = required(context.procedureId, 'procedureId');
              return { procedureId, cards: procedureInfo(context, procedureId)?.idCards ?? 1 };
            },
            onDone: { target: 'confirming', actions: { type: 'keepIdSummary', params: ({ event }) => event.output } },
            onError: 'failed',
          },
          after: { readIdTimeout: 'failed' },
        },
        // The kiosk shows the masked data; the citizen says whether it is theirs and right.
        confirming: {
          entry: { type: 'setPending', params: { pending: 'idConfirm' } },
          ...sayThen('id.confirm', '#listening'),
        },
        failed: sayThen('id.readFailed', '#ticketing'),
      },
    },

    ticketing: {
      id: 'ticketing',
      initial: 'issuing',
      entry: { type: 'setPending', params: { pending: 'procedure' } },
      states: {
        issuing: {
          always: { guard: 'noCounter', target: '#handoff' },
          invoke: {
            id: 'issueTicket',
            src: 'issueTicket',
            input: ({ context }) => {
              // Every way here comes through an accepted offer, which needs a procedure.
              const procedureId = required(context.procedureId, 'procedureId');
              return {
                procedureId,
                field: procedureInfo(context, procedureId)?.field ?? 'civil_status',
                // The input is built on entry, before `always` can leave for want of a counter; '' then goes nowhere.
                counterId: context.counterId ?? '',
                requestId: context.idSummary?.requestId ?? null,
              };
            },
            onDone: { target: 'telling', actions: { type: 'keepTicket', params: ({ event }) => event.output } },
            onError: 'failed',
          },
          after: { ticketTimeout: 'failed' },
        },
        telling: sayThen('ticket.issued', '#escorting'),
        failed: sayThen('ticket.failed', '#escorting'),
      },
    },

    escorting,

    arrived: {
      id: 'arrived',
      ...say('escort.arrived'),
      after: { arrivedLinger: '#returning' },
    },
  },
});

/** Back to the home post, or to where an operator sent the robot. */
const returning = motionState({
  id: 'returning',
  driving: 'driving',
  entry: 'resetConversation',
  exit: 'clearDestination',
  on: { 'operator.sendTo': { target: '#returning', reenter: true, actions: 'setDestination' } },
  destination: returnTrip,
  timeout: 'returnTimeout',
  arrived: { target: '#idle', action: 'markUndocked' },
  failed: '#handoff',
});

const docking = motionState({
  id: 'docking',
  driving: 'driving',
  initial: 'announcing',
  before: {
    announcing: {
      always: { guard: 'noCitizen', target: 'checking' },
      ...sayThen('power.critical', 'checking'),
    },
  },
  checkingEntry: 'resetConversation',
  destination: (context) => navInput(context, context.dockId, 'dock'),
  timeout: 'returnTimeout',
  arrived: { target: '#idle', action: 'markDocked' },
  failed: '#handoff',
});

const interaction = guide.createStateConfig({
  initial: 'idle',
  states: {
    idle: {
      id: 'idle',
      entry: 'resetConversation',
      always: { guard: 'mustCharge', target: 'docking' },
      on: {
        'battery.updated': { guard: 'chargedOnDock', target: 'returning' },
        'people.updated': { guard: 'canGreet', target: 'serving', actions: 'trackNearestCitizen' },
        'speech.heard': { target: 'serving.understanding', actions: 'keepUtterance' },
        'kiosk.procedureSelected': { guard: 'knownProcedure', target: 'serving.answering', actions: 'takeKioskProcedure' },
        'kiosk.languageSelected': { actions: 'takeKioskLanguage' },
        'operator.goHome': 'returning',
        'operator.sendTo': { target: '#returning', actions: 'setDestination' },
        'operator.dock': 'docking',
        'operator.takeOver': 'handoff',
      },
    },

    serving,
    returning,
    docking,

    handoff: {
      id: 'handoff',
      entry: [
        { type: 'alert', params: { kind: 'helpRequested' } },
        // Staff take it from here: a handed-back conversation starts its counts afresh.
        'resetCounts',
      ],
      ...say('handoff.staff'),
      on: {
        'operator.handBack': [{ guard: 'hasCitizen', target: 'serving.listening' }, { target: 'returning' }],
        'operator.goHome': 'returning',
        'operator.sendTo': { target: '#returning', actions: 'setDestination' },
        'operator.dock': 'docking',
      },
      // Nobody took over: go back to the post (a no-op when already there) and carry on.
      after: { handoffTimeout: 'returning' },
    },

    goodbye: {
      id: 'goodbye',
      entry: 'resetCounts',
      ...sayThen('goodbye', 'idle'),
    },
  },
});

export const guideMachine = guide.createMachine({
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
  states: { safety, power, link, interaction },
});

export type GuideMachine = typeof guideMachine;
