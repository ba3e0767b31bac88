import { TiepdanError } from '../../ports/errors.js';
import type { Place } from '../../ports/robot-base.js';
import type { Rclnodejs } from './ros2-client.js';
import type { Ros2Config } from './ros2-config.js';
import { Ros2Base } from './ros2-base.js';
import { Ros2Listener } from './ros2-listener.js';
import { Ros2Broadcast } from './ros2-broadcast.js';
import { Ros2SimTime, WALL_TIME, type Ros2Time } from './ros2-clock.js';

export { Ros2Base, type Ros2BaseOptions } from './ros2-base.js';
export { Ros2Listener, type Ros2ListenerOptions, langFromLocale } from './ros2-listener.js';
export { loadRos2Config, parseRos2Config, ROS2_DEFAULTS, type Ros2Config } from './ros2-config.js';
export type { Rclnodejs } from './ros2-client.js';
export { Ros2Broadcast, type RobotSpeechMessage } from './ros2-broadcast.js';
export { Ros2SimTime, WALL_TIME, type Ros2Time } from './ros2-clock.js';

/** A variable, so TypeScript does not resolve the optional package at build time. */
const RCLNODEJS = 'rclnodejs';

export interface Ros2FactoryOptions {
  /** Default `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /** Default `import()`; tests pass a fake. */
  readonly importModule?: (specifier: string) => Promise<unknown>;
}

/** How to install the client so that a failed build is not silently left out. */
export const RCLNODEJS_INSTALL =
  'npm_config_yes=true npm install rclnodejs (in this checkout, in the shell where ROS 2 is sourced: it builds against that ROS 2 and ' +
  'generates its messages. Without npm_config_yes=true its build step runs `npx rimraf`, which waits for a yes that never comes ' +
  'without a terminal; and as an optional dependency a failed build is left out without an error: npm ci still exits 0)';

/** What to source and install, for a missing ROS 2 or rclnodejs. */
export const ROS2_SETUP =
  'Source ROS 2 in this shell first (source /opt/ros/jazzy/setup.bash, or humble), ' +
  'install the interfaces (apt-get install ros-$ROS_DISTRO-nav2-msgs ros-$ROS_DISTRO-hri-msgs), ' +
  `then install the client: ${RCLNODEJS_INSTALL}. npx tiepdan ros2 check then says what is still missing.`;

function unavailable(why: string, cause?: unknown): TiepdanError {
  return new TiepdanError('ros2_unavailable', `ROS 2 is not available: ${why}. ${ROS2_SETUP}`, cause === undefined ? undefined : { cause });
}

/** Why rclnodejs did not load, in the deployer's words: not installed (or left out after a failed build), or built wrong. */
export function whyRclnodejsFailed(cause: unknown): string {
  const first = (cause instanceof Error ? cause.message : String(cause)).split('\n')[0] ?? '';
  const code = (cause as { code?: unknown } | null)?.code;
  if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && /['"]rclnodejs['"]/.test(first)) {
    return `${RCLNODEJS} is not installed in this checkout, or its build failed and npm left it out (${first})`;
  }
  if (/\.node\b|bindings|NODE_MODULE_VERSION|GLIBC|librcl|\.so\b/.test(first)) {
    return `${RCLNODEJS} is installed but its native part did not build or does not match this Node or ROS 2 (${first}); reinstall it`;
  }
  return `${RCLNODEJS} does not load (${first})`;
}

/** A ros2_failed error for an adapter that could not start; a missing interface says which package to install. */
export function startFailed(what: string, cause: unknown): TiepdanError {
  const message = cause instanceof Error ? cause.message : String(cause);
  const missing = /message required does not exist: ([a-z0-9_]+)/i.exec(message)?.[1];
  const hint =
    missing !== undefined
      ? `. The interface package ${missing} is not installed or not sourced: apt-get install ros-$ROS_DISTRO-${missing.replace(/_/g, '-')}, source ROS 2 again; rclnodejs generates its messages when it first loads them`
      : '';
  return new TiepdanError('ros2_failed', `cannot start the ROS 2 ${what}: ${message}${hint}`, { cause });
}

/** Imports rclnodejs; one `ros2_unavailable` error saying what to source and install when it cannot. */
export async function importRclnodejs(options: Ros2FactoryOptions = {}): Promise<Rclnodejs> {
  const env = options.env ?? process.env;
  if (!env['ROS_DISTRO']) throw unavailable('ROS_DISTRO is not set');
  let loaded: Partial<Rclnodejs> & { default?: Partial<Rclnodejs> };
  try {
    loaded = (await (options.importModule ?? DEFAULT_IMPORT)(RCLNODEJS)) as typeof loaded;
  } catch (cause) {
    throw unavailable(whyRclnodejsFailed(cause), cause);
  }
  // CommonJS builds expose the module object as the default export.
  const rcl = loaded.Node && loaded.ActionClient ? loaded : loaded.default;
  if (!rcl?.Node || !rcl.ActionClient || !rcl.QoS || !rcl.init) throw unavailable(`${RCLNODEJS} loaded but has no Node, ActionClient or QoS; is it rclnodejs 1.x or 2.x?`);
  return rcl as Rclnodejs;
}

