import type { Role } from './protocol.js';

/**
 * How many sockets may be open at once, counted four ways. A socket must fit every count; the
 * refusal names the first it does not fit.
 */
export interface SlotLimits {
  /** Sockets one login (one session cookie) may hold, so one login cannot take every slot. */
  readonly connectionsPerSession: number;
  /** Sockets all sessions of a role may hold on this server together, so kiosks cannot starve viewers. */
  readonly connectionsPerRole: Readonly<Record<Role, number>>;
  /** Sockets from one client address, every role together. */
  readonly connectionsPerAddress: number;
  /** Of `connectionsPerAddress`, the slots only operators and admins may take: other roles stop short of them. */
  readonly connectionsReservedForStaff: number;
}

/** The roles that can stop the robot: low-privilege sockets from the same address never crowd them out. */
const STAFF: ReadonlySet<Role> = new Set<Role>(['operator', 'admin']);

export interface SlotClaim {
  /** The client's address as resolved (client-address.ts), not necessarily the TCP peer's. */
  readonly address: string;
  /** Identifies the login; kept in memory only, for as long as a socket of it is open. */
  readonly session: string;
  readonly role: Role;
}

export type SlotGrant = { readonly ok: true; readonly release: () => void } | { readonly ok: false; readonly reason: string };

/**
 * Connections per session, role and address. A slot is taken before the websocket handshake and
 * given back once the TCP connection is gone, however it went (closing handshake, error,
 * heartbeat, an ended session, or a failed handshake), so a vanished client cannot hold one for ever.
 */
export interface ConnectionSlots {
  take(claim: SlotClaim): SlotGrant;
  /** Slots held now by one session, role or address (the low-privilege part of an address under `lowAddress`). */
  held(scope: Scope, key: string): number;
}

type Scope = 'session' | 'role' | 'address' | 'lowAddress';

export function connectionSlots(limits: SlotLimits): ConnectionSlots {
  const counts: Record<Scope, Map<string, number>> = { session: new Map(), role: new Map(), address: new Map(), lowAddress: new Map() };
  const held = (scope: Scope, key: string) => counts[scope].get(key) ?? 0;

  function refusal({ address, session, role }: SlotClaim): string | null {
    if (held('session', session) >= limits.connectionsPerSession) return `too many connections for this login (${limits.connectionsPerSession}); close a tab or log in again`;
    if (held('role', role) >= limits.connectionsPerRole[role]) return `too many ${role} connections (${limits.connectionsPerRole[role]})`;
    if (held('address', address) >= limits.connectionsPerAddress) return `too many connections from this address (${limits.connectionsPerAddress})`;
    const forOthers = limits.connectionsPerAddress - limits.connectionsReservedForStaff;
    if (!STAFF.has(role) && held('lowAddress', address) >= forOthers) {
      return `too many connections from this address for the ${role} role (${forOthers}); the other ${limits.connectionsReservedForStaff} are kept for operators and admins`;
    }
    return null;
  }

  return {
    take(claim) {
      const reason = refusal(claim);
      if (reason !== null) return { ok: false, reason };
      const keys: [Scope, string][] = [
        ['session', claim.session],
        ['role', claim.role],
        ['address', claim.address],
      ];
      if (!STAFF.has(claim.role)) keys.push(['lowAddress', claim.address]);
      for (const [scope, key] of keys) counts[scope].set(key, held(scope, key) + 1);
      let given = false;
      return {
        ok: true,
        release() {
          if (given) return;
          given = true;
          for (const [scope, key] of keys) {
            const left = held(scope, key) - 1;
            // Keys with nothing open are forgotten, so a scan from many addresses leaves no trace.
            if (left <= 0) counts[scope].delete(key);
            else counts[scope].set(key, left);
          }
        },
      };
    },
    held,
  };
}
