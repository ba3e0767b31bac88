/**
 * Keyboard-wedge scanners and some decoders hand over UTF-8 bytes read one by one as Windows-1252
 * ("Nguyá»…n" for "Nguyễn"). Such text is turned back into bytes and decoded strictly as UTF-8; the
 * repair is taken only when that succeeds, which genuine Vietnamese text never does (it has letters
 * outside Windows-1252, or Latin-1 letters that are not valid UTF-8 sequences as bytes).
 */

// Windows-1252's 0x80–0x9F block (0 where it defines no character: those bytes arrive as C1 controls).
const CP1252_HIGH = [
  0x20ac, 0, 0x201a, 0x0192, 0x201e, 0x2026, 0x2020, 0x2021, 0x02c6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017d, 0,
  0, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x02dc, 0x2122, 0x0161, 0x203a, 0x0153, 0, 0x017e, 0x0178,
];
const BYTE_OF = new Map<number, number>();
CP1252_HIGH.forEach((code, i) => {
  // Stryker disable next-line ConditionalExpression: a code point below 0x100 is its own byte and is never looked up here, so mapping 0 changes nothing
  if (code !== 0) BYTE_OF.set(code, 0x80 + i);
});

/** Sequences that UTF-8 read as Windows-1252 produces for Vietnamese letters and never occur in real names. */
const MOJIBAKE_MARKERS = /Ã[\u0080-\u00BF€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]|Ä[\u0080-\u00BF‘’“”]|Æ[°¯]|á[º»¼½¾¹]|Â[\u00A0-\u00BF]/;

export type RepairResult =
  | { readonly kind: 'clean'; readonly text: string }
  | { readonly kind: 'repaired'; readonly text: string }
  | { readonly kind: 'broken' };

function toBytes(text: string): Uint8Array | null {
  const bytes: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    // Below 0x100 a character is its own byte: ASCII, Latin-1, and the C1 controls a lenient decoder
    // leaves for the bytes Windows-1252 does not define.
    const byte = code < 0x100 ? code : BYTE_OF.get(code);
    if (byte === undefined) return null;
    bytes.push(byte);
  }
  return Uint8Array.from(bytes);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export function repairMojibake(text: string): RepairResult {
  if (text.includes('\uFFFD')) return { kind: 'broken' };
  const looksGarbled = MOJIBAKE_MARKERS.test(text);
  const bytes = toBytes(text);
  // Stryker disable next-line ConditionalExpression: the strict decoder throws on null as on bytes that are not UTF-8, and both mean "not repaired"
  if (bytes !== null) {
    try {
      const decoded = strictUtf8.decode(bytes);
      if (decoded !== text) return { kind: 'repaired', text: decoded };
    } catch {
      // Not UTF-8 as bytes: the text is what it says, unless it carries the marks of garbling.
    }
  }
  return looksGarbled ? { kind: 'broken' } : { kind: 'clean', text };
}
