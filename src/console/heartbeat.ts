/** What the heartbeat does to a socket: ask for a pong, or give up on it. */
export interface HeartbeatPeer {
  ping(): void;
  terminate(): void;
}

export interface Heartbeat {
  /** Watches a peer from now on; call `pong` on each pong it sends and `forget` once it has closed. */
  watch(peer: HeartbeatPeer): { pong(): void; forget(): void };
  /** Stops the timer; peers are left as they are. */
  stop(): void;
}

/**
 * A ping to every watched peer each `intervalMs`; a peer that has not sent a pong since the previous
 * ping is terminated instead. A half-open socket (the peer gone without a FIN) is freed one to two
 * intervals after its last pong, whatever TCP's own keepalive would take. Browsers answer pings by
 * themselves, so the pages need no code for it.
 */
export function startHeartbeat(intervalMs: number, defer: (sweep: () => void) => void = setImmediate): Heartbeat {
  const alive = new Map<HeartbeatPeer, boolean>();
  const sweep = (): void => {
    for (const [peer, answered] of alive) {
      if (answered) {
        alive.set(peer, false);
        try {
          peer.ping();
          continue;
        } catch {
          // ws throws only for a socket that is not open yet; one that cannot be pinged is as good as dead.
        }
      }
      alive.delete(peer);
      peer.terminate();
    }
  };
  // After a stalled event loop the timers run before pending socket reads: a pong that arrived in
  // time would not have been read yet. Sweeping at setImmediate (the default `defer`) comes after
  // that poll phase.
  const timer = setInterval(() => defer(sweep), intervalMs);
  // The server it belongs to keeps the process alive; its heartbeat alone should not.
  timer.unref();
  return {
    watch(peer) {
      alive.set(peer, true);
      return {
        pong: () => {
          if (alive.has(peer)) alive.set(peer, true);
        },
        forget: () => void alive.delete(peer),
      };
    },
    stop: () => clearInterval(timer),
  };
}
