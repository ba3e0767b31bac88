import type { Classification } from '../src/ports/intent-model.js';
import type { Lang } from '../src/ports/common.js';
import type { Field, NavResult } from '../src/ports/robot-base.js';

/** What the robot can say; the message catalogue (src/messages) gives the words in each language. */
export type MessageId =
  | 'greeting'
  | 'prompt.askProcedure'
  | 'prompt.offerEscort'
  | 'prompt.idConsent'
  | 'prompt.anythingElse'
  | 'clarify.askProcedure'
  | 'clarify.notUnderstood'
  | 'clarify.outOfScope'
  | 'answer.overview'
  | 'answer.documents'
  | 'answer.fee'
  | 'answer.duration'
  | 'answer.location'
  | 'id.reading'
  | 'id.confirm'
  | 'id.readFailed'
  | 'ticket.issued'
  | 'ticket.failed'
  | 'escort.start'
  | 'escort.waiting'
  | 'escort.callOut'
  | 'escort.gaveUp'
  | 'escort.failed'
  | 'escort.halted'
  | 'escort.arrived'
  | 'handoff.staff'
  | 'goodbye'
  | 'power.critical'
  | 'link.down'
  | 'operator.text';

/** What an answer is about, from the citizen's question. */
export type Aspect = 'overview' | 'documents' | 'fee' | 'duration' | 'location';

/** The question the robot last asked, so a bare "yes" or "no" can be understood. */
export type PendingQuestion = 'procedure' | 'offerEscort' | 'idConsent' | 'idConfirm' | 'anythingElse';

/** The alerts the statechart raises itself; the controller's watchdogs add their own (src/app/watchdog-alerts.ts). */
export const GUIDE_ALERT_KINDS = ['personLost', 'navFailed', 'batteryLow', 'batteryCritical', 'linkDown', 'helpRequested'] as const;
export type AlertKind = (typeof GUIDE_ALERT_KINDS)[number];

export interface SpeakParams {
  readonly procedureId?: string;
  readonly counterId?: string;
  readonly ticketNumber?: string;
  /** Only for `operator.text`: the operator's own words. */
  readonly text?: string;
}

export interface SpeakInput {
  readonly messageId: MessageId;
  readonly lang: Lang;
  readonly params: SpeakParams;
}

export interface ClassifyInput {
  readonly text: string;
  readonly langHint: Lang | null;
}

/** `relocate`: an operator sent the robot to a place. */
export const NAV_PURPOSES = ['escort', 'return', 'relocate', 'dock'] as const;
export type NavPurpose = (typeof NAV_PURPOSES)[number];

export interface NavigateInput {
  readonly placeId: string;
  readonly purpose: NavPurpose;
  /** Escorting walks at the citizen's pace; null keeps the base's own limit. */
  readonly speedLimitMps: number | null;
  /** The robot sits on its dock and must undock before driving. */
  readonly undockFirst: boolean;
}

export interface TicketInput {
  readonly procedureId: string;
  readonly field: Field;
  readonly counterId: string;
  /** The pre-filled request made from the citizen's card, to be found at the counter by the ticket. */
  readonly requestId: string | null;
}

export interface Ticket {
  readonly number: string;
  readonly counterId: string;
}

export interface ReadIdInput {
  readonly procedureId: string;
  /** How many cards to read (2 for marriage registration). */
  readonly cards: number;
}

/** What the conversation keeps of an ID scan: never the data itself, only that it is ready at the counter. */
export interface IdSummary {
  readonly requestId: string;
  readonly cardsRead: number;
}

export interface CounterInfo {
  readonly id: string;
  readonly fields: readonly Field[];
}

export interface ProcedureInfo {
  readonly field: Field;
  /** ID cards the request form takes; 0 when the form needs no personal data. */
  readonly idCards: number;
}

