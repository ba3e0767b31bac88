import type { Catalog, Procedure } from '../ports/catalog.js';
import type { Lang } from '../ports/common.js';
import { TiepdanError } from '../ports/errors.js';
import type { MessageId, SpeakParams } from '../../statecharts/guide.types.js';

/** What a message may look up while it is rendered. */
export interface MessageContext {
  readonly catalog: Catalog;
  /** counter id -> how to say it, e.g. "counter-3" -> {vi:"quầy số 3", en:"counter 3", ko:"3번 창구"} */
  readonly counterLabel: (counterId: string, lang: Lang) => string;
}

export type Render = (params: SpeakParams, ctx: MessageContext) => string;

type Table = Readonly<Record<MessageId, Render>>;

/** The overview names this many documents; the rest are counted and left to the screen. */
const OVERVIEW_MAX_DOCUMENTS = 4;
/** A documents answer lists more, but the longest procedure (9 documents) would take minutes to say. */
const DOCUMENTS_ANSWER_MAX_DOCUMENTS = 6;
/** A fee answer names at most this many exemptions. */
const FEE_MAX_EXEMPTIONS = 2;

// ---------------------------------------------------------------------------------------------
// Text helpers

/** Any value to one clean NFC line; non-strings (a missing param) become ''. */
function clean(value: unknown): string {
  return typeof value === 'string' ? value.normalize('NFC').replace(/\s+/gu, ' ').trim() : '';
}

/** Joins the non-empty parts into one utterance. */
function say(...parts: readonly (string | false | undefined)[]): string {
  return parts
    .filter((part): part is string => typeof part === 'string' && part.trim() !== '')
    .map((part) => part.trim())
    .join(' ');
}

/** Ends a sentence with a full stop unless it already ends with one. */
function sentence(text: string): string {
  const t = text.trim();
  return t === '' || /[.!?…]$/u.test(t) ? t : `${t}.`;
}

/** Drops the closing punctuation so the text can sit inside a list. */
function stripEnd(text: string): string {
  return text.trim().replace(/[\s.;,:]+$/u, '');
}

/**
 * Lowercases the first letter when the first word is an ordinary capitalised word ("The", "Tờ"),
 * so it can follow "First," or "For". Acronyms and mixed case ("ID", "VNeID") and "I" stay.
 */
function lowerFirst(text: string): string {
  const word = /^[\p{L}\p{M}]+/u.exec(text)?.[0] ?? '';
  if (word === '' || word === 'I' || !/^\p{Lu}[\p{Ll}\p{M}]*$/u.test(word)) return text;
  const first = text.slice(0, 1);
  return first.toLocaleLowerCase() + text.slice(1);
}

function upperFirst(text: string): string {
  return text.slice(0, 1).toLocaleUpperCase() + text.slice(1);
}

/**
 * Whether a Korean word ends in a consonant (batchim), for choosing 은/는 and 으로/로.
 * Digits are read Sino-Korean (3 = 삼). Undefined when it cannot tell (a Latin id).
 * `rieul` is true for a final ㄹ, which takes 로 rather than 으로.
 */
function koreanFinal(word: string): { readonly batchim: boolean; readonly rieul: boolean } | undefined {
  const last = /[\p{L}\p{N}](?=[^\p{L}\p{N}]*$)/u.exec(word)?.[0];
  if (last === undefined) return undefined;
  const code = last.codePointAt(0) ?? 0;
  if (code >= 0xac00 && code <= 0xd7a3) {
    const jong = (code - 0xac00) % 28;
    return { batchim: jong !== 0, rieul: jong === 8 };
  }
  const digitFinals: Readonly<Record<string, { batchim: boolean; rieul: boolean }>> = {
    '0': { batchim: true, rieul: false },
    '1': { batchim: true, rieul: true },
    '2': { batchim: false, rieul: false },
    '3': { batchim: true, rieul: false },
    '4': { batchim: false, rieul: false },
    '5': { batchim: false, rieul: false },
    '6': { batchim: true, rieul: false },
    '7': { batchim: true, rieul: true },
    '8': { batchim: true, rieul: true },
    '9': { batchim: false, rieul: false },
  };
  return digitFinals[last];
}

/** Topic particle: 창구는, 접수처는; 은(는) when the word's ending is unknown. */
function eunNeun(word: string): string {
  const final = koreanFinal(word);
  return word + (final === undefined ? '은(는)' : final.batchim ? '은' : '는');
}

