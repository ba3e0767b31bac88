import { describe, expect, it } from 'vitest';
import { connectionSlots, type SlotClaim, type SlotLimits } from '../../src/console/connection-slots.js';

const LIMITS: SlotLimits = {
  connectionsPerSession: 2,
  connectionsPerRole: { viewer: 10, officer: 10, operator: 10, admin: 10, kiosk: 3 },
  connectionsPerAddress: 4,
  connectionsReservedForStaff: 1,
};

const claim = (address: string, session: string, role: SlotClaim['role']): SlotClaim => ({ address, session, role });

function granted(result: ReturnType<ReturnType<typeof connectionSlots>['take']>): () => void {
  if (!result.ok) throw new Error(`refused: ${result.reason}`);
  return result.release;
}

describe('connection slots per session, role and address', () => {
  it('gives one session at most its cap, whatever the address', () => {
    const slots = connectionSlots(LIMITS);
    granted(slots.take(claim('192.0.2.1', 's1', 'operator')));
    granted(slots.take(claim('192.0.2.2', 's1', 'operator')));
    expect(slots.take(claim('192.0.2.3', 's1', 'operator'))).toEqual({ ok: false, reason: 'too many connections for this login (2); close a tab or log in again' });
    granted(slots.take(claim('192.0.2.3', 's2', 'operator')));
  });

  it('gives a role at most its cap over every address and session, and other roles are not touched', () => {
    const slots = connectionSlots(LIMITS);
    for (let i = 1; i <= 3; i += 1) granted(slots.take(claim(`192.0.2.${i}`, `k${i}`, 'kiosk')));
    expect(slots.take(claim('192.0.2.9', 'k9', 'kiosk'))).toEqual({ ok: false, reason: 'too many kiosk connections (3)' });
    granted(slots.take(claim('192.0.2.9', 'v1', 'viewer')));
    expect(slots.held('role', 'kiosk')).toBe(3);
  });

  it('keeps the reserve of an address for operators and admins, and counts everyone toward the address', () => {
    const slots = connectionSlots(LIMITS);
    granted(slots.take(claim('192.0.2.1', 'v1', 'viewer')));
    granted(slots.take(claim('192.0.2.1', 'v2', 'viewer')));
    granted(slots.take(claim('192.0.2.1', 'k1', 'officer')));
    const refused = slots.take(claim('192.0.2.1', 'v3', 'viewer'));
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.reason).toBe('too many connections from this address for the viewer role (3); the other 1 are kept for operators and admins');
    // The reserve: an operator still gets in; then the address is full for everyone.
    granted(slots.take(claim('192.0.2.1', 'o1', 'operator')));
    expect(slots.take(claim('192.0.2.1', 'a1', 'admin'))).toEqual({ ok: false, reason: 'too many connections from this address (4)' });
    // Another address is untouched.
    granted(slots.take(claim('192.0.2.2', 'v4', 'viewer')));
  });

  it('lets staff use every slot of an address, not only the reserve', () => {
    const slots = connectionSlots(LIMITS);
    for (const session of ['o1', 'o2']) for (let i = 0; i < 2; i += 1) granted(slots.take(claim('192.0.2.1', session, 'operator')));
    expect(slots.held('address', '192.0.2.1')).toBe(4);
    expect(slots.take(claim('192.0.2.1', 'v1', 'viewer')).ok).toBe(false);
  });

  it('gives every count back on release, once however often it is called, and forgets empty keys', () => {
    const slots = connectionSlots(LIMITS);
    const release = granted(slots.take(claim('192.0.2.1', 's1', 'kiosk')));
    const other = granted(slots.take(claim('192.0.2.1', 's2', 'kiosk')));
    release();
    release();
    expect(slots.held('session', 's1')).toBe(0);
    expect(slots.held('session', 's2')).toBe(1);
    expect(slots.held('role', 'kiosk')).toBe(1);
    expect(slots.held('address', '192.0.2.1')).toBe(1);
    expect(slots.held('lowAddress', '192.0.2.1')).toBe(1);
    other();
    expect(slots.held('address', '192.0.2.1')).toBe(0);
    expect(slots.held('role', 'kiosk')).toBe(0);
  });

  it('takes nothing when it refuses', () => {
    const slots = connectionSlots({ ...LIMITS, connectionsPerAddress: 1, connectionsReservedForStaff: 0 });
    granted(slots.take(claim('192.0.2.1', 's1', 'viewer')));
    expect(slots.take(claim('192.0.2.1', 's2', 'viewer')).ok).toBe(false);
    expect(slots.held('session', 's2')).toBe(0);
    expect(slots.held('role', 'viewer')).toBe(1);
  });
});
