import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ControllerRecord } from '../../../src/app/controller.js';
import type { Odometry } from '../../../src/adapters/ros2/ros2-messages.js';
import { FakeServerGoalHandle } from './fake-graph.js';
import { rosLobbyRig, type RigController, type RosLobbyRig } from './ros-lobby-rig.js';

/**
 * Faults between the robot's controller and the robot, over ROS 2: the controller as
 * `tiepdan start --base ros2` builds it, the simulated lobby as the robot, each on its own module of
 * the in-process graph. Each fault hits during an escort; each must end safely and visibly: the
 * base stopped or held, the goal ended with a reason, the operators alerted.
 */

let rig: RosLobbyRig | null = null;
afterEach(async () => {
  vi.restoreAllMocks();
  await rig?.close().catch(() => undefined);
  rig = null;
});

const alerts = (c: RigController): string[] => c.records.flatMap((r) => (r.kind === 'alert' ? [r.alert] : []));
const navResults = (c: RigController) => c.records.flatMap((r) => (r.kind === 'nav' && r.result !== null ? [{ purpose: r.purpose, ...r.result }] : []));
const said = (c: RigController): string[] => c.records.flatMap((r) => (r.kind === 'said' ? [r.messageId] : []));
const lastOdomSpeed = (r: RosLobbyRig): number => (r.graph.publishedOn('/odom').at(-1) as Odometry).twist.twist.linear.x;

async function escorting(): Promise<RosLobbyRig> {
  const r = await rosLobbyRig();
  rig = r;
  expect(await r.until(() => r.states().some((s) => s.startsWith('serving.escorting')), 300)).toBe(true);
  await r.run(5);
  expect(r.robot.lobby.world.linearMps).toBeGreaterThan(0.2);
  return r;
}

