import { describe, expect, it } from 'vitest';
import { maskRecord } from '../../src/civic/id-card/mask.js';
import { createIdReader } from '../../src/civic/id-card/reader.js';
import { describeRecord } from '../../src/cli/start.js';
import { forConsole } from '../../src/console/lobby-console.js';
import { maskTranscript } from '../../src/console/controller-backend.js';
import { qrText, syntheticCards } from '../../sim/id-cards.js';

const reader = createIdReader(() => new Date(Date.UTC(2026, 0, 15)));

describe('a masked ID number cannot be filled back in', () => {
  it('shows at most its last three digits, and no birth year beside it on the kiosk, the console or the terminal', () => {
    for (const card of syntheticCards(8, 5)) {
      const result = reader.readQr(qrText(card));
      if (!result.ok) throw new Error('a synthetic card did not read');
      const masked = maskRecord(result.record);
      expect(masked.idNumber).toBe(`*********${card.id.slice(-3)}`);
      if (card.oldId !== '') expect(masked.oldIdNumber).toBe(`******${card.oldId.slice(-3)}`);
      const shown = [
        JSON.stringify(masked),
        JSON.stringify(forConsole({ kind: 'idRead', procedureId: 'birth_registration', requestId: 'robot-1-1-1', cards: [masked] })),
        describeRecord({ kind: 'idRead', procedureId: 'birth_registration', requestId: 'robot-1-1-1', cards: [masked] }) ?? '',
      ];
      for (const text of shown) {
        expect(text, 'birth year shown').not.toContain(String(card.dob.y));
        expect(text, 'ID digits beyond the last three').not.toContain(card.id.slice(0, 4));
      }
    }
  });

  it('a number said aloud keeps at most its last three digits too', () => {
    expect(maskTranscript('số căn cước của tôi là 079303001234 nha')).toBe('số căn cước của tôi là *********234 nha');
  });
});
