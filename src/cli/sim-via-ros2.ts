import { importRclnodejs } from '../adapters/ros2/index.js';
import { loadRos2Config, parseRos2Config } from '../adapters/ros2/ros2-config.js';
import { lobbyOf } from '../../sim/lobby.js';
import { loadScenario } from '../../sim/scenario.js';
import { intOption, speedOption, UsageError } from './args.js';
import { DEFAULT_ROS2_SPEED, printSummary, progressBar } from './sim.js';
import { runScenarioOverRos2, type Ros2SimSides } from './sim-ros2.js';
import { domainIdFor, processSides, sideEnv } from './sim-ros2-processes.js';
import { rclnodejsInstalled } from './sim-robot.js';

export interface SimViaRos2Run {
  /** `tiepdan sim`'s parsed options. */
  readonly values: Readonly<Record<string, string | boolean | undefined>>;
  readonly env: NodeJS.ProcessEnv;
  readonly out: NodeJS.WritableStream;
  readonly err: NodeJS.WritableStream & { isTTY?: boolean };
  /** Default: two child processes on a real graph; tests put both sides on the in-process graph. */
  readonly sides?: Ros2SimSides;
  /** Default: whether rclnodejs resolves in this checkout. */
  readonly installed?: () => boolean;
  /** Default: this process's id. */
  readonly pid?: number;
}

/** `tiepdan sim --via ros2`: checks what a run over ROS 2 needs, runs it, prints the summary; the exit status. */
export async function simViaRos2(run: SimViaRos2Run): Promise<number> {
  const v = run.values;
  const text = (name: string): string | undefined => (typeof v[name] === 'string' ? (v[name] as string) : undefined);
  if (text('report') !== undefined) throw new UsageError('--report draws a run in this process; leave out --via ros2 for a report');
  if (text('speed') === 'max') throw new UsageError(`with --via ros2, --speed is a number (default ${DEFAULT_ROS2_SPEED}): over DDS both processes keep a wall-clock pace`);
  const speed = speedOption(text('speed'), DEFAULT_ROS2_SPEED, false) as number;
  const seedOption = intOption('seed', text('seed'), 0, 4_294_967_295);
  const domainId = intOption('domain-id', text('domain-id'), 0, 232) ?? domainIdFor(run.pid ?? process.pid);
  const scenarioPath = text('scenario')!;
  const scenario = loadScenario(scenarioPath);
  if (scenario.days > 1 || scenario.controllerKills !== undefined) throw new UsageError('a soak (days or controllerKills) runs in-process only; leave out --via ros2');
  if (scenario.idScans.enabled) throw new UsageError(`${scenarioPath} has ID scans, and the robot has no card reader on ROS 2 yet; leave out --via ros2`);
  // Checked here, before any process starts: what to source and install (importRclnodejs says it).
  if (!run.env['ROS_DISTRO'] || !(run.installed ?? rclnodejsInstalled)()) {
    await importRclnodejs({ env: run.env, importModule: () => Promise.reject(new Error('rclnodejs is not installed in this checkout (or its build failed and npm left it out)')) });
  }
  const env = sideEnv(run.env, domainId);
  const configPath = text('ros2-config');
  const config = configPath !== undefined ? loadRos2Config(configPath, env) : parseRos2Config({}, env, 'ros2 config (defaults)');
  const { mapPath } = lobbyOf(scenario, text('map'));
  const seed = seedOption ?? scenario.seed;
  const showProgress = run.err.isTTY === true;
  const json = v['json'] === true;
  const intentModel = text('intent-model');
  if (!json) run.err.write(`tiepdan sim --via ros2: ROS_DOMAIN_ID ${domainId}, discovery on localhost, Cyclone DDS on lo; ${speed} simulated seconds per wall second\n`);
  const sides = run.sides ?? processSides({ env, onStderr: (line) => run.err.write(`${line}\n`) });
  const result = await runScenarioOverRos2(
    { scenarioPath, scenario, seed, mapPath, config, speed, ...(intentModel !== undefined ? { intentModel } : {}) },
    sides,
    {
      ...(showProgress ? { onProgress: progressBar(run.err as NodeJS.WriteStream) } : {}),
      ...(json ? {} : { onStage: (stage: string) => run.err.write(`${stage}\n`) }),
    },
  );
  if (showProgress) run.err.write('\n');
  if (json) run.out.write(`${JSON.stringify(result.summary)}\n`);
  else printSummary(result, run.out);
  return result.summary.expectationsMet ? 0 : 1;
}
