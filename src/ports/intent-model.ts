import type { Lang } from './common.js';

export const INTENTS = [
  'greet',
  'ask_procedure',
  'ask_documents',
  'ask_fee',
  'ask_duration',
  'ask_location',
  'request_escort',
  'request_ticket',
  'check_queue',
  'scan_id',
  'affirm',
  'deny',
  'repeat',
  'talk_to_staff',
  'change_language',
  'goodbye',
  'complaint',
  'out_of_scope',
] as const;
export type Intent = (typeof INTENTS)[number];

export interface IntentAlternative {
  readonly intent: Intent;
  readonly procedure: string | null;
  readonly confidence: number;
}

export interface Classification {
  readonly intent: Intent;
  /** A catalog procedure id, or null when none is named. */
  readonly procedure: string | null;
  readonly lang: Lang;
  /** 0..1. */
  readonly confidence: number;
  /** Next best readings, best first, not including the chosen one. */
  readonly alternatives: readonly IntentAlternative[];
}

export interface IntentModel {
  readonly name: string;
  classify(text: string): Promise<Classification>;
}
