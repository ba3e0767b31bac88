import type { Ros2Config } from '../adapters/ros2/ros2-config.js';
import type { ControllerFigures } from '../app/controller-figures.js';
import { TiepdanError } from '../ports/errors.js';
import type { Scenario } from '../../sim/scenario.js';
import { summaryOf, type LobbyFigures, type RunSummary } from '../../sim/summary.js';

/**
 * `tiepdan sim --via ros2`: the controller and the simulated robot as two sides that talk only over
 * ROS 2. The robot's side owns the world and its clock (/clock); the controller's side is the robot's
 * own composition on simulated time. Besides the graph they only hear from the driver when to start
 * and stop, and each hands it its own figures at the end, which make the same summary as `tiepdan sim`.
 * The sides are pluggable: child processes on a real graph (sim-ros2-processes.ts), or both in one
 * process on the in-process graph (the tests).
 */

export interface Ros2SimSpec {
  readonly scenarioPath: string;
  readonly scenario: Scenario;
  readonly seed: number;
  /** The map both sides use: the scenario's, or the --map override. */
  readonly mapPath: string;
  /** The same names, QoS and frames on both sides; the controller's side adds useSimTime. */
  readonly config: Ros2Config;
  /** Simulated seconds per wall second. */
  readonly speed: number;
  /** The --intent-model option, for a side that builds its own model. */
  readonly intentModel?: string;
}

export interface RobotSideHandle {
  /** Serving on the graph, standing still. */
  readonly ready: Promise<void>;
  /** Plays the scenario; resolves with the lobby's figures. */
  run(onProgress?: (simS: number, durationS: number) => void): Promise<LobbyFigures>;
  close(): Promise<void>;
}

export interface ControllerSideHandle {
  /** Running, and hearing the robot's clock and odometry. */
  readonly ready: Promise<void>;
  /** Stops the controller (base held) and resolves with its figures. */
  finish(): Promise<ControllerFigures>;
  /** Ends it without figures (after a failure elsewhere). */
  abandon(): Promise<void>;
}

export interface Ros2SimSides {
  robot(spec: Ros2SimSpec): RobotSideHandle;
  controller(spec: Ros2SimSpec): ControllerSideHandle;
}

export interface Ros2SimResult {
  readonly summary: RunSummary;
  readonly failedExpectations: readonly string[];
}

/**
 * Starts the robot, then the controller once the robot serves; plays the scenario once the
 * controller hears the robot; at the end stops the controller first (it holds the base), then the
 * robot. A side that fails ends the run with its error, the other side stopped.
 */
export async function runScenarioOverRos2(
  spec: Ros2SimSpec,
  sides: Ros2SimSides,
  options: { onProgress?: (simS: number, durationS: number) => void; onStage?: (stage: string) => void } = {},
): Promise<Ros2SimResult> {
  const wallStart = performance.now();
  const stage = options.onStage ?? (() => undefined);
  const robot = sides.robot(spec);
  let controller: ControllerSideHandle | null = null;
  try {
    stage('starting the simulated robot');
    await robot.ready;
    stage('starting the controller');
    controller = sides.controller(spec);
    await controller.ready;
    stage('running');
    const lobby = await robot.run(options.onProgress);
    const figures = await controller.finish();
    controller = null;
    await robot.close();
    const summary = summaryOf(lobby, figures, Math.round((performance.now() - wallStart) / 10) / 100);
    return { summary, failedExpectations: lobby.failedExpectations };
  } catch (error) {
    await controller?.abandon().catch(() => undefined);
    await robot.close().catch(() => undefined);
    throw error instanceof Error ? error : new TiepdanError('ros2_failed', String(error));
  }
}
