import { describe, expect, it } from 'vitest';
import { consoleRecordSchema, ROLES, serverMessageSchema, type OutgoingMessage, type QueueView, type Role } from '../../src/console/protocol.js';
import { viewFor } from '../../src/console/role-view.js';

const CARD = {
  layout: 'cccd-2021',
  idNumber: '*********123',
  oldIdNumber: '******456',
  fullName: 'N*** V** T***',
  dateOfBirth: '**/**/****',
  sex: 'female',
  address: '*** Đường ***, Quận 1',
  issueDate: '2021-07-01',
  registeredAbroad: false,
} as const;

/** counter-1 and counter-3 share civil_status; counter-2 serves land alone. */
const QUEUE: QueueView = {
  fields: [
    { field: 'civil_status', waiting: 2, lastCalled: 'A001', estimatedWaitS: 240 },
    { field: 'land', waiting: 1, lastCalled: 'B001', estimatedWaitS: 600 },
    { field: 'residence', waiting: 0, lastCalled: null, estimatedWaitS: 0 },
  ],
  counters: [
    { id: 'counter-1', fields: ['civil_status', 'residence'], lastCalled: 'A001', waiting: ['A002', 'A003'] },
    { id: 'counter-2', fields: ['land'], lastCalled: 'B001', waiting: ['B002'] },
    { id: 'counter-3', fields: ['civil_status'], lastCalled: null, waiting: ['A002', 'A003'] },
  ],
};
const COUNTER_1_QUEUE: QueueView = { fields: [QUEUE.fields[0]!, QUEUE.fields[2]!], counters: [QUEUE.counters[0]!] };

const SAID = { kind: 'said', messageId: 'ticket.issued', lang: 'en', text: 'Your ticket is A004, counter 1.', params: { number: 'A004', counter: 'counter-1' } } as const;
const ID_READ = { kind: 'idRead', procedureId: 'marriage_registration', requestId: 'robot-1-1700000000000-7', cards: [CARD, CARD] } as const;
const CARD_CHECK = { kind: 'cardCheck', cards: [{ idNumber: CARD.idNumber, fullName: CARD.fullName, dateOfBirth: CARD.dateOfBirth, address: CARD.address }] } as const;

/** One example of every record kind. */
const RECORDS = {
  state: { kind: 'state', interaction: 'idle', safety: 'normal', power: 'ok', link: 'up' },
  heard: { kind: 'heard', text: 'đăng ký kết hôn', lang: 'vi' },
  understood: { kind: 'understood', intent: 'procedure', procedure: 'marriage_registration', lang: 'vi', confidence: 0.9 },
  said: SAID,
  nav: { kind: 'nav', purpose: 'escort', placeId: 'counter-1', result: { kind: 'arrived' } },
  ticket: { kind: 'ticket', number: 'A004', counterId: 'counter-1' },
  idRead: ID_READ,
  cardCheck: CARD_CHECK,
  idRejected: { kind: 'idRejected', codes: ['qr_checksum'] },
  alert: { kind: 'alert', alert: 'personLost' },
  error: { kind: 'error', where: 'speaker', message: 'hung' },
} as const satisfies Record<string, Extract<OutgoingMessage, { type: 'record' }>['record']>;
type RecordKind = keyof typeof RECORDS;

/** One example of every message type but records (by kind, above) and the snapshot (its own tests below). */
const MESSAGES = {
  telemetry: { type: 'telemetry', tS: 1, atMs: 1, pose: { xM: 0, yM: 0, yawRad: 0 }, linearMps: 0, batteryPercent: 80, path: [], people: [] },
  states: { type: 'states', active: ['interaction', 'interaction.idle'] },
  queue: { type: 'queue', queue: QUEUE },
  alert: { type: 'alert', alert: { alertId: 'alert-1', kind: 'batteryLow', tS: 3 } },
  'alert.acked': { type: 'alert.acked', alertId: 'alert-1', by: 'op' },
  'command.result': { type: 'command.result', requestId: 'r1', ok: true, data: { ticketNumber: 'A002', counterId: 'counter-1' } },
  error: { type: 'error', code: 'invalid', reason: '"type" is not valid (invalid_union)' },
} as const satisfies Record<string, OutgoingMessage>;

