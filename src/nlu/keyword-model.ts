import type { Catalog } from '../ports/catalog.js';
import type { Classification, Intent, IntentAlternative, IntentModel } from '../ports/intent-model.js';
import { detectLanguage, normalizeText, tokenize } from './normalize.js';

/**
 * The rule-based intent model: phrase tables and a handful of rules, no learned weights. It answers
 * when the ONNX model is missing and is the baseline that model is benchmarked against, so every
 * rule here is one a person can read and argue with.
 *
 * Phrase templates in the tables use `(a|b)` for alternatives and `[a|b]` for an optional part. They
 * are written with diacritics for readability and folded like every input before matching, so each
 * covers the spelling with and without diacritics.
 */

// ---------------------------------------------------------------------------------------------
// Tables

interface TermGroup {
  readonly weight: number;
  readonly terms: readonly string[];
}

const group = (weight: number, ...terms: string[]): TermGroup => ({ weight, terms });

/** A document or a procedure named outright. */
const OBJECT = 1;
/** A named operation on a document ("trích lục", "sang tên"): outweighs the document it mentions. */
const OPERATION = 1.5;
/** Words that hint at a procedure but often appear as context ("baby", "land", "photo"). */
const WEAK = 0.6;
const HINT = 0.8;

const PRONOUN = '(tôi|tui|em|anh|chị|mình|con|cô|chú|bác|ông|bà|cháu|tụi em|chúng tôi|giùm|dùm|giúp)';
const REISSUE = '(cấp lại|làm lại|xin lại|mất|bị mất|thất lạc|làm mất|bản sao|xin bản sao|thêm bản sao)';

