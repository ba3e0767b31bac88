import { TiepdanError } from '../ports/errors.js';
import { DEFAULT_LOGIN_LIMITS, type LoginLimits } from './login-throttle.js';
import { checkOrigins } from './origins.js';
import { DEFAULT_OUTGOING, type OutgoingLimits } from './outgoing.js';
import type { ClientMessage, ServerMessage } from './protocol.js';
import type { Session, User, UserStore } from './users.js';

/** What the console drives: the controller behind it, reached only with validated, permitted commands. */
export interface ConsoleBackend {
  readonly robotId: string;
  /** `data` goes back to the client that asked, and to no one else (an officer's pre-filled request). */
  command(message: ClientMessage, user: User): { readonly ok: true; readonly data?: unknown } | { readonly ok: false; readonly reason: string };
  /** Sent to every client on connect. */
  snapshot(): Extract<ServerMessage, { type: 'snapshot' }>['state'];
  /** What the web pages draw: the map (a PNG) and the facts about the lobby; null while starting. */
  lobby(): { readonly info: Readonly<Record<string, unknown>>; readonly mapPng: Buffer } | null;
}

export interface AuditRecord {
  readonly atMs: number;
  readonly user: string | null;
  readonly role: string | null;
  readonly action: string;
  readonly ok: boolean;
  readonly reason: string | null;
  readonly address: string;
}

export interface ConsoleLimits {
  readonly messagesPerSecond: number;
  readonly connectionsPerAddress: number;
  /** Refused or malformed messages before the connection is closed as abusive. */
  readonly maxStrikes: number;
  readonly outgoing: OutgoingLimits;
}

export const DEFAULT_LIMITS: ConsoleLimits = { messagesPerSecond: 20, connectionsPerAddress: 8, maxStrikes: 10, outgoing: DEFAULT_OUTGOING };

/**
 * A peer that vanished without a FIN (laptop lid shut, Wi-Fi dropped) keeps its per-address slot
 * until the heartbeat notices: it is terminated between one and two intervals after its last pong.
 */
export const DEFAULT_HEARTBEAT_INTERVAL_MS = 30_000;

/**
 * How often every open socket's session is looked up again, so one ended elsewhere (logout in
 * another tab, `tiepdan user remove` in another process, a password change) closes its sockets
 * within about this long. One indexed SELECT per socket.
 */
export const DEFAULT_SESSION_CHECK_INTERVAL_MS = 1000;

/** Prometheus metrics at `GET /metrics`: no session, but only for addresses `allowFrom` accepts. */
export interface ConsoleMetrics {
  /** A prom-client registry, or anything that renders the text exposition format. */
  readonly registry: { metrics(): Promise<string>; readonly contentType: string };
  /** Who may scrape, by the connection's remote address; default: loopback only (`isLoopbackAddress`). */
  readonly allowFrom?: (address: string) => boolean;
  /** Seconds from an e-stop command received to the backend having taken it (the controller orders the stop synchronously). */
  readonly observeEstopSeconds?: (seconds: number) => void;
}

export interface ConsoleServerOptions {
  readonly host: string;
  readonly port: number;
  readonly users: UserStore;
  readonly backend: ConsoleBackend;
  readonly audit: (record: AuditRecord) => void;
  readonly limits?: Partial<ConsoleLimits>;
  readonly now?: () => number;
  /** The built web pages (`console/`, `kiosk/`, `counter/`, `assets/`); null serves the API only. */
  readonly webRoot?: string | null;
  /** A broadcast that fails the protocol's schema is dropped and reported here, never sent. */
  readonly onInvalidOutgoing?: (type: string, reason: string) => void;
  /** Absent: no `/metrics` endpoint. */
  readonly metrics?: ConsoleMetrics;
  /** Milliseconds between websocket pings; a socket with no pong since the last ping is terminated. Default `DEFAULT_HEARTBEAT_INTERVAL_MS`. */
  readonly heartbeatIntervalMs?: number;
  /**
   * Origins whose pages may POST to `/api/*` and open `/ws`, exactly as browsers send them
   * (`https://lobby.ward7.example`, `http://192.168.1.20:8080`). Default: the server's own origins
   * as it listens (see `ownOrigins`), never derived from a request's Host header.
   */
  readonly allowedOrigins?: readonly string[];
  /** Hashing and failed-login limits; default `DEFAULT_LOGIN_LIMITS`. */
  readonly loginLimits?: Partial<LoginLimits>;
  /** Milliseconds between checks that each open socket's session still lives; default `DEFAULT_SESSION_CHECK_INTERVAL_MS`. */
  readonly sessionCheckIntervalMs?: number;
}

/** One audit row, stamped with the server's clock and the session's user, if any. */
export type Audit = (session: Session | null, action: string, ok: boolean, reason: string | null, address: string) => void;

export function auditor(write: (record: AuditRecord) => void, now: () => number): Audit {
  return (session, action, ok, reason, address) =>
    write({ atMs: now(), user: session?.user.name ?? null, role: session?.user.role ?? null, action, ok, reason, address });
}

/** The options with every default filled in, checked once so a bad value fails at start, not at the first connection. */
export interface ResolvedOptions extends ConsoleServerOptions {
  readonly limits: ConsoleLimits;
  readonly now: () => number;
  readonly webRoot: string | null;
  readonly heartbeatIntervalMs: number;
  readonly loginLimits: LoginLimits;
  readonly sessionCheckIntervalMs: number;
}

const MAX_TIMER_MS = 2 ** 31 - 1;

export function resolveOptions(options: ConsoleServerOptions): ResolvedOptions {
  const resolved: ResolvedOptions = {
    ...options,
    limits: { ...DEFAULT_LIMITS, ...options.limits },
    now: options.now ?? Date.now,
    webRoot: options.webRoot ?? null,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS,
    loginLimits: { ...DEFAULT_LOGIN_LIMITS, ...options.loginLimits },
    sessionCheckIntervalMs: options.sessionCheckIntervalMs ?? DEFAULT_SESSION_CHECK_INTERVAL_MS,
  };
  // setInterval turns anything below 1 ms, above 2^31 - 1 ms, or NaN into 1 ms: a ping in a tight loop.
  for (const [name, interval] of [
    ['heartbeatIntervalMs', resolved.heartbeatIntervalMs],
    ['sessionCheckIntervalMs', resolved.sessionCheckIntervalMs],
  ] as const) {
    if (!Number.isFinite(interval) || interval < 1 || interval > MAX_TIMER_MS) {
      throw new TiepdanError('invalid_option', `${name} must be from 1 to ${MAX_TIMER_MS} milliseconds, not ${interval}`);
    }
  }
  for (const [name, value] of Object.entries(resolved.loginLimits)) {
    const min = name === 'queuedHashes' || name === 'freeFailures' ? 0 : 1;
    if (!Number.isInteger(value) || value < min || value > MAX_TIMER_MS) {
      throw new TiepdanError('invalid_option', `loginLimits.${name} must be a whole number from ${min} to ${MAX_TIMER_MS}, not ${value}`);
    }
  }
  if (resolved.allowedOrigins !== undefined) checkOrigins(resolved.allowedOrigins);
  return resolved;
}
