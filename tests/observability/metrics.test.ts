import { describe, expect, it } from 'vitest';
import type { ControllerRecord } from '../../src/app/controller.js';
import { createMemoryQueue } from '../../src/civic/queue/memory-queue.js';
import { createControllerMetrics, ESCORT_OUTCOMES } from '../../src/observability/metrics.js';
import { parsePrometheusText, valueOf } from './prom-text.js';

const state = (interaction: string): ControllerRecord => ({ kind: 'state', interaction, safety: 'normal', power: 'ok', link: 'up' });
const heard = (text: string): ControllerRecord => ({ kind: 'heard', text, lang: null });
const understood = (intent: string, lang: 'vi' | 'en' | 'ko'): ControllerRecord => ({ kind: 'understood', intent, procedure: null, lang, confidence: 0.9 });
const said = (text: string): ControllerRecord => ({ kind: 'said', messageId: 'answer.documents', lang: 'vi', text, params: {} });
const escortStart: ControllerRecord = { kind: 'nav', purpose: 'escort', placeId: 'counter-1', result: null };
const escortEnd = (result: Extract<ControllerRecord, { kind: 'nav' }>['result']): ControllerRecord => ({ kind: 'nav', purpose: 'escort', placeId: 'counter-1', result });

/** Five conversations: arrived, failed twice then gave up, e-stopped then handed off, citizen lost, canceled by an operator. */
const SCRIPT: [number, ControllerRecord][] = [
  [0, state('idle')],
  [500, state('serving.greeting')],
  [1000, heard('tôi muốn đăng ký kết hôn, số căn cước 079303001234')],
  [1300, understood('ask_procedure', 'vi')],
  [1800, said('Bạn cần mang theo căn cước.')],
  [5000, heard('how much does it cost')],
  [5100, understood('ask_fee', 'en')],
  [5600, said('It is free.')],
  [9000, heard('어디로 가야 해요')],
  [9200, understood('ask_location', 'ko')],
  [10_000, said('따라오세요')],
  [10_500, { kind: 'ticket', number: 'A001', counterId: 'counter-1' }],
  [11_000, state('serving.escorting.leading')],
  [11_000, escortStart],
  [40_000, escortEnd({ kind: 'arrived' })],
  [40_000, state('serving.arrived')],
  [45_000, state('returning.driving')],
  [45_000, { kind: 'nav', purpose: 'return', placeId: 'home', result: null }],
  [70_000, { kind: 'nav', purpose: 'return', placeId: 'home', result: { kind: 'arrived' } }],
  [70_000, state('idle')],
  // Second citizen: a ticket, then the corridor is blocked twice and the robot tells the way instead.
  [80_000, state('serving.greeting')],
  [81_000, { kind: 'ticket', number: 'B001', counterId: 'counter-2' }],
  [82_000, state('serving.escorting.leading')],
  [82_000, escortStart],
  [90_000, escortEnd({ kind: 'failed', reason: 'blocked', detail: 'corridor' })],
  [90_000, escortStart],
  [95_000, escortEnd({ kind: 'failed', reason: 'aborted', detail: 'planner' })],
  [95_000, state('serving.escorting.tellingDirections')],
  [99_000, state('returning.driving')],
  [120_000, state('idle')],
  // Third: an e-stop halts the escort and nobody resumes it.
  [130_000, state('serving.escorting.leading')],
  [130_000, escortStart],
  [131_000, state('serving.escorting.halted')],
  [131_000, escortEnd({ kind: 'canceled' })],
  [191_000, state('handoff')],
  [250_000, state('idle')],
  // Fourth: the citizen gets lost on the way.
  [260_000, state('serving.escorting.leading')],
  [260_000, escortStart],
  [280_000, { kind: 'alert', alert: 'personLost' }],
  [280_000, state('returning.checking')],
  [280_000, escortEnd({ kind: 'canceled' })],
  [300_000, state('idle')],
  // Fifth: an operator cancels; the base reports the cancel after the statechart has moved on.
  [310_000, state('serving.escorting.leading')],
  [310_000, escortStart],
  [315_000, state('returning.driving')],
  [315_000, escortEnd({ kind: 'canceled' })],
  [316_000, { kind: 'nav', purpose: 'return', placeId: 'home', result: { kind: 'failed', reason: 'localization_lost', detail: 'amcl' } }],
  [320_000, understood('a_label_from_a_newer_model', 'vi')],
];

