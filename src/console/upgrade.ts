import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { addressSlots } from './address-slots.js';
import type { ConsoleCore, ConsoleSocket } from './connection.js';
import { startHeartbeat } from './heartbeat.js';
import type { Audit } from './options.js';
import { MAX_MESSAGE_BYTES } from './protocol.js';
import { requestSession } from './session-cookie.js';
import type { Session, UserStore } from './users.js';

export interface UpgradeDeps {
  readonly users: UserStore;
  readonly audit: Audit;
  readonly connectionsPerAddress: number;
  readonly heartbeatIntervalMs: number;
  readonly core: ConsoleCore;
  /** Origins whose pages may open the socket; read on every upgrade (the server's own are known once it listens). */
  readonly allowedOrigins: () => ReadonlySet<string>;
}

export interface WebSocketShell {
  /** For the HTTP server's `upgrade` event. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Drops every socket and stops the heartbeat. */
  close(): void;
}

const STATUS_TEXT: Readonly<Record<number, string>> = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 429: 'Too Many Requests' };

function toBuffer(data: RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  return Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
}

function consoleSocket(ws: WebSocket, remoteAddress: string): ConsoleSocket {
  return {
    remoteAddress,
    get bufferedAmount() {
      return ws.bufferedAmount;
    },
    send: (text) => ws.send(text),
    close: (code, reason) => ws.close(code, reason),
    terminate: () => ws.terminate(),
    onMessage: (listener) => void ws.on('message', (data, isBinary) => listener(toBuffer(data), isBinary)),
    onClose: (listener) => void ws.once('close', () => listener()),
  };
}

/**
 * The `ws` shell around the protocol core: `/ws` is upgraded only with a live session whose
 * password is not the generated one, an allowed Origin and a free per-address slot, all decided here before the handshake (so a refused
 * client costs no websocket); then the socket is pinged for liveness and handed to the core.
 */
export function websocketShell({ users, audit, connectionsPerAddress, heartbeatIntervalMs, core, allowedOrigins }: UpgradeDeps): WebSocketShell {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const slots = addressSlots(connectionsPerAddress);
  const heartbeat = startHeartbeat(heartbeatIntervalMs);

  function connected(ws: WebSocket, session: Session, address: string): void {
    const beat = heartbeat.watch({
      ping: () => ws.ping(),
      terminate: () => {
        audit(session, 'disconnect', false, 'no answer to the heartbeat ping', address);
        ws.terminate();
      },
    });
    ws.on('pong', beat.pong);
    ws.once('close', beat.forget);
    ws.on('error', () => ws.terminate());
    core.handleConnection(consoleSocket(ws, address), session);
  }

  return {
    upgrade(req, socket, head) {
      const address = req.socket.remoteAddress ?? 'unknown';
      const refuse = (status: number, reason: string, session: Session | null) => {
        audit(session, 'connect', false, reason, address);
        socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Not Found'}\r\nconnection: close\r\ncontent-length: 0\r\n\r\n`);
      };
      if (new URL(req.url ?? '/', 'http://x').pathname !== '/ws') return refuse(404, 'no such endpoint', null);
      const session = requestSession(req, users);
      if (session === null) return refuse(401, 'no valid session', null);
      // Browsers send the page's origin: only allowed pages may open the socket. Never compared with
      // the Host header, which a rebound DNS name makes the attacker's own.
      const origin = req.headers.origin;
      if (origin === undefined || !allowedOrigins().has(origin)) return refuse(403, 'origin not allowed', session);
      if (session.user.mustChangePassword) return refuse(403, 'change the generated password first', session);
      // Already gone: its 'close' has fired, so a slot taken now would never be given back.
      if (socket.destroyed) return;
      const release = slots.take(address);
      if (release === null) return refuse(429, 'too many connections from this address', session);
      // The TCP socket's own close: it comes however the connection ends, a failed handshake included.
      socket.once('close', release);
      wss.handleUpgrade(req, socket, head, (ws) => connected(ws, session, address));
    },
    close() {
      heartbeat.stop();
      for (const ws of wss.clients) ws.terminate();
      wss.close();
    },
  };
}