// ---------------------------------------------------------------------------------------------
// Looking up params

function procedureOf(params: SpeakParams, ctx: MessageContext): Procedure | undefined {
  const id = clean(params.procedureId);
  return id === '' ? undefined : ctx.catalog.get(id);
}

/** The counter as it is said in `lang`, or undefined when the params name none. */
function counterOf(params: SpeakParams, ctx: MessageContext, lang: Lang): string | undefined {
  const id = clean(params.counterId);
  if (id === '') return undefined;
  const label = clean(ctx.counterLabel(id, lang));
  return label !== '' ? label : clean(defaultCounterLabel(id, lang)) || undefined;
}

function ticketOf(params: SpeakParams): string | undefined {
  return clean(params.ticketNumber) || undefined;
}

function items(list: readonly string[] | undefined): string[] {
  return (list ?? []).map(clean).filter((item) => item !== '');
}

// ---------------------------------------------------------------------------------------------
// Counters

/** "counter-3" -> "quầy số 3" / "counter 3" / "3번 창구"; any other id with '-' read as a space. */
export function defaultCounterLabel(counterId: string, lang: Lang): string {
  const id = clean(counterId);
  const match = /^counter-0*(\d+)$/iu.exec(id);
  if (match !== null) {
    const n = match[1] ?? '0';
    switch (lang) {
      case 'vi':
        return `quầy số ${n}`;
      case 'en':
        return `counter ${n}`;
      case 'ko':
        return `${n}번 창구`;
    }
  }
  return id.replace(/-/gu, ' ').replace(/\s+/gu, ' ').trim();
}

// ---------------------------------------------------------------------------------------------
// The words each language needs besides its message table

interface Words {
  /** The fallback when no counter is known. */
  readonly rightCounter: string;
  readonly ordinals: readonly string[];
  /** Used after the last ordinal. */
  readonly next: string;
  /** Whether document items are lowercased after an ordinal (not for Korean). */
  readonly hasCase: boolean;
  readonly listJoin: string;
  readonly moreItems: (n: number) => string;
}

const WORDS: Readonly<Record<Lang, Words>> = {
  vi: {
    rightCounter: 'quầy phụ trách',
    ordinals: ['Thứ nhất', 'Thứ hai', 'Thứ ba', 'Thứ tư', 'Thứ năm', 'Thứ sáu', 'Thứ bảy', 'Thứ tám', 'Thứ chín', 'Thứ mười'],
    next: 'Tiếp theo',
    hasCase: true,
    listJoin: '; ',
    moreItems: (n) => `Ngoài ra còn ${n} giấy tờ khác, anh/chị xem trên màn hình ạ.`,
  },
  en: {
    rightCounter: 'the right counter',
    ordinals: ['First', 'Second', 'Third', 'Fourth', 'Fifth', 'Sixth', 'Seventh', 'Eighth', 'Ninth', 'Tenth'],
    next: 'Next',
    hasCase: true,
    listJoin: '; ',
    moreItems: (n) => (n === 1 ? 'There is 1 more item shown on the screen.' : `There are ${n} more items shown on the screen.`),
  },
  ko: {
    rightCounter: '담당 창구',
    ordinals: ['첫째', '둘째', '셋째', '넷째', '다섯째', '여섯째', '일곱째', '여덟째', '아홉째', '열째'],
    next: '다음으로',
    hasCase: false,
    listJoin: ', ',
    moreItems: (n) => `나머지 ${n}가지는 화면에서 확인해 주세요.`,
  },
};

/** Says up to `max` documents, each after an ordinal, then how many more are on the screen. */
function documentList(documents: readonly string[], lang: Lang, max: number): string {
  const words = WORDS[lang];
  const shown = documents.slice(0, max);
  const rest = documents.length - shown.length;
  const spoken =
    shown.length === 1
      ? sentence(upperFirst(shown[0] ?? ''))
      : say(
          ...shown.map((doc, i) => {
            const body = sentence(words.hasCase ? lowerFirst(doc) : doc);
            return `${words.ordinals[i] ?? words.next}, ${body}`;
          }),
        );
  return say(spoken, rest > 0 && words.moreItems(rest));
}

