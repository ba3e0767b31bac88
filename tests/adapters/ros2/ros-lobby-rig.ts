import { parseRos2Config, type Ros2Config } from '../../../src/adapters/ros2/ros2-config.js';
import type { ControllerRecord } from '../../../src/app/controller.js';
import { flush, InFlightCalls } from '../../../src/app/in-flight.js';
import { loadCatalog } from '../../../src/civic/catalog.js';
import { startControllerSide, type ControllerSide } from '../../../src/cli/ros2-sim-controller.js';
import { createKeywordIntentModel } from '../../../src/nlu/keyword-model.js';
import { projectPath } from '../../../src/paths.js';
import { openDatabase, type Database } from '../../../src/store/database.js';
import { SIM_EPOCH_MS } from '../../../sim/lobby.js';
import { createSimRobotLobby, type SimRobotLobby } from '../../../sim/ros2-robot/lobby-robot.js';
import { parseScenario, type Scenario } from '../../../sim/scenario.js';
import type { Twist } from '../../../src/adapters/ros2/ros2-messages.js';
import { FakeGraph, type FakeRclModule } from './fake-graph.js';

/**
 * The robot's controller (runRobotLobby, as `tiepdan start --base ros2` builds it, on /clock time)
 * and the simulated lobby served as a ROS 2 robot, each with its own module on the in-process graph:
 * for faults that need both ends. One citizen walks in at once and is escorted; time moves only in
 * `run`, a tick of the world then the graph's deliveries and the controller's answers.
 */

export const ONE_CITIZEN = `
name: one-citizen
map: ${projectPath('sim', 'maps', 'ward-lobby.yaml')}
seed: 3
durationS: 3600
arrivals: { ratePerHour: 1, firstArrivalAtS: 3, maxCitizens: 1 }
languages: { vi: 1, en: 0, ko: 0 }
procedures: { land_certificate: 1 }
citizens: { fallBehindProbability: 0, lostProbability: 0 }
crowd: { walkers: 0 }
`;

export interface RigController {
  readonly side: ControllerSide;
  readonly module: FakeRclModule;
  readonly records: ControllerRecord[];
}

export interface RosLobbyRig {
  readonly graph: FakeGraph;
  readonly config: Ros2Config;
  robot: SimRobotLobby;
  robotModule: FakeRclModule;
  controller: RigController;
  readonly database: Database;
  /** Moves the world on, tick by tick, with everything the ticks set off. */
  run(seconds: number): Promise<void>;
  /** Runs until `done()` or `limitS`; returns whether it happened. */
  until(done: () => boolean, limitS: number): Promise<boolean>;
  /** A new controller "process" on the same database, on its own module. */
  startController(): Promise<RigController>;
  /** A new simulated robot "process": the lobby from its start, on its own module. */
  startRobot(): Promise<void>;
  /** Twists the robot was sent after the given index into /cmd_vel's history. */
  twistsSince(index: number): Twist[];
  /** Interaction states the given controller went through. */
  states(controller?: RigController): string[];
  close(): Promise<void>;
}

export async function rosLobbyRig(options: { scenario?: Scenario; file?: Record<string, unknown> } = {}): Promise<RosLobbyRig> {
  const graph = new FakeGraph();
  const config = parseRos2Config({ distro: 'jazzy', ...options.file }, {});
  const scenario = options.scenario ?? parseScenario(projectPath('sim', 'scenarios', 'one-citizen.yaml'), ONE_CITIZEN);
  const catalog = loadCatalog();
  const inFlight = new InFlightCalls();
  const intentModel = inFlight.track(createKeywordIntentModel(catalog));
  const database = openDatabase(':memory:');
  const controllers: RigController[] = [];
  let idle: ReturnType<typeof setInterval> | null = null;

  const startRobot = async (): Promise<void> => {
    const module = graph.module();
    await module.init();
    rig.robotModule = module;
    rig.robot = createSimRobotLobby({ rcl: module, config, scenario, seed: scenario.seed, epochMs: SIM_EPOCH_MS });
  };
  const startController = async (): Promise<RigController> => {
    const module = graph.module();
    const records: ControllerRecord[] = [];
    const side = startControllerSide({
      config,
      mapPath: scenario.mapPath,
      intentModel,
      catalog,
      database,
      ros2: { env: { ROS_DISTRO: 'jazzy' }, importModule: async () => module },
      onRecord: (_tS, record) => records.push(record),
    });
    // The robot stands still and publishes its clock and pose until the controller hears it.
    idle = setInterval(() => rig.robot.server.idle(), 20);
    try {
      await side.ready;
    } finally {
      clearInterval(idle);
    }
    const controller = { side, module, records };
    controllers.push(controller);
    rig.controller = controller;
    return controller;
  };
  const step = async (): Promise<void> => {
    rig.robot.step(0.1);
    await flush();
    await inFlight.settle();
  };
  const rig: RosLobbyRig = {
    graph,
    config,
    database,
    robot: null as unknown as SimRobotLobby,
    robotModule: null as unknown as FakeRclModule,
    controller: null as unknown as RigController,
    async run(seconds) {
      for (let i = 0; i < Math.round(seconds / 0.1); i += 1) await step();
    },
    async until(done, limitS) {
      for (let t = 0; t < limitS; t += 0.1) {
        if (done()) return true;
        await step();
      }
      return done();
    },
    startController,
    startRobot,
    twistsSince: (index) => graph.publishedOn('/cmd_vel').slice(index) as Twist[],
    states: (controller = rig.controller) => controller.records.flatMap((r) => (r.kind === 'state' ? [r.interaction] : [])),
    async close() {
      for (const c of controllers) await c.side.abandon();
      await rig.robot.close();
      database.close();
    },
  };
  await startRobot();
  await startController();
  return rig;
}
