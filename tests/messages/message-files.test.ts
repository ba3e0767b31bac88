import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/civic/catalog.js';
import { DEFAULT_MESSAGES_DIR, MESSAGES, defaultCounterLabel, parseMessageFile, renderMessage, type MessageContext } from '../../src/messages/catalogue.js';
import { projectPath } from '../../src/paths.js';
import { LANGS } from '../../src/ports/common.js';
import type { MessageId, SpeakParams } from '../../statecharts/guide.types.js';

const EN_FILE = projectPath('src', 'messages', 'en.yaml');
const shipped = (lang: string): string => readFileSync(join(DEFAULT_MESSAGES_DIR, `${lang}.yaml`), 'utf8');

function failure(source: string, file = EN_FILE): string {
  try {
    parseMessageFile(file, source);
  } catch (error) {
    expect(error).toMatchObject({ name: 'TiepdanError', code: 'messages_invalid' });
    return (error as Error).message;
  }
  throw new Error('expected the file to be rejected');
}

/** The shipped English file with one single-line message's text replaced. */
function withMessage(id: 'escort.start' | 'goodbye', yaml: string): string {
  const line = new RegExp(`\\n {2}${id.replace('.', '\\.')}: .*`, 'u');
  expect(shipped('en')).toMatch(line);
  return shipped('en').replace(line, `\n  ${id}: ${yaml}`);
}

describe('shipped message files', () => {
  it('are valid, one per language', () => {
    for (const lang of LANGS) expect(() => parseMessageFile(join(DEFAULT_MESSAGES_DIR, `${lang}.yaml`), shipped(lang)), lang).not.toThrow();
  });

  it('give every message id a text in every language, with every placeholder filled', () => {
    const ctx: MessageContext = { catalog: loadCatalog(), counterLabel: defaultCounterLabel };
    const paramSets: readonly SpeakParams[] = [
      {},
      { procedureId: 'birth_registration', counterId: 'counter-3', ticketNumber: '1023', text: 'Mời anh đi lối này.' },
      ...ctx.catalog.procedures().map((procedure) => ({ procedureId: procedure.id })),
    ];
    const ids = Object.keys(MESSAGES.vi) as MessageId[];
    for (const lang of LANGS) {
      expect(Object.keys(MESSAGES[lang]).sort(), lang).toEqual([...ids].sort());
      for (const id of ids) {
        for (const params of paramSets) {
          const text = renderMessage(id, lang, params, ctx);
          expect(text, `${lang} ${id} ${JSON.stringify(params)}`).not.toMatch(/[{}]/u);
          if (id !== 'operator.text' || params.text !== undefined) expect(text.length, `${lang} ${id}`).toBeGreaterThan(0);
        }
      }
    }
  });

  it('leave an operator\'s braces as they were typed', () => {
    const ctx: MessageContext = { catalog: loadCatalog(), counterLabel: defaultCounterLabel };
    expect(renderMessage('operator.text', 'en', { text: 'Counter {counter} is closed.' }, ctx)).toBe('Counter {counter} is closed.');
  });
});

describe('parseMessageFile', () => {
  it('EXPECTED FAILURE - an unknown placeholder: names the file and the message id', () => {
    expect(failure(withMessage('escort.start', '"Please follow me to {countr}."'))).toBe(
      'tiepdan messages_invalid: src/messages/en.yaml: messages.escort.start: unknown placeholder {countr}',
    );
  });

  it('EXPECTED FAILURE - an unknown filter, condition or key inside a message', () => {
    expect(failure(withMessage('escort.start', '"Please follow me to {counter|shout}."'))).toMatch(
      /en\.yaml: messages\.escort\.start: unknown filter in \{counter\|shout\}/u,
    );
    expect(failure(withMessage('escort.start', '{ when: countr, say: "Follow me." }'))).toMatch(
      /en\.yaml: messages\.escort\.start\.when: unknown condition "countr"/u,
    );
    expect(failure(withMessage('escort.start', '[{ when: counter, sya: "Follow me." }]'))).toMatch(
      /en\.yaml: messages\.escort\.start\[0\]: unknown key "sya"/u,
    );
    expect(failure(withMessage('escort.start', '"Follow me to {counter."'))).toMatch(/messages\.escort\.start: unbalanced \{ or \}/u);
  });

  it('EXPECTED FAILURE - a missing message id, an unknown one, a non-text', () => {
    expect(failure(shipped('en').replace(/\n {2}escort\.waiting: .*/u, ''))).toMatch(/en\.yaml: messages: no text for escort\.waiting/u);
    expect(failure(shipped('en').replace('\n  goodbye:', '\n  farewell: "Bye."\n  goodbye:'))).toMatch(/en\.yaml: messages: unknown key "farewell"/u);
    expect(failure(withMessage('goodbye', '42'))).toMatch(/messages\.goodbye: expected a text, a list of parts or \{ when, say \}/u);
  });

  it('EXPECTED FAILURE - words a formatter needs: names the key', () => {
    expect(failure(shipped('en').replace('counter_label: "counter {number}"', 'counter_label: "counter"'))).toMatch(
      /en\.yaml: words\.counter_label: expected \{number\} in the label/u,
    );
    expect(failure(shipped('en').replace(/\n {4}other: .*/u, ''))).toMatch(/words\.more_items: expected at least the `other` form/u);
  });

  it('EXPECTED FAILURE - not YAML', () => {
    expect(failure('messages: [\n')).toMatch(/^tiepdan messages_invalid: src\/messages\/en\.yaml: not valid YAML/u);
  });
});
