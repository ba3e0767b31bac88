import type { Field } from './robot-base.js';

/** Ticket prefixes per field, as printed on the centre's queue tickets. */
export const FIELD_PREFIX: Readonly<Record<Field, string>> = {
  civil_status: 'A',
  certification: 'B',
  residence: 'C',
  identity: 'D',
  business: 'E',
  land: 'F',
  construction: 'G',
  social: 'H',
  complaints: 'K',
};

/** As printed on the ticket: the field's prefix and the day's sequence number, zero-padded to three digits (`A001`, `A1000`). */
export function formatTicketNumber(field: Field, seq: number): string {
  return `${FIELD_PREFIX[field]}${String(seq).padStart(3, '0')}`;
}

/** The field and sequence number of a ticket number as `formatTicketNumber` writes it; null for anything else. */
export function parseTicketNumber(number: string): { readonly field: Field; readonly seq: number } | null {
  const match = /^([A-Z])(\d{3,})$/.exec(number);
  if (match === null) return null;
  const entry = Object.entries(FIELD_PREFIX).find(([, prefix]) => prefix === match[1]);
  if (entry === undefined) return null;
  const field = entry[0] as Field;
  const seq = Number(match[2]);
  // `A0001` is not how ticket 1 is printed: only the one spelling is a ticket.
  return seq >= 1 && formatTicketNumber(field, seq) === number ? { field, seq } : null;
}

/** Citizens served first, as Vietnamese service rules give them priority. */
export const PRIORITY_REASONS = ['elderly', 'disability', 'pregnant', 'small_child'] as const;
export type PriorityReason = (typeof PRIORITY_REASONS)[number];

export interface QueueTicket {
  /** As printed: the field's prefix and the day's sequence number, `A001`. */
  readonly number: string;
  readonly field: Field;
  /** The service day (Asia/Ho_Chi_Minh), yyyy-mm-dd: numbers restart each day. */
  readonly day: string;
  readonly seq: number;
  readonly priority: PriorityReason | null;
  readonly procedureId: string | null;
  readonly issuedAtMs: number;
  readonly calledAtMs: number | null;
  /** The counter that called it. */
  readonly counterId: string | null;
}

export interface TicketRequest {
  readonly field: Field;
  readonly procedureId?: string | null;
  readonly priority?: PriorityReason | null;
}

export interface FieldStatus {
  readonly field: Field;
  readonly waiting: number;
  readonly lastCalled: string | null;
  /** From recent service times; a default before any ticket was called today. */
  readonly estimatedWaitS: number;
}

/** Queue tickets per field; persistent, so a restart loses none and issues none twice. */
export interface Queue {
  issue(request: TicketRequest): QueueTicket;
  /** The next ticket for a counter serving these fields: priority first, then in order of issue. */
  callNext(counterId: string, fields: readonly Field[]): QueueTicket | null;
  status(): readonly FieldStatus[];
  /** Today's ticket called last at this counter, or null. */
  lastCalledAt(counterId: string): QueueTicket | null;
  /** Today's ticket with this number, or null. */
  find(number: string): QueueTicket | null;
  /** Today's tickets not yet called, in calling order. */
  waiting(field?: Field): readonly QueueTicket[];
  close(): void;
}