/** Key terms per catalog id, in the three languages. Ids missing from the catalog are skipped. */
const PROCEDURE_TERMS: Readonly<Record<string, readonly TermGroup[]>> = {
  birth_registration: [
    group(OBJECT, 'khai sinh', 'giấy khai sinh', 'đăng ký khai sinh', 'khai sanh', 'giấy khai sanh', 'làm khai sinh',
      '(con|bé|em bé|cháu|đứa nhỏ) mới (sinh|sanh|đẻ)', '(mới|vừa) (sinh|sanh|đẻ)', 'trẻ sơ sinh', '(sinh|sanh) con', 'mới đẻ',
      'làm giấy cho (con|bé|em bé|cháu)', 'đặt tên cho (con|bé)'),
    group(0.7, 'em bé', 'sơ sinh', 'đứa bé'),
    group(OBJECT, 'birth', 'birth registration', 'register [a|my|the|our] (birth|baby|newborn)', 'birth certificate',
      'was born', 'just born', 'gave birth', 'birth record'),
    group(0.7, 'newborn', 'new born', 'new baby', 'baby'),
    group(OBJECT, '출생', '출생신고', '출생 등록', '출생증명서', '태어나', '태어났', '태어난', '아이가 태어'),
    group(0.7, '아기', '신생아'),
  ],
  marriage_registration: [
    group(OBJECT, 'kết hôn', 'đăng ký kết hôn', 'giấy kết hôn', 'giấy đăng ký kết hôn', 'cưới', 'đám cưới', 'lấy (vợ|chồng)',
      'hôn thú', 'giấy hôn thú', 'làm hôn thú', 'cưới (vợ|chồng)', 'sắp cưới'),
    group(OBJECT, 'marriage', 'marry', 'get married', 'getting married', 'wedding', 'marriage certificate', 'marriage registration',
      'register [our|my|a] marriage', 'fiance', 'fiancee', 'marriage record'),
    group(HINT, 'married', 'spouse'),
    group(OBJECT, '혼인', '결혼', '혼인신고', '결혼 신고', '결혼 등록', '혼인 등록', '결혼하'),
  ],
  death_registration: [
    group(OBJECT, 'khai tử', 'giấy khai tử', 'đăng ký khai tử', 'báo tử', 'giấy báo tử', 'giấy chứng tử', 'qua đời', 'đã qua đời',
      'từ trần', 'tử vong', 'chết', 'vừa mất', 'mới mất', 'người mất', 'đã mất rồi', 'đám tang', 'đám ma',
      '(ông nội|bà nội|ông ngoại|bà ngoại|ông|bà|ba|bố|mẹ|má|cha|chồng|vợ) [em|tôi|tui|mình|con|cháu] (mất|đã mất)'),
    group(OBJECT, 'death', 'died', 'passed away', 'deceased', 'death certificate', 'death registration', 'register [a|the] death',
      'dead', 'funeral', 'has passed'),
    group(OBJECT, '사망', '사망신고', '사망 신고', '돌아가셨', '돌아가신', '돌아가시', '돌아가셔', '별세', '장례', '사망진단'),
  ],
  marital_status_certificate: [
    group(OPERATION, 'xác nhận tình trạng hôn nhân', 'tình trạng hôn nhân', 'giấy xác nhận độc thân', 'xác nhận độc thân',
      'độc thân', 'giấy độc thân', 'chưa kết hôn', 'chưa (có|lấy) (vợ|chồng)', 'chưa lập gia đình', 'chứng nhận độc thân'),
    group(OPERATION, 'marital status', 'single status', 'certificate of single status', 'proof of single status', 'single certificate',
      'not married', 'unmarried', 'never married', 'no impediment', 'celibacy', 'certificate of no marriage'),
    group(WEAK, 'single'),
    group(HINT, 'divorced', 'divorce', 'ly hôn', 'ly dị', '이혼'),
    group(OPERATION, '혼인관계증명서', '혼인 관계 증명', '혼인 상태', '혼인상태', '미혼', '미혼증명서', '독신', '독신증명서', '싱글'),
  ],
  civil_status_extract_copy: [
    group(OPERATION, 'trích lục', 'bản sao trích lục', 'trích lục hộ tịch', 'bản sao hộ tịch', 'sổ gốc', 'sổ hộ tịch',
      `${REISSUE} (giấy khai sinh|giấy khai sanh|khai sinh|giấy kết hôn|giấy đăng ký kết hôn)`,
      `${REISSUE} (giấy khai tử|giấy chứng tử|giấy tờ hộ tịch)`),
    group(OPERATION, 'extract', 'civil status extract', 'civil status record',
      'copy of [my|the|a|our|his|her] (birth|marriage|death) (certificate|record|registration)',
      '(replacement|replace|duplicate|reissue|new copy of|another copy of|lost) [my|the|a|our] (birth|marriage|death) certificate',
      '(birth|marriage|death) certificate (copy|copies|extract|reissue|replacement)'),
    group(OPERATION, '발급본', '발췌본', '사본 발급', '증명서 재발급', '출생증명서 사본', '혼인증명서 사본', '등본', '초본', '기록 사본', '추출본',
      '증명서 사본', '증명서를 잃어'),
  ],
  paternity_recognition: [
    group(2, 'nhận cha', 'nhận mẹ', 'nhận con', 'nhận cha mẹ con', 'nhận cha con', 'nhận mẹ con', 'công nhận cha con', 'xác nhận cha con',
      'con ngoài giá thú', 'ngoài giá thú', 'cha đẻ', 'cha ruột', 'khai [tên] cha cho con', '(bổ sung|thêm|ghi|có) tên (cha|bố|ba)',
      'nhận [lại] con (ruột|riêng)', 'xét nghiệm adn', 'adn', 'chưa cưới mà có con', 'cha của (bé|cháu|con)'),
    group(2, 'paternity', 'maternity', '(recognize|recognise|acknowledge) [my|a|the|his|her|him] (child|son|daughter|father|paternity|as)',
      'recognition of (paternity|a child|my child)', 'biological father', 'father s name', 'add [the] father', 'out of wedlock',
      'parent child', 'father child', 'mother child', 'dna test', 'as [the|his|her|my son s|my daughter s|our child s] father',
      'as my (child|son|daughter)'),
    group(2, '친자', '친생자', '인지신고', '자녀 인지', '친자 인지', '부자 관계', '친부', '아버지 인정', '부모 자녀 관계', '혼외자', '자식으로',
      '아빠 이름', '아버지 이름', '친아빠', '인지 신고'),
  ],
  civil_status_correction: [
    group(OPERATION, 'cải chính', 'cải chính hộ tịch', 'thay đổi hộ tịch', 'điều chỉnh hộ tịch', 'bổ sung hộ tịch',
      'bổ sung thông tin hộ tịch', 'xác định lại (dân tộc|giới tính)', 'thay đổi họ tên', 'đổi họ cho con'),
    group(OPERATION, 'correction', 'correct [my|the|a] (name|record|certificate)', 'change of name', 'name change', 'amend', 'amendment'),
    group(OPERATION, '정정', '개명', '신분등록 정정'),
  ],
  copy_certification: [
    group(1.7, 'sao y', 'sao y bản chính', 'chứng thực bản sao', 'bản sao [có] chứng thực', 'công chứng', 'photo công chứng',
      'bản sao công chứng', '(chứng thực|công chứng|sao y) (giấy tờ|bằng|bằng cấp|học bạ|bản sao|văn bằng|bản photo)', 'thị thực bản sao'),
    group(0.9, 'chứng thực'),
    group(WEAK, 'photo', 'phô tô', 'bản photo', 'bản sao', 'bản chính'),
    group(1.7, 'certified copy', 'certified copies', 'certify [a|my|the|these|some] (copy|copies|document|documents|diploma|papers)',
      'copy certification', 'notarize', 'notarise', 'notarized', 'notarised', 'notary', 'notarization', 'true (copy|copies)',
      'attested (copy|copies)'),
    group(HINT, 'certified', 'certify', 'photocopy', 'photocopies', 'pages', 'stamped', 'stamp'),
    group(1.7, '공증', '사본 인증', '원본 대조', '사본 공증', '인증 사본', '서류 공증', '복사본 인증'),
    group(WEAK, '사본', '복사본', '인증'),
  ],
  signature_certification: [
    group(2, '(chứng thực|công chứng|xác nhận|thị thực) chữ ký', 'chữ ký', 'ký tên', 'ký xác nhận', 'chứng thực chữ ký người dịch',
      'điểm chỉ', '(chứng thực|công chứng|dịch) (bản dịch|giấy tờ dịch|dịch thuật)', 'bản dịch', 'dịch thuật'),
    group(2, 'signature', 'signatures', '(certify|authenticate|witness|verify|notarize|notarise) [my|a|the|his|her] signature',
      'translation', 'translated', 'translator', 'thumbprint', 'fingerprint'),
    group(2, '서명', '서명 인증', '서명 공증', '사인 인증', '사인', '번역', '번역문', '지장'),
  ],
  contract_certification: [
    group(OBJECT, 'hợp đồng', 'giấy ủy quyền', 'ủy quyền', 'văn bản thỏa thuận', 'di chúc', 'khai nhận di sản', 'phân chia di sản',
      'từ chối nhận di sản'),
    group(WEAK, 'giao dịch'),
    group(2, '(chứng thực|công chứng|thị thực) (hợp đồng|văn bản|giấy ủy quyền|ủy quyền|di chúc|giao dịch|giấy mua bán|giấy tặng cho)',
      'hợp đồng (mua bán|tặng cho|chuyển nhượng|ủy quyền|thế chấp|góp vốn|cho thuê)', 'giấy tặng cho', 'giấy mua bán'),
    group(OBJECT, 'contract', 'contracts', 'agreement', 'power of attorney', 'authorization letter', 'authorisation letter', 'testament',
      'last will', 'authorise', 'authorize', 'authorization', 'authorisation'),
    group(2, '(certify|notarize|notarise|authenticate) [a|my|the|our] (contract|agreement|power of attorney|will)',
      '(sale|sales|purchase|rental|lease|gift|inheritance) (contract|agreement)', 'deed of gift'),
    group(OBJECT, '계약서', '계약', '위임장', '유언장', '합의서', '위임'),
    group(2, '(계약서|위임장|유언장|합의서|계약) (공증|인증)', '임대차 계약'),
  ],
  permanent_residence: [
    group(OBJECT, 'thường trú', 'đăng ký thường trú', 'hộ khẩu', 'nhập khẩu', 'nhập hộ khẩu', 'chuyển hộ khẩu', 'tách hộ khẩu', 'tách khẩu',
      'tách hộ', 'xóa thường trú', 'xóa hộ khẩu', 'cắt khẩu', 'cắt hộ khẩu', 'chuyển khẩu', 'sổ hộ khẩu', 'nhập hộ', 'chuyển thường trú',
      'hộ khẩu thường trú', '(thêm|nhập) [tên] (con|vợ|chồng|bé|cháu|người) vào hộ khẩu'),
    group(WEAK, 'cư trú', 'xác nhận cư trú', 'đăng ký cư trú'),
    group(OBJECT, 'permanent residence', 'permanent residency', 'permanent resident', 'household registration', 'household book',
      'family book', 'hukou', 'permanent address', 'registered address', 'move my household', 'household register'),
    group(WEAK, 'residence', 'residency', 'household', 'moved in'),
    group(OBJECT, '영주', '상주', '상주 등록', '영구 거주', '영구 거주 등록', '호적', '주민등록 이전', '전입신고', '전입', '세대 등록', '가구 등록',
      '상시 거주', '영구 주소', '주민등록', '주소 이전', '주소를 옮기', '주소 옮기', '호카우', '호커우', '트엉쭈', '뜨엉쭈'),
    group(HINT, '주소'),
  ],
  temporary_residence: [
    group(OBJECT, 'tạm trú', 'đăng ký tạm trú', 'khai báo tạm trú', 'tạm vắng', 'khai báo tạm vắng', 'ở trọ', 'nhà trọ', 'phòng trọ',
      'thuê trọ', 'thuê nhà', 'thuê phòng', 'người thuê', 'gia hạn tạm trú', 'sổ tạm trú', 'khai báo lưu trú', 'lưu trú',
      'tạm trú tạm vắng', 'chủ nhà trọ', 'ở thuê', 'mướn nhà', 'mướn phòng', 'kt3', 'kt 3'),
    group(OBJECT, 'temporary residence', 'temporary residency', 'temporary stay', 'temporary address', 'temporary resident', 'renter',
      'renters', 'renting', 'rent [a] (room|house|flat|apartment)', 'rented (room|house|flat|apartment)', 'tenant', 'tenants',
      'boarding house', '(declare|report|register) [my|our|their|his|her] stay', 'stay registration', 'where i am staying',
      'lodging', 'landlord', 'rent', 'temporary', 'residence permit', 'residence card'),
    group(WEAK, 'foreigner', 'foreigners', 'staying', 'address'),
    group(OBJECT, '임시 거주', '임시거주', '거주 등록', '거주 신고', '임시 체류', '체류 신고', '숙소 신고', '월세', '세입자', '하숙', '원룸',
      '임시 주소', '임시 거소', '거소 신고', '떰쭈', '떰주', '템쭈', '템주', '땀쭈', '땀주', '떰추'),
    group(HINT, '거주 확인', '체류', '집주인'),
  ],
  id_card: [
    group(OBJECT, 'căn cước', 'căn cước công dân', 'cccd', 'cmnd', 'cmt', '(giấy|thẻ|làm) chứng minh', 'chứng minh nhân dân',
      'chứng minh thư', 'thẻ căn cước', 'gắn chip', 'thẻ chip', 'định danh', 'định danh điện tử', 'vneid', 'tài khoản định danh'),
    group(OPERATION, '(mất|bị mất|làm mất|thất lạc|vừa mất|mới mất) (căn cước|cccd|cmnd|chứng minh nhân dân|thẻ căn cước)'),
    group(OBJECT, 'id card', 'identity card', 'citizen id', 'citizen identity card', 'national id', 'identification card',
      'identification', 'chip card', 'electronic id', 'identity', 'id'),
    group(OBJECT, '신분증', '주민등록증', '시민증', '아이디 카드', '신분 카드', '전자 신분', '칩 카드', '신분', '깐끄억', '깐꾸억'),
  ],
  household_business_registration: [
    group(OBJECT, 'hộ kinh doanh', 'đăng ký kinh doanh', 'giấy phép kinh doanh', 'đăng ký hộ kinh doanh', 'kinh doanh',
      'mở (quán|tiệm|cửa hàng|shop|sạp|tiệm tạp hóa|quán ăn|quán cà phê|quán cafe|tiệm tóc|tiệm nail|tiệm tạp hoá)', 'buôn bán',
      'bán hàng', 'giấy phép buôn bán', 'kinh doanh cá thể', 'hộ cá thể', 'mã số thuế', 'bán (cà phê|đồ ăn|tạp hóa|quần áo)',
      'xe đẩy', 'lề đường', 'vỉa hè', 'hàng rong'),
    group(HINT, 'quán ăn', 'tiệm', 'quán'),
    group(0.5, 'giấy phép'),
    group(OBJECT, 'business', 'business registration', 'household business', 'business license', 'business licence',
      'open (a|my|our|an) [small|little|new] (shop|store|restaurant|cafe|coffee shop|salon|stall|business|bakery|grocery|eatery)',
      'coffee shop', 'small business', 'small shop', 'grocery store', 'food business', 'sole proprietor',
      'trading license', 'food stall', 'stall', 'tax code', 'start a business', 'street food', 'vendor', 'street vendor'),
    group(HINT, 'license', 'licence', 'cart', 'food cart'),
    group(WEAK, 'shop', 'store', 'restaurant', 'cafe', 'sell', 'selling'),
    group(OBJECT, '사업자', '사업자 등록', '개인사업', '개인 사업자', '가게', '영업', '창업', '영업 허가', '사업 등록', '장사', '식당 개업',
      '가게를 열', '가게 열', '개업', '차리'),
    group(HINT, '식당', '노점'),
  ],
  land_certificate: [
    group(OBJECT, 'sổ đỏ', 'sổ hồng', 'giấy chứng nhận quyền sử dụng đất', 'quyền sử dụng đất', 'giấy chứng nhận đất', 'cấp sổ',
      'làm sổ', 'ra sổ', 'giấy chứng nhận quyền sở hữu nhà', 'đất đai', 'nhà đất', 'giấy tờ (nhà|đất|nhà đất)', 'sổ nhà', 'chủ quyền nhà',
      'giấy chủ quyền', 'cấp giấy lần đầu', 'lấy sổ (đỏ|hồng)', 'đăng ký đất đai', 'thửa đất', 'miếng đất', 'mảnh đất', 'lô đất',
      'sổ đất', 'bằng khoán'),
    group(0.7, 'đất'),
    group(OBJECT, 'land title', 'land certificate', 'land use right', 'land use rights', 'red book', 'pink book', 'title deed',
      'land registration', 'property certificate', 'house ownership', 'land ownership', 'ownership certificate', 'property title',
      'land use certificate'),
    group(HINT, 'land', 'plot', 'property', 'deed', 'title'),
    group(OBJECT, '토지', '토지 증명서', '토지 사용권', '레드북', '핑크북', '땅', '부동산', '소유권 증명', '소유권 증서', '토지 등기', '집문서',
      '땅문서', '등기', '토지 증서'),
    group(WEAK, '증서'),
  ],
  land_change_registration: [
    group(OPERATION, 'sang tên', 'chuyển nhượng', 'biến động', 'đăng ký biến động', 'tặng cho', 'cho tặng', 'thừa kế', 'tách thửa',
      'hợp thửa', '(tách|gộp|đổi|cấp đổi|cấp lại|mất|làm mất|làm lại|bị mất) sổ (đỏ|hồng|đất|nhà)', 'tách sổ', 'gộp sổ',
      'thế chấp', 'xóa thế chấp', 'đính chính sổ', 'đổi tên (trên|trong) sổ',
      'chuyển mục đích', 'lên thổ cư', 'đứng tên (sổ|nhà|đất)'),
    group(OPERATION, 'land transfer', 'ownership transfer', 'transfer of ownership', 'transfer ownership', 'change [of] (owner|ownership)',
      'inheritance', 'inherit', 'inherited', 'gift of land', '(split|divide|merge|subdivide) [the|my|a|one] (plot|land|plots)',
      'mortgage', 'change of land use',
      'new owner', 'put in my name'),
    // Buying or selling is the background of a transfer as often as the request itself.
    group(OBJECT, '(mua|bán) (đất|nhà|miếng đất|mảnh đất|lô đất|căn nhà)',
      '(buy|bought|buying|sell|sold|selling) [a|my|the|some|our] (land|house|plot|property)'),
    group(WEAK, 'gift', 'gifted'),
    group(OPERATION, '명의 변경', '명의 이전', '소유권 이전', '토지 이전', '상속', '증여', '매매', '토지 분할', '필지 분할', '합병', '저당',
      '땅을 사', '땅을 팔', '집을 사', '집을 팔', '변동 등록', '명의'),
  ],
  construction_permit: [
    group(OBJECT, 'giấy phép xây dựng', 'xin phép xây dựng', 'phép xây dựng', 'xây dựng', 'xây nhà', 'sửa nhà', 'sửa chữa nhà',
      'cơi nới', 'nâng tầng', 'nâng thêm', 'thêm [một] tầng', 'xây thêm', 'đập nhà', 'xây mới', 'cải tạo', 'làm nhà', 'giấy phép xây',
      'phá dỡ', 'xin phép xây', 'xây lại', 'giấy phép sửa chữa', 'làm gác', 'đổ mái', 'xây', 'lát gạch', 'mái nhà', 'làm mái'),
    group(HINT, 'xin phép', 'tầng', 'mái', 'sơn (lại|nhà|tường)'),
    group(OBJECT, 'construction permit', 'building permit', 'construction', 'build', 'renovate', 'renovation', 'renovating',
      'extension', 'add a floor', 'extra floor', 'demolish', 'demolition', 'repair my house', 'rebuild', 'construct',
      '(tear|tearing|knock|knocking|pull|pulling) down', '(build|building) a new', 'new house'),
    group(0.9, 'permit'),
    group(HINT, 'kitchen', 'bathroom', 'redo', 'remodel', 'remodeling', 'repair', 'repairs', 'roof'),
    group(WEAK, 'building'),
    group(OBJECT, '건축 허가', '건축', '건축허가', '집을 짓', '집 짓', '신축', '증축', '리모델링', '개축', '철거', '공사', '집 수리', '보수 공사',
      '지으려', '층 더', '층을 올', '층 올리', '짓'),
    group(WEAK, '허가'),
  ],
  social_allowance: [
    group(OBJECT, 'trợ cấp', 'trợ cấp xã hội', 'bảo trợ xã hội', 'trợ giúp xã hội', 'người khuyết tật', 'khuyết tật', 'người cao tuổi',
      'hộ nghèo', 'cận nghèo', 'mồ côi', 'người có công', 'thương binh', 'liệt sĩ', 'đơn thân nuôi con', 'mẹ đơn thân', 'tàn tật',
      'tiền (hỗ trợ|trợ cấp)', 'trên 80 tuổi', 'tuổi già', 'người già', 'khó khăn'),
    group(WEAK, 'hỗ trợ', 'chính sách'),
    group(OBJECT, 'social allowance', 'allowance', 'welfare', 'benefit', 'benefits', 'social assistance', 'subsidy', 'disability',
      'disabled', 'elderly', 'orphan', 'poor household', 'poverty', 'single mother', 'single parent', 'financial support',
      'financial help', 'pension'),
    group(OBJECT, '수당', '사회 수당', '복지', '보조금', '지원금', '장애', '장애인', '노인', '기초생활', '생계', '연금', '고아', '한부모'),
  ],
  health_insurance: [
    group(OBJECT, 'bảo hiểm y tế', 'bhyt', 'thẻ bảo hiểm y tế', 'thẻ bhyt', 'bảo hiểm', 'thẻ bảo hiểm', 'thẻ y tế', 'thẻ khám bệnh',
      'khám chữa bệnh'),
    group(OBJECT, 'health insurance', 'medical insurance', 'insurance', 'insurance card', 'health card', 'medical card', 'hospital card',
      'health coverage'),
    group(OBJECT, '건강보험', '의료보험', '보험', '보험증', '보험 카드', '건강 보험증'),
  ],
  complaint_petition: [
    group(OBJECT, 'khiếu nại', 'tố cáo', 'kiến nghị', 'phản ánh', 'phản ảnh', 'đơn khiếu nại', 'khiếu kiện', 'tranh chấp', 'hòa giải',
      'tiếp công dân', 'tiếp dân', 'thưa kiện', 'lấn chiếm', 'đơn thư', 'góp ý'),
    group(1.5, 'tranh chấp đất', 'tranh chấp đất đai', 'khiếu nại về đất'),
    group(WEAK, 'gửi đơn', 'làm đơn', 'hàng xóm', 'ồn ào', 'xả rác', 'trái phép'),
    group(OBJECT, 'complaint', 'complain', 'complain about', 'petition', 'denounce', 'denunciation', 'report a violation', 'grievance',
      'dispute', '(file|lodge|make|submit) a (complaint|petition|report)', 'appeal', 'mediation', 'feedback'),
    group(HINT, 'report', 'illegal', 'illegally', 'noise', 'dumping'),
    group(WEAK, 'neighbour', 'neighbor', 'neighbours', 'neighbors'),
    group(OBJECT, '민원 제기', '진정', '고발', '청원', '이의 제기', '이의신청', '항의', '분쟁', '탄원', '불만 제기', '건의'),
    group(HINT, '불법', '소음', '무단', '신고하'),
    group(WEAK, '신고'),
    group(WEAK, '민원', '옆집', '쓰레기'),
  ],
};

