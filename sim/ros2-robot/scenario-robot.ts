import type { RclnodejsServer } from '../../src/adapters/ros2/ros2-client.js';
import type { Ros2Config } from '../../src/adapters/ros2/ros2-config.js';
import { SIM_EPOCH_MS } from '../lobby.js';
import { TICK_S } from '../runner.js';
import type { Scenario } from '../scenario.js';
import { lobbyFigures, type LobbyFigures } from '../summary.js';
import { createSimRobotLobby, type SimRobotLobby } from './lobby-robot.js';

/**
 * The simulated robot's side of `tiepdan sim --via ros2`: it owns the world and its clock. Until
 * `run()` it stands still and publishes the time, its odometry and its pose; `run()` then plays the
 * scenario tick by tick (the same ticks, lobby and seed as `tiepdan sim`), publishing /clock so the
 * controller keeps its pace, and ends with what the lobby knows: citizens served, escorts, safety.
 */

export interface RobotSideOptions {
  /** rclnodejs (or a fake), already `init()`ed; this side owns it from here. */
  readonly rcl: RclnodejsServer;
  readonly config: Ros2Config;
  readonly scenario: Scenario;
  readonly seed: number;
  readonly mapPath?: string;
  /** Called after each tick, before the next: keeps the wall-clock pace (or, in tests, lets the other side catch up). */
  readonly pace: (tick: number) => Promise<void>;
  /** Wall ms between the standing-still publications before `run()`; default 100. */
  readonly idlePeriodMs?: number;
  readonly onProgress?: (simS: number, durationS: number) => void;
  readonly signal?: AbortSignal;
  readonly log?: (line: string) => void;
}

export interface RobotSide {
  readonly robot: SimRobotLobby;
  /** Plays the scenario to its end (or until the signal), then stands still again. */
  run(onProgress?: (simS: number, durationS: number) => void): Promise<LobbyFigures>;
  /** Aborts the goals being served, leaves the graph and shuts rclnodejs down. */
  close(): Promise<void>;
}

/** Simulated seconds between progress reports. */
const PROGRESS_EVERY_S = 60;

export function startRobotSide(options: RobotSideOptions): RobotSide {
  const { scenario, seed } = options;
  const robot = createSimRobotLobby({
    rcl: options.rcl,
    config: options.config,
    scenario,
    seed,
    epochMs: SIM_EPOCH_MS,
    ...(options.mapPath !== undefined ? { mapPath: options.mapPath } : {}),
    ...(options.log !== undefined ? { log: options.log } : {}),
  });
  let idle: ReturnType<typeof setInterval> | null = setInterval(() => robot.server.idle(), options.idlePeriodMs ?? 100);
  const stopIdling = (): void => {
    if (idle !== null) clearInterval(idle);
    idle = null;
  };
  let closing: Promise<void> | null = null;
  return {
    robot,
    async run(onProgress = options.onProgress) {
      stopIdling();
      const ticks = Math.round(scenario.durationS / TICK_S);
      let nextProgressS = 0;
      for (let tick = 0; tick < ticks; tick += 1) {
        if (options.signal?.aborted === true || closing !== null) break;
        robot.step(TICK_S);
        if (robot.lobby.world.timeS >= nextProgressS) {
          onProgress?.(robot.lobby.world.timeS, scenario.durationS);
          nextProgressS += PROGRESS_EVERY_S;
        }
        await options.pace(tick);
      }
      const { lobby } = robot;
      return lobbyFigures(scenario, seed, lobby.crowd.citizens, lobby.world, lobby.places);
    },
    close() {
      closing ??= (async () => {
        stopIdling();
        await robot.close();
        options.rcl.shutdown();
      })();
      return closing;
    },
  };
}

/** Keeps `speed` simulated seconds per wall second; always lets the event loop turn, so DDS is served. */
export function wallPace(speed: number): (tick: number) => Promise<void> {
  const wallPerTickMs = (TICK_S * 1000) / speed;
  let startMs: number | null = null;
  return (tick) => {
    // Counted from the first tick, which has just been stepped.
    startMs ??= performance.now() - wallPerTickMs;
    const behindMs = startMs + (tick + 1) * wallPerTickMs - performance.now();
    return new Promise((resolve) => (behindMs > 1 ? setTimeout(resolve, behindMs) : setImmediate(resolve)));
  };
}
