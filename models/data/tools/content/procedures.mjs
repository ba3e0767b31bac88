// Ways citizens name each of the 20 catalog procedures, per language. Hand-written.
//
// vi.vp / en.vp: verb phrases ("làm giấy khai sinh cho con", "register our marriage"); in Vietnamese
//   a verb phrase also works as a topic ("làm sổ đỏ mất bao lâu").
// vi.np / en.np: noun phrases ("sổ đỏ", "a birth certificate").
// *.ctx: a situation that points at the procedure without naming it formally; used as a lead-in.
// ko.items: [noun phrase, verb] — the verb is conjugated by korean.mjs ("출생신고" + 하다 → "출생신고 하려면").
// Vietnamese text is written with diacritics; the generator folds about half of it.

export const PROCEDURES = {
  birth_registration: {
    vi: {
      vp: ['làm giấy khai sinh cho con', 'đăng ký khai sinh', 'làm khai sinh cho bé', 'khai sinh cho con', 'làm giấy khai sanh cho em bé',
        'đăng ký khai sinh cho cháu', 'làm khai sinh cho đứa nhỏ', 'đi khai sinh cho con', 'làm giấy khai sinh cho bé mới sinh',
        'khai sinh cho con mới đẻ', 'làm khai sanh cho thằng cu', 'đăng ký khai sinh cho con gái'],
      np: ['giấy khai sinh', 'khai sinh', 'đăng ký khai sinh', 'giấy khai sinh cho con', 'thủ tục khai sinh', 'khai sanh', 'giấy khai sinh cho bé'],
      ctx: ['vợ {I} mới sanh', 'bé nhà {I} mới đầy tháng', 'con {I} mới sinh được hai tuần', 'nhà {I} mới có em bé', 'vợ {I} mới sinh bé thứ hai',
        'con gái {I} mới sanh cháu ngoại'],
    },
    en: {
      topic: ['birth registration', 'birth certificate', 'newborn registration'],
      vp: ["register my baby's birth", 'get a birth certificate for my daughter', 'register our newborn', 'do the birth registration',
        'register the birth of our son', 'get my baby a birth certificate', 'register a birth', 'get a birth certificate for our little one',
        'file the birth registration for my kid'],
      np: ['a birth certificate', 'birth registration', 'the birth certificate for our baby', 'a birth certificate for my newborn',
        'newborn registration', "my son's birth certificate"],
      ctx: ['we just had a baby', 'our son was born two weeks ago', 'my partner gave birth last month', 'we have a newborn daughter',
        'my wife delivered our second child on Sunday'],
    },
    ko: {
      items: [['출생신고', '하다'], ['아기 출생신고', '하다'], ['출생 등록', '하다'], ['출생증명서', '받다'], ['아이 출생증명서', '만들다'],
        ['신생아 출생 등록', '하다'], ['khai sinh', '하다'], ['giấy khai sinh', '받다'], ['딸 출생신고', '하다']],
      ctx: ['아기가 태어났는데', '얼마 전에 애기를 낳았는데', '둘째가 태어나서', '우리 아들이 지난달에 태어났는데', '딸이 이번 주에 태어나서'],
    },
  },
  marriage_registration: {
    vi: {
      vp: ['đăng ký kết hôn', 'làm giấy kết hôn', 'làm giấy đăng ký kết hôn', 'làm hôn thú', 'làm giấy hôn thú', 'đăng ký kết hôn với người nước ngoài',
        'đi đăng ký kết hôn', 'làm giấy cưới', 'đăng ký kết hôn cho hai đứa', 'làm đăng ký kết hôn với người Hàn'],
      np: ['giấy kết hôn', 'giấy đăng ký kết hôn', 'hôn thú', 'đăng ký kết hôn', 'giấy hôn thú', 'thủ tục kết hôn', 'giấy cưới', 'kết hôn với người nước ngoài'],
      ctx: ['{I} sắp cưới', '{I} với bạn gái tính cưới cuối năm', 'con gái {I} sắp lấy chồng Hàn', 'con trai {I} chuẩn bị cưới vợ', 'nhà {I} mới làm đám cưới',
        'em gái {I} sắp lấy chồng'],
    },
    en: {
      topic: ['marriage registration', 'marriage certificate', 'marriage'],
      vp: ['register our marriage', 'get a marriage certificate', 'get married here', 'register a marriage with a Vietnamese citizen',
        'make our marriage official', 'do the marriage registration', 'legally marry my fiancée', 'get our marriage registered'],
      np: ['a marriage certificate', 'marriage registration', 'the marriage certificate', 'registering a marriage', 'a marriage licence'],
      ctx: ['my fiancée and I are getting married', "we're engaged", "I'm marrying a Vietnamese man", 'we got married in a church but not legally',
        'my partner and I want to tie the knot'],
    },
    ko: {
      items: [['혼인신고', '하다'], ['결혼 신고', '하다'], ['국제결혼 신고', '하다'], ['혼인 등록', '하다'], ['결혼증명서', '받다'],
        ['kết hôn 등록', '하다'], ['베트남 혼인신고', '하다'], ['혼인 신고', '하다']],
      ctx: ['베트남 사람이랑 결혼하게 돼서', '여자친구랑 곧 결혼하는데', '다음 달에 결혼식을 하는데', '베트남 남자친구랑 결혼 날짜를 잡아서'],
    },
  },
  death_registration: {
    vi: {
      vp: ['làm giấy khai tử', 'đăng ký khai tử', 'khai tử cho người thân', 'báo tử', 'làm giấy chứng tử', 'khai tử cho ba', 'khai tử cho bà nội',
        'làm khai tử cho người nhà', 'làm giấy báo tử cho ông', 'khai tử cho má'],
      np: ['giấy khai tử', 'khai tử', 'giấy chứng tử', 'đăng ký khai tử', 'thủ tục khai tử', 'trích lục khai tử bản chính'],
      ctx: ['ông ngoại {I} mới mất', 'má {I} mới qua đời', 'nhà {I} có người mất', 'ba chồng {I} mới mất tuần rồi', 'cậu {I} mất ở nhà',
        'bà nội {I} vừa mất hôm kia'],
    },
    en: {
      topic: ['death registration', 'death certificate'],
      vp: ['register a death', 'get a death certificate', 'report a death in the family', "register my grandfather's death",
        'do the death registration', 'report my father-in-law passing away', 'register the death of my mother'],
      np: ['a death certificate', 'death registration', 'the death certificate for my mother', 'registering a death'],
      ctx: ['my father passed away last week', "my husband's grandmother died", 'someone in our family passed away', 'my uncle died at home',
        'my mother-in-law passed away on Monday'],
    },
    ko: {
      items: [['사망신고', '하다'], ['사망 등록', '하다'], ['사망증명서', '받다'], ['가족 사망 신고', '하다'], ['khai tử', '하다'],
        ['아버지 사망신고', '하다'], ['사망 신고', '하다']],
      ctx: ['아버지가 돌아가셔서', '시어머니가 지난주에 돌아가셨는데', '가족 중에 돌아가신 분이 있어서', '처할머니께서 돌아가셔서'],
    },
  },
  marital_status_certificate: {
    vi: {
      vp: ['xin giấy xác nhận độc thân', 'xin giấy độc thân', 'làm giấy xác nhận tình trạng hôn nhân', 'xác nhận độc thân',
        'xin xác nhận tình trạng hôn nhân', 'làm giấy độc thân để đi kết hôn', 'xin giấy chứng nhận độc thân', 'làm giấy độc thân'],
      np: ['giấy độc thân', 'giấy xác nhận tình trạng hôn nhân', 'giấy xác nhận độc thân', 'xác nhận tình trạng hôn nhân', 'giấy chứng nhận độc thân'],
      ctx: ['{I} cần giấy chứng minh chưa lập gia đình', '{I} sắp đăng ký kết hôn bên Hàn', 'công ty bên Nhật yêu cầu giấy chưa kết hôn',
        '{I} đã ly hôn mấy năm nay'],
    },
    en: {
      topic: ['single status certificate', 'marital status certificate', 'single status'],
      vp: ['get a certificate of single status', "prove I'm not married", 'get a marital status certificate', 'get a single status certificate',
        "get a paper saying I'm single", 'obtain proof that I am not married'],
      np: ['a certificate of single status', 'a marital status certificate', 'a single status certificate', 'proof of single status',
        "a certificate saying I'm unmarried"],
      ctx: ["I'm getting married abroad and need proof I'm single", 'my embassy asked for proof that I am unmarried',
        'the bank wants proof that I am single'],
    },
    ko: {
      items: [['미혼 증명서', '받다'], ['독신 증명서', '떼다'], ['혼인 상태 확인서', '받다'], ['미혼 확인서', '떼다'], ['giấy độc thân', '받다'],
        ['혼인관계 증명', '받다'], ['싱글 증명서', '받다']],
      ctx: ['한국에서 혼인 절차를 밟으려면', '약혼녀가 베트남 사람인데', '결혼 비자 서류 때문에'],
    },
  },
  civil_status_extract_copy: {
    vi: {
      vp: ['xin bản sao giấy khai sinh', 'xin trích lục khai sinh', 'làm lại bản sao khai sinh', 'xin trích lục kết hôn',
        'xin bản sao trích lục hộ tịch', 'cấp lại bản sao giấy khai sinh', 'xin thêm bản sao giấy kết hôn', 'xin trích lục khai tử',
        'xin lại bản sao khai sinh từ sổ gốc'],
      np: ['bản sao giấy khai sinh', 'trích lục khai sinh', 'trích lục kết hôn', 'bản sao trích lục', 'bản trích lục hộ tịch',
        'bản sao giấy đăng ký kết hôn'],
      ctx: ['giấy khai sinh gốc của {I} bị ướt hết', 'hồ sơ đi học của con cần bản sao khai sinh', '{I} làm thất lạc giấy kết hôn',
        'giấy khai sinh của {I} bị chuột cắn'],
    },
    en: {
      topic: ['birth certificate copy', 'civil status extract', 'marriage certificate copy', 'certificate reissue'],
      vp: ['get a copy of my birth certificate', 'get a new copy of my birth certificate', 'get an extract of our marriage record',
        'request a copy of my marriage certificate', 'get a certified extract of a birth record', 'replace a lost birth certificate',
        'get a duplicate of our marriage certificate'],
      np: ['a copy of my birth certificate', 'a birth certificate extract', 'a copy of our marriage certificate', 'a civil status extract',
        'a reissued birth certificate'],
      ctx: ['I lost my original birth certificate', 'the school needs an official birth certificate copy',
        'my marriage certificate got damaged in a flood'],
    },
    ko: {
      items: [['출생증명서 사본', '받다'], ['출생증명서 재발급', '받다'], ['혼인증명서 사본', '떼다'], ['신분등록 발췌본', '받다'],
        ['trích lục khai sinh', '떼다'], ['출생 기록 발췌본', '떼다'], ['혼인증명서 재발급', '받다']],
      ctx: ['출생증명서 원본을 잃어버려서', '혼인증명서가 물에 젖어서', '이사하다가 결혼 서류를 잃어버려서'],
    },
  },
  paternity_recognition: {
    vi: {
      vp: ['làm thủ tục nhận con', 'nhận cha cho con', 'đăng ký nhận cha con', 'nhận con ngoài giá thú', 'làm giấy nhận cha con',
        'đăng ký nhận mẹ con', 'khai sinh kèm nhận cha', 'làm thủ tục nhận cha mẹ con', 'nhận con cho ông xã'],
      np: ['thủ tục nhận cha con', 'nhận cha mẹ con', 'giấy nhận con', 'đăng ký nhận cha, mẹ, con', 'nhận con'],
      ctx: ['vợ chồng {I} có con trước khi cưới', 'ba của bé muốn nhận con', 'khai sinh của con {I} để trống phần cha',
        'thằng nhỏ sinh ra lúc ba má nó chưa đăng ký kết hôn'],
    },
    en: {
      topic: ['paternity recognition', 'paternity', 'father-child recognition'],
      vp: ['acknowledge paternity', 'recognise my child officially', 'add the father to the birth record', 'register as the father of my son',
        'do a parent-child recognition', "be recognised as the child's father", 'get my paternity officially recognised'],
      np: ['paternity recognition', 'a paternity acknowledgement', 'parent-child recognition', 'father-child recognition'],
      ctx: ['my son was born before we married', "the father isn't on my daughter's birth record", 'our baby was born before the wedding'],
    },
    ko: {
      items: [['친자 인지 신고', '하다'], ['아버지 인지 신고', '하다'], ['자녀 인지', '하다'], ['친자 관계 등록', '하다'], ['nhận con 신고', '하다'],
        ['친부 인정', '받다']],
      ctx: ['결혼 전에 아이가 태어나서', '아이 출생 기록에 제 이름이 없어서', '혼인신고 전에 딸이 생겨서'],
    },
  },
  civil_status_correction: {
    vi: {
      vp: ['sửa giấy khai sinh', 'đổi tên cho con', 'sửa sai tên trong giấy khai sinh', 'sửa ngày sinh trong khai sinh', 'cải chính hộ tịch',
        'bổ sung thông tin hộ tịch', 'xác định lại dân tộc', 'đổi họ cho con', 'sửa năm sinh trong giấy khai sinh', 'thay đổi họ tên',
        'sửa chữ lót trong khai sinh'],
      np: ['cải chính hộ tịch', 'thủ tục đổi tên', 'sửa sai thông tin hộ tịch', 'thay đổi, cải chính hộ tịch', 'đổi tên'],
      ctx: ['giấy khai sinh {I} ghi sai chữ lót', 'tên con {I} bị viết sai một chữ', 'khai sinh ba {I} ghi nhầm năm sinh',
        'giấy tờ của {I} ghi sai quê quán'],
    },
    en: {
      topic: ['name change', 'record correction', 'birth certificate correction'],
      vp: ['correct my birth certificate', 'change my name', 'fix a mistake on my papers', 'correct the date of birth on my records',
        "change my son's surname", 'update the ethnicity on a birth record', 'fix a typo on our marriage record'],
      np: ['a name change', 'a correction to my birth record', 'civil status correction', 'a birth certificate correction'],
      ctx: ["there's a typo in my daughter's birth record", "the birth year on my mum's record is wrong", 'my middle name is missing from my papers'],
    },
    ko: {
      items: [['이름 변경', '하다'], ['출생증명서 정정', '하다'], ['서류 오류 수정', '하다'], ['신분등록 정정', '신청하다'], ['개명 신청', '하다'],
        ['생년월일 정정', '하다']],
      ctx: ['출생증명서에 이름이 잘못 적혀서', '아내 서류에 생일이 다르게 나와서', '아이 이름 한 글자가 틀려서'],
    },
  },
  copy_certification: {
    vi: {
      vp: ['công chứng giấy tờ', 'sao y bản chính', 'photo công chứng', 'sao y giấy tờ', 'chứng thực bản sao', 'công chứng bằng đại học',
        'công chứng học bạ', 'chứng thực bản sao căn cước', 'photo công chứng hộ chiếu', 'công chứng mấy bản photo', 'sao y bằng tốt nghiệp'],
      np: ['bản sao y', 'bản sao công chứng', 'chứng thực bản sao từ bản chính', 'sao y bản chính', 'photo công chứng'],
      ctx: ['{I} nộp hồ sơ xin việc cần bản sao có chứng thực', 'trường yêu cầu bằng tốt nghiệp có công chứng', 'công ty bắt nộp bản sao y hộ chiếu'],
    },
    en: {
      topic: ['certified copy', 'copy certification', 'notarization'],
      vp: ['notarize a copy', 'get certified copies of my documents', 'get a certified true copy', 'certify copies of my passport',
        'notarise my diploma copies', 'get some photocopies certified', 'have my degree copies certified'],
      np: ['certified copies', 'a certified copy', 'copy certification', 'a notarized copy', 'true copies of my papers'],
      ctx: ['my employer wants certified copies of my degree', 'the school needs notarized copies of our passports'],
    },
    ko: {
      items: [['사본 공증', '받다'], ['원본 대조 인증', '받다'], ['서류 사본 인증', '받다'], ['여권 사본 공증', '하다'], ['졸업장 사본 공증', '받다'],
        ['công chứng', '하다'], ['photo công chứng', '하다']],
      ctx: ['회사에서 공증된 사본을 달래서', '학교에 낼 서류 복사본이 있는데', '비자 서류에 인증 사본이 필요해서'],
    },
  },
  signature_certification: {
    vi: {
      vp: ['chứng thực chữ ký', 'công chứng chữ ký', 'xác nhận chữ ký', 'chứng thực điểm chỉ', 'công chứng bản dịch', 'chứng thực chữ ký người dịch',
        'chứng thực chữ ký trên giấy cam kết', 'xác nhận chữ ký trên đơn'],
      np: ['chứng thực chữ ký', 'xác nhận chữ ký', 'công chứng bản dịch', 'chứng thực chữ ký người dịch thuật', 'xác nhận chữ ký trên giấy ủy quyền'],
      ctx: ['{I} cần ký giấy đồng ý cho con xuất cảnh', 'bên ngân hàng nước ngoài cần xác nhận chữ ký', '{I} có bản dịch tiếng Anh cần đóng dấu'],
    },
    en: {
      topic: ['signature certification', 'translation certification', 'signature witnessing'],
      vp: ['certify my signature', 'notarize a signature', 'certify a translation', 'get my signature witnessed',
        "get a translator's signature certified", 'authenticate my signature on a letter'],
      np: ['signature certification', 'a certified signature', 'a certified translation', 'signature witnessing'],
      ctx: ['a bank abroad needs my signature verified', 'I signed a consent letter for my kid to travel'],
    },
    ko: {
      items: [['서명 공증', '받다'], ['번역 공증', '받다'], ['번역문 인증', '받다'], ['서명 인증', '받다'], ['사인 공증', '하다'],
        ['chứng thực chữ ký', '하다']],
      ctx: ['위임 동의서에 사인했는데', '번역한 서류가 있는데', '해외 송금 서류에 서명이 필요해서'],
    },
  },
  contract_certification: {
    vi: {
      vp: ['công chứng hợp đồng', 'chứng thực hợp đồng mua bán nhà đất', 'chứng thực hợp đồng tặng cho', 'làm hợp đồng thế chấp',
        'chứng thực giấy ủy quyền', 'chứng thực hợp đồng ủy quyền', 'công chứng hợp đồng mua bán xe', 'chứng thực văn bản chia di sản',
        'chứng thực hợp đồng cho thuê nhà', 'làm giấy ủy quyền'],
      np: ['chứng thực hợp đồng', 'hợp đồng ủy quyền', 'hợp đồng mua bán nhà', 'hợp đồng tặng cho', 'giấy ủy quyền'],
      ctx: ['{I} bán chiếc xe máy cho bạn', 'ba má {I} tính cho đất thằng út', '{I} đi nước ngoài lâu nên muốn ủy quyền cho người nhà',
        'hai bên thỏa thuận mua bán căn nhà rồi'],
    },
    en: {
      topic: ['contract certification', 'power of attorney', 'contract notarization'],
      vp: ['notarize a contract', 'certify a house sale contract', 'certify a gift of land', 'certify a power of attorney',
        'get a rental agreement certified', 'certify a sales agreement for my motorbike'],
      np: ['contract certification', 'a certified contract', 'a power of attorney', 'a gift contract', 'a sale contract'],
      ctx: ["I'm selling my motorbike to a friend", 'my in-laws are giving us their flat', "I'll be abroad for months and my wife will handle things"],
    },
    ko: {
      items: [['계약서 공증', '받다'], ['부동산 계약 인증', '받다'], ['증여 계약 인증', '받다'], ['위임장 공증', '하다'],
        ['오토바이 매매 계약 공증', '하다'], ['hợp đồng 공증', '하다']],
      ctx: ['집을 팔게 돼서', '오토바이를 친구한테 팔려고 하는데', '한동안 한국에 가 있어야 해서'],
    },
  },
  permanent_residence: {
    vi: {
      vp: ['nhập hộ khẩu', 'đăng ký hộ khẩu', 'chuyển hộ khẩu', 'làm hộ khẩu', 'làm hộ khẩu cho con', 'đăng ký thường trú', 'nhập khẩu cho vợ',
        'chuyển hộ khẩu về nhà mới', 'tách hộ khẩu', 'nhập hộ khẩu cho con', 'đăng ký thường trú cho má'],
      np: ['hộ khẩu', 'thường trú', 'đăng ký thường trú', 'hộ khẩu thường trú', 'thủ tục nhập khẩu'],
      ctx: ['nhà {I} mới mua căn hộ ở phường này', '{I} mới cưới vợ quê Cần Thơ', 'ba má {I} dưới quê lên ở luôn với {I}'],
    },
    en: {
      topic: ['household registration', 'permanent residence', 'hộ khẩu'],
      vp: ['register my permanent address', 'move my household registration', 'do the household registration', 'register permanent residence',
        'add my son to our household registration', 'transfer our hộ khẩu here'],
      np: ['household registration', 'permanent residence registration', 'the hộ khẩu', 'a permanent address registration'],
      ctx: ['we bought a flat in this ward', 'my mother-in-law is moving in with us for good'],
    },
    ko: {
      items: [['전입신고', '하다'], ['호구 등록', '하다'], ['주소 이전 등록', '하다'], ['상주 거주지 등록', '하다'], ['hộ khẩu 등록', '하다'],
        ['상주 등록', '하다']],
      ctx: ['이 동네로 집을 사서 이사 왔는데', '장모님이 저희랑 같이 살게 돼서'],
    },
  },
  temporary_residence: {
    vi: {
      vp: ['khai báo tạm trú', 'làm tạm trú', 'gia hạn tạm trú', 'làm KT3', 'khai báo tạm trú cho người nước ngoài', 'đăng ký tạm trú',
        'đăng ký tạm trú cho người thuê', 'khai tạm trú cho công nhân', 'làm giấy tạm trú'],
      np: ['tạm trú', 'giấy tạm trú', 'đăng ký tạm trú', 'sổ tạm trú', 'KT3', 'xác nhận tạm trú'],
      ctx: ['{I} mới dọn về phòng trọ', 'nhà {I} cho người nước ngoài thuê', '{I} từ quê lên thành phố đi học', '{I} mới chuyển qua ở nhà thuê'],
    },
    en: {
      topic: ['temporary residence', 'tạm trú', 'residence registration'],
      vp: ['register where I am staying', 'extend my temporary residence', 'register temporary residence for a foreign guest', 'register my stay',
        'do the temporary residence registration', 'register my tenants', 'renew my temporary residence'],
      np: ['temporary residence registration', 'a temporary residence confirmation', 'the tạm trú', 'a temporary residence extension'],
      ctx: ['I just moved into a rented flat', 'I rent out a room to two foreigners', 'my lease started last week'],
    },
    ko: {
      items: [['임시 거주 신고', '하다'], ['거주 신고 연장', '하다'], ['외국인 임시 거주 신고', '하다'], ['임시거주 등록', '하다'],
        ['tạm trú 신고', '하다'], ['떰쭈 신고', '하다']],
      ctx: ['새 아파트로 이사했는데', '집주인이 등록하라고 해서', '월세 계약을 새로 해서'],
    },
  },
  id_card: {
    vi: {
      vp: ['làm căn cước', 'làm CCCD', 'đổi căn cước', 'làm lại căn cước bị mất', 'làm chứng minh nhân dân', 'làm căn cước cho con',
        'cấp đổi thẻ căn cước', 'làm căn cước gắn chip', 'cấp lại căn cước', 'đổi chứng minh qua căn cước'],
      np: ['căn cước', 'thẻ căn cước', 'CCCD', 'căn cước công dân', 'chứng minh nhân dân', 'căn cước gắn chip'],
      ctx: ['căn cước của {I} bị gãy đôi', '{I} mới đổi địa chỉ', 'con {I} đủ 14 tuổi rồi', '{I} làm rớt cái bóp mất hết giấy tờ'],
    },
    en: {
      topic: ['ID card', 'citizen ID', 'CCCD'],
      vp: ['get an ID card', 'get a citizen ID', 'renew my ID card', 'replace a lost ID card', 'get a chip ID card for my daughter',
        'apply for a citizen identity card', "renew my wife's citizen ID"],
      np: ['an ID card', 'a citizen ID card', 'the căn cước', 'an identity card', 'a new ID card', 'the CCCD'],
      ctx: ['my wife lost her wallet with all her cards', "my mother-in-law's card is about to expire"],
    },
    ko: {
      items: [['신분증 발급', '받다'], ['신분증 재발급', '받다'], ['베트남 신분증', '만들다'], ['căn cước', '만들다'], ['CCCD', '발급받다'],
        ['시민 신분증 교체', '하다']],
      ctx: ['아내가 지갑을 잃어버려서', '시어머니 신분증이 만료돼서', '처남이 열네 살이 돼서'],
    },
  },
  household_business_registration: {
    vi: {
      vp: ['đăng ký kinh doanh', 'làm giấy phép kinh doanh', 'mở hộ kinh doanh', 'đăng ký hộ kinh doanh', 'làm giấy phép buôn bán',
        'đóng cửa hộ kinh doanh', 'đăng ký kinh doanh quán cà phê', 'đăng ký kinh doanh tiệm tạp hóa', 'tạm ngưng hộ kinh doanh'],
      np: ['giấy phép kinh doanh', 'hộ kinh doanh', 'đăng ký kinh doanh hộ cá thể', 'giấy phép buôn bán', 'đăng ký kinh doanh'],
      ctx: ['{I} tính mở quán bún bò nhỏ', 'má {I} bán tạp hóa ở nhà', '{I} muốn mở tiệm sửa xe', 'vợ chồng {I} mở tiệm bánh ngọt'],
    },
    en: {
      topic: ['business license', 'household business', 'business registration'],
      vp: ['register a small business', 'get a business license', 'open a shop', 'register a household business', 'close my household business',
        'get a licence for my food stall', 'register our family bakery'],
      np: ['a business license', 'household business registration', 'a licence for a small shop', 'a household business licence'],
      ctx: ["I'm opening a little bánh mì stand", 'my wife wants to run a nail salon from home'],
    },
    ko: {
      items: [['사업자 등록', '하다'], ['개인 사업자 등록', '하다'], ['영업 허가', '받다'], ['가게 사업자 등록', '하다'],
        ['hộ kinh doanh 등록', '하다'], ['가계 사업자 등록', '하다']],
      ctx: ['작은 카페를 열려고 하는데', '아내가 네일샵을 차리려고 해서', '한식 도시락 가게를 하려고 하는데'],
    },
  },
  land_certificate: {
    vi: {
      vp: ['làm sổ đỏ', 'làm sổ hồng', 'cấp sổ lần đầu', 'xin cấp sổ đỏ', 'làm giấy chứng nhận quyền sử dụng đất', 'làm sổ cho miếng đất',
        'đăng ký đất đai lần đầu', 'ra sổ hồng', 'xin cấp sổ hồng lần đầu'],
      np: ['sổ đỏ', 'sổ hồng', 'giấy chứng nhận quyền sử dụng đất', 'sổ đỏ lần đầu', 'giấy chủ quyền nhà đất'],
      ctx: ['miếng đất nhà {I} chưa có sổ', 'nhà {I} ở từ năm 90 mà chưa có giấy tờ', 'đất ông bà khai phá hồi xưa chưa có sổ'],
    },
    en: {
      topic: ['red book', 'land title', 'land certificate'],
      vp: ['get a red book', 'get a land title', 'get a land use right certificate', 'apply for a pink book', 'register land for the first time',
        'get the first sổ đỏ for our land'],
      np: ['a red book', 'a land title', 'a land use right certificate', 'the sổ đỏ', 'a pink book', 'a first land title'],
      ctx: ["my wife's family land has never had a title", 'our house has no ownership papers yet'],
    },
    ko: {
      items: [['레드북 발급', '받다'], ['토지 증서', '받다'], ['토지 소유 증명서', '만들다'], ['토지사용권 증명서', '받다'], ['sổ đỏ', '만들다'],
        ['sổ hồng', '받다'], ['핑크북', '받다']],
      ctx: ['처가 땅에 아직 증서가 없어서', '오래 산 집인데 소유 서류가 없어서'],
    },
  },
  land_change_registration: {
    vi: {
      vp: ['sang tên sổ đỏ', 'sang tên nhà đất', 'chuyển nhượng đất', 'đăng ký thừa kế đất', 'tặng cho nhà đất', 'sang tên sổ hồng',
        'tách thửa', 'đăng ký biến động đất đai', 'sang tên nhà cho con', 'sang tên sổ hồng qua vợ'],
      np: ['sang tên sổ đỏ', 'biến động đất đai', 'chuyển nhượng quyền sử dụng đất', 'thừa kế nhà đất', 'sang tên sổ hồng'],
      ctx: ['{I} mới mua miếng đất', 'ba má {I} để lại căn nhà', 'ông bà cho {I} miếng đất', '{I} mới sang lại căn nhà của người quen'],
    },
    en: {
      topic: ['land transfer', 'title transfer', 'sổ đỏ transfer'],
      vp: ['transfer a land title', 'change the name on the red book', 'register inherited land', 'transfer the pink book after a sale',
        'put the land in my name', 'register a gift of land', 'transfer the sổ đỏ'],
      np: ['a land title transfer', 'a change of owner on the red book', 'transfer of ownership', 'a sổ đỏ transfer'],
      ctx: ['we bought a plot last month', "my wife inherited her parents' house"],
    },
    ko: {
      items: [['토지 명의 이전', '하다'], ['부동산 명의 변경', '하다'], ['토지 상속 등록', '하다'], ['sang tên sổ đỏ', '하다'],
        ['레드북 명의 변경', '하다'], ['증여 토지 등록', '하다']],
      ctx: ['집을 새로 샀는데', '장인어른 땅을 물려받아서', '처가에서 집을 증여받아서'],
    },
  },
  construction_permit: {
    vi: {
      vp: ['xin phép xây nhà', 'xin giấy phép xây dựng', 'xin phép sửa nhà', 'làm giấy phép xây dựng', 'xin phép nâng tầng', 'xin phép cơi nới nhà',
        'xin phép xây lại nhà', 'xin phép đổ thêm tầng'],
      np: ['giấy phép xây dựng', 'giấy phép sửa chữa nhà', 'phép xây dựng', 'giấy phép xây nhà'],
      ctx: ['nhà {I} tính đổ thêm tầng lửng', '{I} mới mua đất trống muốn cất nhà', 'mái nhà {I} dột quá muốn làm lại hết'],
    },
    en: {
      topic: ['building permit', 'construction permit', 'renovation permit'],
      vp: ['get a building permit', 'apply for a permit to build a house', 'get a renovation permit', 'get permission to add a floor',
        'apply for a construction permit'],
      np: ['a building permit', 'a renovation permit', 'a construction permit', 'a permit to build a house'],
      ctx: ["we're planning to add a third floor", 'we bought an empty lot to build on'],
    },
    ko: {
      items: [['건축 허가', '받다'], ['주택 신축 허가', '받다'], ['집 수리 허가', '받다'], ['건축허가', '신청하다'], ['giấy phép xây dựng', '받다'],
        ['증축 허가', '받다']],
      ctx: ['집을 새로 지으려고 하는데', '옥상에 방을 하나 올리려고 하는데'],
    },
  },
  social_allowance: {
    vi: {
      vp: ['làm trợ cấp người khuyết tật', 'xin trợ cấp người già', 'làm hồ sơ tiền bảo trợ xã hội', 'xin trợ cấp hàng tháng',
        'đăng ký trợ cấp xã hội', 'xin trợ cấp cho ông nội', 'làm trợ cấp hưu trí xã hội'],
      np: ['trợ cấp xã hội', 'tiền bảo trợ xã hội', 'trợ cấp người khuyết tật', 'trợ cấp hàng tháng', 'trợ cấp người cao tuổi'],
      ctx: ['má {I} năm nay tám mốt tuổi rồi', 'con {I} bị khuyết tật vận động', 'ông ngoại {I} không có lương hưu'],
    },
    en: {
      topic: ['social allowance', 'disability allowance', 'welfare'],
      vp: ['apply for a disability allowance', 'get a welfare benefit', 'apply for the pension for older people',
        'get social assistance for my grandmother', 'sign up for the monthly allowance'],
      np: ['a disability allowance', 'welfare benefits', 'the social pension', 'social assistance', 'the monthly allowance'],
      ctx: ["my wife's grandmother is 85 and has no income", 'our daughter has a disability'],
    },
    ko: {
      items: [['장애인 수당', '신청하다'], ['노인 수당', '받다'], ['복지 수당', '신청하다'], ['사회 보조금', '받다'], ['trợ cấp', '신청하다'],
        ['사회연금', '신청하다']],
      ctx: ['장모님이 여든이 넘으셔서', '처제가 장애가 있어서'],
    },
  },
  health_insurance: {
    vi: {
      vp: ['làm thẻ bảo hiểm y tế', 'làm thẻ BHYT', 'làm bảo hiểm y tế', 'mua bảo hiểm y tế cho con', 'gia hạn thẻ BHYT', 'cấp lại thẻ bảo hiểm y tế',
        'mua bảo hiểm y tế hộ gia đình', 'làm bảo hiểm y tế cho má'],
      np: ['thẻ bảo hiểm y tế', 'BHYT', 'bảo hiểm y tế', 'thẻ BHYT cho bé', 'bảo hiểm y tế hộ gia đình'],
      ctx: ['thẻ bảo hiểm của ba {I} hết hạn tháng rồi', 'con {I} mới vô lớp một', '{I} nghỉ làm công ty rồi'],
    },
    en: {
      topic: ['health insurance', 'BHYT', 'health insurance card'],
      vp: ['get a health insurance card', 'buy medical insurance', 'renew a health insurance card', 'get health insurance for my family',
        'register my baby for health insurance'],
      np: ['a health insurance card', 'medical insurance', 'the BHYT card', 'health insurance', 'state health insurance'],
      ctx: ["my in-laws' insurance cards expired", 'I stopped working for my company last month'],
    },
    ko: {
      items: [['건강보험 카드', '만들다'], ['의료보험', '가입하다'], ['건강보험', '가입하다'], ['건강보험증', '발급받다'], ['BHYT', '가입하다'],
        ['bảo hiểm y tế', '가입하다']],
      ctx: ['아이가 어린이집에 다니게 돼서', '장인 장모님 보험이 끝나서'],
    },
  },
  complaint_petition: {
    vi: {
      vp: ['nộp đơn khiếu nại', 'gửi đơn kiến nghị', 'tố cáo', 'phản ánh', 'gặp cán bộ tiếp dân', 'làm đơn phản ánh', 'gửi đơn tố cáo',
        'khiếu nại quyết định của phường'],
      np: ['đơn khiếu nại', 'đơn kiến nghị', 'đơn tố cáo', 'đơn phản ánh', 'khiếu nại'],
      ctx: ['hàng xóm xây lấn qua nhà {I}', 'hẻm nhà {I} bị lấn chiếm', 'công trình kế bên làm ồn ban đêm', 'cống đầu hẻm bị nghẹt cả tháng'],
    },
    en: {
      topic: ['complaints', 'petitions', 'complaint'],
      vp: ['file a complaint', 'make a petition', 'report a problem to the ward', 'submit a complaint about my neighbour', 'lodge a grievance'],
      np: ['a formal complaint', 'a petition', 'a complaint form', 'a report about illegal construction'],
      ctx: ['the construction site next door works all night', 'someone is blocking our alley with their shop'],
    },
    ko: {
      items: [['민원 제기', '하다'], ['진정서', '제출하다'], ['불만 신고', '하다'], ['민원', '넣다'], ['고발', '하다'], ['건의', '하다']],
      ctx: ['옆 공사장이 밤새 시끄러워서', '골목에 불법 주차가 심해서'],
    },
  },
};

export const PROCEDURE_IDS = Object.keys(PROCEDURES);
