import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TiepdanError } from '../ports/errors.js';
import { createConsoleCore, type MessageKind } from './connection.js';
import { httpRoutes } from './http-routes.js';
import { auditor, resolveOptions, type ConsoleServerOptions } from './options.js';
import { ownOrigins } from './origins.js';
import type { OutgoingMessage } from './protocol.js';
import { websocketShell } from './upgrade.js';

export { isLoopbackAddress } from './metrics-route.js';
export {
  DEFAULT_HEARTBEAT_INTERVAL_MS,
  DEFAULT_LIMITS,
  DEFAULT_SESSION_CHECK_INTERVAL_MS,
  type AuditRecord,
  type ConsoleBackend,
  type ConsoleLimits,
  type ConsoleMetrics,
  type ConsoleServerOptions,
} from './options.js';

export interface ConsoleServer {
  readonly url: string;
  /** The origins allowed to POST and open the socket: the configured ones, else this server's own. */
  readonly allowedOrigins: readonly string[];
  /** To every connected client: telemetry may be skipped for a slow one, anything else is not. */
  broadcast(message: OutgoingMessage, kind: MessageKind): void;
  clients(): number;
  close(): Promise<void>;
}

/**
 * One HTTP server: the pages, `/health`, `/metrics`, `/api/*` (http-routes.ts), and `/ws`, upgraded
 * by the `ws` shell (upgrade.ts) to the console protocol (connection.ts).
 */
export async function startConsoleServer(input: ConsoleServerOptions): Promise<ConsoleServer> {
  const options = resolveOptions(input);
  const audit = auditor(options.audit, options.now);
  const core = createConsoleCore({
    backend: options.backend,
    users: options.users,
    limits: options.limits,
    audit,
    now: options.now,
    ...(options.onInvalidOutgoing !== undefined ? { onInvalidOutgoing: options.onInvalidOutgoing } : {}),
    ...(options.metrics?.observeEstopSeconds !== undefined ? { observeEstopSeconds: options.metrics.observeEstopSeconds } : {}),
  });
  // Filled in once the server listens, when its own origins (the port may be 0 until then) are known.
  let allowed: ReadonlySet<string> = new Set(options.allowedOrigins ?? []);
  const allowedOrigins = () => allowed;
  const http = createServer(httpRoutes(options, audit, core.clients, { allowedOrigins, sessionsEnded: core.recheckSessions }));
  const shell = websocketShell({
    users: options.users,
    audit,
    connectionsPerAddress: options.limits.connectionsPerAddress,
    heartbeatIntervalMs: options.heartbeatIntervalMs,
    core,
    allowedOrigins,
  });
  http.on('upgrade', shell.upgrade);

  try {
    await new Promise<void>((resolve, reject) => {
      http.once('error', (error: NodeJS.ErrnoException) =>
        reject(error.code === 'EADDRINUSE' ? new TiepdanError('port_in_use', `${options.host}:${options.port} is in use; choose another with --port`) : error),
      );
      http.listen(options.port, options.host, () => resolve());
    });
  } catch (error) {
    // The heartbeat's timer must not outlive a server that never started.
    shell.close();
    throw error;
  }
  const { port } = http.address() as AddressInfo;
  if (options.allowedOrigins === undefined) allowed = new Set(ownOrigins(options.host, port));
  // A session ended in another process (`tiepdan user remove`) closes its sockets within a check.
  const sessionCheck = setInterval(core.recheckSessions, options.sessionCheckIntervalMs);
  // Expired rows are deleted at open (users.ts) and then every minute.
  const sweep = setInterval(() => options.users.sweepExpired(), 60_000);
  return {
    url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}`,
    allowedOrigins: [...allowed],
    broadcast: core.broadcast,
    clients: core.clients,
    async close() {
      clearInterval(sessionCheck);
      clearInterval(sweep);
      shell.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
