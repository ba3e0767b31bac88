import type { CardScanner } from '../ports/card-scanner.js';
import type { TextListener } from '../adapters/text/text-listener.js';
import type { RobotBase } from '../ports/robot-base.js';
import type { Speaker } from '../ports/speaker.js';
import type { VirtualClock } from '../util/virtual-clock.js';
import type { ControllerRecord } from './controller.js';
import type { RobotView } from '../console/lobby-console.js';
import type { OccupancyMap } from '../maps/map.js';

/**
 * What a simulated lobby offers a controller for one service day: the robot's body, ears, voice
 * and card reader, on the lobby's virtual clock. The robot has the same ports from ROS 2 and the
 * microphone; only the simulator also steps a world.
 */
export interface LobbyPorts {
  readonly base: RobotBase;
  readonly listener: TextListener;
  readonly speaker: Speaker;
  /** Null when the lobby has no card reader (the scenario has no ID scans). */
  readonly scanner: CardScanner | null;
  /** The lobby's virtual clock: the controller's timers run on it when it runs in the same process. */
  readonly clock: VirtualClock;
  /** Milliseconds since the simulation's epoch (08:00 on the first day), for the controller's clock. */
  readonly nowMs: () => number;
  /** Calendar milliseconds (Unix epoch) now: tickets and requests are dated by it. */
  readonly calendarNowMs: () => number;
  /** Everything the controller reports goes back to the lobby's driver (counts, the report). */
  readonly record: (record: ControllerRecord) => void;
  /** The lobby as the console draws it. */
  readonly map: OccupancyMap;
  readonly view: () => RobotView;
}

/**
 * Where the controller runs during a simulated day: in the driver's own process, or as a child
 * process that the soak kills and restarts. The driver calls `attach` at the start of each day,
 * `settle` after every world tick (the controller catches up with simulated time before the world
 * moves on) and `detach` at the end of the day.
 */
export interface ControllerHost {
  attach(ports: LobbyPorts): Promise<void>;
  settle(): Promise<void>;
  detach(): Promise<void>;
}
