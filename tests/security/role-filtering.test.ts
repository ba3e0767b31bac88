import { beforeAll, describe, expect, it } from 'vitest';
import { serverMessageSchema, type OutgoingMessage, type QueueView, type ServerMessage } from '../../src/console/protocol.js';
import type { ConsoleServerOptions } from '../../src/console/server.js';
import { backend as harnessBackend, command, connected, logIn, startHarness, within, type Client } from './harness.js';

/**
 * Issue 17, finding 6: every role was sent everything. Each role's socket is opened on a real server
 * on 127.0.0.1, the same broadcasts go out to all, and what each one received is compared with what
 * its screen shows (the table in docs/console-protocol.md, "What each role receives").
 */

const ARRIVAL_MS = 5000;
const REQUEST_ID = 'robot-1-1700000000000-7';

/** Two counters with different waiting tickets: an officer at one must see nothing of the other. */
const QUEUE: QueueView = {
  fields: [
    { field: 'civil_status', waiting: 2, lastCalled: 'A001', estimatedWaitS: 240 },
    { field: 'land', waiting: 1, lastCalled: 'B001', estimatedWaitS: 600 },
  ],
  counters: [
    { id: 'counter-1', fields: ['civil_status'], lastCalled: 'A001', waiting: ['A002', 'A003'] },
    { id: 'counter-2', fields: ['land'], lastCalled: 'B001', waiting: ['B002'] },
  ],
};
const OPEN_ALERT = { alertId: 'alert-1', kind: 'helpRequested', tS: 12 } as const;

const backend: ConsoleServerOptions['backend'] = {
  ...harnessBackend,
  snapshot: () => ({ starting: false, active: ['interaction', 'interaction.serving'], queue: QUEUE, alerts: [OPEN_ALERT] }),
};

const CARD = {
  layout: 'cccd-2021',
  idNumber: '*********123',
  oldIdNumber: null,
  fullName: 'N*** V** T***',
  dateOfBirth: '**/**/****',
  sex: 'male',
  address: '*** Đường ***, Quận 1',
  issueDate: '2021-07-01',
  registeredAbroad: false,
} as const;

/** One of every kind of message the controller broadcasts. */
const BROADCASTS: readonly OutgoingMessage[] = [
  { type: 'telemetry', tS: 1, atMs: 1, pose: { xM: 1, yM: 2, yawRad: 0 }, linearMps: 0, batteryPercent: 90, path: [], people: [{ id: 'p1', xM: 3, yM: 4 }] },
  { type: 'states', active: ['interaction', 'interaction.serving'] },
  { type: 'record', tS: 2, record: { kind: 'state', interaction: 'serving', safety: 'normal', power: 'ok', link: 'up' } },
  { type: 'record', tS: 3, record: { kind: 'heard', text: 'tôi muốn đăng ký kết hôn', lang: 'vi' } },
  { type: 'record', tS: 4, record: { kind: 'understood', intent: 'procedure', procedure: 'marriage_registration', lang: 'vi', confidence: 0.93 } },
  { type: 'record', tS: 5, record: { kind: 'said', messageId: 'id.confirm', lang: 'vi', text: 'Vui lòng kiểm tra thông tin trên màn hình.', params: {} } },
  { type: 'record', tS: 6, record: { kind: 'idRejected', codes: ['qr_checksum'] } },
  { type: 'record', tS: 7, record: { kind: 'idRead', procedureId: 'marriage_registration', requestId: REQUEST_ID, cards: [CARD] } },
  { type: 'record', tS: 8, record: { kind: 'ticket', number: 'A004', counterId: 'counter-1' } },
  { type: 'record', tS: 9, record: { kind: 'nav', purpose: 'escort', placeId: 'counter-1', result: null } },
  { type: 'record', tS: 10, record: { kind: 'alert', alert: 'helpRequested' } },
  { type: 'record', tS: 11, record: { kind: 'error', where: 'speaker', message: 'hung' } },
  { type: 'queue', queue: QUEUE },
  { type: 'alert', alert: { alertId: 'alert-2', kind: 'batteryLow', tS: 13 } },
  { type: 'alert.acked', alertId: 'alert-1', by: 'op' },
];

const ACCOUNTS = {
  op: { role: 'operator', password: 'operator secret 7f' },
  vic: { role: 'viewer', password: 'viewer secret 7f' },
  robot: { role: 'kiosk', password: 'kiosk secret 7f' },
  hoa: { role: 'officer', password: 'officer secret 7f', counterId: 'counter-1' },
} as const;

type Name = keyof typeof ACCOUNTS;

