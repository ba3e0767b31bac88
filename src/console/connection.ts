import { performance } from 'node:perf_hooks';
import { messageFramer } from './frames.js';
import type { Audit, ConsoleBackend, ConsoleLimits, ConsoleMetrics } from './options.js';
import { OutgoingPolicy } from './outgoing.js';
import { mayDo, parseClientMessage, type OutgoingMessage } from './protocol.js';
import type { Session, UserStore } from './users.js';

/**
 * All the protocol needs of a socket. The `ws` shell adapts a real WebSocket to it; a test hands in
 * a fake and drives the protocol without a network.
 */
export interface ConsoleSocket {
  /** The peer's address, as the audit records it. */
  readonly remoteAddress: string;
  /** Bytes accepted by `send` and not yet written to the network: how the slow-client policy sees a client falling behind. */
  readonly bufferedAmount: number;
  send(text: string): void;
  /** The closing handshake, for a client that misbehaved (policy violation, 1008). */
  close(code: number, reason: string): void;
  /** Drops the connection at once, for a client too far behind to be sent a close frame. */
  terminate(): void;
  /** One listener per connection: every message, text or binary, in order. */
  onMessage(listener: (data: Buffer, isBinary: boolean) => void): void;
  /** Called once, when the connection is gone for whatever reason. */
  onClose(listener: () => void): void;
}

/** Telemetry may be skipped for a slow client (the next one supersedes it); essential messages never are. */
export type MessageKind = 'telemetry' | 'essential';

export interface ConsoleCore {
  /** Runs the protocol on an authenticated socket until it closes: the snapshot first, then command and result. */
  handleConnection(socket: ConsoleSocket, session: Session): void;
  /** To every connected client: telemetry may be skipped for a slow one, anything else is not. */
  broadcast(message: OutgoingMessage, kind: MessageKind): void;
  clients(): number;
  /**
   * Looks every open socket's session up again and closes (4001) those whose session ended: logged
   * out, expired, its password changed or its account removed, here or by another process.
   */
  recheckSessions(): void;
}

/** The close code for a socket whose session ended; the pages then ask for a login again. */
export const SESSION_ENDED_CLOSE_CODE = 4001;

export interface CoreDeps {
  readonly backend: ConsoleBackend;
  readonly users: UserStore;
  readonly limits: Pick<ConsoleLimits, 'messagesPerSecond' | 'maxStrikes' | 'outgoing'>;
  readonly audit: Audit;
  readonly now: () => number;
  readonly onInvalidOutgoing?: (type: string, reason: string) => void;
  readonly observeEstopSeconds?: ConsoleMetrics['observeEstopSeconds'];
}

interface Client {
  readonly socket: ConsoleSocket;
  readonly policy: OutgoingPolicy;
  readonly session: Session;
  /** Set once the close for an ended session is sent: nothing more goes to it. */
  ended: boolean;
}

/**
 * The console protocol, apart from any transport. Every command is validated, checked against the
 * user's role and current session, answered with a result, and audited; nothing malformed or
 * unpermitted reaches the backend, and a client that keeps trying is closed.
 */
