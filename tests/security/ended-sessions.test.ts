import { describe, expect, it } from 'vitest';
import { openUserStore } from '../../src/console/users.js';
import { openDatabase } from '../../src/store/database.js';
import { connected, logIn, post, startHarness, within } from './harness.js';

/** "Within a second", with room for a busy test machine. */
const CLOSE_WITHIN_MS = 1500;

describe('a socket whose session ends', () => {
  it('is closed within a second of a logout, and the user\'s other sockets stay open only if their session lives', async () => {
    const h = await startHarness();
    try {
      const cookie = await logIn(h.server, 'op', 'operator secret 7f');
      const other = await connected(h.server, await logIn(h.server, 'op', 'operator secret 7f'));
      const client = await connected(h.server, cookie);
      expect((await post(h.server, '/api/logout', {}, cookie)).status).toBe(200);
      await within(CLOSE_WITHIN_MS, 'the socket of a logged-out session stayed open', client.closed);
      expect(other.ws.readyState).toBe(other.ws.OPEN);
      other.ws.close();
    } finally {
      await h.close();
    }
  });

  it('is closed within a second of a password change, with every other socket of that user', async () => {
    const h = await startHarness();
    try {
      const cookie = await logIn(h.server, 'op', 'operator secret 7f');
      const a = await connected(h.server, cookie);
      const b = await connected(h.server, await logIn(h.server, 'op', 'operator secret 7f'));
      const res = await post(h.server, '/api/password', { password: 'operator secret 7f', newPassword: 'a fresh one, 2024!' }, cookie);
      expect(res.status).toBe(200);
      await within(CLOSE_WITHIN_MS, 'a socket stayed open after the password change', Promise.all([a.closed, b.closed]));
    } finally {
      await h.close();
    }
  });

  it('is closed within a second when another process removes the account', async () => {
    const h = await startHarness();
    try {
      const client = await connected(h.server, await logIn(h.server, 'op', 'operator secret 7f'));
      // A second connection to the same file is what `tiepdan user remove` in another process is.
      const elsewhere = openDatabase(h.file);
      try {
        expect(openUserStore(elsewhere).remove('op')).toBe(true);
      } finally {
        elsewhere.close();
      }
      await within(CLOSE_WITHIN_MS, 'the socket of a removed account stayed open', client.closed);
    } finally {
      await h.close();
    }
  });

  it('is closed within a second of the session expiring, and receives nothing after', async () => {
    let now = Date.now();
    const h = await startHarness({}, undefined, () => now);
    try {
      const client = await connected(h.server, await logIn(h.server, 'op', 'operator secret 7f'));
      now += 8 * 3600_000 + 1;
      await within(CLOSE_WITHIN_MS, 'the socket of an expired session stayed open', client.closed);
      const seen = client.messages.length;
      h.server.broadcast({ type: 'states', active: ['interaction'] }, 'essential');
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(client.messages.length).toBe(seen);
    } finally {
      await h.close();
    }
  });

  it('is not sent a broadcast once its session has expired, even before the periodic check', async () => {
    let now = Date.now();
    const h = await startHarness({}, undefined, () => now);
    try {
      const client = await connected(h.server, await logIn(h.server, 'op', 'operator secret 7f'));
      now += 8 * 3600_000 + 1;
      h.server.broadcast({ type: 'states', active: ['interaction'] }, 'essential');
      await within(CLOSE_WITHIN_MS, 'the socket of an expired session stayed open', client.closed);
      expect(client.messages.some((m) => m['type'] === 'states')).toBe(false);
    } finally {
      await h.close();
    }
  });
});