/** Joins short list items (exemptions) into one clause without their own full stops. */
function joinList(list: readonly string[], lang: Lang): string {
  const words = WORDS[lang];
  return list.map((item) => stripEnd(words.hasCase ? lowerFirst(item) : item)).join(words.listJoin);
}

/** What a procedure says in one language; empty strings where the catalog has nothing. */
interface ProcedureText {
  /** As written in the catalog, for the start of a sentence. */
  readonly name: string;
  /** Ready for the middle of a sentence. */
  readonly inName: string;
  readonly documents: readonly string[];
  readonly fee: string;
  readonly exemptions: readonly string[];
  readonly time: string;
}

function procedureText(procedure: Procedure | undefined, lang: Lang): ProcedureText | undefined {
  if (procedure === undefined) return undefined;
  const name = clean(procedure.names?.[lang]);
  if (name === '') return undefined;
  return {
    name,
    inName: WORDS[lang].hasCase ? lowerFirst(name) : name,
    documents: items(procedure.documents?.[lang]),
    fee: sentence(clean(procedure.fee?.text?.[lang])),
    exemptions: items(procedure.fee?.exemptions?.[lang]),
    time: sentence(clean(procedure.processingTime?.text?.[lang])),
  };
}

// ---------------------------------------------------------------------------------------------
// Vietnamese: formal-polite, the citizen is "anh/chị", the robot "tôi".

const VI_UNKNOWN =
  'Xin lỗi, tôi chưa có thông tin về thủ tục này. Anh/chị vui lòng hỏi tại bàn hướng dẫn hoặc xem trên màn hình cảm ứng ạ.';