async function scrape(metrics: ReturnType<typeof createControllerMetrics>) {
  return parsePrometheusText(await metrics.registry.metrics());
}

describe('controller metrics', () => {
  it('counts served citizens, intents, escorts by outcome and navigation failures from a scripted run', async () => {
    const queue = createMemoryQueue();
    queue.issue({ field: 'civil_status' });
    queue.issue({ field: 'civil_status' });
    queue.issue({ field: 'land' });
    let clients = 3;
    const metrics = createControllerMetrics({ queueStatus: () => queue.status(), consoleClients: () => clients });
    for (const [atMs, record] of SCRIPT) metrics.observe(record, atMs);
    const m = await scrape(metrics);

    expect(m.get('tiepdan_citizens_served_total')?.type).toBe('counter');
    // Two conversations got a ticket; the first also arrived but is counted once.
    expect(valueOf(m, 'tiepdan_citizens_served_total', 'tiepdan_citizens_served_total')).toBe(2);
    expect(valueOf(m, 'tiepdan_intents_understood_total', 'tiepdan_intents_understood_total', { intent: 'ask_fee', lang: 'en' })).toBe(1);
    expect(valueOf(m, 'tiepdan_intents_understood_total', 'tiepdan_intents_understood_total', { intent: 'other', lang: 'vi' })).toBe(1);
    const escorts = Object.fromEntries(ESCORT_OUTCOMES.map((o) => [o, valueOf(m, 'tiepdan_escorts_total', 'tiepdan_escorts_total', { outcome: o })]));
    expect(escorts).toEqual({ arrived: 1, failed: 1, handed_off: 1, citizen_lost: 1, canceled: 1 });
    const failures = m.get('tiepdan_navigation_failures_total')!.samples.filter((s) => s.value > 0).map((s) => ({ ...s.labels, n: s.value }));
    expect(failures).toEqual(
      expect.arrayContaining([
        { reason: 'blocked', purpose: 'escort', n: 1 },
        { reason: 'aborted', purpose: 'escort', n: 1 },
        { reason: 'localization_lost', purpose: 'return', n: 1 },
      ]),
    );
    expect(failures).toHaveLength(3);

    expect(valueOf(m, 'tiepdan_queue_waiting_tickets', 'tiepdan_queue_waiting_tickets', { field: 'civil_status' })).toBe(2);
    expect(valueOf(m, 'tiepdan_queue_waiting_tickets', 'tiepdan_queue_waiting_tickets', { field: 'land' })).toBe(1);
    expect(valueOf(m, 'tiepdan_queue_estimated_wait_seconds', 'tiepdan_queue_estimated_wait_seconds', { field: 'land' })).toBeGreaterThan(0);
    expect(valueOf(m, 'tiepdan_console_clients', 'tiepdan_console_clients')).toBe(3);

    // Heard to understood: 0.3 s, 0.1 s, 0.2 s; heard to the first reply: 0.8, 0.6, 1.0 s.
    expect(valueOf(m, 'tiepdan_understand_latency_seconds', 'tiepdan_understand_latency_seconds_count')).toBe(3);
    expect(valueOf(m, 'tiepdan_understand_latency_seconds', 'tiepdan_understand_latency_seconds_sum')).toBeCloseTo(0.6, 6);
    expect(valueOf(m, 'tiepdan_understand_latency_seconds', 'tiepdan_understand_latency_seconds_bucket', { le: '0.25' })).toBe(2);
    expect(valueOf(m, 'tiepdan_reply_latency_seconds', 'tiepdan_reply_latency_seconds_count')).toBe(3);
    expect(valueOf(m, 'tiepdan_reply_latency_seconds', 'tiepdan_reply_latency_seconds_sum')).toBeCloseTo(2.4, 6);
    expect(m.get('tiepdan_estop_latency_seconds')?.type).toBe('histogram');

    // The queue and the console are read at every scrape.
    queue.callNext('counter-1', ['civil_status']);
    clients = 0;
    const again = await scrape(metrics);
    expect(valueOf(again, 'tiepdan_queue_waiting_tickets', 'tiepdan_queue_waiting_tickets', { field: 'civil_status' })).toBe(1);
    expect(valueOf(again, 'tiepdan_console_clients', 'tiepdan_console_clients')).toBe(0);
  });

  it('keeps separate registries per controller and labels only from fixed sets, never from what was said', async () => {
    const a = createControllerMetrics();
    const b = createControllerMetrics();
    for (const [atMs, record] of SCRIPT) a.observe(record, atMs);
    const text = await a.registry.metrics();
    expect(valueOf(await scrape(b), 'tiepdan_citizens_served_total', 'tiepdan_citizens_served_total')).toBe(0);
    expect(text).not.toMatch(/079303001234|căn cước|cost|A001|counter-1/);
    const labelValues = new Set([...parsePrometheusText(text).values()].flatMap((f) => f.samples.flatMap((s) => Object.values(s.labels))));
    for (const value of labelValues) expect(value).toMatch(/^([a-z_]+|[0-9.e+-]+|\+Inf)$/);
  });

  it('does not fail a scrape when the queue cannot be read', async () => {
    const metrics = createControllerMetrics({
      queueStatus: () => {
        throw new Error('the database is closed');
      },
    });
    const m = await scrape(metrics);
    expect(m.get('tiepdan_queue_waiting_tickets')?.samples).toEqual([]);
  });

  it('pairs latencies only with a recent utterance', async () => {
    const metrics = createControllerMetrics();
    metrics.observe(heard('xin chào'), 0);
    metrics.observe(said('Xin chào!'), 400);
    // An announcement with nobody having spoken since is not a reply.
    metrics.observe(said('Mời bạn đi theo tôi'), 900);
    metrics.observe(heard('alo'), 1000);
    metrics.observe(understood('greet', 'vi'), 1000 + 5 * 60_000);
    metrics.observe({ kind: 'nav', purpose: 'escort', placeId: 'counter-1', result: { kind: 'arrived' } }, 400_000);
    const m = await scrape(metrics);
    expect(valueOf(m, 'tiepdan_reply_latency_seconds', 'tiepdan_reply_latency_seconds_count')).toBe(1);
    expect(valueOf(m, 'tiepdan_understand_latency_seconds', 'tiepdan_understand_latency_seconds_count')).toBe(0);
    // An arrival whose start was never seen is not an escort this registry knows of.
    expect(valueOf(m, 'tiepdan_escorts_total', 'tiepdan_escorts_total', { outcome: 'arrived' })).toBe(0);
  });
});

