import type { RobotSpeechMessage } from '../../src/adapters/ros2/ros2-broadcast.js';
import type { RclnodejsServer } from '../../src/adapters/ros2/ros2-client.js';
import { GUIDE_ALERT_KINDS } from '../../statecharts/guide.types.js';
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
  /** Stamps and /clock; default the wall clock. Ignored with `epochMs`. */
  readonly nowMs?: () => number;
  /**
   * Simulated time: stamps and /clock count from this calendar time (ms) with the lobby's own
   * clock, so a controller with `useSimTime` keeps the lobby's pace at any speed-up.
   */
  readonly epochMs?: number;
  readonly log?: (line: string) => void;
}

export interface SimRobotLobby {
  readonly lobby: SimLobby;
  readonly server: SimRobotServer;
  /** Moves the lobby on by `dtS` simulated seconds and publishes what the robot would. */
  step(dtS: number): void;
  close(): Promise<void>;
}

/** A line the robot started saying longer ago than this is heard when it arrives, not when it was said. */
const SPEECH_LATE_MS = 5_000;

/**
 * The whole simulated lobby (citizens, walkers, the scenario's faults) served as a ROS 2 robot.
 *
 * The citizens answer what they hear: the controller's speech, from `topics.robotSpeech`, is what
 * they hear, so whole conversations happen over the graph; the controller's alerts on
 * `topics.robotAlerts` bring staff over, as the console does in the lobby. With `robotSpeech: null`
 * (a controller that publishes no speech), the robot here greets each citizen who walks up to it
 * on the controller's behalf, so that the citizen at least says what they came for.
 */
export function createSimRobotLobby(options: SimRobotLobbyOptions): SimRobotLobby {
  const lobby = createSimLobby({ scenario: options.scenario, seed: options.seed, ...(options.mapPath !== undefined ? { mapPath: options.mapPath } : {}) });
  const epochMs = options.epochMs;
  const nowMs = epochMs !== undefined ? () => epochMs + lobby.clock.nowMs : (options.nowMs ?? Date.now);
  const hearsTheRobot = options.config.topics.robotSpeech !== null;
  const hear = (speech: RobotSpeechMessage): void => {
    // The controller stamps its lines on the same clock (ROS time); a late or odd stamp counts from now.
    const lobbyNowMs = lobby.clock.nowMs;
    const startedMs = speech.startedMs - (nowMs() - lobbyNowMs);
    const onTime = startedMs <= lobbyNowMs && startedMs >= lobbyNowMs - SPEECH_LATE_MS;
    const { text, lang, messageId, slots, durationMs } = speech;
    lobby.crowd.hear({ text, lang, messageId, rate: 'normal', slots, startedMs: onTime ? startedMs : lobbyNowMs, durationMs, outcome: 'speaking' });
  };
  const greeted = new Set<string>();
  const greet = (): void => {
    if (hearsTheRobot) return;
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
    onRobotSpeech: hear,
    onRobotAlert: (alert) => {
      const kind = GUIDE_ALERT_KINDS.find((k) => k === alert);
      if (kind !== undefined) lobby.hear({ kind: 'alert', alert: kind });
    },
    nowMs,
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
