import type { IncomingMessage, ServerResponse } from 'node:http';
import type { z } from 'zod';
import { MAX_MESSAGE_BYTES } from './protocol.js';

/** The pages load only their own scripts and styles and talk only to this server; no one may frame them. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

/**
 * Sent on every HTTP reply when browsers reach the console over HTTPS: for a year they use nothing
 * else for this host, so a cookie can never be sent, nor a password typed, over plain HTTP. No
 * includeSubDomains: other services under the same name are not ours to decide for.
 */
export const HSTS_HEADER = { name: 'strict-transport-security', value: 'max-age=31536000' } as const;

export function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...SECURITY_HEADERS, ...headers });
  res.end(JSON.stringify(body));
}

/** A small JSON body, or null when it is too large or not JSON matching the schema. */
export function readBody<T>(req: IncomingMessage, schema: z.ZodType<T>): Promise<T | null> {
  return new Promise((resolve) => {
    let body = '';
    req.on('data', (chunk: Buffer) => {
      body += chunk.toString('utf8');
      if (body.length > MAX_MESSAGE_BYTES) {
        resolve(null);
        req.destroy();
      }
    });
    req.on('end', () => {
      try {
        const parsed = schema.safeParse(JSON.parse(body));
        resolve(parsed.success ? parsed.data : null);
      } catch {
        resolve(null);
      }
    });
  });
}
