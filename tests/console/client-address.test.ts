import { describe, expect, it } from 'vitest';
import { plainAddress, resolveClientAddress, trustedProxies, UNKNOWN_ADDRESS } from '../../src/console/client-address.js';

const nginx = trustedProxies(['127.0.0.1']);
const chain = trustedProxies(['10.0.0.0/8', '::1']);

describe('the client address behind trusted proxies', () => {
  it('without trusted proxies is the TCP peer, whatever X-Forwarded-For says', () => {
    expect(resolveClientAddress('127.0.0.1', '203.0.113.9', null)).toBe('127.0.0.1');
    expect(resolveClientAddress('::ffff:192.0.2.4', '203.0.113.9', null)).toBe('::ffff:192.0.2.4');
    expect(resolveClientAddress(undefined, '203.0.113.9', null)).toBe(UNKNOWN_ADDRESS);
  });

  it('from a peer that is not a trusted proxy is that peer', () => {
    expect(resolveClientAddress('192.0.2.4', '127.0.0.1', nginx)).toBe('192.0.2.4');
    expect(resolveClientAddress('::ffff:192.0.2.4', '127.0.0.1', nginx)).toBe('192.0.2.4');
  });

  it('from a trusted proxy is the right-most address that is not a trusted proxy', () => {
    expect(resolveClientAddress('127.0.0.1', '203.0.113.9', nginx)).toBe('203.0.113.9');
    // What the client wrote itself stays on the left, past the address the proxy saw.
    expect(resolveClientAddress('127.0.0.1', '127.0.0.1, 203.0.113.9', nginx)).toBe('203.0.113.9');
    expect(resolveClientAddress('10.1.2.3', '198.51.100.1, 203.0.113.9, 10.9.9.9', chain)).toBe('203.0.113.9');
    // Repeated headers, as some clients send them.
    expect(resolveClientAddress('10.1.2.3', ['198.51.100.1', '203.0.113.9, 10.9.9.9'], chain)).toBe('203.0.113.9');
    expect(resolveClientAddress('::1', '2001:db8::7', chain)).toBe('2001:db8::7');
    expect(resolveClientAddress('::ffff:127.0.0.1', '203.0.113.9', nginx)).toBe('203.0.113.9');
  });

  it('from a trusted proxy with no header is the proxy; with only trusted proxies in it, the left-most', () => {
    expect(resolveClientAddress('127.0.0.1', undefined, nginx)).toBe('127.0.0.1');
    expect(resolveClientAddress('127.0.0.1', ' , ', nginx)).toBe('127.0.0.1');
    expect(resolveClientAddress('10.1.2.3', '10.4.4.4, 10.5.5.5', chain)).toBe('10.4.4.4');
  });

  it('reads the forms proxies write: a port after IPv4, brackets around IPv6, IPv4-mapped IPv6', () => {
    expect(resolveClientAddress('127.0.0.1', '203.0.113.9:51234', nginx)).toBe('203.0.113.9');
    expect(resolveClientAddress('127.0.0.1', '[2001:db8::7]:443', nginx)).toBe('2001:db8::7');
    expect(resolveClientAddress('127.0.0.1', '[2001:db8::7]', nginx)).toBe('2001:db8::7');
    expect(resolveClientAddress('127.0.0.1', '::ffff:203.0.113.9', nginx)).toBe('203.0.113.9');
  });

  it('is unknown, never the proxy, when the entry to judge is not an address', () => {
    for (const header of ['unknown', 'evil.example', '203.0.113.9, not-an-ip', '256.1.1.1', '"203.0.113.9"']) {
      expect(resolveClientAddress('127.0.0.1', header, nginx), header).toBe(UNKNOWN_ADDRESS);
    }
    // Nonsense left of the first untrusted address is never read.
    expect(resolveClientAddress('127.0.0.1', 'nonsense, 203.0.113.9', nginx)).toBe('203.0.113.9');
  });

  it('writes IPv4-mapped IPv6 as plain IPv4 and leaves anything else alone', () => {
    expect(plainAddress('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(plainAddress('::ffff:abcd')).toBe('::ffff:abcd');
    expect(plainAddress('2001:db8::1')).toBe('2001:db8::1');
  });
});

describe('trusted proxies', () => {
  it('takes addresses and CIDR ranges of both families', () => {
    const trusts = trustedProxies(['127.0.0.1', '10.0.0.0/8', 'fd00::/8', '::ffff:192.0.2.1']);
    expect(trusts('127.0.0.1')).toBe(true);
    expect(trusts('::ffff:127.0.0.1')).toBe(true);
    expect(trusts('127.0.0.2')).toBe(false);
    expect(trusts('10.200.0.1')).toBe(true);
    expect(trusts('11.0.0.1')).toBe(false);
    expect(trusts('fd12::1')).toBe(true);
    expect(trusts('fe80::1')).toBe(false);
    expect(trusts('192.0.2.1')).toBe(true);
    expect(trusts('unknown')).toBe(false);
  });

  it('EXPECTED FAILURE - an entry that is not an address or a range', () => {
    for (const entry of ['', 'localhost', 'nginx', '10.0.0.0/33', 'fd00::/129', '10.0.0.0/', '10.0.0.0/8/1', '10.0.0.0/x', '300.0.0.1']) {
      expect(() => trustedProxies([entry]), entry).toThrow(expect.objectContaining({ name: 'TiepdanError', code: 'invalid_option', message: expect.stringContaining(`trusted proxy "${entry}"`) }));
    }
  });
});