const ROLE_COUNTER: Readonly<Record<Role, string | null>> = { operator: null, admin: null, viewer: null, officer: 'counter-1', kiosk: null };
const view = (role: Role, message: OutgoingMessage) => viewFor(role, ROLE_COUNTER[role], message);

/** What each role gets of each message type: 'all' (the same message), 'trimmed' (a smaller copy) or 'none'. */
const MESSAGE_TABLE: Readonly<Record<keyof typeof MESSAGES, Readonly<Record<Role, 'all' | 'trimmed' | 'none'>>>> = {
  telemetry: { operator: 'all', admin: 'all', viewer: 'all', officer: 'none', kiosk: 'none' },
  states: { operator: 'all', admin: 'all', viewer: 'all', officer: 'none', kiosk: 'none' },
  queue: { operator: 'all', admin: 'all', viewer: 'all', officer: 'trimmed', kiosk: 'none' },
  alert: { operator: 'all', admin: 'all', viewer: 'all', officer: 'none', kiosk: 'none' },
  'alert.acked': { operator: 'all', admin: 'all', viewer: 'all', officer: 'none', kiosk: 'none' },
  'command.result': { operator: 'all', admin: 'all', viewer: 'all', officer: 'all', kiosk: 'all' },
  error: { operator: 'all', admin: 'all', viewer: 'all', officer: 'all', kiosk: 'all' },
};

const RECORD_TABLE: Readonly<Record<RecordKind, Readonly<Record<Role, 'all' | 'trimmed' | 'none'>>>> = {
  state: { operator: 'all', admin: 'all', viewer: 'all', officer: 'none', kiosk: 'all' },
  heard: { operator: 'all', admin: 'all', viewer: 'all', officer: 'none', kiosk: 'none' },
  understood: { operator: 'all', admin: 'all', viewer: 'all', officer: 'none', kiosk: 'none' },
  said: { operator: 'all', admin: 'all', viewer: 'all', officer: 'none', kiosk: 'trimmed' },
  nav: { operator: 'all', admin: 'all', viewer: 'all', officer: 'none', kiosk: 'none' },
  ticket: { operator: 'all', admin: 'all', viewer: 'all', officer: 'none', kiosk: 'all' },
  idRead: { operator: 'all', admin: 'all', viewer: 'none', officer: 'none', kiosk: 'trimmed' },
  cardCheck: { operator: 'all', admin: 'all', viewer: 'none', officer: 'none', kiosk: 'all' },
  idRejected: { operator: 'all', admin: 'all', viewer: 'none', officer: 'none', kiosk: 'none' },
  alert: { operator: 'all', admin: 'all', viewer: 'all', officer: 'none', kiosk: 'none' },
  error: { operator: 'all', admin: 'all', viewer: 'all', officer: 'none', kiosk: 'none' },
};

function outcome(message: OutgoingMessage, got: OutgoingMessage | null): 'all' | 'trimmed' | 'none' {
  if (got === null) return 'none';
  return JSON.stringify(got) === JSON.stringify(message) ? 'all' : 'trimmed';
}

/** Frozen all the way down: a filter that changed the message it was given would throw. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object') {
    for (const child of Object.values(value)) deepFreeze(child);
    Object.freeze(value);
  }
  return value;
}

/** Stamped as the framer stamps it, so the schema the pages check with can judge it. */
const stamped = (message: OutgoingMessage) => serverMessageSchema.parse({ v: 1, robotId: 'robot-1', ...message });