const vi: Table = {
  greeting: () =>
    'Xin chào anh/chị, tôi là robot hướng dẫn của Trung tâm. Anh/chị cần làm thủ tục gì ạ? Hello, 안녕하세요.',
  'prompt.askProcedure': () =>
    'Anh/chị cần làm thủ tục gì ạ? Ví dụ: đăng ký khai sinh, chứng thực bản sao hoặc đăng ký tạm trú.',
  'prompt.offerEscort': (p, ctx) => {
    const counter = counterOf(p, ctx, 'vi');
    return counter === undefined
      ? 'Anh/chị có muốn lấy số thứ tự không ạ?'
      : `Anh/chị có muốn lấy số thứ tự và để tôi dẫn đến ${counter} không ạ?`;
  },
  'prompt.idConsent': () =>
    'Để cán bộ không phải nhập lại thông tin, tôi xin phép quét mã QR trên thẻ căn cước hoặc căn cước công dân của anh/chị được không ạ? ' +
    'Dữ liệu chỉ dùng cho hồ sơ này và sẽ được xóa sau khi xong. Anh/chị có thể từ chối ạ.',
  'prompt.anythingElse': () => 'Anh/chị còn cần tôi giúp gì nữa không ạ?',
  'clarify.askProcedure': () =>
    'Xin lỗi, tôi chưa nghe rõ anh/chị cần làm thủ tục nào. Anh/chị vui lòng nói tên thủ tục, ví dụ: đăng ký kết hôn, cấp thẻ căn cước hoặc chứng thực chữ ký.',
  'clarify.notUnderstood': () =>
    'Xin lỗi, tôi chưa hiểu ý anh/chị. Anh/chị vui lòng nói lại, hoặc chọn trên màn hình cảm ứng ạ.',
  'clarify.outOfScope': () =>
    'Xin lỗi, tôi chỉ hướng dẫn được các thủ tục hành chính tại Trung tâm này, ví dụ như khai sinh, đăng ký cư trú hay chứng thực giấy tờ.',
  'answer.overview': (p, ctx) => {
    const t = procedureText(procedureOf(p, ctx), 'vi');
    if (t === undefined) return VI_UNKNOWN;
    return say(
      t.documents.length > 0
        ? `Để làm thủ tục ${t.inName}, anh/chị cần chuẩn bị ${t.documents.length > 1 ? 'các ' : ''}giấy tờ sau.`
        : `Sau đây là thông tin về thủ tục ${t.inName}.`,
      documentList(t.documents, 'vi', OVERVIEW_MAX_DOCUMENTS),
      t.fee !== '' && `Lệ phí: ${t.fee}`,
      t.time !== '' && `Thời gian giải quyết: ${t.time}`,
    );
  },
  'answer.documents': (p, ctx) => {
    const t = procedureText(procedureOf(p, ctx), 'vi');
    if (t === undefined) return VI_UNKNOWN;
    if (t.documents.length === 0) return `Về giấy tờ cho thủ tục ${t.inName}, anh/chị vui lòng hỏi cán bộ tại quầy ạ.`;
    return say(
      `Để làm thủ tục ${t.inName}, anh/chị cần chuẩn bị ${t.documents.length > 1 ? 'các ' : ''}giấy tờ sau.`,
      documentList(t.documents, 'vi', DOCUMENTS_ANSWER_MAX_DOCUMENTS),
    );
  },
  'answer.fee': (p, ctx) => {
    const t = procedureText(procedureOf(p, ctx), 'vi');
    if (t === undefined) return VI_UNKNOWN;
    if (t.fee === '') return `Về lệ phí thủ tục ${t.inName}, anh/chị vui lòng hỏi cán bộ tại quầy ạ.`;
    const shown = t.exemptions.slice(0, FEE_MAX_EXEMPTIONS);
    return say(
      `Lệ phí thủ tục ${t.inName}: ${t.fee}`,
      shown.length > 0 && `Được miễn lệ phí: ${joinList(shown, 'vi')}.`,
      t.exemptions.length > shown.length && 'Các trường hợp miễn khác có trên màn hình ạ.',
    );
  },
  'answer.duration': (p, ctx) => {
    const t = procedureText(procedureOf(p, ctx), 'vi');
    if (t === undefined) return VI_UNKNOWN;
    if (t.time === '') return `Về thời gian giải quyết thủ tục ${t.inName}, anh/chị vui lòng hỏi cán bộ tại quầy ạ.`;
    return `Thời gian giải quyết thủ tục ${t.inName}: ${t.time}`;
  },
  'answer.location': (p, ctx) => {
    const t = procedureText(procedureOf(p, ctx), 'vi');
    const counter = counterOf(p, ctx, 'vi');
    const what = t === undefined ? 'Thủ tục này' : `Thủ tục ${t.inName}`;
    if (counter !== undefined) return `${what} được giải quyết tại ${counter} ạ.`;
    return t === undefined
      ? 'Anh/chị vui lòng hỏi tại bàn hướng dẫn để biết quầy phụ trách ạ.'
      : `Về thủ tục ${t.inName}, anh/chị vui lòng hỏi tại bàn hướng dẫn để biết quầy phụ trách ạ.`;
  },
  'id.reading': () => 'Anh/chị vui lòng đặt mã QR trên thẻ vào dưới đầu đọc ạ.',
  'id.confirm': () => 'Tôi đã đọc xong thẻ. Anh/chị vui lòng xem thông tin trên màn hình, thông tin đã đúng chưa ạ?',
  'id.readFailed': () => 'Tôi chưa đọc được thẻ. Không sao ạ, cán bộ tại quầy sẽ hỗ trợ anh/chị.',
  'ticket.issued': (p, ctx) => {
    const ticket = ticketOf(p);
    const counter = counterOf(p, ctx, 'vi');
    if (ticket === undefined) return 'Số thứ tự của anh/chị đã được in, mời anh/chị nhận phiếu ạ.';
    return counter === undefined
      ? `Số thứ tự của anh/chị là ${ticket} ạ.`
      : `Số thứ tự của anh/chị là ${ticket}, tại ${counter} ạ.`;
  },
  'ticket.failed': () =>
    'Xin lỗi, tôi không in được số thứ tự. Anh/chị vui lòng lấy số tại máy lấy số tự động, hoặc cán bộ sẽ hỗ trợ anh/chị ạ.',
  'escort.start': (p, ctx) => `Mời anh/chị đi theo tôi đến ${counterOf(p, ctx, 'vi') ?? WORDS.vi.rightCounter} ạ.`,
  'escort.waiting': () => 'Tôi sẽ đợi anh/chị ở đây ạ.',
  'escort.callOut': () => 'Anh/chị ơi, mời anh/chị đi theo tôi, tôi ở đây ạ!',
  'escort.gaveUp': (p, ctx) => {
    const counter = counterOf(p, ctx, 'vi');
    return counter === undefined
      ? 'Tôi xin phép quay lại bây giờ. Khi sẵn sàng, anh/chị vui lòng hỏi tại bàn hướng dẫn để được chỉ đường ạ.'
      : `Tôi xin phép quay lại bây giờ. ${upperFirst(counter)} ở cuối sảnh, khi sẵn sàng anh/chị vui lòng đến đó ạ.`;
  },
  'escort.failed': (p, ctx) => {
    const counter = counterOf(p, ctx, 'vi');
    return counter === undefined
      ? 'Xin lỗi anh/chị, tôi không đi qua được. Các quầy ở cuối sảnh, anh/chị vui lòng hỏi tại bàn hướng dẫn để được chỉ đường ạ.'
      : `Xin lỗi anh/chị, tôi không đi qua được. ${upperFirst(counter)} ở cuối sảnh, anh/chị vui lòng đi thẳng đến đó ạ.`;
  },
  'escort.halted': () => 'Tôi phải dừng lại một chút. Anh/chị vui lòng chờ ạ.',
  'escort.arrived': (p, ctx) => {
    const ticket = ticketOf(p);
    return say(
      `Đây là ${counterOf(p, ctx, 'vi') ?? WORDS.vi.rightCounter} ạ. Anh/chị vui lòng chờ đến khi được gọi số.`,
      ticket !== undefined && `Số của anh/chị là ${ticket}.`,
    );
  },
  'handoff.staff': () => 'Tôi sẽ gọi cán bộ đến hỗ trợ anh/chị. Anh/chị vui lòng chờ một chút ạ.',
  goodbye: () => 'Cảm ơn anh/chị đã đến Trung tâm. Chào tạm biệt anh/chị ạ.',
  'power.critical': () =>
    'Xin lỗi anh/chị, pin của tôi sắp hết, tôi phải đi sạc ngay bây giờ. Anh/chị vui lòng hỏi tại bàn hướng dẫn hoặc lấy số tại máy lấy số tự động ạ.',
  'link.down': () => 'Tôi đang gặp sự cố kỹ thuật và phải dừng lại một lúc. Cán bộ đã được thông báo ạ.',
  'operator.text': (p) => operatorText(p),
};

