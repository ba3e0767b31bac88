import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseRos2Config } from '../../../src/adapters/ros2/ros2-config.js';
import { runRos2Check, type Ros2CheckReport } from '../../../src/cli/ros2.js';
import { projectPath } from '../../../src/paths.js';
import { createSimRobotLobby } from '../../../sim/ros2-robot/lobby-robot.js';
import { loadScenario } from '../../../sim/scenario.js';
import { FakeGraph } from './fake-graph.js';

const ENV = { ROS_DISTRO: 'jazzy' };

function output() {
  const out = new PassThrough();
  const text = { out: '' };
  out.on('data', (c: Buffer) => (text.out += c.toString()));
  return { out, text };
}

async function simulatedRobotOn(graph: FakeGraph) {
  const rcl = graph.module();
  await rcl.init();
  return createSimRobotLobby({ rcl, config: parseRos2Config({ distro: 'jazzy' }, {}), scenario: loadScenario(projectPath('sim', 'scenarios', 'empty-lobby.yaml')), seed: 1 });
}

async function check(graph: FakeGraph, argv: string[], env: NodeJS.ProcessEnv = ENV) {
  const o = output();
  const code = await runRos2Check({ argv: ['check', ...argv], env, out: o.out, importModule: async () => graph.module() });
  return { code, text: o.text.out };
}