/**
 * Operations that say what is wanted of a document without naming a procedure ("xin lại", "wrong",
 * "재발급"). Each applies to the procedure named nearest to it: a copy of a birth certificate is a
 * civil-status extract, a wrong date on one is a correction, a new name on a red book is a land
 * change; a lost ID card is still the ID-card procedure. With nothing named, `fallback` (if any).
 */
type ModifierOp = 'copy' | 'change';

interface ModifierGroup {
  readonly op: ModifierOp;
  readonly weight: number;
  readonly fallback: string | null;
  readonly terms: readonly string[];
}

const modifier = (op: ModifierOp, weight: number, fallback: string | null, ...terms: string[]): ModifierGroup => ({
  op,
  weight,
  fallback,
  terms,
});

const MODIFIER_TARGETS: Readonly<Record<ModifierOp, Readonly<Record<string, string>>>> = {
  copy: {
    birth_registration: 'civil_status_extract_copy',
    marriage_registration: 'civil_status_extract_copy',
    death_registration: 'civil_status_extract_copy',
  },
  change: {
    birth_registration: 'civil_status_correction',
    marriage_registration: 'civil_status_correction',
    death_registration: 'civil_status_correction',
    civil_status_extract_copy: 'civil_status_correction',
    land_certificate: 'land_change_registration',
  },
};

const MODIFIERS: readonly ModifierGroup[] = [
  modifier('copy', 0.9, null, 'bản sao', 'xin bản sao', 'xin lại', 'xin thêm', 'cấp lại', 'in lại', 'bị rách', 'rách',
    'bị mất', 'làm mất', 'thất lạc', 'hư rồi', 'thêm (mấy|vài|một|hai|ba) bản',
    'copy', 'copies', 'another copy', 'a copy', 'new copy', 'official copy', 'extra copy', 'more copies', 'reissue', 'reissued',
    're issue', 'replacement', 'replace', 'duplicate', 'lost', 'damaged', 'torn', 'destroyed',
    '사본', '재발급', '다시 발급', '다시 뽑', '다시 받', '잃어버', '분실', '찢어', '훼손', '하나 더', '추가 발급', '복사본', '발급본'),
  modifier('change', 0.9, 'civil_status_correction', 'đổi tên', 'đổi họ', 'thay đổi (tên|họ|tên đệm|chữ lót|dân tộc|giới tính)',
    'sửa (tên|họ tên|họ|ngày sinh|năm sinh|giới tính|quê quán|dân tộc|thông tin)', 'sai (tên|họ tên|ngày sinh|năm sinh|quê quán|thông tin)',
    'ghi sai', 'viết sai', 'ghi nhầm', 'nhầm tên', 'bổ sung (tên|quê quán|thông tin|dân tộc)', 'thiếu (tên|thông tin)', 'không khớp',
    'change [my|the|his|her|our|a|their] (name|surname|family name|ethnicity|gender)', 'misspelled', 'misspelt', 'spelling', 'typo',
    'wrong (name|date|birthday|spelling|information|info)', 'missing information', 'date of birth', 'ethnicity', 'hometown',
    '(son|daughter|child|kid|wife|husband|baby|mother|father|mom|dad) s (name|surname|date of birth)',
    '이름 변경', '이름을 바꾸', '이름 바꾸', '철자', '생년월일', '잘못 기재', '잘못 적', '이름이 틀'),
  // Attributes of a civil-status record: named next to one, they are usually what is to be corrected.
  modifier('change', 0.6, 'civil_status_correction', 'ngày sinh', 'năm sinh', 'quê quán', 'dân tộc', 'giới tính'),
  modifier('change', 0.9, null, 'sửa', 'sửa lại', 'sai', 'bị sai', 'bổ sung', 'thêm tên', 'thiếu', 'cập nhật', 'điều chỉnh', 'chỉnh sửa',
    'đính chính', 'đổi lại', 'ghi thêm',
    'wrong', 'fix', 'correct', 'update', 'updated', 'missing', 'add', 'change', 'mistake', 'error', 'incorrect', 'transfer', 'transferring',
    'split', 'divide', 'merge',
    '잘못', '틀리', '틀렸', '틀린', '수정', '고치', '고칠', '바꾸', '바꿔', '변경', '추가', '빠진', '빠져', '누락', '오류'),
];

