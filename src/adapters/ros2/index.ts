import { TiepdanError } from '../../ports/errors.js';
import type { Place } from '../../ports/robot-base.js';
import type { Rclnodejs } from './ros2-client.js';
import type { Ros2Config } from './ros2-config.js';
import { Ros2Base } from './ros2-base.js';
import { Ros2Listener } from './ros2-listener.js';

export { Ros2Base, type Ros2BaseOptions } from './ros2-base.js';
export { Ros2Listener, type Ros2ListenerOptions, langFromLocale } from './ros2-listener.js';
export { loadRos2Config, parseRos2Config, ROS2_DEFAULTS, type Ros2Config } from './ros2-config.js';
export type { Rclnodejs } from './ros2-client.js';

/** A variable, so TypeScript does not resolve the optional package at build time. */
const RCLNODEJS = 'rclnodejs';

export interface Ros2FactoryOptions {
  /** Default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /** Default `import()`; tests pass a fake. */
  readonly importModule?: (specifier: string) => Promise<unknown>;
}

function unavailable(why: string, cause?: unknown): TiepdanError {
  return new TiepdanError(
    'ros2_unavailable',
    `ROS 2 is not available: ${why}. Source ROS 2 in this shell first (source /opt/ros/jazzy/setup.bash, or humble), ` +
      'install the interfaces (apt-get install ros-$ROS_DISTRO-nav2-msgs ros-$ROS_DISTRO-hri-msgs), ' +
      'then install the client in this checkout with npm install rclnodejs (it generates its message types from the sourced ROS 2).',
    cause === undefined ? undefined : { cause },
  );
}

/** Imports rclnodejs; one `ros2_unavailable` error saying what to source and install when it cannot. */
export async function importRclnodejs(options: Ros2FactoryOptions = {}): Promise<Rclnodejs> {
  const env = options.env ?? process.env;
  if (!env['ROS_DISTRO']) throw unavailable('ROS_DISTRO is not set');
  let loaded: Partial<Rclnodejs> & { default?: Partial<Rclnodejs> };
  try {
    loaded = (await (options.importModule ?? ((s: string) => import(s)))(RCLNODEJS)) as typeof loaded;
  } catch (cause) {
    const first = (cause instanceof Error ? cause.message : String(cause)).split('\n')[0];
    throw unavailable(`${RCLNODEJS} does not load (${first})`, cause);
  }
  // CommonJS builds expose the module object as the default export.
  const rcl = loaded.Node && loaded.ActionClient ? loaded : loaded.default;
  if (!rcl?.Node || !rcl.ActionClient || !rcl.QoS || !rcl.init) throw unavailable(`${RCLNODEJS} loaded but has no Node, ActionClient or QoS; is it rclnodejs 1.x or 2.x?`);
  return rcl as Rclnodejs;
}

/**
 * One rclnodejs context per process, shared by the base and the listener: `init()` once, rclnodejs's
 * own SIGINT handler removed (it would shut the context down before the base is stopped), and
 * `shutdown()` when the last user closes.
 */
let shared: { ready: Promise<Rclnodejs>; users: number } | null = null;

async function acquire(options: Ros2FactoryOptions): Promise<{ rcl: Rclnodejs; release: () => void }> {
  if (shared === null) {
    const entry = {
      users: 0,
      ready: (async () => {
        const rcl = await importRclnodejs(options);
        rcl.removeSignalHandlers();
        await rcl.init();
        return rcl;
      })(),
    };
    shared = entry;
    entry.ready.catch(() => {
      if (shared === entry) shared = null;
    });
  }
  const entry = shared;
  entry.users += 1;
  let rcl: Rclnodejs;
  try {
    rcl = await entry.ready;
  } catch (error) {
    entry.users -= 1;
    throw error;
  }
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    entry.users -= 1;
    if (entry.users === 0 && shared === entry) {
      shared = null;
      rcl.shutdown();
    }
  };
  return { rcl, release };
}

export interface CreateRos2BaseOptions extends Ros2FactoryOptions {
  readonly config: Ros2Config;
  readonly places: readonly Place[];
  readonly robotId?: string;
}

/** `RobotBase` on a robot with a sourced ROS 2; throws `ros2_unavailable` (what to source and install) without one. */
export async function createRos2Base(options: CreateRos2BaseOptions): Promise<Ros2Base> {
  const { rcl, release } = await acquire(options);
  try {
    return new Ros2Base({ rcl, config: options.config, places: options.places, shutdown: release, ...(options.robotId !== undefined ? { robotId: options.robotId } : {}) });
  } catch (cause) {
    release();
    throw new TiepdanError('ros2_failed', `cannot start the ROS 2 base: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

export interface CreateRos2ListenerOptions extends Ros2FactoryOptions {
  readonly config: Ros2Config;
  readonly onDrop?: (reason: string, voiceId: string) => void;
}

/** `Listener` over ROS4HRI speech; same requirements and error as `createRos2Base`. */
export async function createRos2Listener(options: CreateRos2ListenerOptions): Promise<Ros2Listener> {
  const { rcl, release } = await acquire(options);
  try {
    return new Ros2Listener({ rcl, config: options.config, shutdown: release, ...(options.onDrop ? { onDrop: options.onDrop } : {}) });
  } catch (cause) {
    release();
    throw new TiepdanError('ros2_failed', `cannot start the ROS 2 listener: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/** What `closeOnSignals` needs of `process`. */
export interface SignalSource {
  once(event: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
  off(event: 'SIGINT' | 'SIGTERM', listener: () => void): unknown;
}

/**
 * With rclnodejs's handler removed, Ctrl-C (or SIGTERM) must stop the base before the node goes:
 * this closes each closable in order (the base's `close()` cancels, sends zero twist, then destroys
 * the node) and then calls `exit`. For a composition root that has no signal handling of its own;
 * a fatal error path should `await base.close()` the same way. Returns an unhook.
 */
export function closeOnSignals(
  closables: readonly { close(): Promise<void> }[],
  source: SignalSource = process,
  exit: (code: number) => void = (code) => process.exit(code),
): () => void {
  const handle = (code: number) => async (): Promise<void> => {
    unhook();
    for (const c of closables) await c.close().catch(() => undefined);
    exit(code);
  };
  const onInt = (): void => void handle(130)();
  const onTerm = (): void => void handle(143)();
  const unhook = (): void => {
    source.off('SIGINT', onInt);
    source.off('SIGTERM', onTerm);
  };
  source.once('SIGINT', onInt);
  source.once('SIGTERM', onTerm);
  return unhook;
}
