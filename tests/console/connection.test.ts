import { describe, expect, it } from 'vitest';
import { createConsoleCore, type ConsoleCore, type ConsoleSocket } from '../../src/console/connection.js';
import type { Audit, ConsoleBackend } from '../../src/console/options.js';
import { DEFAULT_OUTGOING } from '../../src/console/outgoing.js';
import type { ClientMessage } from '../../src/console/protocol.js';
import type { Session, User, UserStore } from '../../src/console/users.js';

/** A socket with no network behind it: what the core sends is parsed into `sent`; `receive` plays the client. */
function fakeSocket(remoteAddress = '192.0.2.7') {
  const sent: Record<string, unknown>[] = [];
  const closes: { code: number; reason: string }[] = [];
  let message: ((data: Buffer, isBinary: boolean) => void) | null = null;
  let closed: (() => void) | null = null;
  const fake = {
    sent,
    closes,
    terminated: false,
    socket: {
      remoteAddress,
      bufferedAmount: 0,
      send: (text: string) => void sent.push(JSON.parse(text) as Record<string, unknown>),
      close: (code: number, reason: string) => {
        closes.push({ code, reason });
        closed?.();
      },
      terminate: () => {
        fake.terminated = true;
        closed?.();
      },
      onMessage: (listener: (data: Buffer, isBinary: boolean) => void) => void (message = listener),
      onClose: (listener: () => void) => void (closed = listener),
    } satisfies ConsoleSocket,
    receive(frame: string | Buffer, isBinary = false) {
      if (message === null) throw new Error('the core never listened for messages');
      message(typeof frame === 'string' ? Buffer.from(frame) : frame, isBinary);
    },
  };
  return fake;
}

const operator: User = { name: 'op', role: 'operator', counterId: null, mustChangePassword: false };
const viewer: User = { name: 'view', role: 'viewer', counterId: null, mustChangePassword: false };
const sessionOf = (user: User): Session => ({ token: `token-${user.name}`, user, expiresAtMs: Number.MAX_SAFE_INTEGER });

/** Only `session` is reached by the core; the rest would mean it did more than its job. */
function fakeUsers(live: Session[]): UserStore & { end(token: string): void } {
  const sessions = new Map(live.map((s) => [s.token, s]));
  const unused = () => {
    throw new Error('not part of the connection protocol');
  };
  return {
    session: (token) => sessions.get(token) ?? null,
    end: (token) => void sessions.delete(token),
    add: unused,
    remove: unused,
    list: unused,
    verify: unused,
    openSession: unused,
    logIn: unused,
    logOut: unused,
    sweepExpired: unused,
    changePassword: unused,
    ensureAdmin: unused,
    close: unused,
  };
}

function core(users: UserStore, overrides: { maxStrikes?: number } = {}) {
  const commands: ClientMessage[] = [];
  const audits: { user: string | null; action: string; ok: boolean; reason: string | null; address: string }[] = [];
  const audit: Audit = (session, action, ok, reason, address) => void audits.push({ user: session?.user.name ?? null, action, ok, reason, address });
  const backend: ConsoleBackend = {
    robotId: 'robot-1',
    command: (m) => {
      commands.push(m);
      return m.type === 'robot.goHome' ? { ok: false, reason: 'docked' } : { ok: true, data: { took: m.type } };
    },
    snapshot: () => ({ starting: false, active: ['interaction', 'interaction.idle'], queue: null, alerts: [] }),
    lobby: () => null,
  };
  const protocol: ConsoleCore = createConsoleCore({
    backend,
    users,
    limits: { messagesPerSecond: 20, maxStrikes: overrides.maxStrikes ?? 3, outgoing: DEFAULT_OUTGOING },
    audit,
    now: () => 1_000,
  });
  return { protocol, commands, audits };
}

const cmd = (type: string, requestId: string, extra: object = {}) => JSON.stringify({ v: 1, robotId: 'robot-1', requestId, type, ...extra });

