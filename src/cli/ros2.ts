import { aptPackageOf, checkGraph, interfacesFor, type ActionCheck, type TopicCheck } from '../adapters/ros2/graph-check.js';
import { importRclnodejs, RCLNODEJS_INSTALL, ROS2_SETUP, whyRclnodejsFailed } from '../adapters/ros2/index.js';
import type { RclGraphNode, RclnodejsGraph } from '../adapters/ros2/ros2-client.js';
import { loadRos2Config, parseRos2Config, type Ros2Config } from '../adapters/ros2/ros2-config.js';
import { TiepdanError } from '../ports/errors.js';
import { numberOption, parse, UsageError } from './args.js';

export const ROS2_HELP = `Usage: tiepdan ros2 check [--config FILE] [--timeout S] [--json]

For whoever puts tiepdan on a robot: checks, from this shell, what \`tiepdan start --base ros2\` will
need. Whether ROS 2 is sourced and rclnodejs built and loads; whether the interfaces it uses
(nav2_msgs, hri_msgs, ...) load; then, after a moment of discovery, whether every topic and action
the config names is on the graph with the right type, and who publishes, subscribes or serves it.
Each miss comes with its fix.

Options:
  --config FILE    the ROS 2 adapter config (default: the defaults of sim/ros2/nav2-default.yaml,
                   distro from ROS_DISTRO)
  --timeout S      seconds to wait for discovery, at most (default 3; it stops as soon as
                   everything is found)
  --json           one JSON object instead of text
  -h, --help       show this help

Topics the robot publishes (amcl_pose, odom, ...) need a publisher of the right type; topics the
controller publishes (cmd_vel, speed_limit) need a subscriber, the robot listening; actions need a
server. Give it the same DDS environment as the controller (ROS_DOMAIN_ID, RMW_IMPLEMENTATION,
CYCLONEDDS_URI).

Exit status: 0 when everything is there, 1 when something is missing, 2 for bad usage or without
ROS 2 or rclnodejs.`;

export interface Ros2CheckReport {
  readonly ok: boolean;
  readonly distro: string | null;
  readonly rclnodejs: { readonly loaded: boolean; readonly problem?: string; readonly fix?: string };
  readonly interfaces: readonly { readonly type: string; readonly loads: boolean; readonly fix?: string }[];
  readonly discoveryS: number;
  readonly topics: readonly TopicCheck[];
  readonly actions: readonly ActionCheck[];
}

export interface Ros2CheckRun {
  readonly argv: string[];
  readonly env: NodeJS.ProcessEnv;
  readonly out: NodeJS.WritableStream;
  /** Default `import()`; tests pass a fake rclnodejs on the in-process graph. */
  readonly importModule?: (specifier: string) => Promise<unknown>;
}

const POLL_MS = 250;
const CHECK_NODE = 'tiepdan_check';

export async function ros2Command(argv: string[]): Promise<number> {
  return runRos2Check({ argv, env: process.env, out: process.stdout });
}