/**
 * One rclnodejs context per process, shared by the base, the listener, the clock and the
 * broadcast: `init()` once, rclnodejs's own SIGINT handler removed (it would shut the context down
 * before the base is stopped), and `shutdown()` when the last user closes. Keyed by the import
 * function, so tests that stand in several "processes" in one (each with its own fake module) get one
 * context each; a robot has one.
 */
const DEFAULT_IMPORT = (s: string): Promise<unknown> => import(s);
const contexts = new Map<unknown, { ready: Promise<Rclnodejs>; users: number }>();

async function acquire(options: Ros2FactoryOptions): Promise<{ rcl: Rclnodejs; release: () => void }> {
  const key = options.importModule ?? DEFAULT_IMPORT;
  let entry = contexts.get(key);
  if (entry === undefined) {
    const created = {
      users: 0,
      ready: (async () => {
        const rcl = await importRclnodejs(options);
        rcl.removeSignalHandlers();
        await rcl.init();
        return rcl;
      })(),
    };
    entry = created;
    contexts.set(key, created);
    created.ready.catch(() => {
      if (contexts.get(key) === created) contexts.delete(key);
    });
  }
  const shared = entry;
  shared.users += 1;
  let rcl: Rclnodejs;
  try {
    rcl = await shared.ready;
  } catch (error) {
    shared.users -= 1;
    throw error;
  }
  let released = false;
  const release = (): void => {
    if (released) return;
    released = true;
    shared.users -= 1;
    if (shared.users === 0 && contexts.get(key) === shared) {
      contexts.delete(key);
      rcl.shutdown();
    }
  };
  return { rcl, release };
}

export interface CreateRos2BaseOptions extends Ros2FactoryOptions {
  readonly config: Ros2Config;
  readonly places: readonly Place[];
  readonly robotId?: string;
  /** The controller's time (createRos2Time); default the wall clock. */
  readonly time?: Ros2Time;
}

/** `RobotBase` on a robot with a sourced ROS 2; throws `ros2_unavailable` (what to source and install) without one. */
export async function createRos2Base(options: CreateRos2BaseOptions): Promise<Ros2Base> {
  const { rcl, release } = await acquire(options);
  try {
    const time = options.time;
    return new Ros2Base({
      rcl,
      config: options.config,
      places: options.places,
      shutdown: release,
      ...(options.robotId !== undefined ? { robotId: options.robotId } : {}),
      ...(time !== undefined ? { clock: time, nowMs: () => time.nowMs() } : {}),
    });
  } catch (cause) {
    release();
    throw startFailed('base', cause);
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
    throw startFailed('listener', cause);
  }
}

export interface CreateRos2BroadcastOptions extends Ros2FactoryOptions {
  readonly config: Ros2Config;
  readonly nowMs: () => number;
}

/** What the robot says and its operator alerts, published on the graph; same requirements and error as `createRos2Base`. */
export async function createRos2Broadcast(options: CreateRos2BroadcastOptions): Promise<Ros2Broadcast> {
  const { rcl, release } = await acquire(options);
  try {
    return new Ros2Broadcast({ rcl, config: options.config, nowMs: options.nowMs, shutdown: release });
  } catch (cause) {
    release();
    throw startFailed('broadcast', cause);
  }
}

export interface CreateRos2TimeOptions extends Ros2FactoryOptions {
  readonly config: Ros2Config;
  readonly onJump?: (backMs: number) => void;
}

/** The controller's time: `/clock` when the config has `useSimTime`, else the wall clock (and nothing is loaded). */
export async function createRos2Time(options: CreateRos2TimeOptions): Promise<Ros2Time> {
  if (!options.config.useSimTime) return WALL_TIME;
  const { rcl, release } = await acquire(options);
  let time: Ros2SimTime;
  try {
    time = new Ros2SimTime({ rcl, config: options.config, ...(options.onJump !== undefined ? { onJump: options.onJump } : {}) });
  } catch (cause) {
    release();
    throw startFailed('clock', cause);
  }
  return {
    nowMs: () => time.nowMs(),
    setTimeout: (fn, ms) => time.setTimeout(fn, ms),
    clearTimeout: (id) => time.clearTimeout(id),
    close: () => {
      time.close();
      release();
    },
  };
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