// ---------------------------------------------------------------------------------------------
// English

const EN_UNKNOWN =
  "Sorry, I don't have information about that procedure. Please ask at reception, or look on the touch screen.";

const en: Table = {
  greeting: () =>
    "Hello, I'm the guide robot of this service centre. Which procedure can I help you with? Xin chào, 안녕하세요.",
  'prompt.askProcedure': () =>
    'Which procedure do you need? For example, birth registration, a certified copy, or temporary residence registration.',
  'prompt.offerEscort': (p, ctx) => {
    const counter = counterOf(p, ctx, 'en');
    return counter === undefined
      ? 'Would you like a queue ticket?'
      : `Would you like a queue ticket? I can also walk you to ${counter}.`;
  },
  'prompt.idConsent': () =>
    'May I scan the QR code on your citizen ID card, so the officer does not have to type your details again? ' +
    'The data is used only for this request and deleted afterwards. You are free to say no.',
  'prompt.anythingElse': () => 'Is there anything else I can help you with?',
  'clarify.askProcedure': () =>
    "Sorry, I didn't catch which procedure you need. Please tell me its name, for example marriage registration, an ID card, or signature certification.",
  'clarify.notUnderstood': () => "Sorry, I didn't understand. Please say it again, or use the touch screen.",
  'clarify.outOfScope': () =>
    'Sorry, I can only help with administrative procedures at this centre, such as birth registration, residence registration, or certified copies.',
  'answer.overview': (p, ctx) => {
    const t = procedureText(procedureOf(p, ctx), 'en');
    if (t === undefined) return EN_UNKNOWN;
    return say(
      t.documents.length > 0
        ? `For ${t.inName}, please bring the following.`
        : `Here is the information about ${t.inName}.`,
      documentList(t.documents, 'en', OVERVIEW_MAX_DOCUMENTS),
      t.fee !== '' && `Fee: ${t.fee}`,
      t.time !== '' && `Processing time: ${t.time}`,
    );
  },
  'answer.documents': (p, ctx) => {
    const t = procedureText(procedureOf(p, ctx), 'en');
    if (t === undefined) return EN_UNKNOWN;
    if (t.documents.length === 0) return `For the documents for ${t.inName}, please ask the officer at the counter.`;
    return say(`For ${t.inName}, please bring the following.`, documentList(t.documents, 'en', DOCUMENTS_ANSWER_MAX_DOCUMENTS));
  },
  'answer.fee': (p, ctx) => {
    const t = procedureText(procedureOf(p, ctx), 'en');
    if (t === undefined) return EN_UNKNOWN;
    if (t.fee === '') return `For the fee for ${t.inName}, please ask the officer at the counter.`;
    const shown = t.exemptions.slice(0, FEE_MAX_EXEMPTIONS);
    return say(
      `The fee for ${t.inName}: ${t.fee}`,
      shown.length > 0 && `No fee is charged for: ${joinList(shown, 'en')}.`,
      t.exemptions.length > shown.length && 'Other exemptions are shown on the screen.',
    );
  },
  'answer.duration': (p, ctx) => {
    const t = procedureText(procedureOf(p, ctx), 'en');
    if (t === undefined) return EN_UNKNOWN;
    if (t.time === '') return `For the processing time of ${t.inName}, please ask the officer at the counter.`;
    return `Processing time for ${t.inName}: ${t.time}`;
  },
  'answer.location': (p, ctx) => {
    const t = procedureText(procedureOf(p, ctx), 'en');
    const counter = counterOf(p, ctx, 'en');
    if (counter !== undefined) return `${t === undefined ? 'This procedure' : upperFirst(t.name)} is handled at ${counter}.`;
    return t === undefined
      ? 'Please ask at reception which counter to go to.'
      : `For ${t.inName}, please ask at reception which counter to go to.`;
  },
  'id.reading': () => 'Please hold the QR code on your card under the reader.',
  'id.confirm': () => 'I have read your card. Please check the details on the screen. Are they correct?',
  'id.readFailed': () => "I couldn't read the card. That's no problem: the officer at the counter will help you.",
  'ticket.issued': (p, ctx) => {
    const ticket = ticketOf(p);
    const counter = counterOf(p, ctx, 'en');
    if (ticket === undefined) return 'Your ticket has been printed. Please take it.';
    return counter === undefined ? `Your ticket number is ${ticket}.` : `Your ticket number is ${ticket}, for ${counter}.`;
  },
  'ticket.failed': () => "Sorry, I couldn't print a ticket. Please take one at the ticket kiosk, or a staff member will help you.",
  'escort.start': (p, ctx) => `Please follow me to ${counterOf(p, ctx, 'en') ?? WORDS.en.rightCounter}.`,
  'escort.waiting': () => "I'll wait for you here.",
  'escort.callOut': () => "Excuse me, please follow me. I'm over here!",
  'escort.gaveUp': (p, ctx) => {
    const counter = counterOf(p, ctx, 'en');
    return counter === undefined
      ? "I'll go back now. When you're ready, please ask at reception for directions."
      : `I'll go back now. ${upperFirst(counter)} is at the back of the hall; please go there when you're ready.`;
  },
  'escort.failed': (p, ctx) => {
    const counter = counterOf(p, ctx, 'en');
    return counter === undefined
      ? "Sorry, I can't get through. The counters are at the back of the hall; please ask at reception for directions."
      : `Sorry, I can't get through. ${upperFirst(counter)} is at the back of the hall; please go straight there.`;
  },
  'escort.halted': () => 'I have to stop for a moment. Please wait.',
  'escort.arrived': (p, ctx) => {
    const ticket = ticketOf(p);
    return say(
      `Here is ${counterOf(p, ctx, 'en') ?? WORDS.en.rightCounter}. Please wait for your number to be called.`,
      ticket !== undefined && `Your number is ${ticket}.`,
    );
  },
  'handoff.staff': () => "I'll call a staff member to help you. Please wait a moment.",
  goodbye: () => 'Thank you for coming. Goodbye!',
  'power.critical': () =>
    'Sorry, my battery is very low and I must go and charge now. Please ask at reception, or use the ticket kiosk.',
  'link.down': () => 'I have a technical problem and must stop for a moment. Staff have been informed.',
  'operator.text': (p) => operatorText(p),
};

