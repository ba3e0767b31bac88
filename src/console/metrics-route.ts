import type { ServerResponse } from 'node:http';
import { json, SECURITY_HEADERS } from './http-reply.js';
import type { Audit, ConsoleMetrics } from './options.js';

/** This machine only: IPv4 127/8, IPv6 ::1, and IPv4 loopback as a dual-stack socket reports it. */
export function isLoopbackAddress(address: string | undefined): boolean {
  if (address === undefined) return false;
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return address === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(v4);
}

const REFUSAL_AUDIT_EVERY_MS = 3600_000;
/** Bounds the memory an address scan could take; forgetting them all only means a few more audit rows. */
const MAX_REMEMBERED_REFUSALS = 1000;

/** `GET /metrics`: the registry's text to allowed addresses; a 404 when the server has no metrics. */
export function metricsRoute(metrics: ConsoleMetrics | undefined, audit: Audit, now: () => number): (res: ServerResponse, address: string) => Promise<void> {
  /** A scraper refused every 15 s would fill the audit: one row per address an hour is enough to see it. */
  const refusalAudited = new Map<string, number>();
  return async (res, address) => {
    if (metrics === undefined) return json(res, 404, { ok: false, reason: 'not found' });
    if (!(metrics.allowFrom ?? isLoopbackAddress)(address)) {
      const last = refusalAudited.get(address);
      if (last === undefined || now() - last >= REFUSAL_AUDIT_EVERY_MS) {
        if (refusalAudited.size >= MAX_REMEMBERED_REFUSALS) refusalAudited.clear();
        refusalAudited.set(address, now());
        audit(null, 'metrics', false, 'address not allowed', address);
      }
      return json(res, 403, { ok: false, reason: 'metrics are served to this machine only (see tiepdan start --metrics-public)' });
    }
    let body: string;
    try {
      body = await metrics.registry.metrics();
    } catch (error) {
      return json(res, 500, { ok: false, reason: `metrics could not be collected (${(error as Error).message})` });
    }
    res.writeHead(200, { 'content-type': metrics.registry.contentType, 'cache-control': 'no-store', ...SECURITY_HEADERS });
    res.end(body);
  };
}
