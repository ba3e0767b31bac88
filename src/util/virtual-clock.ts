/**
 * Virtual time for the simulator and the statechart (XState's `clock` option takes this shape).
 * Timers fire in (due time, creation order), so the same run gives the same order, to the byte.
 */
export interface Clock {
  setTimeout(fn: (...args: unknown[]) => void, timeoutMs: number): number;
  clearTimeout(id: unknown): void;
}

interface Timer {
  readonly id: number;
  readonly dueMs: number;
  readonly fn: () => void;
}

export class VirtualClock implements Clock {
  #nowMs = 0;
  #nextId = 1;
  #timers = new Map<number, Timer>();
  /** Kept sorted by (dueMs, id); timers are few (the statechart's `after` delays and pending speech). */
  #order: Timer[] = [];

  get nowMs(): number {
    return this.#nowMs;
  }

  /** When the next timer is due, or null when none is set. */
  get nextDueMs(): number | null {
    return this.#order[0]?.dueMs ?? null;
  }

  setTimeout(fn: (...args: unknown[]) => void, timeoutMs: number): number {
    const id = this.#nextId++;
    const delay = Number.isFinite(timeoutMs) && timeoutMs > 0 ? timeoutMs : 0;
    const timer: Timer = { id, dueMs: this.#nowMs + delay, fn: () => fn() };
    this.#timers.set(id, timer);
    let i = this.#order.length;
    while (i > 0 && this.#order[i - 1]!.dueMs > timer.dueMs) i -= 1;
    this.#order.splice(i, 0, timer);
    return id;
  }

  clearTimeout(id: unknown): void {
    if (typeof id !== 'number') return;
    const timer = this.#timers.get(id);
    if (timer === undefined) return;
    this.#timers.delete(id);
    const index = this.#order.indexOf(timer);
    if (index >= 0) this.#order.splice(index, 1);
  }

  /** Moves time forward to `nowMs + stepMs`, firing every timer due on the way, in order. */
  advance(stepMs: number): void {
    const target = this.#nowMs + stepMs;
    for (;;) {
      const next = this.#order[0];
      if (next === undefined || next.dueMs > target) break;
      this.#order.shift();
      this.#timers.delete(next.id);
      this.#nowMs = Math.max(this.#nowMs, next.dueMs);
      next.fn();
    }
    this.#nowMs = target;
  }
}
