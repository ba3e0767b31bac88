import { z } from 'zod';
import { LANGS } from '../ports/common.js';

/**
 * The console and kiosk protocol: JSON objects with a `type`, checked with these schemas in both
 * directions. A client message that fails them is answered with an error and goes no further.
 */
export const PROTOCOL_VERSION = 1 as const;
/** Bigger than any real command (a `say` text included); anything larger is refused unread. */
export const MAX_MESSAGE_BYTES = 4096;

const id = z.string().regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'an id of letters, digits, _ . : -');
const lang = z.enum(LANGS);
const base = { v: z.literal(PROTOCOL_VERSION), robotId: id, requestId: id };

/** Commands an operator may send; `citizen.*` is what the kiosk may send. */
export const clientMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({ ...base, type: z.literal('robot.pause') }),
  z.strictObject({ ...base, type: z.literal('robot.resume') }),
  z.strictObject({ ...base, type: z.literal('robot.estop') }),
  z.strictObject({ ...base, type: z.literal('robot.releaseEstop') }),
  z.strictObject({ ...base, type: z.literal('robot.goHome') }),
  z.strictObject({ ...base, type: z.literal('robot.dock') }),
  z.strictObject({ ...base, type: z.literal('robot.sendTo'), placeId: id }),
  z.strictObject({ ...base, type: z.literal('escort.cancel') }),
  z.strictObject({ ...base, type: z.literal('robot.say'), text: z.string().trim().min(1).max(500), lang }),
  z.strictObject({ ...base, type: z.literal('conversation.takeOver') }),
  z.strictObject({ ...base, type: z.literal('conversation.handBack') }),
  z.strictObject({ ...base, type: z.literal('alert.ack'), alertId: id }),
  z.strictObject({ ...base, type: z.literal('queue.callNext'), counterId: id }),
  z.strictObject({ ...base, type: z.literal('request.open'), ticketNumber: z.string().regex(/^[A-Z]\d{3,4}$/) }),
  z.strictObject({ ...base, type: z.literal('citizen.say'), text: z.string().trim().min(1).max(500), lang: lang.optional() }),
  z.strictObject({ ...base, type: z.literal('citizen.selectProcedure'), procedureId: z.string().regex(/^[a-z][a-z0-9_]{1,63}$/) }),
  z.strictObject({ ...base, type: z.literal('citizen.selectLanguage'), lang }),
  z.strictObject({ ...base, type: z.literal('citizen.confirmId'), correct: z.boolean() }),
]);
export type ClientMessage = z.infer<typeof clientMessageSchema>;
export type ClientMessageType = ClientMessage['type'];

export const ROLES = ['viewer', 'operator', 'admin', 'officer', 'kiosk'] as const;
export type Role = (typeof ROLES)[number];

const OPERATOR_COMMANDS = new Set<ClientMessageType>([
  'robot.pause',
  'robot.resume',
  'robot.estop',
  'robot.releaseEstop',
  'robot.goHome',
  'robot.dock',
  'robot.sendTo',
  'escort.cancel',
  'robot.say',
  'conversation.takeOver',
  'conversation.handBack',
  'alert.ack',
  'queue.callNext',
]);
const KIOSK_INPUT = new Set<ClientMessageType>(['citizen.say', 'citizen.selectProcedure', 'citizen.selectLanguage', 'citizen.confirmId']);

/**
 * Who may send what. Viewers send nothing; the kiosk only citizen input; officers call tickets and
 * open requests for their own counter only (`counterId` is the counter an officer is bound to).
 */
export function mayDo(role: Role, message: ClientMessage, counterId: string | null): boolean {
  switch (role) {
    case 'viewer':
      return false;
    case 'kiosk':
      return KIOSK_INPUT.has(message.type);
    case 'officer':
      return (message.type === 'queue.callNext' && message.counterId === counterId) || message.type === 'request.open';
    case 'operator':
    case 'admin':
      return OPERATOR_COMMANDS.has(message.type);
  }
}

export type ProtocolErrorCode = 'too_large' | 'not_json' | 'invalid';

export type ParsedClientMessage =
  | { readonly ok: true; readonly message: ClientMessage }
  | { readonly ok: false; readonly code: ProtocolErrorCode; readonly reason: string };

/**
 * Checks one websocket frame. The reason names what is wrong (a field, a type) and never repeats
 * what the client sent, which may hold anything.
 */
export function parseClientMessage(frame: string | Buffer): ParsedClientMessage {
  const bytes = typeof frame === 'string' ? Buffer.byteLength(frame, 'utf8') : frame.length;
  if (bytes > MAX_MESSAGE_BYTES) return { ok: false, code: 'too_large', reason: `messages are at most ${MAX_MESSAGE_BYTES} bytes` };
  let raw: unknown;
  try {
    raw = JSON.parse(typeof frame === 'string' ? frame : frame.toString('utf8'));
  } catch {
    return { ok: false, code: 'not_json', reason: 'a message must be one JSON object' };
  }
  const parsed = clientMessageSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = issue === undefined || issue.path.length === 0 ? 'the message' : `"${issue.path.map(String).join('.')}"`;
    return { ok: false, code: 'invalid', reason: `${where} is not valid (${issue?.code ?? 'invalid'})` };
  }
  return { ok: true, message: parsed.data };
}
