import type { ChildProcess } from 'node:child_process';
import type { Lang } from '../../ports/common.js';

export interface ChildExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export type ChildrenOutcome =
  | { readonly kind: 'exited'; readonly exits: readonly ChildExit[] }
  | { readonly kind: 'canceled' }
  | { readonly kind: 'spawnFailed'; readonly error: NodeJS.ErrnoException };

export interface SuperviseOptions {
  /** After SIGTERM, how long a child has before SIGKILL. */
  readonly killGraceMs: number;
  /**
   * Kill each child's whole process group (the child must have been spawned `detached`), for engines
   * that start players of their own (festival runs aplay through sh).
   */
  readonly group: boolean;
  /** Replaces the signal-based kill, for platforms without POSIX signals (Windows: taskkill /T /F). */
  readonly kill?: (child: ChildProcess) => void;
}

/**
 * Waits until every child has exited. Aborting `signal` kills them (SIGTERM, then SIGKILL after the
 * grace) and resolves `canceled` only once all are gone, so a caller can rely on the process having
 * ended: Node emits 'exit' after reaping, so `process.kill(pid, 0)` then fails with ESRCH.
 */
export function superviseChildren(children: readonly ChildProcess[], signal: AbortSignal, options: SuperviseOptions): Promise<ChildrenOutcome> {
  return new Promise((resolve) => {
    const exits = new Map<ChildProcess, ChildExit>();
    let canceled = false;
    let spawnError: NodeJS.ErrnoException | undefined;
    let killTimer: NodeJS.Timeout | undefined;

    const running = (): ChildProcess[] => children.filter((child) => !exits.has(child));

    const settle = (): void => {
      if (running().length > 0) return;
      if (killTimer !== undefined) clearTimeout(killTimer);
      signal.removeEventListener('abort', onAbort);
      if (canceled) resolve({ kind: 'canceled' });
      else if (spawnError !== undefined) resolve({ kind: 'spawnFailed', error: spawnError });
      else resolve({ kind: 'exited', exits: children.map((child) => exits.get(child) ?? { code: null, signal: null }) });
    };

    const send = (child: ChildProcess, sig: NodeJS.Signals): void => {
      if (child.pid === undefined || exits.has(child)) return;
      try {
        if (options.group) process.kill(-child.pid, sig);
        else child.kill(sig);
      } catch {
        // Already gone between the check and the kill: its 'exit' settles it.
      }
    };

    const onAbort = (): void => {
      canceled = true;
      for (const child of running()) {
        if (options.kill !== undefined) options.kill(child);
        else send(child, 'SIGTERM');
      }
      killTimer = setTimeout(() => {
        for (const child of running()) send(child, 'SIGKILL');
      }, options.killGraceMs);
    };

    for (const child of children) {
      child.once('exit', (code, sig) => {
        exits.set(child, { code, signal: sig });
        settle();
      });
      child.on('error', (error: NodeJS.ErrnoException) => {
        // A child that never started gets no 'exit'; one that did reports kill failures here, then exits.
        if (child.pid !== undefined) return;
        spawnError ??= error;
        exits.set(child, { code: null, signal: null });
        // Its partner in a pipeline would wait forever on a pipe nobody writes to.
        for (const other of running()) send(other, 'SIGKILL');
        settle();
      });
    }
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
  });
}

/** What every speaker that runs a speech engine as a child process takes. */
export interface ProcessSpeakerOptions {
  /**
   * Write each utterance to its own WAV file in this directory instead of playing it (simulator,
   * tests). Finished files are listed in `recordings`. Default: play through the sound device.
   */
  readonly wavDir?: string;
  /** After SIGTERM on cancel, how long before SIGKILL. Default 50 ms. */
  readonly killGraceMs?: number;
  /** Milliseconds, for the duration of played speech. Default `performance.now`. */
  readonly now?: () => number;
  /** Called with each process started, for supervision and tests. */
  readonly onStart?: (started: { readonly pid: number; readonly lang: Lang; readonly messageId: string }) => void;
}
