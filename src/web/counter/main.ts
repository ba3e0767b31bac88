import { z } from 'zod';
import type { QueueView, ServerMessage } from '../../console/protocol.js';
import { byId, el, fill } from '../shared/dom.js';
import { Link, type LinkStatus } from '../shared/link.js';
import { logOut, signedIn } from '../shared/session.js';

/** What `request.open` answers with: the fields the robot read from the card, for this officer only. */
const openedRequest = z.object({ ticketNumber: z.string(), procedureId: z.string(), fields: z.record(z.string(), z.string()) });

/**
 * The officer's view of one counter: its queue, calling the next ticket, and the request the robot
 * pre-filled from the citizen's card, opened by this officer (each opening audited on the server).
 */
async function main(): Promise<void> {
  const app = byId('app');
  const me = await signedIn(app, 'tiepdan counter');
  if (me.role !== 'officer' || me.counterId === null) {
    fill(app, el('div', { class: 'login' }, el('h1', {}, 'Counter view'), el('p', {}, `This page is for counter officers; ${me.name} is ${me.role}.`), el('button', { onclick: () => void logOut() }, 'Log out')));
    return;
  }
  const counterId = me.counterId;
  fill(
    app,
    el(
      'div',
      { class: 'counter' },
      el('header', {}, el('h1', {}, `Counter view: ${counterId}`), el('span', { id: 'link-status', class: 'badge' }, ''), el('span', { class: 'spacer' }), el('span', {}, me.name), el('button', { onclick: () => void logOut() }, 'Log out')),
      el('div', { id: 'disconnected', class: 'disconnected-banner', role: 'alert', hidden: true }, 'Disconnected: reconnecting…'),
      el(
        'section',
        { class: 'panel' },
        el('h2', {}, 'Now serving'),
        el('div', { id: 'now-serving' }, '–'),
        el('div', { class: 'row' }, el('button', { id: 'call-next', class: 'primary' }, 'Call next ticket'), el('button', { id: 'open-request', disabled: true }, 'Open pre-filled request')),
        el('p', { id: 'counter-result', role: 'status', class: 'muted' }),
      ),
      el('section', { class: 'panel' }, el('h2', {}, 'Waiting for this counter'), el('ul', { id: 'waiting-list' })),
      el(
        'section',
        { class: 'panel' },
        el('h2', {}, 'Open a request by ticket number'),
        el('form', { class: 'row', id: 'open-form' }, el('input', { id: 'ticket-input', placeholder: 'A001', maxlength: 5, autocomplete: 'off' }), el('button', { type: 'submit' }, 'Open')),
      ),
      el('section', { class: 'panel', id: 'request', hidden: true }),
    ),
  );
  let serving: string | null = null;
  const result = (text: string, ok: boolean) => {
    const line = byId('counter-result');
    line.textContent = text;
    line.className = ok ? 'muted' : 'error';
  };
  const showQueue = (queue: QueueView) => {
    const mine = queue.counters.find((c) => c.id === counterId);
    const waiting = mine?.waiting ?? [];
    fill(byId('waiting-list'), ...(waiting.length === 0 ? [el('li', { class: 'muted' }, 'nobody waiting')] : waiting.map((n) => el('li', {}, n))));
    if (serving === null && mine?.lastCalled) {
      serving = mine.lastCalled;
      byId('now-serving').textContent = serving;
      byId<HTMLButtonElement>('open-request').disabled = false;
    }
  };
  const open = async (ticketNumber: string) => {
    const box = byId('request');
    const r = await link.command({ type: 'request.open', ticketNumber });
    const parsed = openedRequest.safeParse(r.data);
    if (!r.ok || !parsed.success) {
      box.hidden = true;
      fill(box);
      return result(`refused: ${r.reason ?? 'unexpected answer'}`, false);
    }
    box.hidden = false;
    fill(
      box,
      el('h2', {}, `Pre-filled request for ${parsed.data.ticketNumber}: ${parsed.data.procedureId}`),
      el('table', { id: 'request-fields' }, el('tbody', {}, ...Object.entries(parsed.data.fields).map(([k, v]) => el('tr', {}, el('td', {}, k), el('td', {}, v))))),
      el('p', { class: 'muted' }, 'Read from the citizen’s card by the robot; this opening is recorded under your name.'),
    );
    result('request opened', true);
  };
  const link = new Link(
    (m: ServerMessage) => {
      if (m.type === 'snapshot' && m.state.queue !== null) showQueue(m.state.queue);
      if (m.type === 'queue') showQueue(m.queue);
    },
    (s: LinkStatus) => {
      const badge = byId('link-status');
      badge.textContent = s;
      badge.className = `badge ${s}`;
      byId('disconnected').hidden = s === 'open';
    },
  );
  byId('call-next').addEventListener('click', () => {
    void link.command({ type: 'queue.callNext', counterId }).then((r) => {
      const data = z.object({ ticketNumber: z.string() }).safeParse(r.data);
      if (!r.ok || !data.success) return result(`refused: ${r.reason ?? 'unexpected answer'}`, false);
      serving = data.data.ticketNumber;
      byId('now-serving').textContent = serving;
      byId<HTMLButtonElement>('open-request').disabled = false;
      fill(byId('request'));
      byId('request').hidden = true;
      result(`called ${serving}`, true);
    });
  });
  byId('open-request').addEventListener('click', () => {
    if (serving !== null) void open(serving);
  });
  byId('open-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const value = byId<HTMLInputElement>('ticket-input').value.trim().toUpperCase();
    if (value !== '') void open(value);
  });
}

void main();
