// nlp.js ships no type declarations; these cover the few calls the bench's baseline makes.
declare module '@nlpjs/core' {
  export interface Container {
    use(plugin: unknown): void;
    get(name: 'nlp'): import('@nlpjs/nlp').NlpInstance;
    registerConfiguration(tag: string, settings: Record<string, unknown>, overwrite: boolean): void;
    register(name: string, instance: object, isSingleton: boolean): void;
  }
  export function containerBootstrap(): Promise<Container>;
}
declare module '@nlpjs/nlp' {
  export interface NlpInstance {
    settings: Record<string, unknown>;
    addLanguage(locales: readonly string[]): void;
    addDocument(locale: string, utterance: string, intent: string): void;
    train(): Promise<unknown>;
    process(locale: string, utterance: string): Promise<{ intent: string; score: number }>;
  }
  export const Nlp: unknown;
}
declare module '@nlpjs/lang-en-min' {
  export const LangEn: unknown;
}
declare module '@nlpjs/lang-ko' {
  export const LangKo: unknown;
}
