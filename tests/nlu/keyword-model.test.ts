import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { catalogFromProcedures, loadCatalog } from '../../src/civic/catalog.js';
import { createKeywordIntentModel, expandTemplate } from '../../src/nlu/keyword-model.js';
import type { Lang } from '../../src/ports/common.js';
import type { Catalog, Procedure } from '../../src/ports/catalog.js';
import type { Field } from '../../src/ports/robot-base.js';
import type { Intent } from '../../src/ports/intent-model.js';

const CATALOG_DIR = fileURLToPath(new URL('../../src/civic/catalog/', import.meta.url));

/** Names only: the model must also work from its built-in terms when the catalog has no synonyms. */
const FALLBACK: readonly (readonly [string, Field, string, string, string])[] = [
  ['birth_registration', 'civil_status', 'Đăng ký khai sinh', 'Birth registration', '출생 등록'],
  ['marriage_registration', 'civil_status', 'Đăng ký kết hôn', 'Marriage registration', '혼인 등록'],
  ['death_registration', 'civil_status', 'Đăng ký khai tử', 'Death registration', '사망 등록'],
  ['marital_status_certificate', 'civil_status', 'Cấp giấy xác nhận tình trạng hôn nhân', 'Marital status certificate', '혼인 상태 확인서'],
  ['civil_status_extract_copy', 'civil_status', 'Cấp bản sao trích lục hộ tịch', 'Civil status extract copy', '신분등록 발췌본'],
  ['paternity_recognition', 'civil_status', 'Đăng ký nhận cha, mẹ, con', 'Parent-child recognition', '친자 관계 인지'],
  ['civil_status_correction', 'civil_status', 'Cải chính hộ tịch', 'Civil status correction', '신분등록 정정'],
  ['copy_certification', 'certification', 'Chứng thực bản sao từ bản chính', 'Certified copy', '사본 인증'],
  ['signature_certification', 'certification', 'Chứng thực chữ ký', 'Signature certification', '서명 인증'],
  ['contract_certification', 'certification', 'Chứng thực hợp đồng', 'Contract certification', '계약 인증'],
  ['permanent_residence', 'residence', 'Đăng ký thường trú', 'Permanent residence registration', '상주 거주지 등록'],
  ['temporary_residence', 'residence', 'Đăng ký tạm trú', 'Temporary residence registration', '임시 거주 등록'],
  ['id_card', 'identity', 'Cấp thẻ căn cước', 'Citizen identity card', '시민 신분증'],
  ['household_business_registration', 'business', 'Đăng ký hộ kinh doanh', 'Household business registration', '가계 사업자 등록'],
  ['land_certificate', 'land', 'Cấp giấy chứng nhận quyền sử dụng đất', 'Land-use right certificate', '토지사용권 증명서'],
  ['land_change_registration', 'land', 'Đăng ký biến động đất đai', 'Land change registration', '토지 변동 등록'],
  ['construction_permit', 'construction', 'Cấp giấy phép xây dựng', 'Construction permit', '건축 허가'],
  ['social_allowance', 'social', 'Trợ cấp xã hội hằng tháng', 'Monthly social allowance', '사회 수당'],
  ['health_insurance', 'social', 'Cấp thẻ bảo hiểm y tế', 'Health insurance card', '건강보험증'],
  ['complaint_petition', 'complaints', 'Tiếp nhận đơn khiếu nại, tố cáo', 'Complaints and petitions', '민원 접수'],
];

function tri<T>(vi: T, en: T, ko: T): Readonly<Record<Lang, T>> {
  return { vi, en, ko };
}

function procedure(id: string, field: Field, vi: string, en: string, ko: string): Procedure {
  return {
    id,
    field,
    codes: [],
    names: tri(vi, en, ko),
    synonyms: tri([], [], []),
    documents: tri(['-'], ['-'], ['-']),
    fee: { amountVnd: null, text: tri('-', '-', '-'), exemptions: tri([], [], []) },
    processingTime: { workingDays: null, text: tri('-', '-', '-') },
    online: false,
    idData: [],
    idCards: 1,
    legalBasis: ['-'],
    sources: [{ title: 'test' }],
    unconfirmed: [],
  };
}

