import { z } from 'zod';
import { FIELDS } from '../ports/robot-base.js';

const text = z.string().trim().min(1);
const tri = <T extends z.ZodType>(item: T) => z.strictObject({ vi: item, en: item, ko: item });

export const PROCEDURE_ID = /^[a-z][a-z0-9_]*$/;

/** One procedure file (`src/civic/catalog/<id>.yaml`). Unknown keys are errors, so typos surface. */
export const procedureSchema = z.strictObject({
  id: z.string().regex(PROCEDURE_ID, 'lower_snake_case id'),
  field: z.enum(FIELDS),
  codes: z.array(z.string().regex(/^\d\.\d{6}$/, 'portal code like 1.001193')),
  names: tri(text),
  synonyms: tri(z.array(text).min(2)),
  documents: tri(z.array(text).min(1)),
  fee: z.strictObject({
    amountVnd: z.number().int().nonnegative().nullable(),
    text: tri(text),
    exemptions: tri(z.array(text)),
  }),
  processingTime: z.strictObject({
    workingDays: z.number().nonnegative().nullable(),
    text: tri(text),
  }),
  online: z.boolean(),
  idData: z.array(z.enum(['idNumber', 'fullName', 'dateOfBirth', 'sex', 'permanentAddress', 'issueDate'])),
  idCards: z.number().int().min(0).max(2),
  legalBasis: z.array(text).min(1),
  sources: z.array(z.strictObject({ title: text, url: z.url().optional() })).min(1),
  unconfirmed: z.array(text),
});

export type ProcedureFile = z.infer<typeof procedureSchema>;
