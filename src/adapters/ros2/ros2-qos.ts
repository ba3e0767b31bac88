import type { Rclnodejs } from './ros2-client.js';
import type { Ros2QoS } from './ros2-config.js';

/**
 * A rclnodejs QoS from the config. Reliability goes through the constructor: rclnodejs's typings
 * declare `reliability` as a method while the JS has a setter, so assigning it does not type-check.
 */
export function qosFor(rcl: Pick<Rclnodejs, 'QoS'>, spec: Ros2QoS): object {
  const { QoS } = rcl;
  return new QoS(
    QoS.HistoryPolicy.RMW_QOS_POLICY_HISTORY_KEEP_LAST,
    spec.depth,
    spec.reliability === 'reliable' ? QoS.ReliabilityPolicy.RMW_QOS_POLICY_RELIABILITY_RELIABLE : QoS.ReliabilityPolicy.RMW_QOS_POLICY_RELIABILITY_BEST_EFFORT,
    spec.durability === 'transient_local' ? QoS.DurabilityPolicy.RMW_QOS_POLICY_DURABILITY_TRANSIENT_LOCAL : QoS.DurabilityPolicy.RMW_QOS_POLICY_DURABILITY_VOLATILE,
  );
}
