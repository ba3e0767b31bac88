import { maskPersonalText, type LearnedTokens } from '../civic/privacy/text-mask.js';
import type { TextListener } from '../adapters/text/text-listener.js';
import type { Controller } from '../app/controller.js';
import type { RequestStore } from '../civic/requests/sealed-store.js';
import type { Queue } from '../ports/queue.js';
import type { Place } from '../ports/robot-base.js';
import type { GuideEvent } from '../../statecharts/guide.types.js';
import type { OperatorAlertKind, QueueView } from './protocol.js';
import type { ConsoleBackend } from './server.js';

/**
 * A transcript as it may leave the robot: dates, long numbers however they are grouped, and (given
 * the conversation's learned tokens) the citizen's name and street masked. The console, the JSON log
 * and the terminal all mask with this one function.
 */
export function maskTranscript(text: string, learned?: LearnedTokens): string {
  return maskPersonalText(text, learned);
}

/** Every active state path of a statechart value: `interaction`, `interaction.serving`, ... */
export function activePaths(value: unknown, prefix = ''): string[] {
  if (typeof value === 'string') return [`${prefix}${value}`];
  if (value === null || typeof value !== 'object') return [];
  const out: string[] = [];
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    out.push(`${prefix}${key}`, ...activePaths(child, `${prefix}${key}.`));
  }
  return out;
}

type BareOperatorEvent = Extract<
  GuideEvent,
  { type: `operator.${'pause' | 'resume' | 'estop' | 'releaseEstop' | 'goHome' | 'dock' | 'cancelEscort' | 'takeOver' | 'handBack'}` }
>;
type BareCommand =
  | 'robot.pause'
  | 'robot.resume'
  | 'robot.estop'
  | 'robot.releaseEstop'
  | 'robot.goHome'
  | 'robot.dock'
  | 'escort.cancel'
  | 'conversation.takeOver'
  | 'conversation.handBack';

/** Commands that are one operator event each, with nothing to carry. */
const OPERATOR_EVENT: Readonly<Record<BareCommand, BareOperatorEvent>> = {
  'robot.pause': { type: 'operator.pause' },
  'robot.resume': { type: 'operator.resume' },
  'robot.estop': { type: 'operator.estop' },
  'robot.releaseEstop': { type: 'operator.releaseEstop' },
  'robot.goHome': { type: 'operator.goHome' },
  'robot.dock': { type: 'operator.dock' },
  'escort.cancel': { type: 'operator.cancelEscort' },
  'conversation.takeOver': { type: 'operator.takeOver' },
  'conversation.handBack': { type: 'operator.handBack' },
};

export interface OpenAlert {
  readonly alertId: string;
  readonly kind: OperatorAlertKind;
  readonly tS: number;
}

export interface LobbyBackend extends ConsoleBackend {
  /** Keeps an alert open until an operator acknowledges it; returns it as broadcast. */
  raiseAlert(kind: OperatorAlertKind, tS: number): OpenAlert;
  queueView(): QueueView;
  activeStates(): string[];
  /** Set by the owner: called when an operator acknowledges an alert. */
  onAlertAcked: ((alertId: string, by: string) => void) | null;
}

export interface LobbyParts {
  readonly controller: Controller;
  readonly listener: TextListener;
  readonly queue: Queue;
  readonly places: readonly Place[];
  readonly requests?: RequestStore | null;
  /** The lobby's static facts for the web pages (map, places, procedures, statechart). */
  readonly lobby?: { readonly info: Readonly<Record<string, unknown>>; readonly mapPng: Buffer } | null;
}