describe('handleConnection, driven without a network', () => {
  it('sends the snapshot, then answers a command with its result and audits both', () => {
    const session = sessionOf(operator);
    const { protocol, commands, audits } = core(fakeUsers([session]));
    const client = fakeSocket();
    protocol.handleConnection(client.socket, session);
    expect(client.sent).toEqual([
      expect.objectContaining({ v: 1, robotId: 'robot-1', type: 'snapshot', user: { name: 'op', role: 'operator', counterId: null, mustChangePassword: false } }),
    ]);

    client.receive(cmd('robot.estop', 'r1'));
    client.receive(cmd('robot.goHome', 'r2'));
    expect(commands.map((m) => m.type)).toEqual(['robot.estop', 'robot.goHome']);
    expect(client.sent.slice(1)).toEqual([
      expect.objectContaining({ type: 'command.result', requestId: 'r1', ok: true, data: { took: 'robot.estop' } }),
      expect.objectContaining({ type: 'command.result', requestId: 'r2', ok: false, reason: 'docked' }),
    ]);
    expect(audits).toEqual([
      { user: 'op', action: 'connect', ok: true, reason: null, address: '192.0.2.7' },
      { user: 'op', action: 'robot.estop', ok: true, reason: null, address: '192.0.2.7' },
      { user: 'op', action: 'robot.goHome', ok: false, reason: 'docked', address: '192.0.2.7' },
    ]);
    expect(protocol.clients()).toBe(1);
  });

  it('refuses what is malformed, binary or not the role\'s, and closes the client at the strike limit', () => {
    const session = sessionOf(viewer);
    const { protocol, commands, audits } = core(fakeUsers([session]), { maxStrikes: 3 });
    const client = fakeSocket();
    protocol.handleConnection(client.socket, session);
    client.receive('{"not":"a command"');
    client.receive(Buffer.from([1, 2, 3]), true);
    expect(client.closes).toEqual([]);
    client.receive(cmd('robot.resume', 'r3'));
    expect(commands).toEqual([]);
    expect(client.sent.slice(1).map((m) => [m['type'], m['code'] ?? m['reason']])).toEqual([
      ['error', 'not_json'],
      ['error', 'invalid'],
      ['command.result', 'not allowed for the viewer role'],
    ]);
    expect(client.closes).toEqual([{ code: 1008, reason: 'too many refused messages' }]);
    expect(audits.at(-1)).toMatchObject({ action: 'disconnect', ok: false, reason: 'closed after 3 refused messages (role)' });
    expect(protocol.clients()).toBe(0);
  });

  it('refuses a command once the session has ended, and closes the socket as ended (4001), not as abusive', () => {
    const session = sessionOf(operator);
    const users = fakeUsers([session]);
    const { protocol, commands } = core(users, { maxStrikes: 1 });
    const client = fakeSocket();
    protocol.handleConnection(client.socket, session);
    users.end(session.token);
    client.receive(cmd('robot.estop', 'r4'));
    expect(commands).toEqual([]);
    expect(client.sent.at(-1)).toMatchObject({ type: 'command.result', requestId: 'r4', ok: false, reason: 'the session has ended; log in again' });
    expect(client.closes).toEqual([{ code: 4001, reason: 'the session has ended' }]);
  });

  it('closes the sockets of sessions ended elsewhere at the next check, and sends them nothing more', () => {
    const ended = sessionOf(operator);
    const live = sessionOf(viewer);
    const users = fakeUsers([ended, live]);
    const { protocol } = core(users);
    const a = fakeSocket();
    const b = fakeSocket();
    protocol.handleConnection(a.socket, ended);
    protocol.handleConnection(b.socket, live);
    users.end(ended.token);
    protocol.recheckSessions();
    expect(a.closes).toEqual([{ code: 4001, reason: 'the session has ended' }]);
    expect(b.closes).toEqual([]);
    const sent = a.sent.length;
    protocol.broadcast({ type: 'states', active: ['interaction'] }, 'essential');
    expect(a.sent.length).toBe(sent);
    expect(b.sent.at(-1)).toMatchObject({ type: 'states' });
  });

  it('broadcasts to every open client, skips telemetry for one far behind, and forgets a closed one', () => {
    const session = sessionOf(operator);
    const { protocol } = core(fakeUsers([session]));
    const quick = fakeSocket();
    const slow = fakeSocket();
    protocol.handleConnection(quick.socket, session);
    protocol.handleConnection(slow.socket, session);
    slow.socket.bufferedAmount = DEFAULT_OUTGOING.skipTelemetryAboveBytes + 1;
    protocol.broadcast({ type: 'states', active: ['interaction', 'interaction.idle'] }, 'telemetry');
    expect(quick.sent.at(-1)).toMatchObject({ type: 'states' });
    expect(slow.sent.map((m) => m['type'])).toEqual(['snapshot']);
    slow.socket.terminate();
    expect(protocol.clients()).toBe(1);
  });
});