/**
 * Request verbs. The procedure right after one (right before one, in Korean) is the object of the
 * request, so it outranks procedures mentioned as background ("we bought a flat, how do we move
 * the hộ khẩu"). Korean markers follow their object; the others precede it.
 */
const REQUEST_MARKERS: readonly string[] = [
  'muốn', 'làm', 'xin', 'đăng ký', 'cần', 'nộp', 'khai', 'cấp', 'hỏi về', 'thủ tục',
  'want to', 'need to', 'like to', 'how do i', 'how can i', 'how do we', 'how can we', 'how does', 'register', 'apply for', 'get',
  'need', 'about',
  '하려', '하고 싶', '신청', '등록', '신고', '발급', '받으려', '만들', '하러', '할 수', '올리', '하는', '받고', '받을',
];

/** Bonus for the object of a request verb; it breaks ties, it does not beat a stronger term. */
const REQUEST_BONUS = 0.3;
/** How far the object may sit from its verb, in characters of the space-free text: about four short words. */
const REQUEST_REACH_LATIN_CHARS = 20;
/** Korean: the verb ending follows its object almost at once, after at most a particle. */
const REQUEST_REACH_HANGUL_CHARS = 3;

type Gate = 'any' | 'start' | 'short';

interface CueGroup {
  readonly intent: Intent;
  readonly weight: number;
  /** 'start': counts in a short utterance or at its start (after particles such as "dạ"); 'short': only in a short one. */
  readonly gate: Gate;
  readonly terms: readonly string[];
}

const cue = (intent: Intent, weight: number, gate: Gate, ...terms: string[]): CueGroup => ({ intent, weight, gate, terms });

const INTENT_CUES: readonly CueGroup[] = [
  cue('greet', 1, 'any', 'xin chào', 'chào', 'chào (em|anh|chị|bạn|robot|cô|chú|con)', 'alo', 'a lô',
    '(em|anh|chị|robot|rô bốt|bạn|cô|chú|con|bé|e|ông|bà|người) ơi', 'hello', 'hi', 'hey', 'hiya', 'howdy',
    'good (morning|afternoon|evening)', '안녕하세요', '안녕', '반갑습니다', '여보세요', '반가워', '저기요', '실례합니다', '좋은 아침',
    '씬짜오', '신짜오', '씬 짜오', '하이', '헬로'),
  cue('greet', 0.8, 'short', 'ê', 'ơi', '저기'),

  cue('ask_procedure', 0.5, 'any', 'muốn (làm|đăng ký|xin|hỏi|nộp|cấp|khai)', 'đăng ký', 'thủ tục', 'làm (sao|thế nào|như thế nào|sao để)',
    'như thế nào', 'hướng dẫn', 'tư vấn', 'cách (làm|đăng ký|xin)', 'nộp hồ sơ', 'làm thủ tục', 'xin cấp', 'cần làm', 'muốn', 'xin',
    'i (want|would like|d like|need|wanna) [to]', 'want to', 'register', 'apply', 'application', 'how (do|can|should) (i|we)', 'how to',
    'procedure', 'process', 'help [me] with', 'i m here (to|for)', 'i came (to|for)', 'looking for',
    '하고 싶', '하려고', '하러 왔', '신청', '등록', '발급', '어떻게 해', '어떻게 하', '방법', '절차', '하고 싶어요', '필요해'),
  cue('ask_procedure', 0.3, 'any', 'cho (tôi|tui|em|con|mình|chị|anh|cháu) hỏi', 'hỏi', 'about', 'need'),

  cue('ask_documents', 1, 'any', 'giấy tờ', 'cần [những|mấy|các] (gì|giấy gì|giấy tờ gì|cái gì|thứ gì)', 'cần gì', 'cần mang',
    'mang (theo|gì|những gì)', 'đem (theo|gì|những gì)', 'chuẩn bị', 'giấy gì', 'hồ sơ gồm', 'thành phần hồ sơ', 'cần những giấy',
    'hồ sơ (cần|gồm|có) (gì|những gì)', 'cần (giấy|hồ sơ)',
    'documents', 'document', 'papers', 'paperwork', 'what (do|should|must) (i|we) (need|bring|prepare)',
    'what (is|s|are) (needed|required)', 'need to bring', 'requirements', 'required', 'bring', 'prepare',
    '서류', '필요한 것', '뭐가 필요', '뭐 필요', '무엇이 필요', '준비물', '준비해야', '가져가야', '가져와야', '챙겨', '구비', '뭘 가져', '무엇을 가져'),
  cue('ask_documents', 0.5, 'any', 'hồ sơ', '필요'),

  cue('ask_fee', 1, 'any', 'bao nhiêu tiền', 'mấy tiền', 'nhiêu tiền', '(hết|tốn|mất|phải đóng|đóng) bao nhiêu', 'lệ phí', 'phí',
    'chi phí', 'giá (bao nhiêu|cả|tiền|sao)', '[có] mắc không', 'tốn tiền', 'mất tiền', 'đóng tiền', 'trả tiền', 'miễn phí', 'có tốn',
    'có mất phí', 'how much', 'fee', 'fees', 'cost', 'costs', 'price', 'charge', 'pay', 'payment', 'free', 'expensive', 'money',
    '얼마', '수수료', '비용', '요금', '가격', '돈이', '무료', '내야', '돈 들', '돈을'),
  cue('ask_fee', 0.6, 'any', 'bao nhiêu', 'tiền', 'mắc'),

  cue('ask_duration', 1, 'any', 'bao lâu', 'mấy ngày', 'bao nhiêu ngày', 'mấy hôm', 'mấy tuần', 'bao nhiêu lâu', 'mất bao lâu',
    '(bao giờ|khi nào|lúc nào|hôm nào|ngày nào) (có|lấy|xong|nhận|được)', 'lâu không', 'có lâu không', 'thời gian', 'lấy (liền|ngay)',
    'trong ngày', 'có nhanh không', 'nhanh không', 'mất mấy ngày', 'bao giờ', 'khi nào',
    'how long', 'how many (days|weeks|hours)', 'when (can|will|do) i (get|receive|pick up|collect)', 'when will it be ready',
    'ready', 'processing time', 'does it take', 'same day', 'how soon', 'how quickly',
    '며칠', '얼마나 걸', '걸려', '걸리', '기간', '언제 나와', '언제 받', '처리 기간', '당일', '언제', '시간이 얼마'),

  cue('ask_location', 1, 'any', 'ở đâu', 'chỗ nào', 'nơi nào', 'quầy nào', 'quầy số mấy', 'quầy mấy', 'bàn nào', 'phòng nào',
    'đi (đâu|hướng nào|lối nào)', 'tầng mấy', 'ở tầng nào', 'nộp ở đâu', 'làm ở đâu', 'đâu vậy', 'đâu ạ', 'phía nào', 'bên nào', 'cửa nào',
    '(làm|nộp|đi|chỗ|quầy|phòng|lấy|xin|đăng ký) đâu',
    'where', 'which (counter|desk|window|room|floor|office|way)', 'what (counter|floor|room)', 'counter', 'desk', 'location', 'located',
    '어디', '어느 창구', '몇 번 창구', '위치', '어느 쪽', '몇 층', '어디로 가', '어떻게 가'),
  cue('ask_location', 0.6, 'any', 'quầy', '창구', 'floor'),

  cue('request_escort', 1.2, 'any', `dẫn ${PRONOUN}`, 'dẫn (đi|đường|qua|tới|đến|ra|vô|vào)',
    `đưa ${PRONOUN} (đi|tới|đến|qua|ra|vô|vào|lại)`,
    `dắt ${PRONOUN}`, `chỉ ${PRONOUN} đi`, 'chỉ đường', 'đi cùng', 'đi theo', 'đi với',
    'take me', 'show me the way', 'show me where', 'lead me', 'guide me', 'walk me', 'bring me', 'escort', 'follow you',
    '(come|go) with me', 'accompany', 'lead the way',
    '안내해', '데려다', '같이 가', '따라가', '길 안내', '데려가', '안내 부탁'),

  cue('request_ticket', 1.2, 'any', 'lấy số', 'bốc số', 'số thứ tự', 'lấy phiếu', 'phiếu', 'in số', 'lấy vé', 'bấm số', 'xếp hàng',
    'ticket', 'queue number', '(get|take|give me) a number', 'a number', 'number ticket', 'queue ticket', 'waiting number',
    '번호표', '대기표', '번호 뽑', '대기 번호', '번호를 받', '번호 받', '예약'),

  cue('check_queue', 1.2, 'any', '(tới|đến|gọi) số mấy', 'gọi (tới|đến) số', 'đang gọi', '(tới|đến) lượt', 'còn (mấy|bao nhiêu) người',
    'bao nhiêu người', 'mấy người', '(chờ|đợi) (bao lâu|lâu|mấy|tới bao giờ|đến bao giờ)', 'phải (chờ|đợi) (lâu|bao lâu)',
    'số của (tôi|tui|em|mình|con|chị|anh)',
    'my turn', 'how many people', 'ahead of me', 'now serving', 'in line', 'called my number', 'number called', 'still waiting',
    '(how long|how much longer) [do|will|must|should] [i|we] [have to|need to] wait', 'have to wait',
    '차례', '몇 번까지', '대기 인원', '앞에 몇', '몇 명', '기다려야', '얼마나 기다', '순서'),
  // Not "chờ"/"đợi" alone: folded they are "cho" (for) and "doi" (đổi, change).
  cue('check_queue', 0.8, 'any', 'queue', 'wait', 'waiting', '기다리', '기다려', 'đang chờ', 'ngồi chờ', 'chờ đợi'),

  cue('scan_id', 1.5, 'any', 'quét', '(quét|đọc|cà|đưa|để|đặt) (thẻ|căn cước|cccd|chứng minh)', 'đây là (thẻ|căn cước|cccd|chứng minh)',
    'scan', 'scan [my|the] (id|card|id card)', 'here (is|s) my (id|card|id card)', 'read my (id|card)', 'tap my (id|card)',
    '스캔', '찍어', '읽어', '여기 신분증', '신분증 여기', '신분증 있어요'),

  cue('affirm', 1, 'start', 'vâng', 'ừ', 'ừa', 'ừm', 'ờ', 'ok', 'oke', 'okay', 'okê', 'đúng rồi', 'phải rồi', 'chính xác', 'đúng vậy',
    'được', 'được rồi', 'chuẩn', 'vậy đi', 'yes', 'yeah', 'yep', 'yup', 'sure', 'right', 'correct', 'that s right', 'exactly',
    'of course', 'alright', 'sounds good', 'please do', 'go ahead', 'let s go', 'uh huh', 'mm hmm',
    '네', '예', '응', '맞아요', '맞아', '좋아요', '그래요', '그렇습니다', '맞습니다', '그렇게 해', '오케이', '좋습니다', '알겠습니다', '알겠어요'),
  cue('affirm', 0.8, 'short', 'dạ', 'dzạ', 'dà', 'đc', 'dc', 'có', 'đúng', 'phải', 'rồi', 'có chứ'),

  cue('deny', 1.3, 'start', 'không', 'hông', 'hổng', 'hem', 'hok', 'ko', 'k', 'không phải', 'hông phải', 'không đúng', 'sai rồi',
    'không cần', 'khỏi', 'không phải đâu', 'đâu có', 'trật',
    'no', 'nope', 'not really', 'wrong', 'no thanks', 'no thank you', 'not that', 'nah', 'incorrect',
    '아니요', '아니', '아뇨', '아니에요', '필요 없'),
  cue('deny', 1.3, 'any', 'trật rồi', 'cái khác', 'chuyện khác', 'that s not it', 'not what (i|we) (asked|meant|said|wanted)',
    'something else', '다른 거', '잘못 알아들', '잘못 들', '그거 아니'),
  cue('deny', 1, 'short', 'sai', 'chưa', 'không có', '괜찮아요', '틀려요', '틀렸어요'),
  cue('deny', 0.8, 'start', 'thôi'),

  cue('repeat', 1.2, 'any', 'nói lại', 'lặp lại', 'nhắc lại', 'gì cơ', 'chưa nghe rõ', 'không nghe rõ', 'nghe không rõ', 'không nghe',
    'nói chậm', 'nói (to|lớn)', 'không hiểu', 'chưa hiểu', 'nói gì',
    'repeat', 'pardon', 'say that again', 'say it again', 'didn t (hear|catch|understand)', 'what did you say', 'come again',
    'slower', 'don t understand', 'once more', 'one more time',
    '뭐라고', '다시 말해', '다시 한번', '다시 한 번', '다시요', '못 들었', '잘 안 들려', '천천히', '한 번 더', '이해 못'),
  cue('repeat', 0.7, 'short', 'hả', 'sao', 'gì', 'cái gì', 'gì vậy', 'what', 'sorry', 'again', 'huh', '뭐', '다시'),

  cue('talk_to_staff', 1.2, 'any', 'nhân viên', 'cán bộ', 'người thật', 'gặp người', 'hỏi người', 'chuyên viên', 'gặp (ai|người nào)',
    'người hướng dẫn', 'staff', 'human', 'real person', 'a person', 'officer', 'official', 'employee', 'clerk',
    '(talk|speak) (to|with) (someone|somebody|a human)', 'manager', 'agent',
    '직원', '사람이랑', '사람과', '사람하고', '담당자', '공무원', '상담원', '관리자'),

  cue('change_language', 1.2, 'any', 'nói tiếng (anh|hàn|việt)', 'đổi (ngôn ngữ|tiếng)', 'bằng tiếng (anh|hàn|việt)',
    '(speak|speaks|in|switch to|change to) (english|korean|vietnamese)', 'do you speak', 'change [the] language', 'language',
    '(영어|한국어|베트남어|한국말|베트남말)(로| 해| 말)', '언어', '언어 변경', '한국어 돼', '한국어 할'),
  cue('change_language', 0.5, 'any', 'tiếng (anh|hàn|việt)', 'english', 'korean', 'vietnamese', '영어', '한국어', '베트남어', '한국말'),

  // Heavier than affirm: "okay, thank you" closes the conversation.
  cue('goodbye', 1.3, 'any', 'tạm biệt', 'cảm ơn', 'cám ơn', 'bye', 'goodbye', 'good bye', 'thank you', 'thanks', 'thank', 'see you',
    'that s all', 'that is all', 'về đây', 'về nha', 'về nhé', 'chào (nha|nhé|nghen)', 'vậy thôi',
    '안녕히', '감사합니다', '감사해요', '감사', '고마워', '고맙습니다', '수고하세요', '잘 있어', '갈게요', '깜언', '깜온', '땡큐'),

  cue('complaint', 1.2, 'any', '(chờ|đợi) lâu quá', 'lâu quá', 'chậm quá', 'bực', 'bực mình', 'tệ quá', 'phàn nàn', 'thái độ',
    'quá đáng', 'không chấp nhận', 'vô lý', 'làm ăn kiểu gì', 'khó chịu', 'phiền quá', 'quá tệ', 'dở tệ', 'tệ thật',
    'complain about', 'terrible', 'too slow', 'too long', 'unacceptable', 'rude', 'annoyed', 'angry', 'ridiculous', 'awful',
    'bad service', 'waste of time', 'fed up',
    '불만', '너무 늦', '짜증', '불친절', '너무 오래', '화가', '화나', '너무 느려'),
  cue('complaint', 0.5, 'any', 'khiếu nại', 'complaint', 'complain', '항의'),
];

