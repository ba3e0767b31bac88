import { localDdsEnv } from '../adapters/ros2/local-dds.js';
import type { ControllerFigures } from '../app/controller-figures.js';
import type { LobbyFigures } from '../../sim/summary.js';
import type { ControllerProcessInit } from './ros2-sim-controller-process.js';
import type { RobotProcessInit } from './ros2-sim-robot-process.js';
import { sideEntry, SideProcess } from './sim-ros2-link.js';
import type { ControllerSideHandle, RobotSideHandle, Ros2SimSides, Ros2SimSpec } from './sim-ros2.js';

/**
 * ROS_DOMAIN_ID for a run's own graph: 101..200 from the driver's process id, so two runs on one
 * machine rarely share a domain (and with discovery kept to localhost, nothing off the machine can).
 */
export function domainIdFor(pid: number): number {
  return 101 + (pid % 100);
}

/** The environment of both sides: DDS kept on loopback (Cyclone bound to lo), on the run's own domain. */
export function sideEnv(base: NodeJS.ProcessEnv, domainId: number): NodeJS.ProcessEnv {
  return { ...base, ...localDdsEnv(), ROS_DOMAIN_ID: String(domainId) };
}

/** The two sides as child processes of the driver, on a real ROS 2 graph. */
export function processSides(options: { env: NodeJS.ProcessEnv; onStderr: (line: string) => void }): Ros2SimSides {
  return {
    robot(spec: Ros2SimSpec): RobotSideHandle {
      const child = new SideProcess('simulated robot', sideEntry('ros2-sim-robot-process'), options.env, options.onStderr);
      const init: RobotProcessInit = { type: 'init', scenarioPath: spec.scenarioPath, seed: spec.seed, mapPath: spec.mapPath, config: spec.config, speed: spec.speed };
      child.send(init);
      const ready = child.next('ready').then(() => undefined);
      return {
        ready,
        async run(onProgress) {
          child.send({ type: 'run' });
          const ended = await child.next('ended', (m) => {
            if (m.type === 'progress') onProgress?.(Number(m['simS']), Number(m['durationS']));
          });
          return ended['figures'] as LobbyFigures;
        },
        async close() {
          child.send({ type: 'close' });
          await Promise.race([child.exited(), new Promise((resolve) => setTimeout(resolve, 10_000))]);
          await child.stop();
        },
      };
    },
    controller(spec: Ros2SimSpec): ControllerSideHandle {
      const child = new SideProcess('controller', sideEntry('ros2-sim-controller-process'), options.env, options.onStderr);
      const init: ControllerProcessInit = { type: 'init', config: spec.config, mapPath: spec.mapPath, ...(spec.intentModel !== undefined ? { intentModel: spec.intentModel } : {}) };
      child.send(init);
      return {
        ready: child.next('ready').then(() => undefined),
        async finish() {
          child.send({ type: 'finish' });
          const message = await child.next('figures');
          await child.exited();
          return message['figures'] as ControllerFigures;
        },
        abandon: () => child.stop(),
      };
    },
  };
}
