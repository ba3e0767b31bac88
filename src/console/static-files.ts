import { readFile } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { json, SECURITY_HEADERS } from './http-reply.js';

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
};
const PAGES = new Set(['console', 'kiosk', 'counter']);

/** The built pages: `/console`, `/kiosk`, `/counter`, and their hashed assets; nothing outside the root. */
export async function serveStatic(root: string | null, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const pathname = new URL(req.url ?? '/', 'http://x').pathname;
  if (pathname === '/') {
    res.writeHead(302, { location: '/console', ...SECURITY_HEADERS });
    return void res.end();
  }
  const page = pathname.replace(/^\/|\/$/g, '');
  let file: string;
  if (PAGES.has(page)) file = `${page}/index.html`;
  else if (/^\/assets\/[\w.-]+$/.test(pathname)) file = pathname.slice(1);
  else return json(res, 404, { ok: false, reason: 'not found' });
  if (root === null) return json(res, 404, { ok: false, reason: 'this server has no web pages' });
  const full = normalize(join(root, file));
  if (!full.startsWith(normalize(root) + sep)) return json(res, 404, { ok: false, reason: 'not found' });
  let body: Buffer;
  try {
    body = await readFile(full);
  } catch {
    return json(res, 503, { ok: false, reason: 'the web pages are not built: run npm run build' });
  }
  res.writeHead(200, {
    'content-type': CONTENT_TYPES[extname(full)] ?? 'application/octet-stream',
    // Assets carry a content hash in their name; the pages themselves must always be fresh.
    'cache-control': file.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-store',
    ...SECURITY_HEADERS,
  });
  res.end(req.method === 'HEAD' ? undefined : body);
}
