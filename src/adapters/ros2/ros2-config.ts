import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { TiepdanError } from '../../ports/errors.js';
import { LOST_BELOW_CONFIDENCE, NAV_FAILURE_REASONS, type NavFailureReason } from '../../ports/robot-base.js';
import { describeIssues, parseYamlText } from '../../validation.js';

export const ROS2_DISTROS = ['humble', 'jazzy'] as const;
export type Ros2Distro = (typeof ROS2_DISTROS)[number];


/** A ROS name: relative (`amcl_pose`, resolved in the node's namespace) or absolute (`/humans/...`). */
const rosName = z.string().regex(/^~?\/?[A-Za-z_][A-Za-z0-9_]*(\/[A-Za-z_][A-Za-z0-9_]*)*$/, 'not a ROS topic or action name');
const frameId = z.string().regex(/^[A-Za-z_][A-Za-z0-9_/]*$/, 'not a TF frame id');
const ms = (max: number) => z.number().int().min(1).max(max);

const qosSchema = z.strictObject({
  /** KEEP_LAST depth. */
  depth: z.number().int().min(1).max(1000),
  reliability: z.enum(['reliable', 'best_effort']),
  durability: z.enum(['volatile', 'transient_local']),
});
export type Ros2QoS = z.infer<typeof qosSchema>;

const reliable = (depth: number): Ros2QoS => ({ depth, reliability: 'reliable', durability: 'volatile' });
const latched = (depth: number): Ros2QoS => ({ depth, reliability: 'reliable', durability: 'transient_local' });
const sensor = (depth: number): Ros2QoS => ({ depth, reliability: 'best_effort', durability: 'volatile' });

/** Defaults for a standard Nav2 bringup (nav2_bringup, Jazzy) beside ROS4HRI (REP-155 names). */
export const ROS2_DEFAULTS = {
  nodeName: 'tiepdan',
  namespace: '',
  /** As ROS's use_sim_time: the controller's timers, stamps and staleness follow `topics.clock`, not the wall clock. */
  useSimTime: false,
  frames: { map: 'map', odom: 'odom', base: 'base_link', personPrefix: 'person_' },
  topics: {
    cmdVel: 'cmd_vel',
    twistMuxLock: null as string | null,
    amclPose: 'amcl_pose',
    odom: 'odom',
    battery: 'battery_state',
    plan: 'plan',
    speedLimit: 'speed_limit',
    tf: '/tf',
    tfStatic: '/tf_static',
    personsTracked: '/humans/persons/tracked',
    personsPrefix: '/humans/persons',
    voicesTracked: '/humans/voices/tracked',
    voicesPrefix: '/humans/voices',
    map: 'map',
    initialPose: 'initialpose',
    clock: '/clock',
    robotSpeech: 'robot_speech' as string | null,
    robotAlerts: 'robot_alerts' as string | null,
  },
  actions: { navigateToPose: 'navigate_to_pose', dockRobot: 'dock_robot', undockRobot: 'undock_robot' },
  qos: {
    amclPose: latched(1),
    odom: sensor(10),
    battery: sensor(1),
    plan: reliable(1),
    tf: reliable(100),
    tfStatic: latched(100),
    humans: reliable(10),
    cmdVel: reliable(10),
    speedLimit: reliable(10),
    twistMuxLock: reliable(1),
    map: latched(1),
    initialPose: reliable(1),
    clock: sensor(1),
    robotSpeech: reliable(10),
    robotAlerts: reliable(10),
  },
  timeoutsMs: {
    serverWait: 5_000,
    goalAccept: 5_000,
    navResult: 600_000,
    dockResult: 300_000,
    cancel: 2_000,
    poseStale: 1_000,
    batteryStale: 10_000,
  },
  periodsMs: { hold: 100, heartbeatCheck: 200, events: 200 },
  nav: { behaviorTree: '', errorCodeReasons: { '9002': 'localization_lost', '9003': 'timeout' } as Record<string, NavFailureReason> },
  dock: { dockId: '', dockType: '', navigateToStagingPose: true, maxStagingTimeS: 1000, maxUndockingTimeS: 30 },
  people: { lostBelowConfidence: LOST_BELOW_CONFIDENCE },
  listener: { extraVoiceIds: ['anonymous_speaker'] as string[] },
};

