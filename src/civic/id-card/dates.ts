/** `DDMMYYYY` (QR) or `YYMMDD` (MRZ) to an ISO date, or null when it is not a real calendar date. */
export function isoFromDdmmyyyy(text: string): string | null {
  if (!/^\d{8}$/.test(text)) return null;
  return isoOf(Number(text.slice(4, 8)), Number(text.slice(2, 4)), Number(text.slice(0, 2)));
}

export function isoOf(year: number, month: number, day: number): string | null {
  if (month < 1 || month > 12 || day < 1) return null;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day > days || year < 1800) return null;
  // From 1800 on, a year has four digits of its own.
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}
