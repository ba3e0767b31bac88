import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { TiepdanError } from '../ports/errors.js';
import { createConsoleCore, type MessageKind } from './connection.js';
import { httpRoutes } from './http-routes.js';
import { auditor, resolveOptions, type ConsoleServerOptions } from './options.js';
import type { OutgoingMessage } from './protocol.js';
import { websocketShell } from './upgrade.js';

export { isLoopbackAddress } from './metrics-route.js';
export {
  DEFAULT_HEARTBEAT_INTERVAL_MS,
  DEFAULT_LIMITS,
  type AuditRecord,
  type ConsoleBackend,
  type ConsoleLimits,
  type ConsoleMetrics,
  type ConsoleServerOptions,
} from './options.js';

export interface ConsoleServer {
  readonly url: string;
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
  const http = createServer(httpRoutes(options, audit, core.clients));
  const shell = websocketShell({
    users: options.users,
    audit,
    connectionsPerAddress: options.limits.connectionsPerAddress,
    heartbeatIntervalMs: options.heartbeatIntervalMs,
    core,
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
  return {
    url: `http://${options.host}:${port}`,
    broadcast: core.broadcast,
    clients: core.clients,
    async close() {
      shell.close();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
}
