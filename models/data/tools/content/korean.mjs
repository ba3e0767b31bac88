// Just enough Korean morphology for the templates: a few verbs in a few endings, and particles
// chosen by whether the noun ends in a consonant.

const BASE = {
  하다: { R: '하려면', REO: '하러', GO: '하고', RG: '하려고', L: '할 때', NEUN: '하는 데', HAE: '해요', ADN: '하는', CAN: '할 수 있어요' },
  받다: { R: '받으려면', REO: '받으러', GO: '받고', RG: '받으려고', L: '받을 때', NEUN: '받는 데', HAE: '받아요', ADN: '받는', CAN: '받을 수 있어요' },
  만들다: { R: '만들려면', REO: '만들러', GO: '만들고', RG: '만들려고', L: '만들 때', NEUN: '만드는 데', HAE: '만들어요', ADN: '만드는', CAN: '만들 수 있어요' },
  떼다: { R: '떼려면', REO: '떼러', GO: '떼고', RG: '떼려고', L: '뗄 때', NEUN: '떼는 데', HAE: '떼요', ADN: '떼는', CAN: '뗄 수 있어요' },
  넣다: { R: '넣으려면', REO: '넣으러', GO: '넣고', RG: '넣으려고', L: '넣을 때', NEUN: '넣는 데', HAE: '넣어요', ADN: '넣는', CAN: '넣을 수 있어요' },
};

/** Verbs ending in 하다 or 받다 conjugate like them, prefix kept ("신청하다" → "신청하려면"). */
export function conj(verb, form) {
  if (BASE[verb]) return BASE[verb][form];
  for (const base of ['하다', '받다']) {
    if (verb.endsWith(base)) return verb.slice(0, -base.length) + BASE[base][form];
  }
  throw new Error(`korean: unknown verb ${verb}`);
}

function hasBatchim(word) {
  const last = word.trim().slice(-1);
  const code = last.charCodeAt(0);
  if (code >= 0xac00 && code <= 0xd7a3) return (code - 0xac00) % 28 !== 0;
  // Latin (Vietnamese words, acronyms): read out, they mostly end in a vowel ("tạm trú", "CCCD").
  return /[mnp]$/i.test(last) && !/[aeiouy]$/i.test(last) ? true : false;
}

export const topic = (noun) => noun + (hasBatchim(noun) ? '은' : '는');
export const object = (noun) => noun + (hasBatchim(noun) ? '을' : '를');
export const subject = (noun) => noun + (hasBatchim(noun) ? '이' : '가');
/** "출생신고요", "출생 등록이요": the short answer form. */
export const yo = (noun) => noun + (hasBatchim(noun) ? '이요' : '요');

/**
 * The noun with its verb in one ending. Verbal nouns with 하다 are joined with a space, without one
 * (as people type), or with an object particle; other verbs take the noun with or without 을/를.
 */
export function withVerb(rng, noun, verb, form) {
  const v = conj(verb, form);
  if (verb === '하다') {
    const r = rng.next();
    if (r < 0.45) return `${noun} ${v}`;
    if (r < 0.75 && /[\uac00-\ud7a3]$/.test(noun)) return `${noun}${v}`;
    return `${object(noun)} ${v}`;
  }
  if (verb.endsWith('하다') && verb !== '하다') {
    // "사회연금 신청하려면" / "사회연금을 신청하려면"
    return rng.chance(0.6) ? `${noun} ${v}` : `${object(noun)} ${v}`;
  }
  return rng.chance(0.55) ? `${noun} ${v}` : `${object(noun)} ${v}`;
}
