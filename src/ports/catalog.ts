import type { Lang } from './common.js';
import type { Field } from './robot-base.js';

export type Trilingual<T> = Readonly<Record<Lang, T>>;

/** Personal data a procedure's request form takes from the ID card. */
export type IdDataField = 'idNumber' | 'fullName' | 'dateOfBirth' | 'sex' | 'permanentAddress' | 'issueDate';

export interface Procedure {
  readonly id: string;
  readonly field: Field;
  /** Official procedure codes on the national public-service portal, when known. */
  readonly codes: readonly string[];
  readonly names: Trilingual<string>;
  /** Everyday ways of naming it, without the formal name. */
  readonly synonyms: Trilingual<readonly string[]>;
  readonly documents: Trilingual<readonly string[]>;
  readonly fee: {
    /** Null when the fee is set locally or varies; the text then says how. */
    readonly amountVnd: number | null;
    readonly text: Trilingual<string>;
    readonly exemptions: Trilingual<readonly string[]>;
  };
  readonly processingTime: {
    /** Working days; 0 means the same day; null when it varies. */
    readonly workingDays: number | null;
    readonly text: Trilingual<string>;
  };
  readonly online: boolean;
  readonly idData: readonly IdDataField[];
  /** How many people's ID cards the request needs (2 for marriage registration). */
  readonly idCards: number;
  readonly legalBasis: readonly string[];
  readonly sources: readonly { readonly title: string; readonly url?: string | undefined }[];
  /** Facts not yet checked against the live portal. */
  readonly unconfirmed: readonly string[];
}

export interface Catalog {
  procedures(): readonly Procedure[];
  get(id: string): Procedure | undefined;
}