/** The console's commands as the controller's events, with the alerts still open and the queue as the pages show it. */
export function controllerBackend(robotId: string, parts: LobbyParts): LobbyBackend {
  const { controller, listener, queue, places } = parts;
  const counters = places.filter((p) => p.kind === 'counter');
  const alerts = new Map<string, OpenAlert>();
  let alertSeq = 0;
  let lang: 'vi' | 'en' | 'ko' = 'vi';

  const backend: LobbyBackend = {
    robotId,
    onAlertAcked: null,
    lobby: () => parts.lobby ?? null,
    raiseAlert(kind, tS) {
      alertSeq += 1;
      const alert = { alertId: `alert-${alertSeq}`, kind, tS };
      alerts.set(alert.alertId, alert);
      return alert;
    },
    queueView() {
      const waiting = queue.waiting();
      return {
        fields: [...queue.status()],
        counters: counters.map((c) => ({
          id: c.id,
          fields: [...c.fields],
          lastCalled: queue.lastCalledAt(c.id)?.number ?? null,
          waiting: waiting.filter((t) => c.fields.includes(t.field)).map((t) => t.number),
        })),
      };
    },
    activeStates: () => activePaths(controller.snapshot().value),
    snapshot: () => ({ starting: false, active: backend.activeStates(), queue: backend.queueView(), alerts: [...alerts.values()] }),
    command(message, user) {
      switch (message.type) {
        case 'robot.pause':
        case 'robot.resume':
        case 'robot.estop':
        case 'robot.releaseEstop':
        case 'robot.goHome':
        case 'robot.dock':
        case 'escort.cancel':
        case 'conversation.takeOver':
        case 'conversation.handBack':
          controller.send(OPERATOR_EVENT[message.type]);
          return { ok: true };
        case 'robot.sendTo': {
          if (!places.some((p) => p.id === message.placeId)) return { ok: false, reason: 'no such place on this map' };
          controller.send({ type: 'operator.sendTo', placeId: message.placeId });
          return { ok: true };
        }
        case 'robot.say':
          controller.send({ type: 'operator.say', text: message.text, lang: message.lang });
          return { ok: true };
        case 'alert.ack': {
          if (!alerts.delete(message.alertId)) return { ok: false, reason: 'no such open alert' };
          backend.onAlertAcked?.(message.alertId, user.name);
          return { ok: true };
        }
        case 'queue.callNext': {
          const counter = counters.find((p) => p.id === message.counterId);
          if (counter === undefined) return { ok: false, reason: 'no such counter' };
          // Calling the next citizen means the one before at this counter was served: their request goes.
          const served = queue.lastCalledAt(counter.id);
          const ticket = queue.callNext(counter.id, counter.fields);
          if (served !== null) parts.requests?.ticketDone(served.number, user.name);
          return ticket === null ? { ok: false, reason: 'no ticket waiting for this counter' } : { ok: true, data: { ticketNumber: ticket.number, counterId: counter.id } };
        }
        case 'citizen.say':
          try {
            listener.push({ text: message.text, ...(message.lang !== undefined ? { lang: message.lang } : {}) });
            return { ok: true };
          } catch (error) {
            return { ok: false, reason: (error as Error).message };
          }
        case 'citizen.selectLanguage':
          lang = message.lang;
          controller.send({ type: 'kiosk.languageSelected', lang: message.lang });
          return { ok: true };
        case 'citizen.selectProcedure':
          controller.send({ type: 'kiosk.procedureSelected', procedureId: message.procedureId, lang });
          return { ok: true };
        case 'citizen.answer':
          controller.send({ type: 'kiosk.answered', answer: message.answer });
          return { ok: true };
        case 'request.open': {
          // Only the officer of the counter that called the ticket opens its request. Opening is the
          // hand-over: the request is deleted once it is read, and the hand-over is audited.
          const ticket = queue.find(message.ticketNumber);
          if (ticket === null || ticket.counterId === null || ticket.counterId !== user.counterId) return { ok: false, reason: 'this ticket was not called at your counter' };
          const request = parts.requests?.handOver(ticket.number, user.name) ?? null;
          if (request === null) return { ok: false, reason: 'no pre-filled request for this ticket' };
          return { ok: true, data: { ticketNumber: ticket.number, procedureId: request.procedureId, fields: request.fields } };
        }
      }
    },
  };
  return backend;
}
