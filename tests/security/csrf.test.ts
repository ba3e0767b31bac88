import { describe, expect, it } from 'vitest';
import { connect, logIn, post, startHarness } from './harness.js';

describe('requests from other sites', () => {
  it('refuses a text/plain login from a foreign origin, sets no cookie, and audits it', async () => {
    const h = await startHarness();
    try {
      const res = await fetch(`${h.server.url}/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain', origin: 'http://evil.example' },
        body: JSON.stringify({ name: 'op', password: 'operator secret 7f' }),
      });
      expect(res.status, 'a cross-site text/plain login was taken').toBe(415);
      expect(res.headers.get('set-cookie')).toBeNull();
      const plainSameOrigin = await post(h.server, '/api/login', { name: 'op', password: 'operator secret 7f' }, null, { 'content-type': 'text/plain' });
      expect(plainSameOrigin.status).toBe(415);
      const foreign = await post(h.server, '/api/login', { name: 'op', password: 'operator secret 7f' }, null, { origin: 'http://evil.example' });
      expect(foreign.status).toBe(403);
      expect(foreign.headers.get('set-cookie')).toBeNull();
      expect(h.audit).toContainEqual(expect.objectContaining({ action: 'login', ok: false, reason: 'origin not allowed' }));
    } finally {
      await h.close();
    }
  });

  it('refuses a password change posted from a foreign origin or as text/plain, with a valid session cookie', async () => {
    const h = await startHarness();
    try {
      const cookie = await logIn(h.server, 'op', 'operator secret 7f');
      const body = { password: 'operator secret 7f', newPassword: 'chosen by the attacker 9' };
      const plain = await post(h.server, '/api/password', body, cookie, { 'content-type': 'text/plain', origin: 'http://evil.example' });
      expect(plain.status, 'a cross-site text/plain password change was taken').toBe(415);
      expect((await post(h.server, '/api/password', body, cookie, { origin: 'http://evil.example' })).status).toBe(403);
      expect((await post(h.server, '/api/password', body, cookie, { origin: 'null' })).status).toBe(403);
      // Still the old password.
      await logIn(h.server, 'op', 'operator secret 7f');
    } finally {
      await h.close();
    }
  });

  it('takes a JSON login without an Origin header (a script, not a browser)', async () => {
    const h = await startHarness();
    try {
      const res = await fetch(`${h.server.url}/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: JSON.stringify({ name: 'op', password: 'operator secret 7f' }),
      });
      expect(res.status).toBe(200);
    } finally {
      await h.close();
    }
  });

  it('refuses a websocket whose forged Host matches its Origin (DNS rebinding)', async () => {
    const h = await startHarness();
    try {
      const cookie = await logIn(h.server, 'op', 'operator secret 7f');
      const rebound = await connect(h.server, cookie, { host: 'evil.example:8080', origin: 'http://evil.example:8080' });
      if (typeof rebound !== 'number') rebound.ws.close();
      expect(rebound, 'a socket opened for a rebound Host and Origin').toBe(403);
      expect(await connect(h.server, cookie, {})).toBe(403);
    } finally {
      await h.close();
    }
  });

  it('uses the configured origins, for POSTs and the websocket alike, instead of its own', async () => {
    const h = await startHarness({ allowedOrigins: ['https://lobby.ward7.example'] });
    try {
      const ok = await post(h.server, '/api/login', { name: 'op', password: 'operator secret 7f' }, null, { origin: 'https://lobby.ward7.example' });
      expect(ok.status).toBe(200);
      const cookie = ok.headers.get('set-cookie')!.split(';')[0]!;
      const ws = await connect(h.server, cookie, { origin: 'https://lobby.ward7.example' });
      expect(typeof ws).not.toBe('number');
      if (typeof ws !== 'number') ws.ws.close();
      expect(await connect(h.server, cookie, { origin: h.server.url })).toBe(403);
      expect((await post(h.server, '/api/login', { name: 'op', password: 'operator secret 7f' })).status).toBe(403);
    } finally {
      await h.close();
    }
  });

  it('EXPECTED FAILURE - an allowed origin that is not a bare http(s) origin', async () => {
    for (const allowedOrigins of [['lobby.example'], ['http://lobby.example/console'], ['ftp://lobby.example']]) {
      await expect(startHarness({ allowedOrigins })).rejects.toMatchObject({ name: 'TiepdanError', code: 'invalid_option' });
    }
  });
});
