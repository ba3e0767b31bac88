import type { IncomingMessage } from 'node:http';
import { networkInterfaces } from 'node:os';
import { TiepdanError } from '../ports/errors.js';

/** An allowed origin is exactly what a browser sends: `http(s)://host[:port]`, no path, no slash at the end. */
export function checkOrigins(origins: readonly string[]): void {
  for (const origin of origins) {
    let parsed: URL | null = null;
    try {
      parsed = new URL(origin);
    } catch {
      parsed = null;
    }
    if (parsed === null || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') || parsed.origin !== origin) {
      throw new TiepdanError('invalid_option', `allowed origin "${origin}" is not an origin like http://192.168.1.20:8080 (scheme, host and port, nothing after)`);
    }
  }
}

const urlHost = (address: string): string => (address.includes(':') ? `[${address}]` : address);
const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * The origins of the server as it listens, used when none are configured: `http://HOST:PORT`; for a
 * loopback address also `http://localhost:PORT`; for a wildcard (0.0.0.0, ::) every address of
 * this machine's interfaces and localhost. Never anything taken from a request's Host header, which
 * the client chooses (DNS rebinding).
 */
export function ownOrigins(host: string, port: number): string[] {
  const hosts = new Set<string>();
  if (host === '0.0.0.0' || host === '::' || host === '') {
    for (const list of Object.values(networkInterfaces())) {
      for (const info of list ?? []) {
        if (host === '0.0.0.0' && info.family !== 'IPv4') continue;
        hosts.add(info.address);
      }
    }
    hosts.add('localhost');
  } else {
    hosts.add(host);
    if (LOOPBACK.has(host)) hosts.add('localhost');
  }
  return [...hosts].map((h) => new URL(`http://${urlHost(h)}:${port}`).origin);
}

export type Refusal = { readonly status: 403 | 415; readonly reason: string };

/**
 * A state-changing POST is taken only as `application/json` (a cross-site form or a `text/plain`
 * fetch cannot send it without a CORS preflight, which this server never grants) and, when the
 * request has an Origin, only from an allowed one. A request with no Origin is not from a browser
 * (browsers send one on every POST), so it cannot carry a victim's cookie: scripts and curl may post.
 */
export function refusePost(req: IncomingMessage, allowed: ReadonlySet<string>): Refusal | null {
  const type = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
  if (type !== 'application/json') return { status: 415, reason: 'send the body as application/json' };
  const origin = req.headers.origin;
  if (origin !== undefined && !allowed.has(origin)) return { status: 403, reason: 'origin not allowed' };
  return null;
}