/** The same broadcasts to one socket of each role; returns what each received, checked against the protocol. */
async function receivedByRole(): Promise<Record<Name, ServerMessage[]>> {
  const h = await startHarness({ backend }, (users) => {
    for (const [name, a] of Object.entries(ACCOUNTS)) users.add(name, a.role, a.password, 'counterId' in a ? { counterId: a.counterId } : {});
  });
  try {
    const clients = {} as Record<Name, Client>;
    for (const name of Object.keys(ACCOUNTS) as Name[]) clients[name] = await connected(h.server, await logIn(h.server, name, ACCOUNTS[name].password));
    for (const message of BROADCASTS) h.server.broadcast(message, message.type === 'telemetry' ? 'telemetry' : 'essential');
    // Frames on one socket arrive in order: once the answer to a later command is in, every broadcast
    // meant for that socket is in too (the answer is a refusal for roles that may not pause).
    await Promise.all(
      Object.values(clients).map((c) => {
        c.ws.send(command('robot.pause', 'sync'));
        return within(ARRIVAL_MS, 'no answer to the command sent after the broadcasts', untilAnswered(c, 'sync'));
      }),
    );
    for (const c of Object.values(clients)) c.ws.close();
    const received = {} as Record<Name, ServerMessage[]>;
    for (const name of Object.keys(clients) as Name[]) received[name] = clients[name].messages.map((m) => serverMessageSchema.parse(m));
    return received;
  } finally {
    await h.close();
  }
}

/** Resolves once the answer to `requestId` has arrived (the harness records messages before this listener runs). */
function untilAnswered(client: Client, requestId: string): Promise<void> {
  const answered = () => client.messages.some((m) => m['type'] === 'command.result' && m['requestId'] === requestId);
  return new Promise((resolve) => {
    if (answered()) return resolve();
    const listener = () => {
      if (!answered()) return;
      client.ws.off('message', listener);
      resolve();
    };
    client.ws.on('message', listener);
  });
}

const kinds = (messages: readonly ServerMessage[]): string[] => messages.map((m) => (m.type === 'record' ? `record.${m.record.kind}` : m.type));
const snapshotOf = (messages: readonly ServerMessage[]) => {
  const first = messages[0];
  if (first?.type !== 'snapshot') throw new Error(`the first message was ${first?.type ?? 'missing'}, not the snapshot`);
  return first;
};

describe('what each role is sent (issue 17, finding 6)', () => {
  let received: Record<Name, ServerMessage[]>;
  beforeAll(async () => {
    received = await receivedByRole();
  });

  it('sends the kiosk only what its screen shows: what the robot says, the card to confirm, the ticket', () => {
    const { robot } = received;
    expect(kinds(robot)).toEqual(['snapshot', 'record.state', 'record.said', 'record.cardCheck', 'record.ticket', 'command.result']);
    expect(snapshotOf(robot).state).toEqual({ starting: false, active: [], queue: null, alerts: [] });
    const card = robot.find((m) => m.type === 'record' && m.record.kind === 'cardCheck');
    expect(card).toMatchObject({ record: { cards: [{ idNumber: CARD.idNumber, fullName: CARD.fullName, dateOfBirth: CARD.dateOfBirth, address: CARD.address }] } });
    const frames = JSON.stringify(robot);
    expect(frames, 'the sealed request id reached the kiosk').not.toContain(REQUEST_ID);
    expect(frames, 'a card field the kiosk does not show').not.toContain(CARD.issueDate);
    expect(frames, 'another counter’s queue').not.toContain('B002');
    expect(frames, 'a transcript of the citizen').not.toContain('kết hôn');
  });

  it('sends a viewer no card record, and otherwise what an operator gets', () => {
    const { vic, op } = received;
    const cardKinds = ['record.idRead', 'record.idRejected', 'record.cardCheck'];
    expect(kinds(vic)).toEqual(kinds(op).filter((k) => !cardKinds.includes(k)));
    expect(JSON.stringify(vic)).not.toContain(REQUEST_ID);
    expect(JSON.stringify(vic)).not.toContain(CARD.idNumber);
  });

  it('sends an officer at counter-1 only counter-1’s queue, and no transcript, card, alert or telemetry', () => {
    const { hoa } = received;
    expect(kinds(hoa)).toEqual(['snapshot', 'queue', 'command.result']);
    const own: QueueView = { fields: [QUEUE.fields[0]!], counters: [QUEUE.counters[0]!] };
    expect(snapshotOf(hoa).state).toEqual({ starting: false, active: [], queue: own, alerts: [] });
    expect(hoa.find((m) => m.type === 'queue')).toMatchObject({ queue: own });
    expect(JSON.stringify(hoa), 'counter-2 or its tickets').not.toMatch(/counter-2|B00\d/);
  });

  it('still sends an operator everything, the full card record included', () => {
    const { op } = received;
    expect(kinds(op)).toEqual(['snapshot', ...BROADCASTS.map((m) => (m.type === 'record' ? `record.${m.record.kind}` : m.type)), 'command.result']);
    expect(snapshotOf(op).state).toEqual({ starting: false, active: ['interaction', 'interaction.serving'], queue: QUEUE, alerts: [OPEN_ALERT] });
    expect(op.find((m) => m.type === 'record' && m.record.kind === 'idRead')).toMatchObject({ record: { requestId: REQUEST_ID, cards: [CARD] } });
  });
});
