import type { OutgoingMessage, Role } from './protocol.js';

/**
 * What a socket of one role is sent of a message: the message, a trimmed copy, or nothing (null).
 * Each role gets what its page shows and no more (the table is in docs/console-protocol.md,
 * "What each role receives"):
 *
 * - operator, admin: everything, card records included;
 * - viewer: the console page without card records (`idRead`, `idRejected`, `cardCheck`);
 * - officer: the counter page: its own counter's queue and the answers to its own commands;
 * - kiosk: the robot's screen: what the robot says, the card to confirm (`idRead` trimmed to
 *   `cardCheck`), the ticket, and the conversation's state that clears the screen.
 *
 * Every message type and record kind is placed in a switch with no default case, so a new one does
 * not compile until it is placed here. Pure: the same arguments always give the same view, which is
 * what lets a broadcast frame a view once per role and counter.
 */
export function viewFor(role: Role, counterId: string | null, message: OutgoingMessage): OutgoingMessage | null {
  const screen = SCREEN[role];
  switch (message.type) {
    case 'snapshot':
      return { ...message, state: snapshotStateFor(screen, counterId, message.state) };
    case 'telemetry':
    case 'states':
    case 'alert':
    case 'alert.acked':
      return screen === 'console' ? message : null;
    case 'queue':
      if (screen === 'counter') return { ...message, queue: counterQueue(message.queue, counterId) };
      return screen === 'console' ? message : null;
    case 'record': {
      const record = recordFor(role, message.record);
      if (record === null) return null;
      return record === message.record ? message : { ...message, record };
    }
    case 'command.result':
    case 'error':
      // Answers to what this socket itself sent; a command's data comes only for what its role may do (`mayDo`).
      return message;
    default:
      return unplaced(message);
  }
}

/** The page each role's socket feeds. */
type Screen = 'console' | 'counter' | 'kiosk';
const SCREEN: Readonly<Record<Role, Screen>> = { operator: 'console', admin: 'console', viewer: 'console', officer: 'counter', kiosk: 'kiosk' };

type Outgoing<T extends OutgoingMessage['type']> = Extract<OutgoingMessage, { readonly type: T }>;
type SnapshotState = Outgoing<'snapshot'>['state'];
type Queue = Outgoing<'queue'>['queue'];
type OutRecord = Outgoing<'record'>['record'];

function snapshotStateFor(screen: Screen, counterId: string | null, state: SnapshotState): SnapshotState {
  switch (screen) {
    case 'console':
      return state;
    case 'counter':
      return { starting: state.starting, active: [], queue: state.queue === null ? null : counterQueue(state.queue, counterId), alerts: [] };
    case 'kiosk':
      return { starting: state.starting, active: [], queue: null, alerts: [] };
  }
}

/** One counter's row, and the per-field totals of only the fields it serves. */
function counterQueue(queue: Queue, counterId: string | null): Queue {
  const counters = queue.counters.filter((c) => c.id === counterId);
  const served = new Set(counters.flatMap((c) => c.fields));
  return { fields: queue.fields.filter((f) => served.has(f.field)), counters };
}

function recordFor(role: Role, record: OutRecord): OutRecord | null {
  const screen = SCREEN[role];
  // Card records hold the sealed request's id and card fields no page shows: operators and admins only.
  const seesCards = role === 'operator' || role === 'admin';
  switch (record.kind) {
    case 'said':
      // The kiosk shows the spoken text; the values filled into it are already in that text.
      if (screen === 'kiosk') return { ...record, params: {} };
      return screen === 'console' ? record : null;
    case 'state':
    case 'ticket':
      return screen === 'counter' ? null : record;
    case 'idRead':
      if (screen === 'kiosk') {
        return { kind: 'cardCheck', cards: record.cards.map((c) => ({ idNumber: c.idNumber, fullName: c.fullName, dateOfBirth: c.dateOfBirth, address: c.address })) };
      }
      return seesCards ? record : null;
    case 'cardCheck':
      return seesCards || screen === 'kiosk' ? record : null;
    case 'idRejected':
      return seesCards ? record : null;
    case 'heard':
    case 'understood':
    case 'nav':
    case 'alert':
    case 'error':
      return screen === 'console' ? record : null;
    default:
      return unplaced(record);
  }
}

/** Unreachable while every type is placed; a new one fails to compile here. At run time, it fails closed. */
function unplaced(value: never): null {
  void value;
  return null;
}
