import { FIELD_PREFIX } from '../ports/queue.js';
import type { Field } from '../ports/robot-base.js';

export interface IssuedTicket {
  readonly number: string;
  readonly field: Field;
  readonly counterId: string;
  readonly issuedAtMs: number;
}

/**
 * Numbers tickets per field for one run of the controller, in memory. The persistent, day-resetting
 * queue with priorities is the `Queue` port's job; this is what the foundation runs on until then.
 */
export class TicketBook {
  readonly issued: IssuedTicket[] = [];
  readonly #next = new Map<Field, number>();

  issue(field: Field, counterId: string, nowMs: number): IssuedTicket {
    const n = (this.#next.get(field) ?? 0) + 1;
    this.#next.set(field, n);
    const ticket: IssuedTicket = { number: `${FIELD_PREFIX[field]}${String(n).padStart(3, '0')}`, field, counterId, issuedAtMs: nowMs };
    this.issued.push(ticket);
    return ticket;
  }
}
