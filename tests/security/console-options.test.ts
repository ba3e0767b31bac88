import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../src/cli/args.js';
import { consoleSecurity } from '../../src/cli/start.js';
import { DEFAULT_LIMITS, resolveOptions, type ConsoleServerOptions } from '../../src/console/options.js';
import { ownOrigins } from '../../src/console/origins.js';
import { readTlsFiles } from '../../src/console/tls-material.js';
import { systemTool } from '../system.js';
import { backend } from './harness.js';

/** What the console checks before it listens: the limits, the proxy and TLS options, and the CLI flags that set them. */

const base: ConsoleServerOptions = { host: '127.0.0.1', port: 0, users: null as never, backend, audit: () => {} };

describe('connection limits', () => {
  it('default to 4 a login, 8 an address with 2 of them kept for staff, and a cap for each role', () => {
    const { limits } = resolveOptions(base);
    expect(limits).toMatchObject({ connectionsPerSession: 4, connectionsPerAddress: 8, connectionsReservedForStaff: 2 });
    expect(limits.connectionsPerRole).toEqual({ viewer: 64, officer: 64, operator: 32, admin: 16, kiosk: 8 });
    expect(DEFAULT_LIMITS.connectionsPerRole.kiosk).toBe(8);
  });

  it('takes one role\'s cap alone, and keeps the reserve below a smaller per-address limit', () => {
    const { limits } = resolveOptions({ ...base, limits: { connectionsPerRole: { kiosk: 2 }, connectionsPerAddress: 2 } });
    expect(limits.connectionsPerRole).toEqual({ viewer: 64, officer: 64, operator: 32, admin: 16, kiosk: 2 });
    expect(limits.connectionsReservedForStaff).toBe(1);
    expect(resolveOptions({ ...base, limits: { connectionsPerAddress: 1 } }).limits.connectionsReservedForStaff).toBe(0);
  });

  it('EXPECTED FAILURE - a limit that is not a whole number of connections, or a reserve that leaves other roles nothing', () => {
    const bad: ConsoleServerOptions['limits'][] = [
      { connectionsPerSession: 0 },
      { connectionsPerAddress: 1.5 },
      { connectionsPerRole: { kiosk: -1 } },
      { connectionsPerRole: { viewer: Number.NaN } },
      { connectionsReservedForStaff: 8 },
      { connectionsReservedForStaff: -1 },
      { connectionsPerAddress: 4, connectionsReservedForStaff: 4 },
    ];
    for (const limits of bad) {
      expect(() => resolveOptions({ ...base, limits }), JSON.stringify(limits)).toThrow(expect.objectContaining({ name: 'TiepdanError', code: 'invalid_option', message: expect.stringMatching(/limits\.connections/) }));
    }
  });
});

describe('proxy options', () => {
  it('EXPECTED FAILURE - a trusted proxy that is not an address, and behindTlsProxy without a trusted proxy', () => {
    expect(() => resolveOptions({ ...base, trustProxy: ['nginx'] })).toThrow(/trusted proxy "nginx" is not an IP address/);
    expect(() => resolveOptions({ ...base, behindTlsProxy: true })).toThrow(/behindTlsProxy needs trustProxy/);
    expect(resolveOptions({ ...base, behindTlsProxy: true, trustProxy: ['127.0.0.1'] }).secure).toBe(true);
    expect(resolveOptions(base).secure).toBe(false);
  });

  it('has the server\'s own origins in https when it serves TLS', () => {
    expect(ownOrigins('127.0.0.1', 8443, 'https')).toEqual(['https://127.0.0.1:8443', 'https://localhost:8443']);
    expect(ownOrigins('127.0.0.1', 8080)).toEqual(['http://127.0.0.1:8080', 'http://localhost:8080']);
  });
});

