import type { IncomingMessage } from 'node:http';
import { networkInterfaces } from 'node:os';
import { describe, expect, it } from 'vitest';
import { checkOrigins, ownOrigins, refusePost } from '../../src/console/origins.js';
import { TiepdanError } from '../../src/ports/errors.js';

/** A request as the checks see it: only its headers. */
const request = (headers: Record<string, string>) => ({ headers }) as unknown as IncomingMessage;

describe('allowed origins', () => {
  it('take exactly what a browser sends as Origin', () => {
    expect(() => checkOrigins(['http://192.168.1.20:8080', 'https://robot.example', 'http://[::1]:8080', 'http://localhost:3000'])).not.toThrow();
    expect(() => checkOrigins([])).not.toThrow();
  });

  it.each([
    ['a path', 'http://192.168.1.20:8080/console'],
    ['a slash at the end', 'http://192.168.1.20:8080/'],
    ['another scheme', 'ftp://192.168.1.20'],
    ['no scheme', '192.168.1.20:8080'],
    ['a default port spelled out', 'http://robot.example:80'],
    ['upper case', 'http://Robot.example'],
    ['nothing', ''],
  ])('refuse %s, naming it and the form wanted', (_name, origin) => {
    expect(() => checkOrigins(['http://192.168.1.20:8080', origin])).toThrow(
      new TiepdanError('invalid_option', `allowed origin "${origin}" is not an origin like http://192.168.1.20:8080 (scheme, host and port, nothing after)`),
    );
  });
});

describe('the server\'s own origins, when none are configured', () => {
  it('are the address it listens on, and localhost for a loopback address', () => {
    expect(ownOrigins('127.0.0.1', 8080)).toEqual(['http://127.0.0.1:8080', 'http://localhost:8080']);
    expect(ownOrigins('::1', 8080)).toEqual(['http://[::1]:8080', 'http://localhost:8080']);
    expect(ownOrigins('localhost', 8080)).toEqual(['http://localhost:8080']);
    expect(ownOrigins('192.168.1.20', 80)).toEqual(['http://192.168.1.20']);
    expect(ownOrigins('fe80::1', 8080)).toEqual(['http://[fe80::1]:8080']);
  });

  it('for a wildcard, every address of this machine (IPv4 only for 0.0.0.0) and localhost', () => {
    const all = Object.values(networkInterfaces()).flatMap((list) => list ?? []);
    const origin = (address: string) => new URL(`http://${address.includes(':') ? `[${address}]` : address}:8080`).origin;
    const v4 = [...new Set(all.filter((i) => i.family === 'IPv4').map((i) => origin(i.address)))];
    const every = [...new Set(all.map((i) => origin(i.address)))];
    expect(ownOrigins('0.0.0.0', 8080)).toEqual([...v4, 'http://localhost:8080']);
    expect(ownOrigins('::', 8080)).toEqual([...every, 'http://localhost:8080']);
    expect(ownOrigins('', 8080)).toEqual([...every, 'http://localhost:8080']);
  });
});

describe('a state-changing POST', () => {
  const allowed = new Set(['http://192.168.1.20:8080']);

  it('is taken as JSON, with any parameters and in any case, from an allowed origin or from no browser at all', () => {
    expect(refusePost(request({ 'content-type': 'application/json' }), allowed)).toBeNull();
    expect(refusePost(request({ 'content-type': ' Application/JSON ; charset=utf-8', origin: 'http://192.168.1.20:8080' }), allowed)).toBeNull();
  });

  it('is refused 415 in anything but JSON, whatever its origin', () => {
    const json = { status: 415, reason: 'send the body as application/json' };
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonx']) {
      expect(refusePost(request({ 'content-type': type, origin: 'http://192.168.1.20:8080' }), allowed), type).toEqual(json);
    }
    expect(refusePost(request({}), allowed)).toEqual(json);
  });

  it('is refused 403 from an origin not allowed', () => {
    for (const origin of ['http://evil.example', 'http://192.168.1.20:8081', 'null', '']) {
      expect(refusePost(request({ 'content-type': 'application/json', origin }), allowed), origin).toEqual({ status: 403, reason: 'origin not allowed' });
    }
  });
});