/**
 * Phrases with no target. They only hide the shorter cues inside them: the question tags "được
 * không", "phải không" are neither yes nor no, and "sổ hồng" is not the Southern "hông".
 */
const SHADOWS: readonly string[] = [
  'được không', 'phải không', 'đúng không', 'có không', 'có được không', 'hay không', 'không vậy', 'có phải', 'sổ hồng',
  'không biết', 'có ai', 'được chưa', 'xong chưa', 'chưa có', 'không có gì', 'làm được', 'có được', 'right now', 'right away',
  'no problem', 'how are you', 'not sure', 'sao vậy', 'làm sao',
  // Words that fold onto a cue: đầu/đâu, cuối/cưới, đặt/đất, quay/quầy, ở/ờ, 영업시간/영업.
  'lần đầu', 'đầu tiên', 'ban đầu', 'bắt đầu', 'cuối (tuần|cùng|tháng|năm|giờ|ngày)', 'đặt (lịch|hẹn|câu hỏi)', 'quay (lại|về)',
  'ở đây', 'ở nhà', '영업시간', '영업 시간',
];

/** Openers that do not count as content, so "dạ vâng" and "uh, yes" still start with their answer. */
const LEAD_PARTICLES: ReadonlySet<string> = new Set(['da', 'dza', 'a', 'ah', 'o', 'e', 'oh', 'uh', 'um', 'well', 'so', '음', '어', '아', '저']);

/**
 * Words that name no topic outside the centre. A procedure question with any other word that no
 * phrase covers ("where is the nearest hospital") is about something the centre does not do.
 */
const FUNCTION_WORDS: ReadonlySet<string> = new Set([
  // Vietnamese, folded.
  'toi', 'tui', 'em', 'anh', 'chi', 'minh', 'con', 'co', 'chu', 'bac', 'ong', 'ba', 'chau', 'ban', 'ho', 'no', 'nay', 'do',
  'kia', 'day', 'vay', 'dzay', 'a', 'ah', 'ak', 'nha', 'nhe', 'ne', 'oi', 'thi', 'la', 'ma', 'va', 'voi', 'cua', 'cho', 'o',
  'tai', 'den', 'di', 've', 'qua', 'ra', 'vao', 'vo', 'len', 'xuong', 'lai', 'roi', 'chua', 'da', 'dang', 'se', 'khong',
  'hong', 'ko', 'k', 'duoc', 'phai', 'can', 'muon', 'hoi', 'biet', 'gi', 'nao', 'sao', 'ai', 'bao', 'may', 'nhieu', 'it',
  'mot', 'hai', 'cai', 'nhung', 'cac', 'cung', 'nua', 'chut', 'gium', 'giup', 'dum', 'vui', 'long', 'xin', 'lam', 'the', 'nhu',
  'neu', 'de', 'vi', 'trong', 'ngoai', 'tren', 'duoi', 'sau', 'truoc', 'so', 'gan', 'nhat', 'xa', 'bay', 'gio', 'hom', 'luc',
  'khi', 'dau', 'mang', 'theo', 'phuong', 'ngay', 'thang', 'nam', 'moi', 'cu', 'het', 'luon', 'thoi', 'ha', 'hen', 'nghen',
  'ta', 'chung',
  // English.
  'i', 'me', 'my', 'we', 'us', 'our', 'you', 'your', 'he', 'him', 'his', 'she', 'her', 'its', 'they', 'them', 'their', 'an',
  'this', 'that', 'these', 'those', 'is', 'are', 'am', 'was', 'were', 'be', 'been', 'being', 'does', 'did', 'could', 'would',
  'should', 'will', 'shall', 'might', 'must', 'have', 'has', 'had', 'to', 'of', 'for', 'in', 'on', 'at', 'from', 'with', 'by',
  'about', 'into', 'here', 'there', 'where', 'what', 'when', 'which', 'who', 'how', 'why', 'please', 'go', 'get', 'need',
  'want', 'like', 'some', 'any', 'one', 's', 't', 'm', 'd', 'll', 're', 'not', 'don', 'just', 'now', 'then', 'and', 'or',
  'but', 'if', 'again', 'also', 'too', 'very', 'much', 'many', 'more', 'sir', 'madam', 'excuse', 'sorry', 'hi', 'hello', 'ok',
  'okay', 'yes', 'know', 'tell', 'ask', 'say', 'thing', 'things', 'help', 'find', 'look', 'looking', 'office', 'centre',
  'center', 'ward', 'today', 'up', 'out', 'off', 'over', 'make', 'done', 'submit', 'nop', 'hand', 'going', 'come', 'still',
  'certificate', 'registration', 'form', 'forms', 'paper', 'record',
  // Korean words and word forms without a topic.
  '저', '제', '제가', '저는', '저희', '우리', '너', '여기', '여기서', '여기에', '거기', '저기', '이거', '그거', '뭐', '좀', '수', '있어요', '있나요', '있어', '해요',
  '돼요', '되나요', '되요', '하면', '주세요', '해주세요', '어떻게', '가요', '가야', '해야', '하나요', '할', '것', '거', '게', '지금', '그럼', '그리고', '근데', '네',
  '예', '이', '그', '몇', '번', '요', '는', '은', '가', '를', '을', '좀요', '혹시', '있습니까', '합니까', '돼', '되', '있', '없어요', '알려', '알려주세요', '가면',
  '되나', '하죠', '해서', '하는데', '이에요', '예요', '인가요', '입니까', '입니다',
]);

