import { PROTOCOL_VERSION, serverMessageSchema, type OutgoingMessage } from './protocol.js';

/**
 * Stamps a message with the protocol version and robot id, checks it against the protocol's schema
 * and serialises it, once for all the clients that get the same view of it (role-view.ts). A message
 * that fails is reported and becomes null: a bug in the controller must not reach a screen as a
 * malformed frame.
 */
export function messageFramer(robotId: string, onInvalid?: (type: string, reason: string) => void): (message: OutgoingMessage) => string | null {
  return (message) => {
    const full = { v: PROTOCOL_VERSION, robotId, ...message };
    const checked = serverMessageSchema.safeParse(full);
    if (!checked.success) {
      const issue = checked.error.issues[0];
      onInvalid?.(message.type, `${issue?.path.join('.') ?? ''}: ${issue?.code ?? 'invalid'}`);
      return null;
    }
    return JSON.stringify(full);
  };
}
