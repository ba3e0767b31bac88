import type { ServerMessage } from '../../console/protocol.js';
import { byId, el, fill } from '../shared/dom.js';
import { fetchLobby } from '../shared/lobby.js';
import { Link, type LinkStatus } from '../shared/link.js';
import { signedIn } from '../shared/session.js';
import { WORDS, type Lang } from './words.js';

interface Lobby {
  readonly procedures: readonly { readonly id: string; readonly names: Readonly<Record<Lang, string>> }[];
}

type CardCheck = Extract<Extract<ServerMessage, { type: 'record' }>['record'], { kind: 'cardCheck' }>;


/**
 * The robot's own screen: what it says in large text, language and procedure buttons for a noisy
 * lobby, Yes/No, the masked card data to confirm after a scan, and the ticket.
 */
async function main(): Promise<void> {
  const app = byId('app');
  await signedIn(app, 'tiepdan kiosk');
  const lobby = await fetchLobby<Lobby>();
  let lang: Lang = 'vi';
  let lastCard: CardCheck | null = null;
  let lastTicket: { number: string; counterId: string } | null = null;

  const link = new Link(
    (m) => onMessage(m),
    (s) => onStatus(s),
  );
  const t = (key: string): string => WORDS[lang][key] ?? key;

  const langButton = (code: Lang) =>
    el('button', { id: `lang-${code}`, lang: code, 'aria-pressed': String(code === lang), onclick: () => chooseLanguage(code) }, WORDS[code]['language'] ?? code);

  function render(): void {
    document.documentElement.lang = lang;
    fill(
      app,
      el(
        'div',
        { class: 'kiosk' },
        el('div', { class: 'langs' }, langButton('vi'), langButton('en'), langButton('ko'), el('span', { class: 'spacer' }), el('span', { id: 'link-status', class: 'badge' }, '')),
        el('div', { id: 'disconnected', class: 'disconnected-banner', role: 'alert', hidden: true }, t('offline')),
        el('section', { class: 'panel' }, el('p', { id: 'say', 'aria-live': 'polite' }, t('welcome'))),
        el(
          'div',
          { class: 'answers' },
          el('button', { id: 'answer-yes', class: 'primary', onclick: () => void link.command({ type: 'citizen.answer', answer: 'yes' }) }, t('yes')),
          el('button', { id: 'answer-no', onclick: () => void link.command({ type: 'citizen.answer', answer: 'no' }) }, t('no')),
        ),
        el('section', { class: 'panel', id: 'card', hidden: true }),
        el('section', { class: 'panel', id: 'ticket', hidden: true }),
        el(
          'section',
          { class: 'panel' },
          el('h2', {}, t('chooseProcedure')),
          el(
            'div',
            { id: 'procedures' },
            ...lobby.procedures.map((p) =>
              el('button', { 'data-procedure': p.id, lang, onclick: () => void link.command({ type: 'citizen.selectProcedure', procedureId: p.id }) }, p.names[lang]),
            ),
          ),
        ),
        el(
          'form',
          { class: 'typed', id: 'typed' },
          el('input', { id: 'typed-text', maxlength: 500, placeholder: t('typeHere'), lang, autocomplete: 'off' }),
          el('button', { type: 'submit' }, t('send')),
        ),
      ),
    );
    byId('typed').addEventListener('submit', (event) => {
      event.preventDefault();
      const input = byId<HTMLInputElement>('typed-text');
      const text = input.value.trim();
      if (text === '') return;
      void link.command({ type: 'citizen.say', text, lang }).then((r) => {
        if (r.ok) input.value = '';
      });
    });
    renderCard();
    renderTicket();
    onStatus(link.connected ? 'open' : 'connecting');
  }

  function chooseLanguage(code: Lang): void {
    lang = code;
    void link.command({ type: 'citizen.selectLanguage', lang: code });
    render();
  }

  function renderCard(): void {
    const box = byId('card');
    box.hidden = lastCard === null;
    if (lastCard === null) return;
    fill(
      box,
      el('h2', {}, t('cardTitle')),
      ...lastCard.cards.map((c) =>
        el(
          'table',
          { class: 'masked-card' },
          el(
            'tbody',
            {},
            el('tr', {}, el('td', {}, t('idNumber')), el('td', {}, c.idNumber)),
            el('tr', {}, el('td', {}, t('fullName')), el('td', {}, c.fullName)),
            el('tr', {}, el('td', {}, t('dateOfBirth')), el('td', {}, c.dateOfBirth)),
            el('tr', {}, el('td', {}, t('address')), el('td', {}, c.address)),
          ),
        ),
      ),
    );
  }

  function renderTicket(): void {
    const box = byId('ticket');
    box.hidden = lastTicket === null;
    if (lastTicket === null) return;
    fill(box, el('h2', {}, t('ticketTitle')), el('div', { class: 'number', id: 'ticket-number' }, lastTicket.number), el('p', {}, `${t('counter')}: ${lastTicket.counterId}`));
  }

  function onStatus(status: LinkStatus): void {
    const badge = document.getElementById('link-status');
    if (badge !== null) {
      badge.textContent = status === 'open' ? '●' : '…';
      badge.className = `badge ${status}`;
    }
    const banner = document.getElementById('disconnected');
    if (banner !== null) banner.hidden = status === 'open';
  }

  function onMessage(m: ServerMessage): void {
    if (m.type !== 'record') return;
    const r = m.record;
    switch (r.kind) {
      case 'said': {
        const say = byId('say');
        say.textContent = r.text;
        say.lang = r.lang;
        say.dataset['messageId'] = r.messageId;
        break;
      }
      case 'cardCheck':
        lastCard = r;
        renderCard();
        break;
      case 'ticket':
        lastTicket = { number: r.number, counterId: r.counterId };
        lastCard = null;
        renderCard();
        renderTicket();
        break;
      case 'state':
        // A new citizen starts with a clean screen.
        if (r.interaction === 'idle' && (lastCard !== null || lastTicket !== null)) {
          lastCard = null;
          lastTicket = null;
          renderCard();
          renderTicket();
        }
        break;
      default:
        break;
    }
  }

  render();
}

void main();