describe('faults over ROS 2, controller and simulated robot on the in-process graph', () => {
  it('the navigation server goes away mid-goal: the escort fails with link_down and the reason, the operators are called, the robot ends still', async () => {
    const r = await escorting();
    r.graph.actionServer('/navigate_to_pose', 'nav2_msgs/action/NavigateToPose')!.destroy();
    await r.run(120);
    const results = navResults(r.controller);
    expect(results.length).toBeGreaterThan(0);
    expect(results.every((n) => n.kind === 'failed' && n.reason === 'link_down')).toBe(true);
    expect(results[0]).toMatchObject({ purpose: 'escort', detail: expect.stringContaining('Nav2 action server navigate_to_pose is not available') });
    expect(said(r.controller)).toContain('escort.failed');
    expect(alerts(r.controller)).toEqual(expect.arrayContaining(['navFailed', 'helpRequested']));
    expect(r.states().at(-1)).toBe('handoff');
    expect(lastOdomSpeed(r)).toBe(0);
    expect(r.robot.lobby.world.stats.safetyViolations).toBe(0);
  });

  it('feedback duplicated, and late after the result: counted once, ignored after the end; the escort arrives and the robot goes home', async () => {
    const publish = FakeServerGoalHandle.prototype.publishFeedback;
    let duplicated = 0;
    let late = 0;
    vi.spyOn(FakeServerGoalHandle.prototype, 'publishFeedback').mockImplementation(function (this: FakeServerGoalHandle, feedback: object) {
      publish.call(this, feedback);
      publish.call(this, feedback);
      duplicated += 1;
      // The same feedback again well after the goal has ended and its result is out.
      setTimeout(() => {
        if (this.status >= 4) {
          late += 1;
          publish.call(this, feedback);
        }
      }, 30);
    });
    const r = await rosLobbyRig();
    rig = r;
    expect(await r.until(() => navResults(r.controller).some((n) => n.purpose === 'return' && n.kind === 'arrived'), 400)).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 100));
    await r.run(2);
    expect(duplicated).toBeGreaterThan(20);
    expect(late).toBeGreaterThan(0);
    expect(navResults(r.controller)).toEqual([{ purpose: 'escort', kind: 'arrived' }, { purpose: 'return', kind: 'arrived' }]);
    expect(said(r.controller)).toContain('escort.arrived');
    expect(alerts(r.controller)).toEqual([]);
    expect(r.states().at(-1)).toBe('idle');
  });

  it('odometry goes stale (a hung driver): link down, the goal canceled, the base held, the operators told; when it comes back the robot does not move on by itself', async () => {
    const r = await escorting();
    const cmdVelBefore = r.graph.publishedOn('/cmd_vel').length;
    r.graph.silenced.add('/odom');
    await r.run(20);
    expect(alerts(r.controller)).toContain('linkDown');
    expect(said(r.controller)).toContain('link.down');
    expect(r.controller.records.filter((x): x is Extract<ControllerRecord, { kind: 'state' }> => x.kind === 'state').at(-1)).toMatchObject({ interaction: 'serving.escorting.halted', link: 'down' });
    expect(navResults(r.controller).at(-1)).toEqual({ purpose: 'escort', kind: 'canceled' });
    expect(r.robot.server.activeGoals).toEqual([]);
    expect(r.robot.lobby.world.linearMps).toBe(0);
    const held = r.twistsSince(cmdVelBefore);
    expect(held.length).toBeGreaterThan(10);
    expect(held.every((t) => t.linear.x === 0 && t.angular.z === 0)).toBe(true);
    r.graph.silenced.delete('/odom');
    const at = r.robot.lobby.world.pose;
    await r.run(20);
    expect(r.states().at(-1)).toBe('serving.escorting.halted');
    expect(Math.hypot(r.robot.lobby.world.pose.xM - at.xM, r.robot.lobby.world.pose.yM - at.yM)).toBe(0);
  });

  it('the simulated robot restarts mid-escort: the goal aborted with its reason, the clock starting again does not stop the controller, which alerts and brings the robot home', async () => {
    const r = await escorting();
    const before = r.controller.records.length;
    await r.robot.close();
    r.robotModule.shutdown();
    await r.startRobot();
    expect(await r.until(() => navResults(r.controller).some((n) => n.purpose === 'return' && n.kind === 'arrived'), 300)).toBe(true);
    const after = r.controller.records.slice(before);
    expect(after.find((x) => x.kind === 'nav' && x.result !== null)).toMatchObject({
      result: { kind: 'failed', reason: 'aborted', detail: 'Nav2 aborted navigate_to_pose (error_code 0: the navigation server is shutting down)' },
    });
    expect(alerts(r.controller)).toEqual(expect.arrayContaining(['navFailed', 'personLost']));
    await r.run(3);
    expect(r.states().at(-1)).toBe('idle');
    expect(lastOdomSpeed(r)).toBe(0);
  });

  it('the controller is killed mid-escort and started again: its goal is canceled, the base held, the citizen handed to staff in their language, then home', async () => {
    const r = await escorting();
    const first = r.controller;
    // Killed: the process and its nodes are gone at once; nothing is said or canceled.
    first.module.shutdown();
    await r.run(2);
    expect(r.robot.server.activeGoals).toEqual(['navigate']);
    expect(r.robot.lobby.world.linearMps).toBeGreaterThan(0.2);
    const cmdVelBefore = r.graph.publishedOn('/cmd_vel').length;
    const second = await r.startController();
    await r.run(1);
    // The goal the dead process left running is canceled: the robot stops where it is.
    expect(r.robot.server.activeGoals).toEqual([]);
    expect(r.robot.lobby.world.linearMps).toBe(0);
    expect(r.twistsSince(cmdVelBefore).length).toBeGreaterThan(0);
    expect(alerts(second)).toContain('helpRequested');
    expect(second.records).toContainEqual(expect.objectContaining({ kind: 'said', messageId: 'handoff.staff', lang: 'vi' }));
    expect(await r.until(() => navResults(second).some((n) => n.purpose === 'return' && n.kind === 'arrived'), 300)).toBe(true);
    expect(r.robot.lobby.world.stats.safetyViolations).toBe(0);
    // The first controller's records stopped at the kill.
    expect(first.records.some((x) => x.kind === 'nav' && x.result !== null)).toBe(false);
  });
});
