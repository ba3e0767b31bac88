import type { RclnodejsServer } from '../../src/adapters/ros2/ros2-client.js';
import type { Ros2Config } from '../../src/adapters/ros2/ros2-config.js';
import type { Point2D } from '../../src/ports/common.js';
import { createSimLobby, type SimLobby } from '../lobby.js';
import type { Scenario } from '../scenario.js';
import { SimRobotServer } from './sim-robot-server.js';

/** A citizen this close to the robot, coming to talk, is greeted. */
const GREETING_RANGE_M = 1.5;

export interface SimRobotLobbyOptions {
  readonly rcl: RclnodejsServer;
  readonly config: Ros2Config;
  readonly scenario: Scenario;
  /** Overrides the scenario's map. */
  readonly mapPath?: string;
  readonly seed: number;
  readonly nowMs?: () => number;
  readonly log?: (line: string) => void;
}

export interface SimRobotLobby {
  readonly lobby: SimLobby;
  readonly server: SimRobotServer;
  /** Moves the lobby on by `dtS` simulated seconds and publishes what the robot would. */
  step(dtS: number): void;
  close(): Promise<void>;
}

/**
 * The whole simulated lobby (citizens, walkers, the scenario's faults) served as a ROS 2 robot.
 *
 * Over ROS the controller's own words do not reach the lobby (the adapter publishes no speech), so
 * the citizens, who only answer what they hear, would never speak. The robot here greets each
 * citizen who walks up to it, on the controller's behalf: the citizen then says what they came for,
 * on /humans/voices/<id>/speech. What follows in a conversation needs the controller's speech and
 * does not happen over this graph.
 */
export function createSimRobotLobby(options: SimRobotLobbyOptions): SimRobotLobby {
  const lobby = createSimLobby({ scenario: options.scenario, seed: options.seed, ...(options.mapPath !== undefined ? { mapPath: options.mapPath } : {}) });
  const greeted = new Set<string>();
  const greet = (): void => {
    const robot: Point2D = lobby.world.pose;
    for (const citizen of lobby.crowd.citizens) {
      if (citizen.phase !== 'approaching' || greeted.has(citizen.id)) continue;
      if (Math.hypot(citizen.agent.position.xM - robot.xM, citizen.agent.position.yM - robot.yM) > GREETING_RANGE_M) continue;
      greeted.add(citizen.id);
      lobby.crowd.hear({ text: '', lang: citizen.lang, messageId: 'greeting', rate: 'normal', startedMs: lobby.clock.nowMs, durationMs: 0, outcome: 'done' });
    }
  };
  const server = new SimRobotServer({
    rcl: options.rcl,
    config: options.config,
    world: lobby.world,
    advance: (dtS) => {
      lobby.step(dtS);
      greet();
    },
    lines: (hearer) => lobby.crowd.onLine(hearer),
    ...(options.nowMs !== undefined ? { nowMs: options.nowMs } : {}),
    ...(options.log !== undefined ? { log: options.log } : {}),
  });
  return {
    lobby,
    server,
    step: (dtS) => server.step(dtS),
    close: async () => {
      await server.close();
      await lobby.close();
    },
  };
}