const realCatalogComplete =
  existsSync(CATALOG_DIR) && readdirSync(CATALOG_DIR).filter((name) => name.endsWith('.yaml')).length >= FALLBACK.length;

const catalog: Catalog = realCatalogComplete
  ? loadCatalog(CATALOG_DIR)
  : catalogFromProcedures(FALLBACK.map(([id, field, vi, en, ko]) => procedure(id, field, vi, en, ko)));

const model = createKeywordIntentModel(catalog);

type Case = readonly [text: string, intent: Intent, procedure: string | null, lang: Lang];

/** Written for this test; sim/corpus is a held-out set and is never copied here. */
const CASES: readonly Case[] = [
  // Vietnamese, with diacritics and without, Southern phrasing included.
  ['Cho em hỏi làm giấy khai sinh cho con cần những giấy tờ gì?', 'ask_documents', 'birth_registration', 'vi'],
  ['lam giay khai sinh cho con can giay to gi', 'ask_documents', 'birth_registration', 'vi'],
  ['Đăng ký kết hôn mất bao lâu vậy em?', 'ask_duration', 'marriage_registration', 'vi'],
  ['dang ky ket hon het bao nhieu tien', 'ask_fee', 'marriage_registration', 'vi'],
  ['Chị muốn làm giấy xác nhận độc thân để đi kết hôn', 'ask_procedure', 'marital_status_certificate', 'vi'],
  ['Ba tôi mới qua đời, tôi cần làm giấy khai tử', 'ask_procedure', 'death_registration', 'vi'],
  ['xin bản sao trích lục khai sinh ở quầy nào', 'ask_location', 'civil_status_extract_copy', 'vi'],
  ['Tôi muốn sao y mấy cái bằng đại học', 'ask_procedure', 'copy_certification', 'vi'],
  ['photo cong chung giay to o dau vay', 'ask_location', 'copy_certification', 'vi'],
  ['Chứng thực chữ ký thì đóng bao nhiêu', 'ask_fee', 'signature_certification', 'vi'],
  ['Em muốn đăng ký tạm trú cho sinh viên ở trọ', 'ask_procedure', 'temporary_residence', 'vi'],
  ['nhap ho khau cho vo thi lam sao', 'ask_procedure', 'permanent_residence', 'vi'],
  ['Làm căn cước gắn chip cho con mất mấy ngày?', 'ask_duration', 'id_card', 'vi'],
  ['Sang tên sổ đỏ cần mang theo gì', 'ask_documents', 'land_change_registration', 'vi'],
  ['lam so hong lan dau o quay nao', 'ask_location', 'land_certificate', 'vi'],
  ['Xin giấy phép xây dựng nhà ở thì nộp ở đâu', 'ask_location', 'construction_permit', 'vi'],
  ['Mẹ tôi bị khuyết tật, muốn xin trợ cấp hàng tháng', 'ask_procedure', 'social_allowance', 'vi'],
  ['Dạ cho em lấy số làm thẻ bảo hiểm y tế', 'request_ticket', 'health_insurance', 'vi'],
  ['Tôi muốn nộp đơn khiếu nại về tranh chấp đất với hàng xóm', 'ask_procedure', 'complaint_petition', 'vi'],
  ['Em mở quán cà phê nhỏ thì đăng ký hộ kinh doanh sao anh', 'ask_procedure', 'household_business_registration', 'vi'],
  ['Sửa tên bị sai trong giấy khai sinh', 'ask_procedure', 'civil_status_correction', 'vi'],
  ['thu tuc nhan cha cho con ngoai gia thu', 'ask_procedure', 'paternity_recognition', 'vi'],
  ['dẫn tôi tới quầy khai sinh với', 'request_escort', 'birth_registration', 'vi'],
  ['Công chứng hợp đồng mua bán nhà', 'ask_procedure', 'contract_certification', 'vi'],
  ['Khai tử có tốn tiền hông em', 'ask_fee', 'death_registration', 'vi'],
  ['Dạ đúng rồi', 'affirm', null, 'vi'],
  ['Hông phải', 'deny', null, 'vi'],
  ['Gặp nhân viên được không em', 'talk_to_staff', null, 'vi'],
  ['Tới số mấy rồi em', 'check_queue', null, 'vi'],
  ['nói lại giùm chị được không', 'repeat', null, 'vi'],
  ['Xin chào', 'greet', null, 'vi'],
  ['cảm ơn em nhiều nha', 'goodbye', null, 'vi'],
  // English.
  ['How much does a birth certificate cost?', 'ask_fee', 'birth_registration', 'en'],
  ['I want to register our marriage', 'ask_procedure', 'marriage_registration', 'en'],
  ['What documents do I need for temporary residence?', 'ask_documents', 'temporary_residence', 'en'],
  ['Where can I get a certified copy of my diploma', 'ask_location', 'copy_certification', 'en'],
  ['How long does it take to get a new ID card', 'ask_duration', 'id_card', 'en'],
  ['My father passed away last week, how do I register his death', 'ask_procedure', 'death_registration', 'en'],
  ["I'd like to open a small coffee shop", 'ask_procedure', 'household_business_registration', 'en'],
  ['Can you take me to the land title counter?', 'request_escort', 'land_certificate', 'en'],
  ['I need to get my signature certified', 'ask_procedure', 'signature_certification', 'en'],
  ['We want to build a second floor on our house', 'ask_procedure', 'construction_permit', 'en'],
  ['can I get a queue number for health insurance', 'request_ticket', 'health_insurance', 'en'],
  ["There is a spelling mistake in my daughter's birth certificate", 'ask_procedure', 'civil_status_correction', 'en'],
  ['We are selling our house, how do we transfer the red book to the buyer', 'ask_procedure', 'land_change_registration', 'en'],
  ['yes', 'affirm', null, 'en'],
  ['no, not that one', 'deny', null, 'en'],
  ['I want to talk to a real person', 'talk_to_staff', null, 'en'],
  ['Do you speak English?', 'change_language', null, 'en'],
  ['Sorry, could you say that again?', 'repeat', null, 'en'],
  ['This is taking forever, the service here is terrible', 'complaint', null, 'en'],
  // Korean.
  ['출생신고 하려면 어떤 서류가 필요해요?', 'ask_documents', 'birth_registration', 'ko'],
  ['혼인신고는 어디서 해요?', 'ask_location', 'marriage_registration', 'ko'],
  ['사망신고 수수료가 얼마예요?', 'ask_fee', 'death_registration', 'ko'],
  ['신분증 재발급은 며칠 걸려요?', 'ask_duration', 'id_card', 'ko'],
  ['임시 거주 등록하고 싶어요', 'ask_procedure', 'temporary_residence', 'ko'],
  ['서명 공증 받으러 왔어요', 'ask_procedure', 'signature_certification', 'ko'],
  ['건축 허가 신청은 어느 창구예요?', 'ask_location', 'construction_permit', 'ko'],
  ['토지 명의 이전하려고요', 'ask_procedure', 'land_change_registration', 'ko'],
  ['미혼 증명서 받으려면 뭐가 필요해요', 'ask_documents', 'marital_status_certificate', 'ko'],
  ['건강보험증 만들고 싶어요', 'ask_procedure', 'health_insurance', 'ko'],
  ['번호표 주세요', 'request_ticket', null, 'ko'],
  ['직원이랑 얘기하고 싶어요', 'talk_to_staff', null, 'ko'],
  ['네 맞아요', 'affirm', null, 'ko'],
  ['아니요', 'deny', null, 'ko'],
  ['안녕하세요', 'greet', null, 'ko'],
  ['감사합니다 안녕히 계세요', 'goodbye', null, 'ko'],
];

