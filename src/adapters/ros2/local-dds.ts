import { pathToFileURL } from 'node:url';
import { projectPath } from '../../paths.js';

/**
 * Keeping a ROS 2 graph on this machine: discovery limited to localhost and Cyclone DDS bound to
 * the loopback interface. DDS reads these variables once, when the process creates its first
 * participant (rclnodejs `init()`), and the RMW library is chosen from RMW_IMPLEMENTATION when it is
 * first loaded, so they must be in the environment before the process starts DDS: pass them in a
 * child process's `env`; a process that finds them missing refuses to start rather than join
 * whatever network it is on.
 */

export const LOCAL_DDS_CONFIG = projectPath('sim', 'ros2', 'cyclonedds-localhost.xml');

/** The variables, for a child process's environment. */
export function localDdsEnv(): Record<string, string> {
  return {
    ROS_AUTOMATIC_DISCOVERY_RANGE: 'LOCALHOST',
    RMW_IMPLEMENTATION: 'rmw_cyclonedds_cpp',
    CYCLONEDDS_URI: pathToFileURL(LOCAL_DDS_CONFIG).href,
  };
}

/** What is missing or different in `env`; empty when the graph will stay local. */
export function missingLocalDds(env: NodeJS.ProcessEnv): string[] {
  const problems: string[] = [];
  if (env['ROS_AUTOMATIC_DISCOVERY_RANGE'] !== 'LOCALHOST') problems.push(`ROS_AUTOMATIC_DISCOVERY_RANGE is ${describe(env['ROS_AUTOMATIC_DISCOVERY_RANGE'])}, not LOCALHOST`);
  if (env['RMW_IMPLEMENTATION'] !== 'rmw_cyclonedds_cpp') problems.push(`RMW_IMPLEMENTATION is ${describe(env['RMW_IMPLEMENTATION'])}, not rmw_cyclonedds_cpp`);
  if (!env['CYCLONEDDS_URI']) problems.push('CYCLONEDDS_URI is not set');
  return problems;
}

/** The shell lines that set the variables. */
export function localDdsExports(): string {
  return Object.entries(localDdsEnv())
    .map(([name, value]) => `export ${name}=${value}`)
    .join('\n');
}

function describe(value: string | undefined): string {
  return value === undefined ? 'not set' : JSON.stringify(value);
}
