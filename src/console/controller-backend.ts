import type { TextListener } from '../adapters/text/text-listener.js';
import { describeState, type Controller } from '../app/controller.js';
import type { RequestStore } from '../civic/requests/sealed-store.js';
import type { Queue } from '../ports/queue.js';
import type { GuideEvent } from '../../statecharts/guide.types.js';
import type { Place } from '../ports/robot-base.js';
import type { ConsoleBackend } from './server.js';

/** Long digit runs (an ID or phone number said aloud) are masked before a transcript leaves the robot. */
export function maskTranscript(text: string): string {
  return text.replace(/\d{6,}/g, (digits) => `${digits.slice(0, 4)}${'*'.repeat(digits.length - 7)}${digits.slice(-3)}`);
}

type BareOperatorEvent = Exclude<Extract<GuideEvent, { type: `operator.${string}` }>, { type: 'operator.say' }>;
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

/** The console's commands as the controller's events; what the statechart does not offer yet is refused plainly. */
export function controllerBackend(
  robotId: string,
  parts: { controller: Controller; listener: TextListener; queue: Queue; places: readonly Place[]; requests?: RequestStore | null },
): ConsoleBackend {
  const { controller, listener, queue, places } = parts;
  let lang: 'vi' | 'en' | 'ko' = 'vi';
  return {
    robotId,
    snapshot: () => ({ state: describeState(controller.snapshot().value), queue: queue.status() }),
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
        case 'robot.say':
          controller.send({ type: 'operator.say', text: message.text, lang: message.lang });
          return { ok: true };
        case 'alert.ack':
          return { ok: true };
        case 'queue.callNext': {
          const counter = places.find((p) => p.id === message.counterId && p.kind === 'counter');
          if (counter === undefined) return { ok: false, reason: 'no such counter' };
          const ticket = queue.callNext(counter.id, counter.fields);
          return ticket === null ? { ok: false, reason: 'no ticket waiting for this counter' } : { ok: true };
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
        case 'request.open': {
          // Only the officer of the counter that called the ticket opens its request; the read is audited.
          const ticket = queue.find(message.ticketNumber);
          if (ticket === null || ticket.counterId === null || ticket.counterId !== user.counterId) return { ok: false, reason: 'this ticket was not called at your counter' };
          const request = parts.requests?.read(ticket.number, user.name) ?? null;
          if (request === null) return { ok: false, reason: 'no pre-filled request for this ticket' };
          return { ok: true, data: { ticketNumber: ticket.number, procedureId: request.procedureId, fields: request.fields } };
        }
        case 'robot.sendTo':
        case 'citizen.confirmId':
          return { ok: false, reason: 'not available in this version' };
      }
    },
  };
}