// ---------------------------------------------------------------------------------------------
// Korean: 합니다체 for statements, 해요체 softening in requests.

const KO_UNKNOWN = '죄송합니다. 그 업무에 대한 정보가 없습니다. 안내 데스크에 문의하시거나 터치스크린을 확인해 주세요.';

const ko: Table = {
  greeting: () => '안녕하세요. 저는 이 센터의 안내 로봇입니다. 어떤 업무를 보러 오셨나요? Xin chào, Hello.',
  'prompt.askProcedure': () => '어떤 업무가 필요하신가요? 예를 들어 출생 등록, 사본 인증, 임시 거주 등록 등이 있습니다.',
  'prompt.offerEscort': (p, ctx) => {
    const counter = counterOf(p, ctx, 'ko');
    return counter === undefined ? '번호표를 뽑아 드릴까요?' : `번호표를 뽑아 드리고 ${counter}까지 안내해 드릴까요?`;
  },
  'prompt.idConsent': () =>
    '담당 직원이 정보를 다시 입력하지 않도록 신분증의 QR 코드를 스캔해도 될까요? ' +
    '정보는 이번 신청에만 사용되고 처리가 끝나면 삭제됩니다. 원하지 않으시면 거절하셔도 됩니다.',
  'prompt.anythingElse': () => '더 도와드릴 일이 있을까요?',
  'clarify.askProcedure': () =>
    '죄송합니다. 어떤 업무인지 잘 듣지 못했습니다. 업무 이름을 말씀해 주세요. 예를 들어 혼인 등록, 신분증 발급, 서명 인증 등이 있습니다.',
  'clarify.notUnderstood': () => '죄송합니다. 잘 이해하지 못했습니다. 다시 한번 말씀해 주시거나 터치스크린을 이용해 주세요.',
  'clarify.outOfScope': () =>
    '죄송합니다. 저는 이 센터의 행정 업무만 안내해 드릴 수 있습니다. 예를 들어 출생 등록, 거주 등록, 서류 인증 등입니다.',
  'answer.overview': (p, ctx) => {
    const t = procedureText(procedureOf(p, ctx), 'ko');
    if (t === undefined) return KO_UNKNOWN;
    return say(
      t.documents.length > 0 ? `${t.name}에 필요한 서류는 다음과 같습니다.` : `${t.name} 안내입니다.`,
      documentList(t.documents, 'ko', OVERVIEW_MAX_DOCUMENTS),
      t.fee !== '' && `수수료: ${t.fee}`,
      t.time !== '' && `처리 기간: ${t.time}`,
    );
  },
  'answer.documents': (p, ctx) => {
    const t = procedureText(procedureOf(p, ctx), 'ko');
    if (t === undefined) return KO_UNKNOWN;
    if (t.documents.length === 0) return `${t.name}에 필요한 서류는 창구 직원에게 문의해 주세요.`;
    return say(`${t.name}에 필요한 서류는 다음과 같습니다.`, documentList(t.documents, 'ko', DOCUMENTS_ANSWER_MAX_DOCUMENTS));
  },
  'answer.fee': (p, ctx) => {
    const t = procedureText(procedureOf(p, ctx), 'ko');
    if (t === undefined) return KO_UNKNOWN;
    if (t.fee === '') return `${t.name} 수수료는 창구 직원에게 문의해 주세요.`;
    const shown = t.exemptions.slice(0, FEE_MAX_EXEMPTIONS);
    return say(
      `${t.name} 수수료 안내입니다. ${t.fee}`,
      shown.length > 0 && `수수료 면제 대상: ${joinList(shown, 'ko')}.`,
      t.exemptions.length > shown.length && '그 밖의 면제 대상은 화면에서 확인해 주세요.',
    );
  },
  'answer.duration': (p, ctx) => {
    const t = procedureText(procedureOf(p, ctx), 'ko');
    if (t === undefined) return KO_UNKNOWN;
    if (t.time === '') return `${t.name} 처리 기간은 창구 직원에게 문의해 주세요.`;
    return `${t.name} 처리 기간 안내입니다. ${t.time}`;
  },
  'answer.location': (p, ctx) => {
    const t = procedureText(procedureOf(p, ctx), 'ko');
    const counter = counterOf(p, ctx, 'ko');
    if (counter !== undefined) return `${t === undefined ? '이 업무는' : `${t.name} 업무는`} ${counter}에서 처리합니다.`;
    return `${t === undefined ? '담당' : `${t.name} 업무`} 창구는 안내 데스크에 문의해 주세요.`;
  },
  'id.reading': () => '카드의 QR 코드를 리더기 아래에 대 주세요.',
  'id.confirm': () => '카드를 읽었습니다. 화면에 나온 정보를 확인해 주세요. 정보가 맞습니까?',
  'id.readFailed': () => '카드를 읽지 못했습니다. 괜찮습니다. 창구 직원이 도와드릴 거예요.',
  'ticket.issued': (p, ctx) => {
    const ticket = ticketOf(p);
    const counter = counterOf(p, ctx, 'ko');
    if (ticket === undefined) return '번호표가 출력되었습니다. 받아 가세요.';
    return counter === undefined
      ? `고객님의 번호는 ${ticket}번입니다.`
      : `고객님의 번호는 ${ticket}번이고, ${counter}입니다.`;
  },
  'ticket.failed': () => '죄송합니다. 번호표를 출력하지 못했습니다. 번호표 발급기에서 뽑으시거나, 직원이 도와드릴 거예요.',
  'escort.start': (p, ctx) => `${counterOf(p, ctx, 'ko') ?? WORDS.ko.rightCounter}까지 저를 따라와 주세요.`,
  'escort.waiting': () => '여기에서 기다리겠습니다.',
  'escort.callOut': () => '저기요, 저를 따라와 주세요. 저 여기 있어요!',
  'escort.gaveUp': (p, ctx) => {
    const counter = counterOf(p, ctx, 'ko');
    return counter === undefined
      ? '이제 돌아가겠습니다. 준비되시면 안내 데스크에서 길을 물어 주세요.'
      : `이제 돌아가겠습니다. ${eunNeun(counter)} 홀 안쪽에 있습니다. 준비되시면 그쪽으로 가 주세요.`;
  },
  'escort.failed': (p, ctx) => {
    const counter = counterOf(p, ctx, 'ko');
    return counter === undefined
      ? '죄송합니다. 길이 막혀 더 갈 수 없습니다. 창구는 홀 안쪽에 있으니 안내 데스크에서 길을 물어 주세요.'
      : `죄송합니다. 길이 막혀 더 갈 수 없습니다. ${eunNeun(counter)} 홀 안쪽에 있으니 그쪽으로 바로 가 주세요.`;
  },
  'escort.halted': () => '잠시 멈춰야 합니다. 조금만 기다려 주세요.',
  'escort.arrived': (p, ctx) => {
    const ticket = ticketOf(p);
    return say(
      `여기가 ${counterOf(p, ctx, 'ko') ?? WORDS.ko.rightCounter}입니다. 번호가 불릴 때까지 기다려 주세요.`,
      ticket !== undefined && `고객님의 번호는 ${ticket}번입니다.`,
    );
  },
  'handoff.staff': () => '직원을 불러 드리겠습니다. 잠시만 기다려 주세요.',
  goodbye: () => '방문해 주셔서 감사합니다. 안녕히 가세요.',
  'power.critical': () =>
    '죄송합니다. 배터리가 거의 없어서 지금 충전하러 가야 합니다. 안내 데스크에 문의하시거나 번호표 발급기를 이용해 주세요.',
  'link.down': () => '기술적인 문제가 생겨 잠시 멈춰야 합니다. 직원에게 이미 알렸습니다.',
  'operator.text': (p) => operatorText(p),
};

