import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';
import { TiepdanError } from '../ports/errors.js';

/**
 * Who a request comes from. Without trusted proxies it is the TCP peer, and X-Forwarded-For is
 * ignored: anyone can write that header. With them (`trustProxy`, `tiepdan start --trust-proxy`),
 * a request whose peer is a trusted proxy is from the right-most X-Forwarded-For address that is
 * not itself a trusted proxy:
 *
 * - each proxy appends the address it was connected from, so the entries right of the first
 *   untrusted one were written by proxies we trust, and everything left of it by whoever that was;
 * - no header (or an empty one): the proxy's own address (a local scraper, the proxy's health check);
 * - every entry a trusted proxy: the left-most;
 * - an entry that is not an IP address before an untrusted one is found: `unknown` (a proxy we
 *   trust wrote nonsense; never its own address, which may be loopback and open /metrics).
 *
 * Addresses are compared with IPv4-mapped IPv6 (`::ffff:192.0.2.1`) as plain IPv4.
 */
export interface ClientAddresses {
  /** The client's address for the audit, the limits, login throttling and /metrics. */
  of(req: IncomingMessage): string;
}

/** What a request from nowhere we can name is recorded as. */
export const UNKNOWN_ADDRESS = 'unknown';

/** An IPv4 address as a dual-stack socket reports it becomes plain IPv4; anything else is unchanged. */
export function plainAddress(address: string): string {
  const v4 = address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
  return isIP(v4) === 4 ? v4 : address;
}

/** An X-Forwarded-For entry as an address, or null: plain, `[v6]`, `[v6]:port` or `v4:port` (some proxies add the port). */
function forwardedAddress(entry: string): string | null {
  const text = entry.trim();
  if (isIP(text) !== 0) return plainAddress(text);
  const bracketed = /^\[([^\]]+)\](?::\d{1,5})?$/.exec(text);
  if (bracketed !== null && isIP(bracketed[1]!) === 6) return plainAddress(bracketed[1]!);
  const withPort = /^(\d{1,3}(?:\.\d{1,3}){3}):\d{1,5}$/.exec(text);
  if (withPort !== null && isIP(withPort[1]!) === 4) return withPort[1]!;
  return null;
}

/** A set of proxies from addresses and CIDR ranges (`127.0.0.1`, `10.0.0.0/8`, `::1`, `fd00::/8`); throws on anything else. */
export function trustedProxies(entries: readonly string[]): (address: string) => boolean {
  const list = new BlockList();
  for (const entry of entries) {
    const [address = '', prefix, extra] = entry.trim().split('/');
    const family = isIP(address);
    const bits = prefix === undefined ? null : /^\d{1,3}$/.test(prefix) ? Number(prefix) : Number.NaN;
    if (family === 0 || extra !== undefined || (bits !== null && !(bits >= 0 && bits <= (family === 4 ? 32 : 128)))) {
      throw new TiepdanError('invalid_option', `trusted proxy "${entry}" is not an IP address or a CIDR range like 127.0.0.1, ::1 or 10.0.0.0/8`);
    }
    if (bits === null) {
      const plain = plainAddress(address);
      list.addAddress(plain, isIP(plain) === 4 ? 'ipv4' : 'ipv6');
    } else {
      list.addSubnet(address, bits, family === 4 ? 'ipv4' : 'ipv6');
    }
  }
  return (address) => {
    const plain = plainAddress(address);
    const family = isIP(plain);
    return family !== 0 && list.check(plain, family === 4 ? 'ipv4' : 'ipv6');
  };
}

/** The rule above, on the peer's address and the header as Node gives it (repeated headers joined with commas). */
export function resolveClientAddress(peer: string | undefined, forwardedFor: string | string[] | undefined, trusts: ((address: string) => boolean) | null): string {
  if (peer === undefined) return UNKNOWN_ADDRESS;
  if (trusts === null) return peer;
  if (!trusts(peer)) return plainAddress(peer);
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(',') : (forwardedFor ?? '');
  const entries = header.split(',').filter((e) => e.trim() !== '');
  if (entries.length === 0) return plainAddress(peer);
  let client = plainAddress(peer);
  for (let i = entries.length - 1; i >= 0; i -= 1) {
    const address = forwardedAddress(entries[i]!);
    if (address === null) return UNKNOWN_ADDRESS;
    client = address;
    if (!trusts(address)) return address;
  }
  return client;
}

/** `trustProxy` absent or empty: every request is from its TCP peer. */
export function clientAddresses(trustProxy: readonly string[] | undefined): ClientAddresses {
  const trusts = trustProxy === undefined || trustProxy.length === 0 ? null : trustedProxies(trustProxy);
  return { of: (req) => resolveClientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], trusts) };
}
