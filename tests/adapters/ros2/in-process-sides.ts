import { flush, InFlightCalls } from '../../../src/app/in-flight.js';
import type { Catalog } from '../../../src/ports/catalog.js';
import type { IntentModel } from '../../../src/ports/intent-model.js';
import type { ControllerRecord } from '../../../src/app/controller.js';
import { startControllerSide } from '../../../src/cli/ros2-sim-controller.js';
import type { ControllerSideHandle, RobotSideHandle, Ros2SimSides, Ros2SimSpec } from '../../../src/cli/sim-ros2.js';
import { startRobotSide, type RobotSide } from '../../../sim/ros2-robot/scenario-robot.js';
import type { FakeGraph, FakeRclModule } from './fake-graph.js';

/**
 * `tiepdan sim --via ros2`'s two sides in this process, each with its own rclnodejs-shaped module on
 * the in-process graph: they talk only through it. Time: the robot's side steps as fast as the
 * controller keeps up; after each tick the graph's deliveries run and the controller's model
 * answers, as a lockstep stand-in for the wall-clock pace of separate processes.
 */
export interface InProcessSides extends Ros2SimSides {
  readonly modules: { robot: FakeRclModule | null; controller: FakeRclModule | null };
  readonly robotSide: () => RobotSide | null;
}

export function inProcessSides(
  graph: FakeGraph,
  options: { intentModel: IntentModel; catalog: Catalog; onRecord?: (tS: number, record: ControllerRecord) => void },
): InProcessSides {
  const inFlight = new InFlightCalls();
  const intentModel = inFlight.track(options.intentModel);
  const modules: InProcessSides['modules'] = { robot: null, controller: null };
  let side: RobotSide | null = null;
  return {
    modules,
    robotSide: () => side,
    robot(spec: Ros2SimSpec): RobotSideHandle {
      const rcl = graph.module();
      modules.robot = rcl;
      const ready = rcl.init().then(() => {
        side = startRobotSide({
          rcl,
          config: spec.config,
          scenario: spec.scenario,
          seed: spec.seed,
          mapPath: spec.mapPath,
          pace: async () => {
            await flush();
            await inFlight.settle();
          },
        });
      });
      return {
        ready,
        run: async (onProgress) => {
          await ready;
          return side!.run(onProgress);
        },
        close: async () => {
          await ready.catch(() => undefined);
          await side?.close();
        },
      };
    },
    controller(spec: Ros2SimSpec): ControllerSideHandle {
      const rcl = graph.module();
      modules.controller = rcl;
      return startControllerSide({
        config: spec.config,
        mapPath: spec.mapPath,
        intentModel,
        catalog: options.catalog,
        ros2: { env: { ROS_DISTRO: spec.config.distro }, importModule: async () => rcl },
        ...(options.onRecord !== undefined ? { onRecord: options.onRecord } : {}),
      });
    },
  };
}
