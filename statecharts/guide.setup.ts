import { fromPromise, setup } from 'xstate';
import type { Classification } from '../src/ports/intent-model.js';
import type { NavResult } from '../src/ports/robot-base.js';
import { guideActions } from './guide.actions.js';
import { guideGuards } from './guide.guards.js';
import type {
  ClassifyInput,
  GuideContext,
  GuideEvent,
  GuideInput,
  IdSummary,
  NavigateInput,
  ReadIdInput,
  SpeakInput,
  Ticket,
  TicketInput,
} from './guide.types.js';

/** The placeholders are the contract: the composition root provides real ones with `.provide()`. */
function notProvided(name: string): never {
  throw new Error(`guide machine: actor "${name}" was not provided`);
}

/** Everything the guide machine refers to by name; the state configs are built against it. */
export const guide = setup({
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
  actions: guideActions,
  guards: guideGuards,
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
});

/** A state of the guide machine, typed against its actors, actions, guards and delays. */
export type GuideStateConfig = Parameters<typeof guide.createStateConfig>[0];