describe('viewFor: what a role is sent of one message', () => {
  it('has an expectation here for every message type and record kind the protocol defines', () => {
    const types = serverMessageSchema.options.map((o) => o.shape.type.value).filter((t) => t !== 'snapshot' && t !== 'record');
    expect(Object.keys(MESSAGE_TABLE).sort()).toEqual([...types].sort());
    expect(Object.keys(RECORD_TABLE).sort()).toEqual(consoleRecordSchema.options.map((o) => o.shape.kind.value).sort());
  });

  it.each(Object.keys(MESSAGE_TABLE) as (keyof typeof MESSAGES)[])('places %s for every role as the table says', (type) => {
    const message = deepFreeze(MESSAGES[type]);
    for (const role of ROLES) {
      const got = view(role, message);
      expect(outcome(message, got), role).toBe(MESSAGE_TABLE[type][role]);
      if (got !== null) stamped(got);
    }
  });

  it.each(Object.keys(RECORD_TABLE) as RecordKind[])('places a %s record for every role as the table says', (kind) => {
    const message: OutgoingMessage = deepFreeze({ type: 'record', tS: 5, record: RECORDS[kind] });
    for (const role of ROLES) {
      const got = view(role, message);
      expect(outcome(message, got), role).toBe(RECORD_TABLE[kind][role]);
      if (got !== null) stamped(got);
    }
  });

  it('gives the kiosk the read card as the four masked lines it shows, without the request id or any other field', () => {
    expect(view('kiosk', { type: 'record', tS: 5, record: ID_READ })).toEqual({
      type: 'record',
      tS: 5,
      record: { kind: 'cardCheck', cards: [CARD_CHECK.cards[0], CARD_CHECK.cards[0]] },
    });
  });

  it('gives the kiosk what the robot said without the values filled into it', () => {
    expect(view('kiosk', { type: 'record', tS: 5, record: SAID })).toEqual({ type: 'record', tS: 5, record: { ...SAID, params: {} } });
  });

  it('gives an officer its own counter and the fields it serves, shared fields included, and nothing of other counters', () => {
    expect(viewFor('officer', 'counter-1', { type: 'queue', queue: QUEUE })).toEqual({ type: 'queue', queue: COUNTER_1_QUEUE });
    expect(viewFor('officer', 'counter-2', { type: 'queue', queue: QUEUE })).toEqual({
      type: 'queue',
      queue: { fields: [QUEUE.fields[1]], counters: [QUEUE.counters[1]] },
    });
  });

  it('gives an officer whose counter is not on the map, or who has none, an empty queue', () => {
    const empty = { type: 'queue', queue: { fields: [], counters: [] } };
    expect(viewFor('officer', 'counter-9', { type: 'queue', queue: QUEUE })).toEqual(empty);
    expect(viewFor('officer', null, { type: 'queue', queue: QUEUE })).toEqual(empty);
  });
});

describe('viewFor: the snapshot sent on connect', () => {
  const user = { name: 'someone', role: 'operator', counterId: null, mustChangePassword: false } as const;
  const state = { starting: false, active: ['interaction', 'interaction.serving'], queue: QUEUE, alerts: [{ alertId: 'alert-1', kind: 'personLost', tS: 2 }] } as const;
  const snapshot: OutgoingMessage = deepFreeze({ type: 'snapshot', user, state });

  it('is whole for the console roles', () => {
    for (const role of ['operator', 'admin', 'viewer'] as const) expect(view(role, snapshot)).toEqual(snapshot);
  });

  it('carries only the officer\'s own counter, and no states or alerts', () => {
    expect(view('officer', snapshot)).toEqual({ type: 'snapshot', user, state: { starting: false, active: [], queue: COUNTER_1_QUEUE, alerts: [] } });
  });

  it('carries nothing but whether the controller is starting to the kiosk', () => {
    expect(view('kiosk', snapshot)).toEqual({ type: 'snapshot', user, state: { starting: false, active: [], queue: null, alerts: [] } });
  });

  it('keeps a queue not yet known unknown for an officer', () => {
    const starting: OutgoingMessage = { type: 'snapshot', user, state: { starting: true, active: [], queue: null, alerts: [] } };
    expect(view('officer', starting)).toEqual(starting);
  });
});
