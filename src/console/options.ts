import { TiepdanError } from '../ports/errors.js';
import { clientAddresses, type ClientAddresses } from './client-address.js';
import type { SlotLimits } from './connection-slots.js';
import { DEFAULT_LOGIN_LIMITS, type LoginLimits } from './login-throttle.js';
import { checkOrigins } from './origins.js';
import { DEFAULT_OUTGOING, type OutgoingLimits } from './outgoing.js';
import type { ClientMessage, Role, ServerMessage } from './protocol.js';
import { checkTls, type ConsoleTls } from './tls-material.js';
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

/** The socket limits (connection-slots.ts) are checked in that order: session, role, address, then the staff reserve. */
export interface ConsoleLimits extends SlotLimits {
  readonly messagesPerSecond: number;
  /** Refused or malformed messages before the connection is closed as abusive. */
  readonly maxStrikes: number;
  readonly outgoing: OutgoingLimits;
}

/**
 * Per session 4: a few tabs of one login. Per role, on the whole server: room for every counter of
 * a large ward centre and a wall of viewers, while a stolen kiosk login (the kiosk is the robot's
 * own screen) holds 8 at most. Per address 8, of which 2 only operators and admins may take, so
 * kiosk or viewer sockets from one machine never lock out the person who can stop the robot.
 */
export const DEFAULT_LIMITS: ConsoleLimits = {
  messagesPerSecond: 20,
  connectionsPerSession: 4,
  connectionsPerRole: { viewer: 64, officer: 64, operator: 32, admin: 16, kiosk: 8 },
  connectionsPerAddress: 8,
  connectionsReservedForStaff: 2,
  maxStrikes: 10,
  outgoing: DEFAULT_OUTGOING,
};

/** What a caller may set: any limit, and any role's cap alone. */
export type ConsoleLimitsInput = Partial<Omit<ConsoleLimits, 'connectionsPerRole'>> & { readonly connectionsPerRole?: Partial<Readonly<Record<Role, number>>> };

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
  /**
   * Default `DEFAULT_LIMITS`. `connectionsReservedForStaff` left out is 2, or `connectionsPerAddress - 1`
   * when that is smaller, so a lower per-address limit still leaves other roles a slot.
   */
  readonly limits?: ConsoleLimitsInput;
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
  /** Serve HTTPS and WSS with this certificate and key (node:https); absent: plain HTTP. */
  readonly tls?: ConsoleTls;
  /**
   * Reverse proxies whose X-Forwarded-For is believed: addresses or CIDR ranges (`127.0.0.1`,
   * `10.0.0.0/8`). Default none: the header is ignored. The rule is in client-address.ts.
   */
  readonly trustProxy?: readonly string[];
  /**
   * Browsers reach this server through a proxy that terminates TLS: the cookie is Secure and HSTS
   * is sent though this server speaks HTTP. Needs `trustProxy`. Default false.
   */
  readonly behindTlsProxy?: boolean;
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
  /** The browser speaks HTTPS to us (`tls`) or to our proxy (`behindTlsProxy`): Secure cookie and HSTS. */
  readonly secure: boolean;
  readonly clientAddresses: ClientAddresses;
}

const MAX_CONNECTIONS = 1_000_000;

function resolveLimits(given: ConsoleLimitsInput = {}): ConsoleLimits {
  const perAddress = given.connectionsPerAddress ?? DEFAULT_LIMITS.connectionsPerAddress;
  const limits: ConsoleLimits = {
    ...DEFAULT_LIMITS,
    ...given,
    connectionsPerRole: { ...DEFAULT_LIMITS.connectionsPerRole, ...given.connectionsPerRole },
    connectionsReservedForStaff: given.connectionsReservedForStaff ?? Math.min(DEFAULT_LIMITS.connectionsReservedForStaff, perAddress - 1),
  };
  const counts: [string, number][] = [
    ['connectionsPerSession', limits.connectionsPerSession],
    ['connectionsPerAddress', limits.connectionsPerAddress],
    ...Object.entries(limits.connectionsPerRole).map(([role, n]): [string, number] => [`connectionsPerRole.${role}`, n]),
  ];
  for (const [name, value] of counts) {
    if (!Number.isInteger(value) || value < 1 || value > MAX_CONNECTIONS) {
      throw new TiepdanError('invalid_option', `limits.${name} must be a whole number from 1 to ${MAX_CONNECTIONS}, not ${value}`);
    }
  }
  const reserved = limits.connectionsReservedForStaff;
  if (!Number.isInteger(reserved) || reserved < 0 || reserved >= limits.connectionsPerAddress) {
    throw new TiepdanError('invalid_option', `limits.connectionsReservedForStaff must be a whole number from 0 to connectionsPerAddress - 1 (${limits.connectionsPerAddress - 1}), not ${reserved}`);
  }
  return limits;
}

const MAX_TIMER_MS = 2 ** 31 - 1;

export function resolveOptions(options: ConsoleServerOptions): ResolvedOptions {
  const resolved: ResolvedOptions = {
    ...options,
    limits: resolveLimits(options.limits),
    now: options.now ?? Date.now,
    webRoot: options.webRoot ?? null,
    heartbeatIntervalMs: options.heartbeatIntervalMs ?? DEFAULT_HEARTBEAT_INTERVAL_MS,
    loginLimits: { ...DEFAULT_LOGIN_LIMITS, ...options.loginLimits },
    sessionCheckIntervalMs: options.sessionCheckIntervalMs ?? DEFAULT_SESSION_CHECK_INTERVAL_MS,
    secure: options.tls !== undefined || options.behindTlsProxy === true,
    clientAddresses: clientAddresses(options.trustProxy),
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
    const min = name === 'queuedHashes' || name === 'freeFailures' || name === 'refusalDelayMs' || name === 'maxDelayedRefusals' ? 0 : 1;
    if (!Number.isInteger(value) || value < min || value > MAX_TIMER_MS) {
      throw new TiepdanError('invalid_option', `loginLimits.${name} must be a whole number from ${min} to ${MAX_TIMER_MS}, not ${value}`);
    }
  }
  if (resolved.allowedOrigins !== undefined) checkOrigins(resolved.allowedOrigins);
  if (options.tls !== undefined) checkTls(options.tls);
  if (options.behindTlsProxy === true && (options.trustProxy ?? []).length === 0) {
    throw new TiepdanError('invalid_option', 'behindTlsProxy needs trustProxy, the proxy\'s address: otherwise every client has the proxy\'s address');
  }
  return resolved;
}
