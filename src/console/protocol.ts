import { z } from 'zod';
import { WATCHDOG_ALERT_KINDS } from '../app/watchdog-alerts.js';
import { LANGS } from '../ports/common.js';
import { GUIDE_ALERT_KINDS } from '../../statecharts/guide.types.js';

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
  /** Yes or No on the screen: consent to a card scan, the card data shown, an offer to walk along. */
  z.strictObject({ ...base, type: z.literal('citizen.answer'), answer: z.enum(['yes', 'no']) }),
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
const KIOSK_INPUT = new Set<ClientMessageType>(['citizen.say', 'citizen.selectProcedure', 'citizen.selectLanguage', 'citizen.answer']);

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

// ---- Server to client ----------------------------------------------------------------------------

const num = z.number().finite();
const out = { v: z.literal(PROTOCOL_VERSION), robotId: id };
const text = z.string().max(2000);
const point = z.strictObject({ xM: num, yM: num });

/** The statechart's alerts and the controller's watchdogs, as operators see them. */
export const ALERT_KINDS = [...GUIDE_ALERT_KINDS, ...WATCHDOG_ALERT_KINDS] as const;
export type OperatorAlertKind = (typeof ALERT_KINDS)[number];

const maskedCard = z.strictObject({
  layout: z.string(),
  idNumber: text,
  oldIdNumber: text.nullable(),
  fullName: text,
  dateOfBirth: text,
  sex: z.string().nullable(),
  address: text,
  issueDate: text,
  registeredAbroad: z.boolean(),
});

/** The card as the kiosk shows it for the citizen to confirm: the masked lines on its screen, nothing else of the read. */
const cardToConfirm = maskedCard.pick({ idNumber: true, fullName: true, dateOfBirth: true, address: true });

/**
 * What the controller did, as the console and the kiosk see it: transcripts masked, cards masked.
 * Which role is sent which kind is decided in role-view.ts; `cardCheck` is what the kiosk gets of an `idRead`.
 */
export const consoleRecordSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('state'), interaction: text, safety: text, power: text, link: text }),
  z.strictObject({ kind: z.literal('heard'), text, lang: lang.nullable() }),
  z.strictObject({ kind: z.literal('understood'), intent: text, procedure: text.nullable(), lang, confidence: num }),
  z.strictObject({ kind: z.literal('said'), messageId: text, lang, text, params: z.record(z.string(), z.unknown()) }),
  z.strictObject({
    kind: z.literal('nav'),
    purpose: text,
    placeId: text,
    result: z.strictObject({ kind: text, reason: text.optional(), detail: text.optional() }).nullable(),
  }),
  z.strictObject({ kind: z.literal('ticket'), number: text, counterId: text }),
  z.strictObject({ kind: z.literal('idRead'), procedureId: text, requestId: text, cards: z.array(maskedCard).max(4) }),
  z.strictObject({ kind: z.literal('cardCheck'), cards: z.array(cardToConfirm).max(4) }),
  z.strictObject({ kind: z.literal('idRejected'), codes: z.array(text).max(20) }),
  z.strictObject({ kind: z.literal('alert'), alert: z.enum(ALERT_KINDS) }),
  z.strictObject({ kind: z.literal('error'), where: text, message: text }),
]);
export type ConsoleRecord = z.infer<typeof consoleRecordSchema>;

const fieldStatus = z.strictObject({ field: text, waiting: z.number().int().min(0), lastCalled: text.nullable(), estimatedWaitS: num });
const queueView = z.strictObject({
  fields: z.array(fieldStatus).max(50),
  /** Per counter: the fields it serves, its last called ticket, the tickets waiting for it in calling order. */
  counters: z.array(z.strictObject({ id, fields: z.array(text).max(20), lastCalled: text.nullable(), waiting: z.array(text).max(200) })).max(100),
});
export type QueueView = z.infer<typeof queueView>;

const openAlert = z.strictObject({ alertId: id, kind: z.enum(ALERT_KINDS), tS: num });
const userView = z.strictObject({ name: text, role: z.enum(['viewer', 'operator', 'admin', 'officer', 'kiosk']), counterId: text.nullable(), mustChangePassword: z.boolean() });

export const serverMessageSchema = z.discriminatedUnion('type', [
  z.strictObject({
    ...out,
    type: z.literal('snapshot'),
    user: userView,
    state: z.strictObject({
      starting: z.boolean(),
      /** The statechart's active state paths, `interaction.serving.listening` and each of its ancestors. */
      active: z.array(text).max(200),
      queue: queueView.nullable(),
      alerts: z.array(openAlert).max(500),
    }),
  }),
  z.strictObject({
    ...out,
    type: z.literal('telemetry'),
    tS: num,
    /** The server's wall clock when it was sent (ms since the epoch): a client sees how stale it is. */
    atMs: num,
    pose: z.strictObject({ xM: num, yM: num, yawRad: num }),
    linearMps: num,
    batteryPercent: num,
    path: z.array(point).max(5000),
    people: z.array(z.strictObject({ id, xM: num, yM: num })).max(500),
  }),
  z.strictObject({ ...out, type: z.literal('states'), active: z.array(text).max(200) }),
  z.strictObject({ ...out, type: z.literal('record'), tS: num, record: consoleRecordSchema }),
  z.strictObject({ ...out, type: z.literal('queue'), queue: queueView }),
  z.strictObject({ ...out, type: z.literal('alert'), alert: openAlert }),
  z.strictObject({ ...out, type: z.literal('alert.acked'), alertId: id, by: text }),
  z.strictObject({ ...out, type: z.literal('command.result'), requestId: id, ok: z.boolean(), reason: text.optional(), data: z.unknown().optional() }),
  z.strictObject({ ...out, type: z.literal('error'), code: z.enum(['too_large', 'not_json', 'invalid', 'rate_limited']), reason: text }),
]);
export type ServerMessage = z.infer<typeof serverMessageSchema>;
type DeepReadonly<T> = T extends readonly (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;
/** A server message before the version and robot id are stamped on it; the controller's readonly data fits. */
export type OutgoingMessage = ServerMessage extends infer M ? (M extends ServerMessage ? DeepReadonly<Omit<M, 'v' | 'robotId'>> : never) : never;
