import type { IncomingMessage, ServerResponse } from 'node:http';
import { apiRoutes } from './api-routes.js';
import { json } from './http-reply.js';
import { metricsRoute } from './metrics-route.js';
import type { Audit, ResolvedOptions } from './options.js';
import { serveStatic } from './static-files.js';

/**
 * Every plain HTTP request: `/health`, `/metrics`, `/api/*`, then the built pages; anything else is
 * a JSON 404. The websocket upgrade is not here: it never reaches a request handler.
 */
export function httpRoutes(
  options: ResolvedOptions,
  audit: Audit,
  clients: () => number,
  security: { readonly allowedOrigins: () => ReadonlySet<string>; readonly sessionsEnded: () => void },
): (req: IncomingMessage, res: ServerResponse) => void {
  const api = apiRoutes({ users: options.users, backend: options.backend, audit, now: options.now, loginLimits: options.loginLimits, ...security });
  const metrics = metricsRoute(options.metrics, audit, options.now);
  return (req, res) => {
    const address = req.socket.remoteAddress ?? 'unknown';
    if (req.method === 'GET' && req.url === '/health') return json(res, 200, { ok: true, robotId: options.backend.robotId, clients: clients() });
    if (req.method === 'GET' && new URL(req.url ?? '/', 'http://x').pathname === '/metrics') return void metrics(res, address);
    if (api(req, res, address)) return;
    if (req.method === 'GET' || req.method === 'HEAD') return void serveStatic(options.webRoot, req, res);
    json(res, 404, { ok: false, reason: 'not found' });
  };
}
