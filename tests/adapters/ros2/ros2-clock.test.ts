import { describe, expect, it } from 'vitest';
import { Ros2SimTime, WALL_TIME } from '../../../src/adapters/ros2/ros2-clock.js';
import { createRos2Time } from '../../../src/adapters/ros2/index.js';
import { parseRos2Config } from '../../../src/adapters/ros2/ros2-config.js';
import { qosFor } from '../../../src/adapters/ros2/ros2-qos.js';
import { FakeGraph } from './fake-graph.js';

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

async function clockOnGraph() {
  const config = parseRos2Config({ distro: 'jazzy', useSimTime: true }, {});
  const graph = new FakeGraph();
  const simulator = graph.module();
  const controller = graph.module();
  await Promise.all([simulator.init(), controller.init()]);
  const pub = new simulator.Node('simulator').createPublisher('rosgraph_msgs/msg/Clock', '/clock', { qos: qosFor(simulator, config.qos.clock) });
  const publish = async (ms: number): Promise<void> => {
    pub.publish({ clock: { sec: Math.floor(ms / 1000), nanosec: (ms % 1000) * 1e6 } });
    await tick();
  };
  return { config, graph, controller, publish };
}

describe('the controller on simulated time (/clock)', () => {
  it('is 0 until the first /clock, then keeps its time: timers fire in order as the clock passes them, never before', async () => {
    const { config, controller, publish } = await clockOnGraph();
    const jumps: number[] = [];
    const time = new Ros2SimTime({ rcl: controller, config, onJump: (ms) => jumps.push(ms) });
    expect(time.nowMs()).toBe(0);
    const fired: string[] = [];
    time.setTimeout(() => fired.push(`b at ${time.nowMs()}`), 300);
    time.setTimeout(() => fired.push(`a at ${time.nowMs()}`), 100);
    const cleared = time.setTimeout(() => fired.push('never'), 200);
    time.clearTimeout(cleared);
    await publish(1_000_000);
    expect(time.started).toBe(true);
    expect(time.nowMs()).toBe(1_000_000);
    expect(fired).toEqual([]);
    await publish(1_000_250);
    expect(fired).toEqual(['a at 1000100']);
    expect(time.nowMs()).toBe(1_000_250);
    await publish(1_010_000);
    expect(fired).toEqual(['a at 1000100', 'b at 1000300']);
    expect(jumps).toEqual([]);
    time.close();
  });

  it('a clock that goes back (the simulator restarted) is a new origin: time never runs backwards, timers keep their delays', async () => {
    const { config, controller, publish } = await clockOnGraph();
    const jumps: number[] = [];
    const time = new Ros2SimTime({ rcl: controller, config, onJump: (ms) => jumps.push(ms) });
    await publish(5_000_000);
    await publish(5_060_000);
    const fired: number[] = [];
    time.setTimeout(() => fired.push(time.nowMs()), 1_000);
    await publish(1_000_000); // the new simulator starts from its own morning
    expect(jumps).toEqual([4_060_000]);
    expect(time.nowMs()).toBe(5_060_000);
    await publish(1_000_500);
    expect(fired).toEqual([]);
    await publish(1_001_000);
    expect(fired).toEqual([5_061_000]);
    time.close();
  });

  it('without useSimTime the controller keeps the wall clock and loads nothing', async () => {
    const config = parseRos2Config({ distro: 'jazzy' }, {});
    const time = await createRos2Time({ config, env: {}, importModule: () => expect.unreachable('nothing to load') });
    expect(time).toBe(WALL_TIME);
  });
});