/** The operator's own words, only trimmed and NFC-normalised. */
function operatorText(params: SpeakParams): string {
  return typeof params.text === 'string' ? params.text.normalize('NFC').trim() : '';
}

// ---------------------------------------------------------------------------------------------
// The catalogue

/** Every render returns NFC text and tolerates a missing params object. */
function finished(table: Table): Table {
  const out: Partial<Record<MessageId, Render>> = {};
  for (const id of Object.keys(table) as MessageId[]) {
    const render = table[id];
    out[id] = (params, ctx) => render(params ?? {}, ctx).normalize('NFC').trim();
  }
  return Object.freeze(out as Record<MessageId, Render>);
}

export const MESSAGES: Readonly<Record<Lang, Table>> = Object.freeze({
  vi: finished(vi),
  en: finished(en),
  ko: finished(ko),
});

export function renderMessage(messageId: MessageId, lang: Lang, params: SpeakParams, ctx: MessageContext): string {
  const table = Object.hasOwn(MESSAGES, lang) ? MESSAGES[lang] : undefined;
  const render = table !== undefined && Object.hasOwn(table, messageId) ? table[messageId] : undefined;
  if (render === undefined) throw new TiepdanError('message_unknown', `no text for message ${String(messageId)} in language ${String(lang)}`);
  return render(params, ctx);
}
