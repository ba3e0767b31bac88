// Intent-neutral openers and closers, per language and intent, put around plain templates now and
// then ("dạ …", "Excuse me, …", "저기요, …"). A closer starts with its own space or comma.

const viAsk = { open: ['dạ', 'cho {I} hỏi', '{YOU} ơi', 'à', 'ủa'], close: [' ạ', ' {YOU}', ' vậy {YOU}', ' nha'] };
const viDo = { open: ['dạ', '{YOU} ơi', 'nè {YOU}'], close: [' nha', ' {YOU}', ' giùm', ' đi'] };
const enAsk = { open: ['Excuse me,', 'Sorry,', 'Um,', 'Quick question:', 'Hi,', 'So,', 'Hey robot,'], close: [] };
const enDo = { open: ['Excuse me,', 'Hi,', 'Okay,', 'Robot,', 'Sorry,'], close: [', please', ', thanks'] };
const koAsk = { open: ['저기요,', '죄송한데', '혹시', '근데', '저'], close: [] };
const koDo = { open: ['저기요,', '죄송한데', '로봇님,'], close: [' 부탁해요'] };

export const WRAP = {
  vi: {
    greet: { open: ['dạ', 'ờ', 'à'], close: [' nha', ' ạ'] },
    ask_procedure: { open: ['dạ', '{YOU} ơi'], close: [' ạ', ' nha'] },
    ask_documents: viAsk,
    ask_fee: viAsk,
    ask_duration: viAsk,
    ask_location: viAsk,
    request_escort: viDo,
    request_ticket: viDo,
    check_queue: { open: ['dạ', '{YOU} ơi', 'cho {I} hỏi', 'ủa'], close: [' {YOU}', ' vậy', ' ạ'] },
    scan_id: { open: ['dạ', '{YOU} ơi', 'nè'], close: [' nha', ' đi', ' ạ'] },
    affirm: { open: ['à', 'ờ', 'ừm'], close: [' nha', ' ạ', ' luôn'] },
    deny: { open: ['à', 'ờ', 'ừm', 'thôi'], close: [' nha', ' ạ', ' {YOU}'] },
    repeat: { open: ['dạ', 'ủa', 'xin lỗi', '{YOU} ơi'], close: [' {YOU}', ' ạ', ' nha'] },
    talk_to_staff: { open: ['dạ', '{YOU} ơi', 'thôi'], close: [' nha', ' {YOU}', ' ạ'] },
    change_language: { open: ['dạ', '{YOU} ơi', 'ủa'], close: [' nha', ' {YOU}'] },
    goodbye: { open: ['dạ', 'ờ', 'vậy', 'ok'], close: [' nha', ' ạ', ' {YOU}'] },
    complaint: { open: ['trời ơi', 'thiệt tình', 'ủa', 'nói thiệt'], close: [' đó', ' nha', ' thiệt'] },
    out_of_scope: { open: ['à', '{YOU} ơi', 'ủa', 'mà nè'], close: [' {YOU}', ' vậy'] },
  },
  en: {
    greet: { open: ['Oh,', 'Um,', 'Well,'], close: [' robot'] },
    ask_procedure: enAsk,
    ask_documents: enAsk,
    ask_fee: enAsk,
    ask_duration: enAsk,
    ask_location: enAsk,
    request_escort: enDo,
    request_ticket: enDo,
    check_queue: { open: ['Excuse me,', 'Sorry,', 'Hey,', 'Um,'], close: [] },
    scan_id: enDo,
    affirm: { open: ['Oh,', 'Um,', 'Well,', 'Hmm,'], close: [', thanks', ', please', ' then'] },
    deny: { open: ['Um,', 'Sorry,', 'Oh,', 'Well,'], close: [', sorry', ' then'] },
    repeat: { open: ['Sorry,', 'Excuse me,', 'Um,', 'Hey,'], close: [' please', ', robot'] },
    talk_to_staff: { open: ['Look,', 'Excuse me,', 'Okay,', 'Sorry,'], close: [', please', ' now'] },
    change_language: { open: ['Sorry,', 'Excuse me,', 'Hi,', 'Um,'], close: [', please', ', robot'] },
    goodbye: { open: ['OK,', 'Alright,', 'Great,', 'Perfect,'], close: [', robot'] },
    complaint: { open: ['Honestly,', 'Seriously,', 'Ugh,', 'Come on,'], close: [] },
    out_of_scope: { open: ['Hey,', 'By the way,', 'Robot,', 'Random question,'], close: [] },
  },
  ko: {
    greet: { open: ['아,', '어,'], close: [' 로봇님'] },
    ask_procedure: koAsk,
    ask_documents: koAsk,
    ask_fee: koAsk,
    ask_duration: koAsk,
    ask_location: koAsk,
    request_escort: koDo,
    request_ticket: koDo,
    check_queue: { open: ['저기요,', '혹시', '죄송한데'], close: [] },
    scan_id: { open: ['저기요,', '네,'], close: [' 부탁해요'] },
    affirm: { open: ['아,', '음,', '어,'], close: [] },
    deny: { open: ['음,', '아,', '아 근데'], close: [] },
    repeat: { open: ['죄송한데', '저기요,', '네?'], close: [' 부탁해요'] },
    talk_to_staff: { open: ['저기요,', '죄송한데', '그냥'], close: [' 부탁드려요'] },
    change_language: { open: ['저기요,', '죄송한데', '혹시'], close: [' 부탁해요'] },
    goodbye: { open: ['네,', '아,', '그럼'], close: [' 로봇님'] },
    complaint: { open: ['아 진짜', '정말', '아니'], close: [] },
    out_of_scope: { open: ['근데', '혹시', '그런데'], close: [] },
  },
};
