import { describe, expect, it } from 'vitest';
import { catalogFromProcedures, loadCatalog } from '../../src/civic/catalog.js';
import { MESSAGES, defaultCounterLabel, renderMessage, type MessageContext } from '../../src/messages/catalogue.js';
import type { Procedure } from '../../src/ports/catalog.js';
import { LANGS, type Lang } from '../../src/ports/common.js';
import type { MessageId, SpeakParams } from '../../statecharts/guide.types.js';

const catalog = loadCatalog();

function tri<T>(vi: T, en: T, ko: T): Readonly<Record<Lang, T>> {
  return { vi, en, ko };
}

/** Catalog entries the shipped catalog lacks: no documents, one, more than the ordinals; no fee; no name. */
function edgeProcedure(id: string, names: Readonly<Record<Lang, string>>, documents: readonly string[], fee: string, exemptions: readonly string[], time: string): Procedure {
  return {
    id,
    field: 'civil_status',
    codes: [],
    names,
    synonyms: tri([], [], []),
    documents: tri(documents, documents, documents),
    fee: { amountVnd: null, text: tri(fee, fee, fee), exemptions: tri(exemptions, exemptions, exemptions) },
    processingTime: { workingDays: null, text: tri(time, time, time) },
    online: false,
    idData: [],
    idCards: 1,
    legalBasis: ['-'],
    sources: [{ title: 'test' }],
    unconfirmed: [],
  };
}

const EDGE_NAMES = tri('Đăng ký thử', 'ID card test', '시험 등록');
const edgeCatalog = catalogFromProcedures([
  edgeProcedure('edge_empty', EDGE_NAMES, [], '', [], ''),
  edgeProcedure('edge_one', tri('thủ tục thử', 'the test procedure', '시험'), ['the application form'], 'Free', ['Children under 6.', 'VNeID users;', 'The elderly'], '3 working days'),
  edgeProcedure('edge_two', EDGE_NAMES, ['Form A.', 'ID copy'], '  50,000 VND  ', ['One.'], 'Same day!'),
  edgeProcedure(
    'edge_many',
    EDGE_NAMES,
    ['A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L'].map((letter) => `The document ${letter}`),
    'Varies',
    [],
    '',
  ),
  edgeProcedure('edge_nameless', tri('', '', ''), ['Form'], 'Free', [], '1 day'),
]);

/** The label functions the code and the tests use: the default, a custom one with Hangul endings, and a blank one. */
const CONTEXTS: Readonly<Record<string, MessageContext>> = {
  default: { catalog, counterLabel: defaultCounterLabel },
  custom: {
    catalog,
    counterLabel: (id: string, lang: Lang) =>
      id === 'desk' && lang === 'ko' ? '접수 데스크' : id === 'hall' ? '민원실' : defaultCounterLabel(id, lang),
  },
  blank: { catalog, counterLabel: () => '' },
};

/** Params as the controller and the other tests pass them, missing and odd ones included, with short names for the fixture. */
const COMMON_PARAMS: Readonly<Record<string, SpeakParams | undefined>> = {
  undefined: undefined,
  empty: {},
  blankProcedure: { procedureId: '' },
  unknownProcedure: { procedureId: 'no_such_procedure' },
  unknownProcedureAtCounter: { procedureId: 'no_such_procedure', counterId: 'counter-2' },
  blankCounterAndTicket: { counterId: '', ticketNumber: '  ' },
  counter2: { counterId: 'counter-2' },
  counter012: { counterId: 'counter-012' },
  receptionDesk: { counterId: 'reception-desk' },
  desk: { counterId: 'desk' },
  hall: { counterId: 'hall' },
  counter1: { counterId: 'counter-1' },
  ticket: { ticketNumber: '7' },
  ticketAtCounter: { ticketNumber: '12', counterId: 'counter-4' },
  untidyTicket: { ticketNumber: ' A 0042 ', counterId: 'counter-11' },
  operatorText: { text: '  Mời anh đi lối này.  ' },
  decomposedText: { text: '\u1100\u1161' },
  full: { procedureId: 'birth_registration', counterId: 'counter-3', ticketNumber: '1023', text: 'Xin mời anh/chị chờ một chút.' },
};

const PROCEDURE_MESSAGES: ReadonlySet<MessageId> = new Set(['answer.overview', 'answer.documents', 'answer.fee', 'answer.duration', 'answer.location']);

/**
 * Every message in every language with every param set and label function. Each text is written
 * once, with the names of the cases that produce it, so the fixture stays small enough to read.
 */
function renderAll(): Record<string, Record<string, string[]>> {
  const out: Record<string, Record<string, string[]>> = {};
  const ids = Object.keys(MESSAGES.en).sort() as MessageId[];
  for (const lang of LANGS) {
    for (const id of ids) {
      const cases: [string, SpeakParams | undefined, MessageContext][] = [];
      for (const [contextName, ctx] of Object.entries(CONTEXTS)) {
        for (const [name, params] of Object.entries(COMMON_PARAMS)) {
          // Only a counter is looked up through the label function.
          if (contextName === 'default' || params?.counterId !== undefined) cases.push([`${name}/${contextName}`, params, ctx]);
        }
      }
      if (PROCEDURE_MESSAGES.has(id)) {
        const edges: MessageContext = { catalog: edgeCatalog, counterLabel: defaultCounterLabel };
        for (const procedure of edgeCatalog.procedures()) {
          cases.push([procedure.id, { procedureId: procedure.id }, edges]);
          cases.push([`${procedure.id}@counter-5`, { procedureId: procedure.id, counterId: 'counter-5' }, edges]);
        }
        for (const procedure of catalog.procedures()) {
          cases.push([procedure.id, { procedureId: procedure.id }, CONTEXTS.default as MessageContext]);
          cases.push([`${procedure.id}@counter-5`, { procedureId: procedure.id, counterId: 'counter-5' }, CONTEXTS.default as MessageContext]);
        }
      }
      const byText: Record<string, string[]> = {};
      for (const [name, params, ctx] of cases) {
        const text = renderMessage(id, lang, params as SpeakParams, ctx);
        (byText[text] ??= []).push(name);
      }
      out[`${lang} ${id}`] = byText;
    }
  }
  return out;
}

describe('rendered messages', () => {
  it('match the pinned texts for every message, language and parameter combination', async () => {
    await expect(`${JSON.stringify(renderAll(), null, 1)}\n`).toMatchFileSnapshot('./fixtures/rendered.json');
  });
});