export async function runRos2Check(run: Ros2CheckRun): Promise<number> {
  const { values, positionals } = parse(run.argv, { config: { type: 'string' }, timeout: { type: 'string' }, json: { type: 'boolean' } }, true);
  if (values.help === true) {
    run.out.write(`${ROS2_HELP}\n`);
    return 0;
  }
  if (positionals.length !== 1 || positionals[0] !== 'check') throw new UsageError(positionals.length === 0 ? 'say what to do: check' : `unknown subcommand "${positionals.join(' ')}"; the one there is: check`);
  const timeoutS = numberOption('timeout', values.timeout, 0, 600) ?? 3;
  const json = values.json === true;
  const print = (report: Ros2CheckReport): void => void run.out.write(json ? `${JSON.stringify(report)}\n` : describe(report));
  const empty = { interfaces: [], discoveryS: 0, topics: [], actions: [] };
  const distro = run.env['ROS_DISTRO'] ?? null;
  if (distro === null || distro === '') {
    print({ ok: false, distro: null, rclnodejs: { loaded: false, problem: 'ROS_DISTRO is not set: ROS 2 is not sourced in this shell', fix: ROS2_SETUP }, ...empty });
    return 2;
  }
  const config: Ros2Config = values.config !== undefined ? loadRos2Config(values.config, run.env) : parseRos2Config({}, run.env, 'ros2 config (defaults)');
  let rcl: RclnodejsGraph;
  try {
    rcl = (await importRclnodejs({ env: run.env, ...(run.importModule !== undefined ? { importModule: run.importModule } : {}) })) as RclnodejsGraph;
  } catch (error) {
    const cause = error instanceof TiepdanError && error.cause !== undefined ? error.cause : error;
    print({ ok: false, distro, rclnodejs: { loaded: false, problem: whyRclnodejsFailed(cause), fix: RCLNODEJS_INSTALL }, ...empty });
    return 2;
  }
  if (typeof rcl.require !== 'function') {
    print({ ok: false, distro, rclnodejs: { loaded: false, problem: 'rclnodejs loaded but has no require(); is it rclnodejs 1.x?', fix: RCLNODEJS_INSTALL }, ...empty });
    return 2;
  }
  const interfaces = interfacesFor(config).map((type) => {
    try {
      rcl.require(type);
      return { type, loads: true };
    } catch {
      return { type, loads: false, fix: `apt-get install ${aptPackageOf(type)}, then source ROS 2 again in this shell (rclnodejs generates its messages when it first loads them)` };
    }
  });

  rcl.removeSignalHandlers();
  await rcl.init();
  const startedMs = Date.now();
  let found: { topics: TopicCheck[]; actions: ActionCheck[] };
  try {
    const node: RclGraphNode = new rcl.Node(CHECK_NODE, config.namespace);
    node.spin();
    const self = `${config.namespace === '' ? '' : config.namespace}/${CHECK_NODE}`;
    for (;;) {
      found = checkGraph(node, config, self);
      const all = found.topics.every((t) => t.present) && found.actions.every((a) => a.present);
      if (all || Date.now() - startedMs >= timeoutS * 1000) break;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
    node.destroy();
  } finally {
    rcl.shutdown();
  }
  const ok = interfaces.every((i) => i.loads) && found.topics.every((t) => t.present) && found.actions.every((a) => a.present);
  print({ ok, distro, rclnodejs: { loaded: true }, interfaces, discoveryS: Math.round((Date.now() - startedMs) / 100) / 10, ...found });
  return ok ? 0 : 1;
}

const mark = (present: boolean): string => (present ? 'ok     ' : 'MISSING');

function describe(report: Ros2CheckReport): string {
  const lines: string[] = [`tiepdan ros2 check: ROS 2 ${report.distro ?? 'not sourced'}`];
  if (!report.rclnodejs.loaded) {
    lines.push(`  MISSING rclnodejs: ${report.rclnodejs.problem ?? ''}`, `          fix: ${report.rclnodejs.fix ?? ''}`, '');
    return lines.join('\n');
  }
  lines.push('  ok      rclnodejs loads', 'interfaces:');
  for (const i of report.interfaces) {
    lines.push(`  ${mark(i.loads)} ${i.type}`);
    if (i.fix !== undefined) lines.push(`          fix: ${i.fix}`);
  }
  lines.push(`topics (after ${report.discoveryS} s of discovery):`);
  for (const t of report.topics) {
    const who = t.direction === 'robot' ? t.publishers : t.subscribers;
    const ends = who.filter((e) => e.type === t.type).map((e) => e.node);
    const role = t.direction === 'robot' ? 'published by' : 'heard by';
    lines.push(`  ${mark(t.present)} ${t.name}  ${t.type}${ends.length > 0 ? `  ${role} ${ends.join(', ')}` : ''}`);
    if (t.fix !== undefined) lines.push(`          fix: ${t.fix}`);
  }
  lines.push('actions:');
  for (const a of report.actions) {
    lines.push(`  ${mark(a.present)} ${a.name}  ${a.type}${a.servers.length > 0 ? `  served by ${a.servers.join(', ')}` : ''}`);
    if (a.fix !== undefined) lines.push(`          fix: ${a.fix}`);
  }
  lines.push(report.ok ? 'everything tiepdan needs is there' : 'something is missing: see the fixes above', '');
  return lines.join('\n');
}