/** Spelling variants folded to one token before matching ("kí"/"ký", "đk" for "đăng ký"). */
const TOKEN_ALIASES: ReadonlyMap<string, readonly string[]> = new Map([
  ['ki', ['ky']],
  ['li', ['ly']],
  ['qui', ['quy']],
  ['dk', ['dang', 'ky']],
  ['dky', ['dang', 'ky']],
  ['dki', ['dang', 'ky']],
]);

/** Chat spellings of Vietnamese ("fép", "jấy", "zậy"), tried only when the word itself is unknown. */
const TEENCODE: readonly (readonly [string, string])[] = [
  ['f', 'ph'],
  ['j', 'gi'],
  ['z', 'd'],
  ['dz', 'd'],
];

// ---------------------------------------------------------------------------------------------
// Compilation

type Target =
  | { readonly kind: 'procedure'; readonly id: string; readonly weight: number }
  | { readonly kind: 'intent'; readonly intent: Intent; readonly weight: number; readonly gate: Gate }
  | { readonly kind: 'modifier'; readonly op: ModifierOp; readonly weight: number; readonly fallback: string | null }
  | { readonly kind: 'request' };

interface Phrase {
  /** The phrase with spaces removed: matched against the space-free text, so Korean spacing never matters. */
  readonly body: string;
  readonly hangul: boolean;
  /** Latin phrases: the folded tokens, matched token by token. */
  readonly tokens: readonly string[];
  readonly targets: Target[];
}

interface CompiledTables {
  /** Latin phrases keyed by first token; longest first. */
  readonly byFirstToken: ReadonlyMap<string, readonly Phrase[]>;
  /** Phrases containing Hangul keyed by first character, matched inside the space-free text. */
  readonly byFirstChar: ReadonlyMap<string, readonly Phrase[]>;
  readonly vocabulary: ReadonlySet<string>;
  /** Single-deletion variants of long vocabulary words, for edit-distance-1 lookup without a scan. */
  readonly deletions: ReadonlyMap<string, readonly string[]>;
  readonly catalogIds: ReadonlySet<string>;
}

const HANGUL = /[\u1100-\u11FF\u3130-\u318F\uA960-\uA97F\uAC00-\uD7AF\uD7B0-\uD7FF]/;
const SCRIPT_BOUNDARY = /([\u1100-\u11FF\u3130-\u318F\uA960-\uA97F\uAC00-\uD7AF\uD7B0-\uD7FF]+)/;
const LATIN_WORD = /^[a-z]+$/;
const VIETNAMESE_MARKS = /[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ]/i;
const MIN_TYPO_WORD = 6;
const GROUP = /\(([^()]*)\)|\[([^[\]]*)\]/;

/** Expands `(a|b)` and `[a|b]` into every concrete phrase. */
export function expandTemplate(template: string): string[] {
  const found = GROUP.exec(template);
  if (found === null) return [template.replace(/\s+/g, ' ').trim()];
  const options = found[1] !== undefined ? found[1].split('|') : [...(found[2] ?? '').split('|'), ''];
  const before = template.slice(0, found.index);
  const after = template.slice(found.index + found[0].length);
  return options.flatMap((option) => expandTemplate(`${before}${option}${after}`));
}

/** One matchable unit of the input, with its place in the space-free text. */
interface Piece {
  readonly text: string;
  readonly hangul: boolean;
  readonly start: number;
  readonly end: number;
}

function piecesOf(normalized: string): Piece[] {
  const pieces: Piece[] = [];
  let offset = 0;
  for (const token of tokenize(normalized)) {
    for (const part of token.split(SCRIPT_BOUNDARY)) {
      if (part.length === 0) continue;
      pieces.push({ text: part, hangul: HANGUL.test(part), start: offset, end: offset + part.length });
      offset += part.length;
    }
  }
  return pieces;
}

function aliased(token: string): readonly string[] {
  return TOKEN_ALIASES.get(token) ?? [token];
}

function phraseTokens(normalized: string): string[] {
  return piecesOf(normalized).flatMap((piece) => aliased(piece.text));
}

function sameTarget(a: Target, b: Target): boolean {
  if (a.kind === 'procedure' && b.kind === 'procedure') return a.id === b.id;
  if (a.kind === 'intent' && b.kind === 'intent') return a.intent === b.intent;
  if (a.kind === 'modifier' && b.kind === 'modifier') return a.op === b.op;
  return a.kind === 'request' && b.kind === 'request';
}

/**
 * Southern speech (and ASR trained on it) merges initial "tr" into "ch" ("tạm chú"), and spelling
 * mixes up "s" and "x" ("khai xinh"). Multi-word Vietnamese procedure phrases get those variants.
 */
function southernVariants(tokens: readonly string[]): string[][] {
  if (tokens.length < 2) return [];
  const tr = (token: string): string => (token.startsWith('tr') ? `ch${token.slice(2)}` : token);
  const sx = (token: string): string => (token.startsWith('s') ? `x${token.slice(1)}` : token);
  const variants = [tokens.map(tr), tokens.map(sx), tokens.map((token) => sx(tr(token)))];
  const original = tokens.join(' ');
  return variants.filter((variant, index) => {
    const joined = variant.join(' ');
    return joined !== original && variants.findIndex((other) => other.join(' ') === joined) === index;
  });
}

/** Every contiguous part of a phrase shorter than the phrase itself, as table keys. */
function innerKeys(phrase: Phrase): string[] {
  const keys: string[] = [];
  if (phrase.hangul) {
    for (let i = 0; i < phrase.body.length; i += 1) {
      for (let j = i + 1; j <= phrase.body.length; j += 1) if (j - i < phrase.body.length) keys.push(`h:${phrase.body.slice(i, j)}`);
    }
    return keys;
  }
  for (let i = 0; i < phrase.tokens.length; i += 1) {
    for (let j = i + 1; j <= phrase.tokens.length; j += 1) {
      if (j - i < phrase.tokens.length) keys.push(`l:${phrase.tokens.slice(i, j).join(' ')}`);
    }
  }
  return keys;
}

function compile(catalog: Catalog): CompiledTables {
  const phrases = new Map<string, Phrase>();
  const catalogIds = new Set(catalog.procedures().map((procedure) => procedure.id));
  const addTokens = (tokens: readonly string[], hangul: boolean, target: Target | null): void => {
    if (tokens.length === 0) return;
    const body = tokens.join('');
    const key = hangul ? `h:${body}` : `l:${tokens.join(' ')}`;
    let phrase = phrases.get(key);
    if (phrase === undefined) {
      phrase = { body, hangul, tokens, targets: [] };
      phrases.set(key, phrase);
    }
    if (target === null) return;
    const index = phrase.targets.findIndex((other) => sameTarget(other, target));
    const previous = index >= 0 ? phrase.targets[index] : undefined;
    if (previous === undefined) phrase.targets.push(target);
    else if ('weight' in previous && 'weight' in target && previous.weight < target.weight) phrase.targets[index] = target;
  };
  const add = (text: string, target: Target | null, vietnamese = VIETNAMESE_MARKS.test(text)): void => {
    const normalized = normalizeText(text, { foldDiacritics: true });
    if (normalized.length === 0) return;
    const hangul = HANGUL.test(normalized);
    const tokens = hangul ? [normalized.replace(/ /g, '')] : phraseTokens(normalized);
    addTokens(tokens, hangul, target);
    if (!hangul && vietnamese && target?.kind === 'procedure') {
      for (const variant of southernVariants(tokens)) addTokens(variant, false, target);
    }
  };

  for (const procedure of catalog.procedures()) {
    for (const lang of ['vi', 'en', 'ko'] as const) {
      // A formal name is specific when it matches whole; everyday synonyms count as key terms.
      add(procedure.names[lang], { kind: 'procedure', id: procedure.id, weight: 1.2 }, lang === 'vi');
      for (const synonym of procedure.synonyms[lang]) add(synonym, { kind: 'procedure', id: procedure.id, weight: 1 }, lang === 'vi');
    }
  }
  for (const [id, groups] of Object.entries(PROCEDURE_TERMS)) {
    if (!catalogIds.has(id)) continue;
    for (const { weight, terms } of groups) {
      for (const term of terms) for (const text of expandTemplate(term)) add(text, { kind: 'procedure', id, weight });
    }
  }
  for (const { op, weight, fallback, terms } of MODIFIERS) {
    const usable = fallback !== null && catalogIds.has(fallback) ? fallback : null;
    for (const term of terms) for (const text of expandTemplate(term)) add(text, { kind: 'modifier', op, weight, fallback: usable });
  }
  for (const term of REQUEST_MARKERS) for (const text of expandTemplate(term)) add(text, { kind: 'request' });
  for (const { intent, weight, gate, terms } of INTENT_CUES) {
    for (const term of terms) for (const text of expandTemplate(term)) add(text, { kind: 'intent', intent, weight, gate });
  }
  for (const shadow of SHADOWS) for (const text of expandTemplate(shadow)) add(text, null);

  // A longer phrase hides the shorter ones inside it, so it must weigh at least as much for the same
  // procedure: the synonym "trích lục khai sinh" may not be weaker than the term "trích lục".
  for (const phrase of phrases.values()) {
    phrase.targets.forEach((target, index) => {
      if (target.kind !== 'procedure') return;
      let weight = target.weight;
      for (const key of innerKeys(phrase)) {
        for (const inner of phrases.get(key)?.targets ?? []) {
          if (inner.kind === 'procedure' && inner.id === target.id) weight = Math.max(weight, inner.weight);
        }
      }
      if (weight > target.weight) phrase.targets[index] = { ...target, weight };
    });
  }

  const byFirstToken = new Map<string, Phrase[]>();
  const byFirstChar = new Map<string, Phrase[]>();
  const vocabulary = new Set<string>();
  for (const phrase of phrases.values()) {
    if (phrase.hangul) {
      pushTo(byFirstChar, String.fromCodePoint(phrase.body.codePointAt(0) ?? 0), phrase);
    } else {
      pushTo(byFirstToken, phrase.tokens[0] ?? '', phrase);
      for (const token of phrase.tokens) vocabulary.add(token);
    }
  }
  for (const list of byFirstToken.values()) list.sort((a, b) => b.tokens.length - a.tokens.length);
  for (const list of byFirstChar.values()) list.sort((a, b) => b.body.length - a.body.length);

  const deletions = new Map<string, string[]>();
  for (const word of vocabulary) {
    if (word.length < MIN_TYPO_WORD || !LATIN_WORD.test(word)) continue;
    for (const variant of deletionVariants(word)) pushTo(deletions, variant, word);
  }
  return { byFirstToken, byFirstChar, vocabulary, deletions, catalogIds };
}

