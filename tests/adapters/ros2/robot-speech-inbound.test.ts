import { describe, expect, it } from 'vitest';
import { alertOf, robotSpeechOf } from '../../../sim/ros2-robot/inbound.js';

const line = { text: 'Xin chào', lang: 'vi', messageId: 'greeting', slots: { counterId: 'counter-7' }, startedMs: 1_000, durationMs: 700 };
const wrap = (value: unknown) => ({ data: typeof value === 'string' ? value : JSON.stringify(value) });

describe("the simulated robot reads the robot's speech and alerts from the graph, checked", () => {
  it('takes a sound line as it was published', () => {
    expect(robotSpeechOf(wrap(line))).toEqual(line);
    expect(alertOf({ data: 'personLost' })).toBe('personLost');
  });

  it('EXPECTED FAILURE - anything else on the topic is refused, never half-read', () => {
    for (const bad of [
      'not json',
      '[]',
      { ...line, lang: 'fr' },
      { ...line, messageId: 'x y' },
      { ...line, startedMs: 'soon' },
      { ...line, durationMs: -1 },
      { ...line, durationMs: 10 * 60_000 },
      { ...line, text: 'x'.repeat(2001) },
      { ...line, slots: ['counter-7'] },
      { ...line, slots: { counterId: 7 } },
      { ...line, slots: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`k${i}`, 'v'])) },
    ]) {
      expect(robotSpeechOf(wrap(bad)), JSON.stringify(bad).slice(0, 60)).toBeNull();
    }
    expect(robotSpeechOf({ data: 5 })).toBeNull();
    expect(robotSpeechOf(null)).toBeNull();
    expect(alertOf({ data: 'no such alert' })).toBeNull();
    expect(alertOf({ data: '' })).toBeNull();
  });
});