/** Thresholds and timings, all fixed at start from the validated config. */
export interface GuideSettings {
  readonly defaultLang: Lang;
  readonly minConfidence: number;
  readonly maxReprompts: number;
  readonly maxClarifications: number;
  readonly maxCallOuts: number;
  readonly maxEscortAttempts: number;
  readonly greetRadiusM: number;
  /** Beyond this distance from the robot the citizen is falling behind. */
  readonly followMaxDistanceM: number;
  /** Within this distance the citizen has caught up again. */
  readonly followRejoinDistanceM: number;
  readonly escortSpeedMps: number;
  readonly batteryLowPercent: number;
  readonly batteryCriticalPercent: number;
  readonly batteryChargedPercent: number;
  /** Whether a card reader is wired in; without one the consent step is skipped. */
  readonly idReaderAvailable: boolean;
  readonly timeoutsMs: {
    readonly speak: number;
    readonly listen: number;
    readonly classify: number;
    readonly readId: number;
    readonly ticket: number;
    readonly escort: number;
    readonly escortWait: number;
    readonly callOut: number;
    readonly arrivedLinger: number;
    readonly halted: number;
    readonly handoff: number;
    readonly returnHome: number;
  };
}

export interface GuideInput {
  readonly settings: GuideSettings;
  readonly counters: readonly CounterInfo[];
  readonly procedures: Readonly<Record<string, ProcedureInfo>>;
  readonly homeId: string;
  readonly dockId: string;
}

/**
 * What the last people report said of the citizen being led: seen now, only remembered at their last
 * known place (hidden by a wall, a pillar or a crowd), or gone from the tracker.
 */
export type Sighting = 'seen' | 'remembered' | 'gone';

export interface GuideContext extends GuideInput {
  readonly lang: Lang;
  readonly citizenId: string | null;
  readonly procedureId: string | null;
  readonly aspect: Aspect;
  readonly pending: PendingQuestion;
  readonly utterance: string | null;
  readonly utteranceLang: Lang | null;
  readonly classification: Classification | null;
  readonly reprompts: number;
  readonly clarifications: number;
  readonly callOuts: number;
  readonly escortAttempts: number;
  /** The citizen as the last people report had them while escorting; null before any report. */
  readonly citizenSighting: Sighting | null;
  readonly counterId: string | null;
  readonly ticket: Ticket | null;
  readonly idSummary: IdSummary | null;
  readonly docked: boolean;
  readonly lastNav: NavResult | null;
  /** Where an operator sent the robot; null: its home post. */
  readonly destinationId: string | null;
}

export interface SeenPerson {
  readonly id: string;
  /** Distance from the robot; for someone only remembered, from where they were last seen. */
  readonly distanceM: number;
  /**
   * Seen now, or only remembered at their last known place (hidden by a wall, a pillar or other
   * people, or out of the sensor's view): ROS4HRI's location_confidence at 1 or below it.
   */
  readonly seenNow: boolean;
}

/** Every event the guide machine takes: facts in the past tense, commands in the imperative. */
export type GuideEvent =
  | { readonly type: 'people.updated'; readonly people: readonly SeenPerson[] }
  | { readonly type: 'speech.heard'; readonly text: string; readonly lang: Lang | null; readonly confidence: number }
  | { readonly type: 'kiosk.procedureSelected'; readonly procedureId: string; readonly lang: Lang }
  | { readonly type: 'kiosk.languageSelected'; readonly lang: Lang }
  /** The citizen pressed Yes or No on the screen instead of saying it. */
  | { readonly type: 'kiosk.answered'; readonly answer: 'yes' | 'no' }
  | { readonly type: 'battery.updated'; readonly percent: number; readonly charging: boolean }
  | { readonly type: 'link.lost' }
  | { readonly type: 'link.restored' }
  | { readonly type: 'operator.pause' }
  | { readonly type: 'operator.resume' }
  | { readonly type: 'operator.estop' }
  | { readonly type: 'operator.releaseEstop' }
  | { readonly type: 'operator.goHome' }
  /** To a place of the map, checked by the caller: the robot waits there for people as at home. */
  | { readonly type: 'operator.sendTo'; readonly placeId: string }
  | { readonly type: 'operator.dock' }
  | { readonly type: 'operator.cancelEscort' }
  | { readonly type: 'operator.takeOver' }
  | { readonly type: 'operator.handBack' }
  | { readonly type: 'operator.say'; readonly text: string; readonly lang: Lang };

export type GuideEventType = GuideEvent['type'];
