import { describe, expect, it } from 'vitest';
import { parseRos2Config } from '../../../src/adapters/ros2/ros2-config.js';
import { langFromLocale, Ros2Listener } from '../../../src/adapters/ros2/ros2-listener.js';
import type { Utterance } from '../../../src/ports/listener.js';
import { FakeRclnodejs } from './fake-rclnodejs.js';

function setup() {
  const rcl = new FakeRclnodejs();
  const dropped: string[] = [];
  const listener = new Ros2Listener({ rcl, config: parseRos2Config({ distro: 'jazzy' }, {}), onDrop: (reason) => dropped.push(reason) });
  const heard: Utterance[] = [];
  listener.subscribe((u) => heard.push(u));
  const speech = (voice: string, fields: Partial<{ incremental: string; final: string; confidence: number; locale: string }>) =>
    rcl.deliver(`/humans/voices/${voice}/speech`, { incremental: '', final: '', confidence: 0.9, locale: '', ...fields });
  return { rcl, listener, heard, dropped, speech };
}

describe('Ros2Listener over ROS4HRI speech', () => {
  it('delivers a final LiveSpeech transcript with the language from its locale', async () => {
    const { listener, heard, speech, rcl } = setup();
    rcl.deliver('/humans/voices/tracked', { ids: ['voice_1'] });
    expect(speech('voice_1', { final: 'cho em hỏi làm giấy khai sinh', confidence: 0.82, locale: 'vi_VN' })).toBe(true);
    expect(heard).toEqual([{ text: 'cho em hỏi làm giấy khai sinh', lang: 'vi', confidence: 0.82, source: 'speech' }]);
    await listener.close();
  });

  it('listens to asr_vosk anonymous_speaker without it being tracked, and forgets voices that leave the tracked list', async () => {
    const { listener, heard, speech, rcl } = setup();
    speech('anonymous_speaker', { final: 'hello', locale: 'en_GB' });
    rcl.deliver('/humans/voices/tracked', { ids: ['v2'] });
    rcl.deliver('/humans/voices/tracked', { ids: [] });
    expect(speech('v2', { final: 'gone' })).toBe(false);
    expect(speech('anonymous_speaker', { final: '안녕하세요', locale: 'ko-KR' })).toBe(true);
    expect(heard.map((u) => [u.text, u.lang])).toEqual([
      ['hello', 'en'],
      ['안녕하세요', 'ko'],
    ]);
    await listener.close();
  });

  it('drops partial results, oversized text and text with control characters before the statechart sees them', async () => {
    const { listener, heard, dropped, speech } = setup();
    speech('anonymous_speaker', { incremental: 'cho em', final: '' });
    speech('anonymous_speaker', { final: 'x'.repeat(501) });
    speech('anonymous_speaker', { final: 'rm -rf\u0007 /' });
    speech('anonymous_speaker', { final: '   ' });
    expect(heard).toEqual([]);
    expect(dropped).toEqual(['partial result (no final text)', '501 characters; at most 500', 'control characters in the text', 'partial result (no final text)']);
    await listener.close();
  });

  it('leaves the language unset for other locales and clamps confidence into 0..1', async () => {
    const { listener, heard, speech } = setup();
    speech('anonymous_speaker', { final: 'bonjour', locale: 'fr_FR', confidence: 1.7 });
    speech('anonymous_speaker', { final: 'xin chào', locale: 'vi', confidence: Number.NaN });
    expect(heard).toEqual([
      { text: 'bonjour', confidence: 1, source: 'speech' },
      { text: 'xin chào', lang: 'vi', confidence: 0, source: 'speech' },
    ]);
    expect([langFromLocale('en-US'), langFromLocale('ko_KR.UTF-8'), langFromLocale('')]).toEqual(['en', 'ko', undefined]);
    await listener.close();
  });

  it('close() destroys its node and shuts rclnodejs down; nothing is delivered afterwards', async () => {
    const { listener, heard, speech, rcl } = setup();
    await listener.close();
    expect(speech('anonymous_speaker', { final: 'late' })).toBe(false);
    expect(heard).toEqual([]);
    expect(rcl.log.slice(-2)).toEqual(['destroy tiepdan_listener', 'shutdown']);
  });
});
