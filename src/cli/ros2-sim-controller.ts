import type { Ros2Config, Ros2FactoryOptions } from '../adapters/ros2/index.js';
import { RecordingSpeaker } from '../adapters/speech/recording-speaker.js';
import { DEFAULT_SPEECH_CONFIG } from '../adapters/speech/speech-config.js';
import { countControllerFigures, type ControllerFigures } from '../app/controller-figures.js';
import type { ControllerRecord } from '../app/controller.js';
import { openSqliteQueue } from '../civic/queue/sqlite-queue.js';
import type { LobbyConsole } from '../console/lobby-console.js';
import type { Catalog } from '../ports/catalog.js';
import { TiepdanError } from '../ports/errors.js';
import type { IntentModel } from '../ports/intent-model.js';
import { openDatabase, type Database } from '../store/database.js';
import { runRobotLobby } from './robot-lobby.js';

/**
 * The controller's side of `tiepdan sim --via ros2`: the robot's own composition (runRobotLobby, as
 * `tiepdan start --base ros2` builds it) on simulated time from /clock, a voice that makes no sound
 * and takes as long as speaking would, a private in-memory database, and ears on ROS4HRI. It knows
 * the simulated robot only through the graph; at the end it stops (the base held) and reports what
 * only it knows (tickets, handoffs) to whoever started it.
 */

export interface ControllerSideOptions {
  /** The adapter config; `useSimTime` is set here. */
  readonly config: Ros2Config;
  readonly mapPath: string;
  readonly intentModel: IntentModel;
  readonly catalog: Catalog;
  /** How rclnodejs is found; tests pass a fake module on the in-process graph. */
  readonly ros2: Ros2FactoryOptions;
  /** How long to wait for the simulated robot's clock and odometry, in wall ms; default 60 s (DDS discovery). */
  readonly readyTimeoutMs?: number;
  readonly onRecord?: (tS: number, record: ControllerRecord) => void;
  /** Told of the controller's console once it serves (127.0.0.1, a free port): benchmarks drive it as an operator would. */
  readonly onConsole?: (lobbyConsole: LobbyConsole) => void;
  /** Where the queue and the checkpoint are kept; default a private one in memory. A given one outlives the side (a restart finds its checkpoint there). */
  readonly database?: Database;
}

export interface ControllerSide {
  /** Resolves once the controller runs and hears the robot's clock and odometry. */
  readonly ready: Promise<void>;
  /** Stops the controller (the base held still, the goal canceled) and resolves with its figures. */
  finish(): Promise<ControllerFigures>;
  /** Stops it, for a run that failed elsewhere. */
  abandon(): Promise<void>;
}

const READY_POLL_MS = 20;

export function startControllerSide(options: ControllerSideOptions): ControllerSide {
  const stop = new AbortController();
  const figures = countControllerFigures();
  const database = options.database ?? openDatabase(':memory:');
  let markReady!: () => void;
  let failReady!: (error: Error) => void;
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    failReady = reject;
  });
  const limitMs = options.readyTimeoutMs ?? 60_000;
  const running = runRobotLobby({
    mapPath: options.mapPath,
    ros2Config: { ...options.config, useSimTime: true },
    ros2: options.ros2,
    speech: DEFAULT_SPEECH_CONFIG,
    speaker: (clock, nowMs) => new RecordingSpeaker(clock, nowMs),
    ears: 'ros2',
    intentModel: options.intentModel,
    catalog: options.catalog,
    queue: (calendarNowMs) => openSqliteQueue(database, calendarNowMs),
    database,
    host: '127.0.0.1',
    port: 0,
    webRoot: null,
    signal: stop.signal,
    onRecord: (tS, record) => {
      figures.count(record);
      options.onRecord?.(tS, record);
    },
    onReady: (lobbyConsole, robot) => {
      options.onConsole?.(lobbyConsole);
      const startedMs = Date.now();
      const poll = (): void => {
        if (stop.signal.aborted) return failReady(new TiepdanError('ros2_failed', 'stopped before the controller heard the simulated robot'));
        if (robot.time.nowMs() > 0 && robot.base.health().presence === 'present') return markReady();
        if (Date.now() - startedMs > limitMs) {
          return failReady(
            new TiepdanError(
              'ros2_failed',
              `the controller did not hear the simulated robot's /clock and odometry within ${Math.round(limitMs / 1000)} s ` +
                '(are both on the same ROS_DOMAIN_ID, with the same Cyclone DDS config?)',
            ),
          );
        }
        setTimeout(poll, READY_POLL_MS);
      };
      poll();
    },
  });
  running.catch((error: unknown) => failReady(error instanceof Error ? error : new Error(String(error))));
  let finishing: Promise<void> | null = null;
  const end = (): Promise<void> => {
    finishing ??= (async () => {
      stop.abort();
      try {
        await running;
      } finally {
        if (database !== options.database) database.close();
      }
    })();
    return finishing;
  };
  return {
    ready,
    async finish() {
      await end();
      return figures.figures();
    },
    abandon: () => end().catch(() => undefined),
  };
}
