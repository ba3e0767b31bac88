import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { startHeartbeat, type Heartbeat } from '../../src/console/heartbeat.js';

function peer() {
  const p = { pings: 0, terminated: false, ping: () => void (p.pings += 1), terminate: () => void (p.terminated = true) };
  return p;
}

describe('the heartbeat', () => {
  let heartbeat: Heartbeat | null = null;
  beforeEach(() => void vi.useFakeTimers());
  afterEach(() => {
    heartbeat?.stop();
    vi.useRealTimers();
  });

  it('pings each interval, keeps a peer that answers, and terminates one silent since the previous ping', () => {
    heartbeat = startHeartbeat(100, (sweep) => sweep());
    const answering = peer();
    const silent = peer();
    const a = heartbeat.watch(answering);
    heartbeat.watch(silent);
    vi.advanceTimersByTime(99);
    expect([answering.pings, silent.pings]).toEqual([0, 0]);
    vi.advanceTimersByTime(1);
    expect([answering.pings, silent.pings]).toEqual([1, 1]);
    a.pong();
    vi.advanceTimersByTime(100);
    expect(silent.terminated).toBe(true);
    expect(silent.pings).toBe(1);
    expect(answering).toMatchObject({ pings: 2, terminated: false });
    a.pong();
    vi.advanceTimersByTime(100);
    expect(answering).toMatchObject({ pings: 3, terminated: false });
    vi.advanceTimersByTime(100);
    expect(answering.terminated).toBe(true);
  });

  it('leaves a forgotten peer alone, and stops with the server', () => {
    heartbeat = startHeartbeat(50, (sweep) => sweep());
    const gone = peer();
    const stays = peer();
    heartbeat.watch(gone).forget();
    heartbeat.watch(stays);
    vi.advanceTimersByTime(50);
    expect([gone.pings, stays.pings]).toEqual([0, 1]);
    heartbeat.stop();
    vi.advanceTimersByTime(500);
    expect(stays).toMatchObject({ pings: 1, terminated: false });
  });

  it('terminates a peer whose ping throws rather than letting the throw escape the timer', () => {
    heartbeat = startHeartbeat(50, (sweep) => sweep());
    let terminated = false;
    heartbeat.watch({
      ping: () => {
        throw new Error('WebSocket is not open: readyState 0 (CONNECTING)');
      },
      terminate: () => void (terminated = true),
    });
    vi.advanceTimersByTime(50);
    expect(terminated).toBe(true);
  });
});
