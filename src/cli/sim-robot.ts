import { createRequire } from 'node:module';
import { createSimRobotLobby } from '../../sim/ros2-robot/lobby-robot.js';
import { loadScenario } from '../../sim/scenario.js';
import { importRclnodejs } from '../adapters/ros2/index.js';
import type { RclnodejsServer } from '../adapters/ros2/ros2-client.js';
import { loadRos2Config, parseRos2Config } from '../adapters/ros2/ros2-config.js';
import { localDdsExports, missingLocalDds } from '../adapters/ros2/local-dds.js';
import { TiepdanError } from '../ports/errors.js';
import { projectPath } from '../paths.js';
import { intOption, interruptible, parse, UsageError } from './args.js';

export const SIM_ROBOT_HELP = `Usage: tiepdan sim-robot --map FILE [--config FILE] [--seed N] [--scenario FILE]

Serves the simulated lobby as a ROS 2 robot on this machine's graph, in real time, until Ctrl-C:
Nav2's navigate_to_pose, dock_robot and undock_robot action servers; cmd_vel (and the twist_mux
lock, when configured) and speed_limit obeyed; /clock, odom, amcl_pose, /tf, battery_state, plan;
ROS4HRI persons, voices and the speech of the simulated citizens, who hear the controller on
robot_speech (and staff come on robot_alerts); the map, latched; initialpose moves the robot. Names,
QoS and frames come from the same config \`tiepdan start --base ros2\` reads.

Options:
  --map FILE       map YAML in ROS map_server format, with FILE's .places.yaml beside it   required
  --config FILE    the ROS 2 adapter config (default: sim/ros2/nav2-default.yaml's defaults,
                   distro from ROS_DISTRO)
  --seed N         random seed for citizens, walkers and faults (default: the scenario's)
  --scenario FILE  who comes and what goes wrong (default sim/scenarios/empty-lobby.yaml: nobody,
                   as the live contract suite needs; sim/scenarios/lobby-live.yaml brings citizens
                   who walk up to the robot and talk with the controller)
  -h, --help       show this help

Needs a sourced ROS 2 (Humble or Jazzy) with nav2_msgs and hri_msgs, and rclnodejs installed in
this checkout. The graph is kept on this machine; DDS reads these once, when the process starts it,
so set them in the shell before starting (and in every process that talks to this robot):
  export ROS_AUTOMATIC_DISCOVERY_RANGE=LOCALHOST
  export RMW_IMPLEMENTATION=rmw_cyclonedds_cpp
  export CYCLONEDDS_URI=file://<this checkout>/sim/ros2/cyclonedds-localhost.xml

Exit status: 0 after Ctrl-C; 2 for bad usage or input, without ROS 2 or rclnodejs, or when the
variables above are not set.`;

/** Simulated seconds per step; the loop keeps to the wall clock. */
const STEP_S = 0.1;
const MAX_STEPS_PER_TICK = 10;

export interface SimRobotRun {
  readonly argv: string[];
  readonly env: NodeJS.ProcessEnv;
  readonly out: NodeJS.WritableStream;
  readonly err: NodeJS.WritableStream;
  /** Default: stop on SIGINT or SIGTERM. */
  readonly signal?: AbortSignal;
  /** Default `import()`; tests pass a fake rclnodejs. */
  readonly importModule?: (specifier: string) => Promise<unknown>;
  /** Whether rclnodejs can be found without loading it; default resolves it from this checkout. */
  readonly installed?: () => boolean;
}

export function rclnodejsInstalled(): boolean {
  try {
    createRequire(import.meta.url).resolve('rclnodejs');
    return true;
  } catch {
    return false;
  }
}

/** Runs the simulated robot; resolves with the exit status. */
export async function runSimRobot(run: SimRobotRun): Promise<number> {
  const { values } = parse(run.argv, { map: { type: 'string' }, config: { type: 'string' }, seed: { type: 'string' }, scenario: { type: 'string' } });
  if (values.help) {
    run.out.write(`${SIM_ROBOT_HELP}\n`);
    return 0;
  }
  if (values.map === undefined) throw new UsageError('--map is required');
  const seedOption = intOption('seed', values.seed, 0, 4_294_967_295);

  // In this order: what to install, then what to set, then load. Nothing starts DDS before the check.
  if (!run.env['ROS_DISTRO'] || !(run.installed ?? rclnodejsInstalled)()) {
    // importRclnodejs says what to source and install.
    await importRclnodejs({ env: run.env, importModule: () => Promise.reject(new Error('rclnodejs is not installed in this checkout')) });
  }
  const missing = missingLocalDds(run.env);
  if (missing.length > 0) {
    run.err.write(
      `tiepdan sim-robot: the ROS 2 graph would not stay on this machine (${missing.join('; ')}).\n` +
        `DDS reads these when the process starts it, so set them in the shell first:\n${localDdsExports()}\n`,
    );
    return 2;
  }
  const scenario = loadScenario(values.scenario ?? projectPath('sim', 'scenarios', 'empty-lobby.yaml'));
  const config = values.config !== undefined ? loadRos2Config(values.config, run.env) : parseRos2Config({}, run.env, 'ros2 config (defaults)');
  const rcl = await importRclnodejs({ env: run.env, ...(run.importModule !== undefined ? { importModule: run.importModule } : {}) });
  const server = rcl as Partial<RclnodejsServer>;
  if (server.ActionServer === undefined || server.GoalResponse === undefined || server.CancelResponse === undefined) {
    throw new TiepdanError('ros2_unavailable', 'rclnodejs loaded but has no ActionServer, GoalResponse or CancelResponse; is it rclnodejs 1.x or 2.x?');
  }
  rcl.removeSignalHandlers();
  await rcl.init();

  const seed = seedOption ?? scenario.seed;
  let robot;
  try {
    robot = createSimRobotLobby({ rcl: rcl as RclnodejsServer, config, scenario, mapPath: values.map, seed, log: (line) => run.err.write(`sim-robot: ${line}\n`) });
  } catch (error) {
    rcl.shutdown();
    throw error;
  }
  const ns = config.namespace === '' ? '' : config.namespace;
  run.out.write(
    `tiepdan sim-robot: serving ${values.map} (seed ${seed}, ${config.distro}) as ${ns}/${config.nodeName}_sim_robot: ` +
      `${config.actions.navigateToPose}, ${config.actions.dockRobot}, ${config.actions.undockRobot}; Ctrl-C stops it\n`,
  );

  const interrupt = run.signal === undefined ? interruptible() : null;
  const signal = run.signal ?? interrupt!.signal;
  let last = performance.now();
  let owedS = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    owedS += (now - last) / 1000;
    last = now;
    // Keep to the wall clock; after a stall, catch up a little rather than all at once.
    for (let i = 0; i < MAX_STEPS_PER_TICK && owedS >= STEP_S; i += 1) {
      robot.step(STEP_S);
      owedS -= STEP_S;
    }
    owedS = Math.min(owedS, STEP_S * MAX_STEPS_PER_TICK);
  }, STEP_S * 1000);
  await new Promise<void>((resolve) => {
    if (signal.aborted) resolve();
    else signal.addEventListener('abort', () => resolve(), { once: true });
  });
  clearInterval(timer);
  interrupt?.dispose();
  run.out.write('tiepdan sim-robot: stopping: aborting goals, leaving the graph\n');
  await robot.close();
  rcl.shutdown();
  return 0;
}

export async function simRobotCommand(argv: string[]): Promise<number> {
  return runSimRobot({ argv, env: process.env, out: process.stdout, err: process.stderr });
}
