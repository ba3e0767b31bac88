import { describe, expect, it } from 'vitest';
import type { RclServerGoalHandle } from '../../../src/adapters/ros2/ros2-client.js';
import { qosFor } from '../../../src/adapters/ros2/ros2-qos.js';
import { FakeGraph, GOAL_STATUS, resolveName } from './fake-graph.js';

const flush = () => new Promise((resolve) => setImmediate(resolve));

async function twoNodes(graph = new FakeGraph(), namespace = '') {
  const a = graph.module();
  const b = graph.module();
  await Promise.all([a.init(), b.init()]);
  return { graph, a, b, pubNode: new a.Node('talker', namespace), subNode: new b.Node('listener') };
}

describe('the in-process ROS 2 graph the tests run on', () => {
  it('resolves names as rcl does and delivers a copy later, not inside publish()', async () => {
    expect([resolveName('cmd_vel', '/robot1', 'n'), resolveName('/tf', '/robot1', 'n'), resolveName('~/state', '/r', 'n'), resolveName('odom', '', 'n')]).toEqual([
      '/robot1/cmd_vel',
      '/tf',
      '/r/n/state',
      '/odom',
    ]);
    const { pubNode, subNode } = await twoNodes(undefined, '/robot1');
    const inNamespace: unknown[] = [];
    const atRoot: unknown[] = [];
    subNode.createSubscription('std_msgs/msg/Bool', '/robot1/lock', {}, (m) => inNamespace.push(m));
    subNode.createSubscription('std_msgs/msg/Bool', '/lock', {}, (m) => atRoot.push(m));
    const message = { data: true };
    pubNode.createPublisher('std_msgs/msg/Bool', 'lock').publish(message);
    expect(inNamespace).toEqual([]);
    await flush();
    expect(inNamespace).toEqual([{ data: true }]);
    expect(inNamespace[0]).not.toBe(message);
    expect(atRoot).toEqual([]);
  });

  it('does not carry best-effort to a reliable subscriber, nor volatile to a transient-local one, and says so', async () => {
    const { graph, a, b, pubNode, subNode } = await twoNodes();
    const got: unknown[] = [];
    subNode.createSubscription('std_msgs/msg/Float32', 'x', { qos: qosFor(b, { depth: 1, reliability: 'reliable', durability: 'volatile' }) }, (m) => got.push(m));
    subNode.createSubscription('std_msgs/msg/Float32', 'y', { qos: qosFor(b, { depth: 1, reliability: 'reliable', durability: 'transient_local' }) }, (m) => got.push(m));
    pubNode.createPublisher('std_msgs/msg/Float32', 'x', { qos: qosFor(a, { depth: 1, reliability: 'best_effort', durability: 'volatile' }) }).publish({ data: 1 });
    pubNode.createPublisher('std_msgs/msg/Float32', 'y', { qos: qosFor(a, { depth: 1, reliability: 'reliable', durability: 'volatile' }) }).publish({ data: 2 });
    await flush();
    expect(got).toEqual([]);
    expect(graph.incompatible).toEqual([
      '/x: talker offers best_effort/volatile, listener requests reliable/volatile',
      '/y: talker offers reliable/volatile, listener requests reliable/transient_local',
    ]);
  });

  it('refuses a field the ROS definition lacks, a wrong value type, and a topic used with two types', async () => {
    const { pubNode, subNode } = await twoNodes();
    const pub = pubNode.createPublisher('hri_msgs/msg/LiveSpeech', 'speech');
    expect(() => pub.publish({ final: 'xin chào', language: 'vi' })).toThrow(/language: no such field/);
    expect(() => pub.publish({ final: 'xin chào', confidence: '0.9' })).toThrow(/confidence: not a number/);
    expect(() => subNode.createSubscription('std_msgs/msg/Bool', 'speech', {}, () => undefined)).toThrow(/\/speech is hri_msgs\/msg\/LiveSpeech elsewhere/);
    expect(() => pubNode.createPublisher('nav_msgs/msg/Odometry', 'odom').publish({ pose: { covariance: [0] } })).toThrow(/pose.covariance: 1 elements, the field has 36/);
  });

  it('runs goals through rcl_action’s state machine: canceled() before a cancel request throws', async () => {
    const { a, b, pubNode, subNode } = await twoNodes();
    let serverHandle: RclServerGoalHandle | null = null;
    new a.ActionServer(pubNode, 'nav2_msgs/action/UndockRobot', 'undock_robot', (h) => {
      serverHandle = h;
      return new Promise(() => undefined);
    });
    const client = new b.ActionClient(subNode, 'nav2_msgs/action/UndockRobot', 'undock_robot');
    const handle = await client.sendGoal({ dock_type: '', max_undocking_time: 30 });
    await flush();
    expect(serverHandle!.status).toBe(GOAL_STATUS.EXECUTING);
    expect(() => serverHandle!.canceled()).toThrow(/event canceled is not valid in status 2/);
    // The default cancel callback rejects.
    expect(await handle.cancelGoal()).toEqual({ return_code: 1, goals_canceling: [] });
  });

  it('never answers a goal sent to an action nobody serves', async () => {
    const { b, subNode } = await twoNodes();
    const client = new b.ActionClient(subNode, 'nav2_msgs/action/UndockRobot', 'undock_robot');
    let answered = false;
    void client.sendGoal({ dock_type: '', max_undocking_time: 30 }).then(() => (answered = true));
    await flush();
    expect(answered).toBe(false);
  });
});