describe('the exposition parser used here', () => {
  it('EXPECTED FAILURE - rejects what a Prometheus server would', () => {
    const ok = '# HELP x_total X.\n# TYPE x_total counter\nx_total{a="b\\"c"} 1\n';
    expect(valueOf(parsePrometheusText(ok), 'x_total', 'x_total', { a: 'b"c' })).toBe(1);
    for (const bad of [
      'x_total 1\n', // no TYPE
      '# TYPE x counter\nx{a="b} 1\n', // unterminated
      '# TYPE x counter\nx{a="\\t"} 1\n', // bad escape
      '# TYPE x counter\nx one\n', // bad value
      '# TYPE x counter\nx 1\nx 2\n', // duplicate series
      '# TYPE x counter\nx 1\n# TYPE y gauge\ny 1\n# TYPE x counter\n', // family split
      '# TYPE h histogram\nh_bucket{le="1"} 2\nh_bucket{le="+Inf"} 1\nh_sum 1\nh_count 1\n', // not cumulative
      '# TYPE h histogram\nh_bucket{le="+Inf"} 2\nh_sum 1\nh_count 1\n', // +Inf is not the count
      '# TYPE x counter\nx 1', // no final newline
    ]) {
      expect(() => parsePrometheusText(bad), bad).toThrow();
    }
  });
});