const reasonSchema = z.enum(NAV_FAILURE_REASONS, {
  error: (issue) => (issue.input === undefined ? undefined : `unknown reason ${JSON.stringify(issue.input)} (expected one of ${NAV_FAILURE_REASONS.join(', ')})`),
});

/**
 * Every key is optional in the file; what is absent takes the default above. Strict objects, so a
 * misspelt key is an error naming it rather than a silent default.
 */
const fileSchema = z.strictObject({
  distro: z.enum(ROS2_DISTROS, { error: (issue) => (issue.input === undefined ? undefined : `must be one of ${ROS2_DISTROS.join(', ')}`) }).optional(),
  nodeName: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'not a ROS node name').optional(),
  namespace: z.union([z.literal(''), z.string().regex(/^\/[A-Za-z_][A-Za-z0-9_/]*$/, 'must start with / (or be empty)')]).optional(),
  useSimTime: z.boolean().optional(),
  frames: z.strictObject({ map: frameId.optional(), odom: frameId.optional(), base: frameId.optional(), personPrefix: frameId.optional() }).optional(),
  topics: z
    .strictObject({
      cmdVel: rosName.optional(),
      twistMuxLock: rosName.nullable().optional(),
      amclPose: rosName.optional(),
      odom: rosName.optional(),
      battery: rosName.optional(),
      plan: rosName.optional(),
      speedLimit: rosName.optional(),
      tf: rosName.optional(),
      tfStatic: rosName.optional(),
      personsTracked: rosName.optional(),
      personsPrefix: rosName.optional(),
      voicesTracked: rosName.optional(),
      voicesPrefix: rosName.optional(),
      map: rosName.optional(),
      initialPose: rosName.optional(),
      clock: rosName.optional(),
      robotSpeech: rosName.nullable().optional(),
      robotAlerts: rosName.nullable().optional(),
    })
    .optional(),
  actions: z.strictObject({ navigateToPose: rosName.optional(), dockRobot: rosName.optional(), undockRobot: rosName.optional() }).optional(),
  qos: z
    .strictObject({
      amclPose: qosSchema.optional(),
      odom: qosSchema.optional(),
      battery: qosSchema.optional(),
      plan: qosSchema.optional(),
      tf: qosSchema.optional(),
      tfStatic: qosSchema.optional(),
      humans: qosSchema.optional(),
      cmdVel: qosSchema.optional(),
      speedLimit: qosSchema.optional(),
      twistMuxLock: qosSchema.optional(),
      map: qosSchema.optional(),
      initialPose: qosSchema.optional(),
      clock: qosSchema.optional(),
      robotSpeech: qosSchema.optional(),
      robotAlerts: qosSchema.optional(),
    })
    .optional(),
  timeoutsMs: z
    .strictObject({
      serverWait: ms(600_000).optional(),
      goalAccept: ms(600_000).optional(),
      navResult: ms(24 * 3_600_000).optional(),
      dockResult: ms(24 * 3_600_000).optional(),
      cancel: ms(60_000).optional(),
      poseStale: ms(600_000).optional(),
      batteryStale: ms(3_600_000).optional(),
    })
    .optional(),
  periodsMs: z.strictObject({ hold: ms(1_000).optional(), heartbeatCheck: ms(10_000).optional(), events: ms(10_000).optional() }).optional(),
  nav: z
    .strictObject({
      behaviorTree: z.string().optional(),
      errorCodeReasons: z.record(z.string().regex(/^\d+$/, 'an error code is a whole number'), reasonSchema).optional(),
    })
    .optional(),
  dock: z
    .strictObject({
      dockId: z.string().optional(),
      dockType: z.string().optional(),
      navigateToStagingPose: z.boolean().optional(),
      maxStagingTimeS: z.number().positive().optional(),
      maxUndockingTimeS: z.number().positive().optional(),
    })
    .optional(),
  people: z.strictObject({ lostBelowConfidence: z.number().min(0).max(1).optional() }).optional(),
  listener: z.strictObject({ extraVoiceIds: z.array(z.string().regex(/^[A-Za-z0-9_]{1,64}$/, 'not a ROS4HRI voice id')).optional() }).optional(),
});

