import type { IncomingMessage } from 'node:http';
import type { Session, UserStore } from './users.js';

/**
 * HttpOnly and SameSite=Strict: page scripts cannot read it and other sites cannot send it. Secure
 * when the browser speaks HTTPS (to us or to our proxy): it is then never sent over plain HTTP.
 */
const SESSION_COOKIE = 'tiepdan_session';

export function cookieToken(req: IncomingMessage): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [key, value] = part.trim().split('=');
    if (key === SESSION_COOKIE && value !== undefined) return value;
  }
  return null;
}

/** The live session the request's cookie names, or null (no cookie, unknown, expired or ended). */
export function requestSession(req: IncomingMessage, users: UserStore): Session | null {
  const token = cookieToken(req);
  return token === null ? null : users.session(token);
}

const attributes = (secure: boolean) => `HttpOnly; SameSite=Strict; Path=/${secure ? '; Secure' : ''}`;

export function setSessionCookie(session: Session, nowMs: number, secure: boolean): Record<string, string> {
  return { 'set-cookie': `${SESSION_COOKIE}=${session.token}; ${attributes(secure)}; Max-Age=${Math.floor((session.expiresAtMs - nowMs) / 1000)}` };
}

export function clearSessionCookie(secure: boolean): Record<string, string> {
  return { 'set-cookie': `${SESSION_COOKIE}=; ${attributes(secure)}; Max-Age=0` };
}
