import { describe, expect, it } from 'vitest';
import type { Catalog } from '../../src/ports/catalog.js';
import { INTENTS, type IntentModel } from '../../src/ports/intent-model.js';
import type { Listener, Utterance } from '../../src/ports/listener.js';
import type { Speaker } from '../../src/ports/speaker.js';
import { LANGS } from '../../src/ports/common.js';

/** Every `Listener` delivers to each subscriber until it unsubscribes or the listener closes. */
/** `say` may be async: over a middleware it resolves once the text had time to arrive. */
export function listenerContract(name: string, make: () => { listener: Listener; say: (text: string) => void | Promise<void> }): void {
  describe(`Listener contract: ${name}`, () => {
    it('delivers utterances to subscribers and stops after unsubscribe and close', async () => {
      const { listener, say } = make();
      const heard: Utterance[] = [];
      const off = listener.subscribe((u) => heard.push(u));
      await say('xin chào');
      off();
      await say('after unsubscribe');
      listener.subscribe((u) => heard.push(u));
      await listener.close();
      await say('after close');
      expect(heard.map((u) => u.text)).toEqual(['xin chào']);
      expect(heard[0]!.confidence).toBeGreaterThanOrEqual(0);
      expect(heard[0]!.confidence).toBeLessThanOrEqual(1);
    });
  });
}

/** Every `Speaker` reports when done and stops when its signal aborts. */
export function speakerContract(name: string, make: () => { speaker: Speaker; advance: (ms: number) => Promise<void> }): void {
  describe(`Speaker contract: ${name}`, () => {
    for (const lang of LANGS) {
      it(`speaks ${lang} and reports done`, async () => {
        const { speaker, advance } = make();
        const pending = speaker.speak({ text: 'Xin chào. Hello. 안녕하세요.', lang, messageId: 'greeting', rate: 'normal' }, { signal: new AbortController().signal });
        await advance(30_000);
        const result = await pending;
        expect(result.kind).toBe('done');
      });
    }
    it('stops when the signal aborts', async () => {
      const { speaker, advance } = make();
      const abort = new AbortController();
      const pending = speaker.speak({ text: 'a long sentence '.repeat(20), lang: 'en', messageId: 'goodbye', rate: 'slow' }, { signal: abort.signal });
      await advance(100);
      abort.abort();
      expect(await pending).toEqual({ kind: 'canceled' });
    });
  });
}

/** Every `IntentModel` answers within its label set, never throws, and names only catalog procedures. */
export function intentModelContract(name: string, make: () => Promise<{ model: IntentModel; catalog: Catalog }> | { model: IntentModel; catalog: Catalog }): void {
  describe(`IntentModel contract: ${name}`, () => {
    const inputs = ['', '   ', 'cho em hỏi làm giấy khai sinh', 'birth certificate for my baby', '혼인신고 하려고요', '🙂🙂', 'x'.repeat(10_000), '\u0000\u0007'];
    it.each(inputs.map((t) => [t.slice(0, 30), t]))('classifies %j within the contract', async (_label, text) => {
      const { model, catalog } = await make();
      const result = await model.classify(text);
      expect(INTENTS).toContain(result.intent);
      expect(LANGS).toContain(result.lang);
      expect(result.confidence).toBeGreaterThanOrEqual(0);
      expect(result.confidence).toBeLessThanOrEqual(1);
      if (result.procedure !== null) expect(catalog.get(result.procedure)).toBeDefined();
      for (const alt of result.alternatives) expect(alt.confidence).toBeLessThanOrEqual(result.confidence);
    });
  });
}

/** Every `Catalog` has unique ids and complete trilingual entries. */
export function catalogContract(name: string, make: () => Catalog): void {
  describe(`Catalog contract: ${name}`, () => {
    it('has unique ids, found by get(), each with names, documents, fee and time in vi, en and ko', () => {
      const catalog = make();
      const ids = catalog.procedures().map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const p of catalog.procedures()) {
        expect(catalog.get(p.id)).toBe(p);
        for (const lang of LANGS) {
          expect(p.names[lang].length).toBeGreaterThan(0);
          expect(p.documents[lang].length).toBeGreaterThan(0);
          expect(p.fee.text[lang].length).toBeGreaterThan(0);
          expect(p.processingTime.text[lang].length).toBeGreaterThan(0);
        }
      }
      expect(catalog.get('no_such_procedure')).toBeUndefined();
    });
  });
}