describe('tiepdan ros2 check', () => {
  it('against the simulated robot: every topic and action present, with its type and who is at the other end; exit 0', async () => {
    const graph = new FakeGraph();
    const robot = await simulatedRobotOn(graph);
    const { code, text } = await check(graph, ['--json', '--timeout', '2']);
    await robot.close();
    expect(code).toBe(0);
    const report = JSON.parse(text) as Ros2CheckReport;
    expect(report).toMatchObject({ ok: true, distro: 'jazzy', rclnodejs: { loaded: true } });
    expect(report.interfaces.every((i) => i.loads)).toBe(true);
    expect(report.interfaces.map((i) => i.type)).toEqual(expect.arrayContaining(['nav2_msgs/action/NavigateToPose', 'hri_msgs/msg/IdsList', 'nav2_msgs/action/DockRobot']));
    expect(report.topics.map((t) => [t.name, t.present])).toEqual([
      ['/amcl_pose', true],
      ['/odom', true],
      ['/battery_state', true],
      ['/plan', true],
      ['/tf', true],
      ['/humans/persons/tracked', true],
      ['/humans/voices/tracked', true],
      ['/cmd_vel', true],
      ['/speed_limit', true],
    ]);
    expect(report.topics.find((t) => t.name === '/odom')).toMatchObject({ type: 'nav_msgs/msg/Odometry', publishers: [{ node: '/tiepdan_sim_robot', type: 'nav_msgs/msg/Odometry' }] });
    expect(report.topics.find((t) => t.name === '/cmd_vel')).toMatchObject({ direction: 'controller', subscribers: [{ node: '/tiepdan_sim_robot', type: 'geometry_msgs/msg/Twist' }] });
    expect(report.actions).toEqual([
      { name: '/navigate_to_pose', configKey: 'actions.navigateToPose', type: 'nav2_msgs/action/NavigateToPose', present: true, servers: ['/tiepdan_sim_robot'] },
      { name: '/dock_robot', configKey: 'actions.dockRobot', type: 'nav2_msgs/action/DockRobot', present: true, servers: ['/tiepdan_sim_robot'] },
      { name: '/undock_robot', configKey: 'actions.undockRobot', type: 'nav2_msgs/action/UndockRobot', present: true, servers: ['/tiepdan_sim_robot'] },
    ]);
  });

  it('in text: one line per topic and action, published by / heard by / served by whom', async () => {
    const graph = new FakeGraph();
    const robot = await simulatedRobotOn(graph);
    const { code, text } = await check(graph, []);
    await robot.close();
    expect(code).toBe(0);
    expect(text).toContain('ok      /amcl_pose  geometry_msgs/msg/PoseWithCovarianceStamped  published by /tiepdan_sim_robot');
    expect(text).toContain('ok      /speed_limit  nav2_msgs/msg/SpeedLimit  heard by /tiepdan_sim_robot');
    expect(text).toContain('ok      /navigate_to_pose  nav2_msgs/action/NavigateToPose  served by /tiepdan_sim_robot');
    expect(text).toMatch(/everything tiepdan needs is there\n$/);
    expect(text).not.toContain('MISSING');
  });

  it('EXPECTED FAILURE - an empty graph: names every missing topic and action, each with its fix; exit 1', async () => {
    const { code, text } = await check(new FakeGraph(), ['--json', '--timeout', '0.3']);
    expect(code).toBe(1);
    const report = JSON.parse(text) as Ros2CheckReport;
    expect(report.ok).toBe(false);
    expect(report.topics.filter((t) => !t.present).map((t) => t.name)).toEqual([
      '/amcl_pose',
      '/odom',
      '/battery_state',
      '/plan',
      '/tf',
      '/humans/persons/tracked',
      '/humans/voices/tracked',
      '/cmd_vel',
      '/speed_limit',
    ]);
    expect(report.actions.filter((a) => !a.present).map((a) => a.name)).toEqual(['/navigate_to_pose', '/dock_robot', '/undock_robot']);
    expect(report.topics.find((t) => t.name === '/amcl_pose')!.fix).toBe(
      'nobody publishes /amcl_pose (geometry_msgs/msg/PoseWithCovarianceStamped): start AMCL (nav2_amcl, in the Nav2 bringup), or name the robot\'s topic in the config (topics.amclPose)',
    );
    expect(report.topics.find((t) => t.name === '/cmd_vel')!.fix).toMatch(/^nobody subscribes to \/cmd_vel \(geometry_msgs\/msg\/Twist\): start the base, twist_mux/);
    expect(report.actions[0]!.fix).toBe("no server for /navigate_to_pose (nav2_msgs/action/NavigateToPose): start Nav2's bt_navigator, or name the robot's action in the config (actions.navigateToPose)");
    expect(report.topics.every((t) => t.fix !== undefined) && report.actions.every((a) => a.fix !== undefined)).toBe(true);
  });

  it('EXPECTED FAILURE - in a namespace, with a config naming other topics: checks the names the config gives', async () => {
    const graph = new FakeGraph();
    const robot = await simulatedRobotOn(graph);
    const o = output();
    const file = projectPath('sim', 'ros2', 'nav2-default.yaml');
    const code = await runRos2Check({ argv: ['check', '--config', file, '--timeout', '0.3'], env: ENV, out: o.out, importModule: async () => graph.module() });
    expect(code).toBe(0);
    // The same robot, looked for under /robot1: nothing of it is there.
    const dir = mkdtempSync(join(tmpdir(), 'tiepdan-check-'));
    const other = join(dir, 'robot1.yaml');
    writeFileSync(other, 'distro: jazzy\nnamespace: /robot1\n');
    const { code: code2, text } = await check(graph, ['--config', other, '--timeout', '0.3']);
    await robot.close();
    rmSync(dir, { recursive: true, force: true });
    expect(code2).toBe(1);
    expect(text).toContain('MISSING /robot1/odom  nav_msgs/msg/Odometry');
    expect(text).toContain('MISSING /robot1/navigate_to_pose  nav2_msgs/action/NavigateToPose');
  });

  it('EXPECTED FAILURE - a topic of another type: says what it carries and which config key names it', async () => {
    const graph = new FakeGraph();
    const rcl = graph.module();
    await rcl.init();
    const node = new rcl.Node('wrong_driver');
    node.createPublisher('std_msgs/msg/Float32', 'battery_state');
    const { code, text } = await check(graph, ['--json', '--timeout', '0.3']);
    expect(code).toBe(1);
    const battery = (JSON.parse(text) as Ros2CheckReport).topics.find((t) => t.name === '/battery_state')!;
    expect(battery).toMatchObject({ present: false, typesOnGraph: ['std_msgs/msg/Float32'], publishers: [{ node: '/wrong_driver', type: 'std_msgs/msg/Float32' }] });
    expect(battery.fix).toBe("/battery_state carries std_msgs/msg/Float32, not sensor_msgs/msg/BatteryState: name the robot's sensor_msgs/msg/BatteryState topic in the config (topics.battery)");
  });

  it('EXPECTED FAILURE - interfaces that do not load: which package to install; exit 1', async () => {
    const { code, text } = await check(new FakeGraph({ missingPackages: ['hri_msgs', 'nav2_msgs'] }), ['--timeout', '0']);
    expect(code).toBe(1);
    expect(text).toContain('MISSING hri_msgs/msg/IdsList');
    expect(text).toContain('fix: apt-get install ros-$ROS_DISTRO-hri-msgs, then source ROS 2 again in this shell');
    expect(text).toContain('MISSING nav2_msgs/action/NavigateToPose');
    expect(text).toContain('fix: apt-get install ros-$ROS_DISTRO-nav2-msgs');
    expect(text).toContain('ok      geometry_msgs/msg/Twist');
  });

  it('EXPECTED FAILURE - without ROS 2, or without rclnodejs: says so and what to do (npm_config_yes=true); exit 2', async () => {
    const o = output();
    expect(await runRos2Check({ argv: ['check'], env: {}, out: o.out, importModule: () => expect.unreachable('not loaded without ROS 2') })).toBe(2);
    expect(o.text.out).toContain('MISSING rclnodejs: ROS_DISTRO is not set: ROS 2 is not sourced in this shell');
    expect(o.text.out).toContain('source /opt/ros/jazzy/setup.bash');
    const notFound = Object.assign(new Error("Cannot find package 'rclnodejs' imported from /x/index.js"), { code: 'ERR_MODULE_NOT_FOUND' });
    const o2 = output();
    expect(await runRos2Check({ argv: ['check', '--json'], env: ENV, out: o2.out, importModule: () => Promise.reject(notFound) })).toBe(2);
    const report = JSON.parse(o2.text.out) as Ros2CheckReport;
    expect(report.rclnodejs.problem).toBe("rclnodejs is not installed in this checkout, or its build failed and npm left it out (Cannot find package 'rclnodejs' imported from /x/index.js)");
    expect(report.rclnodejs.fix).toMatch(/^npm_config_yes=true npm install rclnodejs .*npx rimraf.*npm ci still exits 0/);
  });

  it('EXPECTED FAILURE - usage: a missing or unknown subcommand, a bad timeout', async () => {
    const o = output();
    await expect(runRos2Check({ argv: [], env: ENV, out: o.out })).rejects.toThrow('say what to do: check');
    await expect(runRos2Check({ argv: ['list'], env: ENV, out: o.out })).rejects.toThrow('unknown subcommand "list"; the one there is: check');
    await expect(runRos2Check({ argv: ['check', '--timeout', 'soon'], env: ENV, out: o.out })).rejects.toThrow('--timeout must be a number');
  });
});