export function createConsoleCore(deps: CoreDeps): ConsoleCore {
  const { backend, users, limits, audit, now } = deps;
  const frame = messageFramer(backend.robotId, deps.onInvalidOutgoing);
  const clients = new Set<Client>();

  function endSession(client: Client): void {
    if (client.ended) return;
    client.ended = true;
    audit(client.session, 'disconnect', true, 'the session has ended', client.socket.remoteAddress);
    client.socket.close(SESSION_ENDED_CLOSE_CODE, 'the session has ended');
  }

  function sendFrame(client: Client, text: string | null, kind: MessageKind): void {
    if (text === null || client.ended) return;
    // Expiry costs no lookup: checked before every frame, so an expired session is sent nothing.
    if (now() >= client.session.expiresAtMs) return endSession(client);
    const decision = client.policy.decide(kind, client.socket.bufferedAmount, now());
    if (decision === 'send') client.socket.send(text);
    else if (decision === 'disconnect') client.socket.terminate();
  }

  function handleConnection(socket: ConsoleSocket, session: Session): void {
    const address = socket.remoteAddress;
    const client: Client = { socket, policy: new OutgoingPolicy(limits.outgoing), session, ended: false };
    const send = (message: OutgoingMessage) => sendFrame(client, frame(message), 'essential');
    clients.add(client);
    // Before anything is sent: a client already too far behind is terminated by the first send.
    socket.onClose(() => clients.delete(client));
    audit(session, 'connect', true, null, address);
    let windowStartMs = now();
    let inWindow = 0;
    let strikes = 0;
    const strike = (reason: string) => {
      strikes += 1;
      if (strikes >= limits.maxStrikes) {
        audit(session, 'disconnect', false, `closed after ${strikes} refused messages (${reason})`, address);
        socket.close(1008, 'too many refused messages');
      }
    };
    let state: ReturnType<ConsoleBackend['snapshot']> | null;
    try {
      state = backend.snapshot();
    } catch {
      // A failing backend must not take the console down: the client learns the state later.
      state = null;
    }
    const { name, role, counterId, mustChangePassword } = session.user;
    send({ type: 'snapshot', user: { name, role, counterId, mustChangePassword }, state: state ?? { starting: true, active: [], queue: null, alerts: [] } });

    socket.onMessage((data, isBinary) => {
      const receivedAt = performance.now();
      const t = now();
      if (t - windowStartMs >= 1000) {
        windowStartMs = t;
        inWindow = 0;
      }
      inWindow += 1;
      if (inWindow > limits.messagesPerSecond) {
        send({ type: 'error', code: 'rate_limited', reason: `at most ${limits.messagesPerSecond} messages a second` });
        return strike('rate');
      }
      if (isBinary) {
        send({ type: 'error', code: 'invalid', reason: 'messages are JSON text' });
        return strike('binary');
      }
      const parsed = parseClientMessage(data);
      if (!parsed.ok) {
        send({ type: 'error', code: parsed.code, reason: parsed.reason });
        return strike(parsed.code);
      }
      const message = parsed.message;
      // The session is looked up again for every command: a logout, expiry or removed account takes effect at once.
      const current = users.session(session.token);
      const reply = (ok: boolean, reason: string | null, data?: unknown) => {
        audit(session, message.type, ok, reason, address);
        send({ type: 'command.result', requestId: message.requestId, ok, ...(reason !== null ? { reason } : {}), ...(data !== undefined ? { data } : {}) });
      };
      if (current === null) {
        reply(false, 'the session has ended; log in again');
        return endSession(client);
      }
      if (current.user.mustChangePassword) return reply(false, 'change the generated password first');
      if (message.robotId !== backend.robotId) return reply(false, 'no such robot here');
      if (!mayDo(current.user.role, message, current.user.counterId)) {
        reply(false, `not allowed for the ${current.user.role} role`);
        return strike('role');
      }
      let result: ReturnType<ConsoleBackend['command']>;
      try {
        result = backend.command(message, current.user);
      } catch (error) {
        result = { ok: false, reason: `the controller could not take it (${(error as Error).message})` };
      }
      if (message.type === 'robot.estop' && result.ok) deps.observeEstopSeconds?.((performance.now() - receivedAt) / 1000);
      if (result.ok) reply(true, null, result.data);
      else reply(false, result.reason);
    });
  }

  return {
    handleConnection,
    broadcast(message, kind) {
      if (clients.size === 0) return;
      const text = frame(message);
      for (const client of clients) sendFrame(client, text, kind);
    },
    clients: () => clients.size,
    recheckSessions() {
      for (const client of clients) {
        if (!client.ended && users.session(client.session.token) === null) endSession(client);
      }
    },
  };
}
