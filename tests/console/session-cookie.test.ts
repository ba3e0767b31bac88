import type { IncomingMessage } from 'node:http';
import { describe, expect, it } from 'vitest';
import { clearSessionCookie, cookieToken, requestSession, setSessionCookie } from '../../src/console/session-cookie.js';
import type { Session, UserStore } from '../../src/console/users.js';

const request = (cookie?: string) => ({ headers: cookie === undefined ? {} : { cookie } }) as unknown as IncomingMessage;
const session: Session = { token: 'tok3n_-abc', user: { name: 'lan', role: 'operator', counterId: null, mustChangePassword: false }, expiresAtMs: 10_000_500 };

describe('the session cookie', () => {
  it('is read from the Cookie header among others, spaces around', () => {
    expect(cookieToken(request('tiepdan_session=tok3n_-abc'))).toBe('tok3n_-abc');
    expect(cookieToken(request('theme=dark;  tiepdan_session=tok3n_-abc ; lang=vi'))).toBe('tok3n_-abc');
    expect(cookieToken(request('a=1;tiepdan_session=first;tiepdan_session=second'))).toBe('first');
  });

  it('is no token when absent, unnamed, valueless or only similar', () => {
    for (const cookie of [undefined, '', 'theme=dark', 'tiepdan_session', 'tiepdan_sessionx=abc', 'xtiepdan_session=abc', 'TIEPDAN_SESSION=abc']) {
      expect(cookieToken(request(cookie)), String(cookie)).toBeNull();
    }
    expect(cookieToken(request('tiepdan_session='))).toBe('');
  });

  it('is set HttpOnly, SameSite=Strict, for the whole site, for the seconds the session has left', () => {
    expect(setSessionCookie(session, 10_000_500 - 3_600_999, false)).toEqual({ 'set-cookie': 'tiepdan_session=tok3n_-abc; HttpOnly; SameSite=Strict; Path=/; Max-Age=3600' });
    expect(clearSessionCookie(false)).toEqual({ 'set-cookie': 'tiepdan_session=; HttpOnly; SameSite=Strict; Path=/; Max-Age=0' });
  });

  it('names the session the store keeps for its token; no cookie asks the store nothing', () => {
    const asked: string[] = [];
    const users = { session: (token: string) => (asked.push(token), token === session.token ? session : null) } as unknown as UserStore;
    expect(requestSession(request('tiepdan_session=tok3n_-abc'), users)).toBe(session);
    expect(requestSession(request('tiepdan_session=other'), users)).toBeNull();
    expect(requestSession(request('theme=dark'), users)).toBeNull();
    expect(asked).toEqual(['tok3n_-abc', 'other']);
  });
});