describe('tiepdan start: the console\'s security flags', () => {
  it('splits --trust-proxy on commas and keeps what it was given', () => {
    expect(consoleSecurity({ trustProxy: ['127.0.0.1, ::1', '10.0.0.0/8'] })).toEqual({ trustProxy: ['127.0.0.1', '::1', '10.0.0.0/8'] });
    expect(consoleSecurity({})).toEqual({});
    expect(consoleSecurity({ trustProxy: ['127.0.0.1'], behindTlsProxy: true, allowedOrigins: ['https://lobby.ward7.example'] })).toEqual({
      trustProxy: ['127.0.0.1'],
      behindTlsProxy: true,
      allowedOrigins: ['https://lobby.ward7.example'],
    });
  });

  it('EXPECTED FAILURE - flags that do not go together, or a proxy that is not an address', () => {
    const cases: [Parameters<typeof consoleSecurity>[0], RegExp][] = [
      [{ tlsCert: 'cert.pem' }, /--tls-cert and --tls-key go together.*only --tls-cert was given/],
      [{ tlsKey: 'key.pem' }, /--tls-cert and --tls-key go together.*only --tls-key was given/],
      [{ trustProxy: ['nginx.local'] }, /^--trust-proxy: trusted proxy "nginx.local" is not an IP address/],
      [{ trustProxy: [','] }, /--trust-proxy needs the proxy's address/],
      [{ behindTlsProxy: true, allowedOrigins: ['https://lobby.ward7.example'] }, /--behind-tls-proxy needs --trust-proxy/],
      [{ behindTlsProxy: true, trustProxy: ['127.0.0.1'] }, /--behind-tls-proxy needs --allowed-origin https:\/\/NAME/],
    ];
    for (const [flags, message] of cases) {
      expect(() => consoleSecurity(flags), JSON.stringify(flags)).toThrow(UsageError);
      expect(() => consoleSecurity(flags), JSON.stringify(flags)).toThrow(message);
    }
  });
});

const openssl = systemTool('/usr/bin/openssl', 'openssl');
const dir = mkdtempSync(join(tmpdir(), 'tiepdan-tls-files-'));
const file = (name: string) => join(dir, name);

function makePair(name: string): void {
  execFileSync('/usr/bin/openssl', [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=127.0.0.1', '-keyout', file(`${name}.key`), '-out', file(`${name}.crt`),
  ], { stdio: 'ignore' });
  chmodSync(file(`${name}.key`), 0o600);
}

beforeAll(() => {
  if (!openssl.available) return;
  makePair('one');
  makePair('two');
  execFileSync('/usr/bin/openssl', ['pkey', '-in', file('one.key'), '-aes256', '-passout', 'pass:lobby', '-out', file('locked.key')], { stdio: 'ignore' });
  writeFileSync(file('garbage.pem'), 'not a pem file\n');
  mkdirSync(file('folder'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!openssl.available)(`--tls-cert and --tls-key files${openssl.skipReason}`, () => {
  it('reads a certificate and its key, quietly when the key is 0600 and the certificate in its dates', () => {
    const warnings: string[] = [];
    const security = consoleSecurity({ tlsCert: file('one.crt'), tlsKey: file('one.key') }, (m) => warnings.push(m));
    expect(security.tls?.cert.toString()).toBe(readFileSync(file('one.crt'), 'utf8'));
    expect(warnings).toEqual([]);
  });

  it('warns about a key other users can read and a certificate out of its dates', () => {
    chmodSync(file('two.key'), 0o644);
    const { warnings } = readTlsFiles(file('two.crt'), file('two.key'), Date.now() + 3 * 24 * 3600_000);
    expect(warnings).toEqual([
      `the key file ${file('two.key')} can be read by other users (mode 0644); chmod 600 ${file('two.key')}`,
      expect.stringMatching(new RegExp(`^the certificate ${file('two.crt')} expired on .+; browsers will refuse it$`)),
    ]);
  });

  it('EXPECTED FAILURE - a file that cannot be read or is not what it should be names the file, in one line', () => {
    const cases: [string, string, string][] = [
      [file('missing.crt'), file('one.key'), `tls: cannot read the certificate file ${file('missing.crt')} (no such file)`],
      [file('one.crt'), file('folder'), `tls: cannot read the key file ${file('folder')} (it is a folder)`],
      [file('garbage.pem'), file('one.key'), `tls: the certificate file ${file('garbage.pem')} is not a PEM certificate`],
      [file('one.crt'), file('garbage.pem'), `tls: the key file ${file('garbage.pem')} is not a PEM private key`],
      [file('one.crt'), file('one.crt'), `tls: the key file ${file('one.crt')} is not a PEM private key`],
      [file('one.crt'), file('two.key'), `tls: the key file ${file('two.key')} is not the private key of the certificate file ${file('one.crt')}`],
      [file('one.crt'), file('locked.key'), `tls: the key file ${file('locked.key')} is encrypted; give the key without a passphrase`],
    ];
    for (const [cert, key, message] of cases) {
      let error: unknown = null;
      try {
        consoleSecurity({ tlsCert: cert, tlsKey: key });
      } catch (caught) {
        error = caught;
      }
      expect(error, `${cert} ${key}`).toMatchObject({ name: 'TiepdanError', code: 'invalid_option' });
      const text = (error as Error).message;
      expect(text.startsWith(`tiepdan invalid_option: ${message}`), text).toBe(true);
      expect(text).not.toContain('\n');
    }
  });
});
