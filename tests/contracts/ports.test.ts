import { RecordingSpeaker } from '../../src/adapters/speech/recording-speaker.js';
import { TextListener } from '../../src/adapters/text/text-listener.js';
import { loadCatalog } from '../../src/civic/catalog.js';
import { createKeywordIntentModel } from '../../src/nlu/keyword-model.js';
import { VirtualClock } from '../../src/util/virtual-clock.js';
import { catalogContract, intentModelContract, listenerContract, speakerContract } from './ports.contract.js';

const catalog = loadCatalog();

listenerContract('text', () => {
  const listener = new TextListener('kiosk');
  return { listener, say: (text) => void listener.push({ text }) };
});

speakerContract('recording', () => {
  const clock = new VirtualClock();
  return {
    speaker: new RecordingSpeaker(clock, () => clock.nowMs),
    advance: async (ms) => {
      clock.advance(ms);
      await Promise.resolve();
    },
  };
});

intentModelContract('keyword', () => ({ model: createKeywordIntentModel(catalog), catalog }));

catalogContract('shipped YAML files', () => catalog);