function pushTo<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else if (!list.includes(value)) list.push(value);
}

function deletionVariants(word: string): string[] {
  const out = [word];
  for (let i = 0; i < word.length; i += 1) out.push(word.slice(0, i) + word.slice(i + 1));
  return out;
}

/** Optimal-string-alignment distance ≤ 1 (one insertion, deletion, substitution or adjacent swap). */
function withinOneEdit(a: string, b: string): boolean {
  if (Math.abs(a.length - b.length) > 1) return false;
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i += 1;
  if (i === a.length && i === b.length) return true;
  if (a.length === b.length) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true;
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2);
  }
  return a.length > b.length ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

const ENGLISH_SUFFIXES: readonly (readonly [string, string])[] = [
  ['ies', 'y'], ['ied', 'y'], ['es', ''], ['s', ''], ['ing', ''], ['ing', 'e'], ['ed', ''], ['ed', 'e'], ['d', ''],
];

interface ResolvedToken {
  readonly token: string;
  readonly corrected: boolean;
}

function resolveToken(token: string, tables: CompiledTables): ResolvedToken {
  if (tables.vocabulary.has(token) || !LATIN_WORD.test(token) || token.length < 3) return { token, corrected: false };
  for (const [from, to] of TEENCODE) {
    const respelled = token.startsWith(from) ? to + token.slice(from.length) : '';
    if (tables.vocabulary.has(respelled)) return { token: respelled, corrected: false };
  }
  // Folded Vietnamese syllables never end in these suffixes, so stripping them only touches English.
  for (const [suffix, replacement] of ENGLISH_SUFFIXES) {
    if (token.length > suffix.length + 2 && token.endsWith(suffix)) {
      const stem = token.slice(0, token.length - suffix.length) + replacement;
      if (tables.vocabulary.has(stem)) return { token: stem, corrected: false };
    }
  }
  if (token.length < MIN_TYPO_WORD - 1) return { token, corrected: false };
  const candidates = new Set<string>();
  for (const variant of deletionVariants(token)) for (const word of tables.deletions.get(variant) ?? []) candidates.add(word);
  // A wrong first letter is rare in typing and common between real words ("center"/"renter"), so it must match.
  const accepted = [...candidates]
    .filter((word) => (word[0] === token[0] || (word[0] === token[1] && word[1] === token[0])) && withinOneEdit(token, word))
    .sort();
  const best = accepted[0];
  return best === undefined ? { token, corrected: false } : { token: best, corrected: true };
}

// ---------------------------------------------------------------------------------------------
// Matching

interface Match {
  readonly phrase: Phrase;
  /** Offsets in the space-free text, whatever the script. */
  readonly start: number;
  readonly end: number;
  readonly corrected: boolean;
  /** The targets left after gating. */
  readonly targets: readonly Target[];
}

interface Analysis {
  readonly matches: readonly Match[];
  readonly pieces: readonly Piece[];
  readonly compactLength: number;
  readonly short: boolean;
  /** Where content starts once openers such as "dạ" are skipped. */
  readonly leadEnd: number;
}

interface MatchToken {
  readonly token: string;
  readonly corrected: boolean;
  readonly start: number;
  readonly end: number;
}

function analyse(text: string, tables: CompiledTables): Analysis {
  const normalized = normalizeText(text, { foldDiacritics: true });
  const pieces = piecesOf(normalized);
  const compact = pieces.map((piece) => piece.text).join('');
  const tokens: MatchToken[] = [];
  for (const piece of pieces) {
    if (piece.hangul) {
      tokens.push({ token: piece.text, corrected: false, start: piece.start, end: piece.end });
      continue;
    }
    for (const alias of aliased(piece.text)) {
      const resolved = resolveToken(alias, tables);
      tokens.push({ ...resolved, start: piece.start, end: piece.end });
    }
  }
  let leadEnd = 0;
  for (const piece of pieces) {
    if (!LEAD_PARTICLES.has(piece.text)) break;
    leadEnd = piece.end;
  }
  const short = pieces.length <= 4 && compact.length <= 16;

  const raw: Omit<Match, 'targets'>[] = [];
  for (let i = 0; i < tokens.length; i += 1) {
    for (const phrase of tables.byFirstToken.get(tokens[i]?.token ?? '') ?? []) {
      const length = phrase.tokens.length;
      if (i + length > tokens.length) continue;
      let ok = true;
      for (let k = 1; k < length && ok; k += 1) ok = tokens[i + k]?.token === phrase.tokens[k];
      if (!ok) continue;
      const span = tokens.slice(i, i + length);
      raw.push({
        phrase,
        start: span[0]?.start ?? 0,
        end: span[span.length - 1]?.end ?? 0,
        corrected: span.some((token) => token.corrected),
      });
    }
  }
  if (HANGUL.test(compact)) {
    const pieceStarts = new Set(pieces.map((piece) => piece.start));
    const inside: Omit<Match, 'targets'>[] = [];
    for (let start = 0; start < compact.length; start += 1) {
      const char = compact[start] ?? '';
      const atPieceStart = pieceStarts.has(start);
      if (!atPieceStart && !HANGUL.test(char)) continue;
      for (const phrase of tables.byFirstChar.get(char) ?? []) {
        if (!compact.startsWith(phrase.body, start)) continue;
        const match = { phrase, start, end: start + phrase.body.length, corrected: false };
        if (atPieceStart || phrase.body.length >= 3 || isEnding(phrase)) raw.push(match);
        else inside.push(match);
      }
    }
    // A two-syllable noun found inside a word is a coincidence ("인증" in "혼인증명서", "진정" across
    // "빠진 정보") unless a known word ends right where it starts ("신분증재발급").
    for (const match of inside) {
      if (raw.some((other) => other.end === match.start)) raw.push(match);
    }
  }

  // Gate before shadowing: a "yes" cue that does not count here must not hide the words inside it.
  const gated: Match[] = [];
  for (const match of raw) {
    const targets = match.phrase.targets.filter(
      (target) =>
        target.kind !== 'intent' ||
        target.gate === 'any' ||
        short ||
        (target.gate === 'start' && match.start <= leadEnd),
    );
    if (targets.length === 0 && match.phrase.targets.length > 0) continue;
    gated.push({ ...match, targets });
  }
  return { matches: dropShadowed(gated), pieces, compactLength: compact.length, short, leadEnd };
}

/** Intent cues and request verbs are endings in Korean, found inside a word by design. */
function isEnding(phrase: Phrase): boolean {
  return phrase.targets.some((target) => target.kind === 'intent' || target.kind === 'request');
}

/** The longest phrase wins: a match lying inside a longer one ("khai sinh" in "trích lục khai sinh") is dropped. */
function dropShadowed(matches: readonly Match[]): Match[] {
  return matches.filter(
    (inner) =>
      !matches.some(
        (outer) =>
          outer !== inner &&
          outer.start <= inner.start &&
          inner.end <= outer.end &&
          outer.end - outer.start > inner.end - inner.start,
      ),
  );
}

// ---------------------------------------------------------------------------------------------
// Scoring

interface Scored {
  readonly key: string;
  score: number;
  first: number;
}

function addScore(map: Map<string, Scored>, key: string, weight: number, position: number): void {
  const entry = map.get(key);
  if (entry === undefined) map.set(key, { key, score: weight, first: position });
  else {
    entry.score += weight;
    entry.first = Math.min(entry.first, position);
  }
}

function ranked(map: ReadonlyMap<string, Scored>): Scored[] {
  return [...map.values()].sort((a, b) => b.score - a.score || a.first - b.first);
}

interface ProcedureHit {
  readonly match: Match;
  readonly id: string;
  readonly weight: number;
}

function centre(match: Match): number {
  return (match.start + match.end) / 2;
}

function isRequestObject(hit: ProcedureHit, markers: readonly Match[]): boolean {
  return markers.some((marker) => {
    if (marker === hit.match) return false;
    if (marker.phrase.hangul) return marker.start >= hit.match.end && marker.start - hit.match.end <= REQUEST_REACH_HANGUL_CHARS;
    const gap = hit.match.start - marker.end;
    return gap >= 0 && gap <= REQUEST_REACH_LATIN_CHARS;
  });
}