type Defaults = typeof ROS2_DEFAULTS;
export type Ros2Config = { readonly distro: Ros2Distro } & { readonly [K in keyof Defaults]: Defaults[K] extends object ? Readonly<Defaults[K]> : Defaults[K] };

/** The distro named by ROS_DISTRO when it is one this adapter knows; else undefined. */
export function distroFromEnv(env: NodeJS.ProcessEnv): Ros2Distro | undefined {
  const value = env['ROS_DISTRO'];
  return ROS2_DISTROS.find((d) => d === value);
}

/**
 * Validates a parsed YAML object and fills the defaults. `distro` comes from the file, else from
 * ROS_DISTRO; a distro neither names is a `config_invalid` error (Nav2's result differs by distro).
 */
export function parseRos2Config(input: unknown, env: NodeJS.ProcessEnv = process.env, source = 'ros2 config'): Ros2Config {
  const parsed = fileSchema.safeParse(input ?? {});
  if (!parsed.success) throw new TiepdanError('config_invalid', `${source}: ${describeIssues(parsed.error.issues)}`);
  const f = parsed.data;
  const distro = f.distro ?? distroFromEnv(env);
  if (distro === undefined) {
    const found = env['ROS_DISTRO'] === undefined ? 'ROS_DISTRO is not set' : `ROS_DISTRO is ${JSON.stringify(env['ROS_DISTRO'])}`;
    throw new TiepdanError('config_invalid', `${source}: distro: set it to one of ${ROS2_DISTROS.join(', ')} (${found})`);
  }
  const d = ROS2_DEFAULTS;
  return {
    distro,
    nodeName: f.nodeName ?? d.nodeName,
    namespace: f.namespace ?? d.namespace,
    useSimTime: f.useSimTime ?? d.useSimTime,
    frames: { ...d.frames, ...defined(f.frames) },
    topics: { ...d.topics, ...defined(f.topics) },
    actions: { ...d.actions, ...defined(f.actions) },
    qos: { ...d.qos, ...defined(f.qos) },
    timeoutsMs: { ...d.timeoutsMs, ...defined(f.timeoutsMs) },
    periodsMs: { ...d.periodsMs, ...defined(f.periodsMs) },
    nav: { behaviorTree: f.nav?.behaviorTree ?? d.nav.behaviorTree, errorCodeReasons: { ...d.nav.errorCodeReasons, ...f.nav?.errorCodeReasons } },
    dock: { ...d.dock, ...defined(f.dock) },
    people: { ...d.people, ...defined(f.people) },
    listener: { ...d.listener, ...defined(f.listener) },
  };
}

/** Reads and validates a YAML config file; every problem names the file and the key. */
export function loadRos2Config(path: string, env: NodeJS.ProcessEnv = process.env): Ros2Config {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (cause) {
    throw new TiepdanError('config_invalid', `${path}: cannot be read (${(cause as NodeJS.ErrnoException).code ?? String(cause)})`, { cause });
  }
  let raw: unknown;
  try {
    raw = parseYamlText(text);
  } catch (cause) {
    throw new TiepdanError('config_invalid', `${path}: not valid YAML (${(cause as Error).message.split('\n')[0]})`, { cause });
  }
  return parseRos2Config(raw, env, path);
}

/** Drops keys whose value is undefined, so a spread keeps the default for them. */
function defined<T extends object>(value: T | undefined): Partial<T> {
  if (value === undefined) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
