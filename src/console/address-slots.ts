/**
 * Connections per remote address. A slot is taken before the websocket handshake and given back
 * once the TCP connection is gone, however it went (closing handshake, error, heartbeat, or a
 * failed handshake), so a vanished client cannot hold one for ever.
 */
export interface AddressSlots {
  /** A slot for the address and the function that gives it back (safe to call twice), or null when the address has `limit` already. */
  take(address: string): (() => void) | null;
  /** Slots held by the address now. */
  held(address: string): number;
}

export function addressSlots(limit: number): AddressSlots {
  const counts = new Map<string, number>();
  return {
    take(address) {
      const held = counts.get(address) ?? 0;
      if (held >= limit) return null;
      counts.set(address, held + 1);
      let given = false;
      return () => {
        if (given) return;
        given = true;
        const left = (counts.get(address) ?? 1) - 1;
        // Addresses with nothing open are forgotten, so a scan from many addresses leaves no trace.
        if (left <= 0) counts.delete(address);
        else counts.set(address, left);
      };
    },
    held: (address) => counts.get(address) ?? 0,
  };
}