function scoreProcedures(analysis: Analysis, tables: CompiledTables): { procedures: Map<string, Scored>; corrected: boolean } {
  const procedures = new Map<string, Scored>();
  const hits: ProcedureHit[] = [];
  const markers: Match[] = [];
  const modifiers: { readonly match: Match; readonly op: ModifierOp; readonly weight: number; readonly fallback: string | null }[] = [];
  let corrected = false;
  for (const match of analysis.matches) {
    for (const target of match.targets) {
      if (target.kind === 'procedure') {
        hits.push({ match, id: target.id, weight: target.weight });
        corrected ||= match.corrected;
      } else if (target.kind === 'modifier') modifiers.push({ match, op: target.op, weight: target.weight, fallback: target.fallback });
      else if (target.kind === 'request' || (target.kind === 'intent' && target.intent === 'ask_procedure')) markers.push(match);
    }
  }
  for (const hit of hits) {
    const bonus = isRequestObject(hit, markers) ? REQUEST_BONUS : 0;
    addScore(procedures, hit.id, hit.weight + bonus, hit.match.start);
  }

  const transformed = new Map<string, { base: number; added: number; first: number }>();
  for (const mod of modifiers) {
    let nearest: ProcedureHit | undefined;
    for (const hit of hits) {
      if (hit.match === mod.match) continue;
      if (nearest === undefined || Math.abs(centre(hit.match) - centre(mod.match)) < Math.abs(centre(nearest.match) - centre(mod.match))) {
        nearest = hit;
      }
    }
    const target = nearest === undefined ? mod.fallback : MODIFIER_TARGETS[mod.op][nearest.id];
    if (target === undefined || target === null || !tables.catalogIds.has(target)) continue;
    const base = nearest === undefined ? 0 : (procedures.get(nearest.id)?.score ?? 0);
    const entry = transformed.get(target) ?? { base: 0, added: 0, first: mod.match.start };
    transformed.set(target, {
      base: Math.max(entry.base, base),
      added: entry.added + mod.weight,
      first: Math.min(entry.first, mod.match.start),
    });
  }
  for (const [id, { base, added, first }] of transformed) addScore(procedures, id, base + added, first);
  return { procedures, corrected };
}

function uncoveredContent(analysis: Analysis): number {
  let count = 0;
  for (const piece of analysis.pieces) {
    if (FUNCTION_WORDS.has(piece.text) || /^\p{N}+$/u.test(piece.text)) continue;
    const covered = analysis.matches.some((match) => match.start < piece.end && piece.start < match.end);
    if (!covered) count += 1;
  }
  return count;
}

const SOCIAL: ReadonlySet<Intent> = new Set(['greet', 'goodbye', 'affirm', 'deny']);
/** Questions that need a procedure; asked about anything else, they are out of scope. */
const PROCEDURE_QUESTIONS: ReadonlySet<Intent> = new Set(['ask_fee', 'ask_documents', 'ask_duration', 'ask_location']);
/** After a leading "yes"/"no", these are the answer's elaboration ("sure, take me there"), not a new request. */
const ANSWER_FOLLOW_UPS: ReadonlySet<Intent> = new Set(['request_escort', 'repeat', 'ask_procedure']);
/** A specific cue this weak yields to a named procedure ("a Vietnamese wife" is not a language switch). */
const SPECIFIC_OVER_PROCEDURE = 0.75;
/** A procedure score below this came from hint words only. */
const WEAK_EVIDENCE = 0.9;
const MAX_ALTERNATIVES = 3;

function share(top: number, second: number): number {
  return top / (top + second + 0.35);
}

function clamp01(value: number): number {
  if (!Number.isFinite(value)) return 0;
  return Math.round(Math.min(1, Math.max(0, value)) * 1000) / 1000;
}

interface Candidate {
  readonly intent: Intent;
  readonly procedure: string | null;
  readonly confidence: number;
}

function decide(text: string, tables: CompiledTables): Candidate[] {
  const analysis = analyse(text, tables);
  const { procedures, corrected } = scoreProcedures(analysis, tables);
  const intents = new Map<string, Scored>();
  let leadingAnswer: { readonly intent: Intent; readonly weight: number } | null = null;
  for (const match of analysis.matches) {
    for (const target of match.targets) {
      if (target.kind !== 'intent') continue;
      addScore(intents, target.intent, target.weight, match.start);
      // An opener alone ("dạ") is politeness, not an answer; the answer is the cue right after it.
      const answer = target.intent === 'affirm' || target.intent === 'deny';
      if (answer && match.start <= analysis.leadEnd && match.end > analysis.leadEnd) {
        if (leadingAnswer === null || target.weight > leadingAnswer.weight) {
          leadingAnswer = { intent: target.intent, weight: target.weight };
        }
      }
    }
  }

  const procRank = ranked(procedures);
  const intentRank = ranked(intents);
  const topProc = procRank[0];
  const procConf = topProc === undefined ? 0 : share(topProc.score, procRank[1]?.score ?? 0);
  const procedure = topProc?.key ?? null;
  const typo = corrected ? 0.92 : 1;

  const specific = intentRank.filter((entry) => entry.key !== 'ask_procedure' && !SOCIAL.has(entry.key as Intent));
  const social = intentRank.filter((entry) => SOCIAL.has(entry.key as Intent));
  const askProcedure = intents.get('ask_procedure');
  const candidates: Candidate[] = [];
  const push = (intent: Intent, proc: string | null, confidence: number): void => {
    candidates.push({ intent, procedure: proc, confidence: clamp01(confidence * typo) });
  };
  const socialConf = social[0] === undefined ? 0 : 0.2 + 0.6 * share(social[0].score, social[1]?.score ?? 0);

  const bestSpecific = specific[0];
  const specificConf = bestSpecific === undefined ? 0 : share(bestSpecific.score, specific[1]?.score ?? 0);
  const answerFirst =
    topProc === undefined &&
    leadingAnswer !== null &&
    (bestSpecific === undefined || ANSWER_FOLLOW_UPS.has(bestSpecific.key as Intent));
  if (answerFirst && leadingAnswer !== null) {
    const closing = social.find((entry) => entry.key === 'goodbye');
    push(closing === undefined ? leadingAnswer.intent : 'goodbye', null, socialConf);
  } else if (bestSpecific !== undefined && (bestSpecific.score >= SPECIFIC_OVER_PROCEDURE || topProc === undefined)) {
    const intent = bestSpecific.key as Intent;
    const offTopic = PROCEDURE_QUESTIONS.has(intent) || bestSpecific.score < SPECIFIC_OVER_PROCEDURE;
    if (topProc !== undefined) push(intent, procedure, 0.35 + 0.3 * specificConf + 0.3 * procConf);
    else if (offTopic && uncoveredContent(analysis) > 0) push('out_of_scope', null, 0.35);
    else push(intent, null, 0.2 + 0.6 * specificConf);
  } else if (topProc !== undefined && topProc.score < WEAK_EVIDENCE && bestSpecific === undefined && uncoveredContent(analysis) > 0) {
    // Only a hint ("quán", "식당") among words the tables do not know: a chat about something else.
    push('out_of_scope', null, 0.35);
  } else if (topProc !== undefined) {
    push('ask_procedure', procedure, 0.25 + 0.6 * procConf + (askProcedure === undefined ? 0 : 0.08));
  } else if (social[0] !== undefined) {
    push(social[0].key as Intent, null, socialConf);
  } else if (askProcedure !== undefined && uncoveredContent(analysis) === 0) {
    push('ask_procedure', null, 0.3 + 0.2 * share(askProcedure.score, 0));
  } else {
    push('out_of_scope', null, analysis.compactLength === 0 ? 0.1 : 0.3);
  }

  // Alternatives: the other readings the rules saw, each scaled by how far it trails the winner.
  const chosen = candidates[0];
  if (chosen === undefined) return candidates;
  for (const entry of procRank.slice(1)) {
    const intent = chosen.intent === 'out_of_scope' || SOCIAL.has(chosen.intent) ? 'ask_procedure' : chosen.intent;
    push(intent, entry.key, chosen.confidence * 0.8 * (entry.score / (topProc?.score ?? entry.score)));
  }
  const topIntentScore = intentRank[0]?.score ?? 1;
  for (const entry of intentRank) {
    const intent = entry.key as Intent;
    push(intent, SOCIAL.has(intent) ? null : procedure, chosen.confidence * 0.75 * Math.min(1, entry.score / topIntentScore));
  }
  if (topProc !== undefined && chosen.intent !== 'ask_procedure') push('ask_procedure', procedure, chosen.confidence * 0.6);
  if (procedure === 'complaint_petition' && chosen.intent !== 'complaint') push('complaint', procedure, chosen.confidence * 0.5);
  return candidates;
}

function classifySync(text: string, tables: CompiledTables): Classification {
  const { lang } = detectLanguage(text);
  const candidates = decide(text, tables);
  const chosen = candidates[0] ?? { intent: 'out_of_scope' as const, procedure: null, confidence: 0.1 };
  const seen = new Set([`${chosen.intent}|${chosen.procedure ?? ''}`]);
  const alternatives: IntentAlternative[] = [];
  for (const candidate of candidates.slice(1).sort((a, b) => b.confidence - a.confidence)) {
    const key = `${candidate.intent}|${candidate.procedure ?? ''}`;
    if (seen.has(key) || alternatives.length >= MAX_ALTERNATIVES) continue;
    seen.add(key);
    // An alternative never outranks the answer, whatever the heuristics above produced.
    alternatives.push({ ...candidate, confidence: clamp01(Math.min(candidate.confidence, chosen.confidence * 0.95)) });
  }
  return { intent: chosen.intent, procedure: chosen.procedure, lang, confidence: chosen.confidence, alternatives };
}

/** The rule-based IntentModel over `catalog`. Built-in terms for procedures the catalog lacks are ignored. */
export function createKeywordIntentModel(catalog: Catalog): IntentModel {
  const tables = compile(catalog);
  return {
    name: 'keyword',
    classify(text: string): Promise<Classification> {
      try {
        return Promise.resolve(classifySync(typeof text === 'string' ? text : String(text), tables));
      } catch {
        // The rules are total on strings; this keeps the port's promise that classify never rejects.
        return Promise.resolve({ intent: 'out_of_scope', procedure: null, lang: 'en', confidence: 0.1, alternatives: [] });
      }
    },
  };
}
