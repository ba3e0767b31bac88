import { describe, it } from 'vitest';

/**
 * Whether the live ROS 2 suites run: with a sourced ROS 2 (ROS_DISTRO set). Without one they are
 * skipped with the reason printed; with TIEPDAN_REQUIRE_ROS2=1 (a machine that is meant to have ROS 2,
 * like the robot's or a ROS CI) the skip becomes a failure, so a broken setup cannot pass unseen.
 */
export interface LiveGate {
  readonly run: boolean;
  readonly required: boolean;
  readonly reason: string;
}

export function liveGate(env: NodeJS.ProcessEnv): LiveGate {
  const run = Boolean(env['ROS_DISTRO']);
  return {
    run,
    required: env['TIEPDAN_REQUIRE_ROS2'] === '1',
    reason: run ? '' : 'ROS_DISTRO not set (source /opt/ros/<distro>/setup.bash, npm_config_yes=true npm install rclnodejs, start tiepdan sim-robot)',
  };
}

const reported = new Set<string>();

/** `describe` for a live suite: runs, skips (saying why on stderr), or fails when ROS 2 is required. */
export function describeLive(name: string, body: () => void, gate: LiveGate = liveGate(process.env)): void {
  if (gate.run) {
    describe(name, body);
    return;
  }
  if (gate.required) {
    describe(name, () => {
      it(`needs ROS 2 here (TIEPDAN_REQUIRE_ROS2=1): ${gate.reason}`, () => {
        throw new Error(`TIEPDAN_REQUIRE_ROS2=1 but ${gate.reason}`);
      });
    });
    return;
  }
  if (!reported.has(name)) {
    reported.add(name);
    process.stderr.write(`SKIPPED: ${name} [${gate.reason}]\n`);
  }
  // No ROS 2 on this machine and none required: the suite shows as skipped with its reason (and the
  // line above), never silently left out; TIEPDAN_REQUIRE_ROS2=1 turns this into a failure.
  describe.skip(`${name} [SKIPPED: ${gate.reason}]`, body);
}