describe(`keyword intent model (${realCatalogComplete ? 'real catalog' : 'test catalog'})`, () => {
  it('is named keyword', () => {
    expect(model.name).toBe('keyword');
  });

  it('covers the three languages and at least twelve procedures', () => {
    expect(new Set(CASES.map(([, , , lang]) => lang)).size).toBe(3);
    expect(new Set(CASES.map(([, , procedureId]) => procedureId).filter((id) => id !== null)).size).toBeGreaterThanOrEqual(12);
  });

  it.each(CASES)('%j → %s / %s / %s', async (text, intent, procedureId, lang) => {
    const result = await model.classify(text);
    expect({ intent: result.intent, procedure: result.procedure, lang: result.lang }).toEqual({ intent, procedure: procedureId, lang });
    expect(result.confidence).toBeGreaterThan(0.4);
  });

  it.each([
    ['hôm nay trời đẹp quá', 'vi'],
    ["what's the weather like today", 'en'],
    ['배고파요', 'ko'],
    ['', 'en'],
    ['😀😀', 'en'],
  ] as const)('%j is out of scope with low confidence', async (text, lang) => {
    const result = await model.classify(text);
    expect(result.intent).toBe('out_of_scope');
    expect(result.procedure).toBeNull();
    expect(result.lang).toBe(lang);
    expect(result.confidence).toBeLessThanOrEqual(0.4);
  });

  it('lets the longest phrase win: "khai sinh" inside a civil-status-extract phrase', async () => {
    const result = await model.classify('bản sao trích lục khai sinh');
    expect(result.procedure).toBe('civil_status_extract_copy');
  });

  it('gives an operation on a document precedence over the document itself', async () => {
    expect((await model.classify('sao y giấy khai sinh')).procedure).toBe('copy_certification');
    expect((await model.classify('sang ten so do')).procedure).toBe('land_change_registration');
    expect((await model.classify('chứng thực chữ ký trên hợp đồng')).procedure).toBe('signature_certification');
  });

  it.each([
    // A copy or a correction applies to the document named nearest to it.
    ['I lost our marriage certificate, can we get another one?', 'civil_status_extract_copy'],
    ['Ngày sinh trên giấy khai sinh của con bị ghi sai', 'civil_status_correction'],
    ['Em muốn thêm tên vợ vào sổ đỏ', 'land_change_registration'],
    ['신분증을 잃어버렸어요', 'id_card'],
    ['Thẻ bảo hiểm y tế bị sai ngày sinh', 'health_insurance'],
    // The procedure a request verb points at beats one mentioned as background.
    ['Em mới cưới, giờ muốn nhập hộ khẩu cho vợ', 'permanent_residence'],
    // Southern "tr" → "ch" and chat spelling "f" → "ph".
    ['dang ky tam chu cho con', 'temporary_residence'],
    ['xin giay fep xay dung', 'construction_permit'],
    // Korean written with Vietnamese words, in Latin or Hangul letters.
    ['떰쭈 등록하려고요', 'temporary_residence'],
    ['아기 khai sinh 하러 왔어요', 'birth_registration'],
  ] as const)('general rule: %j → %s', async (text, procedureId) => {
    expect((await model.classify(text)).procedure).toBe(procedureId);
  });

  it('does not read a two-syllable noun out of the middle of another word', async () => {
    // "인증" (certification) sits inside "혼인증명서"; the correction is about the marriage record.
    expect((await model.classify('혼인증명서에 이름이 틀리게 나왔어요')).procedure).toBe('civil_status_correction');
  });

  it.each(['Where is the nearest ATM?', 'Ngân hàng gần nhất ở đâu vậy em?', '은행이 어디예요?', 'How much is a bowl of phở here?'])(
    '%j asks about something the centre does not do: out of scope',
    async (text) => {
      const result = await model.classify(text);
      expect(result.intent).toBe('out_of_scope');
      expect(result.confidence).toBeLessThanOrEqual(0.4);
    },
  );

  it('still answers lobby questions that name no procedure', async () => {
    expect((await model.classify('Quầy số 3 ở đâu?')).intent).toBe('ask_location');
    expect((await model.classify('how much does it cost')).intent).toBe('ask_fee');
  });

  it('reads "yes, take me there" as the answer it starts with', async () => {
    const result = await model.classify('Yes please, take me there');
    expect(result.intent).toBe('affirm');
    expect(result.alternatives.map((alternative) => alternative.intent)).toContain('request_escort');
    expect((await model.classify('Dạ không phải')).intent).toBe('deny');
    expect((await model.classify('Dạ xin chào')).intent).toBe('greet');
  });

  it('tolerates one-character typos in long Latin words, at a small cost in confidence', async () => {
    const clean = await model.classify('marriage registration');
    const typo = await model.classify('marrige registraton');
    expect(typo.procedure).toBe('marriage_registration');
    expect(typo.confidence).toBeLessThan(clean.confidence);
    expect((await model.classify('I need a birth certifcate')).procedure).toBe('birth_registration');
    expect((await model.classify('dang ky thuogn tru')).procedure).toBe('permanent_residence');
  });

  it('does not correct short words or change their first letter', async () => {
    // "renter" would pull in temporary residence; "center" is not a typo of it.
    expect((await model.classify('where is the service center')).procedure).toBeNull();
  });

  it('reads affirm and deny only in short answers or at the start', async () => {
    expect((await model.classify('có mất phí không ạ')).intent).toBe('ask_fee');
    expect((await model.classify('làm khai sinh được không')).intent).toBe('ask_procedure');
    const answer = await model.classify('Không, tôi muốn đăng ký kết hôn');
    expect(answer).toMatchObject({ intent: 'ask_procedure', procedure: 'marriage_registration' });
    expect(answer.alternatives.map((alternative) => alternative.intent)).toContain('deny');
  });

  it('asks which procedure when only a generic request is heard', async () => {
    const result = await model.classify('cho em hỏi thủ tục');
    expect(result).toMatchObject({ intent: 'ask_procedure', procedure: null });
    expect(result.confidence).toBeLessThan(0.6);
  });

  it('offers up to three alternatives, each less confident than the answer', async () => {
    const result = await model.classify('giấy tờ làm sổ đỏ hay sang tên thì bao nhiêu tiền');
    expect(result.alternatives.length).toBeGreaterThan(0);
    expect(result.alternatives.length).toBeLessThanOrEqual(3);
    for (const alternative of result.alternatives) {
      expect(alternative.confidence).toBeLessThanOrEqual(result.confidence);
      expect(`${alternative.intent}|${alternative.procedure}`).not.toBe(`${result.intent}|${result.procedure}`);
    }
  });

  it('is confident when a procedure and an intent cue both match, unsure when nothing does', async () => {
    const strong = await model.classify('Đăng ký khai sinh cần giấy tờ gì');
    const none = await model.classify('con mèo nhà tôi màu vàng');
    expect(strong.confidence).toBeGreaterThanOrEqual(0.75);
    expect(none.confidence).toBeLessThanOrEqual(0.4);
  });

  it('ignores built-in terms for procedures the catalog does not have', async () => {
    const small = createKeywordIntentModel(
      catalogFromProcedures([
        procedure('birth_registration', 'civil_status', 'Đăng ký khai sinh', 'Birth registration', '출생 등록'),
        procedure('marriage_registration', 'civil_status', 'Đăng ký kết hôn', 'Marriage registration', '혼인 등록'),
      ]),
    );
    expect((await small.classify('làm sổ đỏ ở đâu')).procedure).toBeNull();
    expect((await small.classify('làm khai sinh ở đâu')).procedure).toBe('birth_registration');
  });

  it('handles a 10,000-character utterance quickly', async () => {
    const text = 'tôi muốn làm giấy khai sinh cho con ở đâu vậy '.repeat(250).slice(0, 10_000);
    const started = performance.now();
    const result = await model.classify(text);
    expect(performance.now() - started).toBeLessThan(200);
    expect(result.procedure).toBe('birth_registration');
  });

  it('never throws and keeps confidences within [0, 1] on arbitrary strings', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ unit: 'binary', maxLength: 200 }),
          fc.string({ unit: 'grapheme', maxLength: 60 }),
          fc
            .array(fc.constantFrom('khai sinh', 'không', 'ở đâu', '출생', '네', 'how much', 'sổ đỏ', '?', ' ', '😀'), { maxLength: 8 })
            .map((parts) => parts.join(' ')),
        ),
        async (text) => {
          const result = await model.classify(text);
          expect(result.confidence).toBeGreaterThanOrEqual(0);
          expect(result.confidence).toBeLessThanOrEqual(1);
          expect(result.alternatives.length).toBeLessThanOrEqual(3);
          for (const alternative of result.alternatives) {
            expect(alternative.confidence).toBeGreaterThanOrEqual(0);
            expect(alternative.confidence).toBeLessThanOrEqual(1);
          }
          if (result.procedure !== null) expect(catalog.get(result.procedure)).toBeDefined();
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('expandTemplate', () => {
  it('expands alternatives and optional parts', () => {
    expect(expandTemplate('lấy (vợ|chồng)')).toEqual(['lấy vợ', 'lấy chồng']);
    expect(expandTemplate('register [a|my] birth')).toEqual(['register a birth', 'register my birth', 'register birth']);
  });
});
