import type { OperatorAlertKind, QueueView, ServerMessage } from '../../console/protocol.js';
import { byId, el, fill } from '../shared/dom.js';
import { fetchLobby } from '../shared/lobby.js';
import { Link, type CommandResult, type LinkStatus } from '../shared/link.js';
import { logOut, signedIn, type Me } from '../shared/session.js';
import { LobbyMap, type MapInfo, type PlaceInfo } from './map.js';
import { StatechartView, type StateTreeNode } from './statechart.js';

interface Lobby {
  readonly robotId: string;
  readonly map: MapInfo;
  readonly places: readonly PlaceInfo[];
  readonly statechart: StateTreeNode;
}

const ALERT_TEXT: Readonly<Record<OperatorAlertKind, string>> = {
  personLost: 'Citizen lost during an escort',
  navFailed: 'Navigation failed',
  batteryLow: 'Battery low',
  batteryCritical: 'Battery critical',
  linkDown: 'Link to the base down',
  helpRequested: 'Help requested: a person is needed',
  baseSilent: 'Base silent: no pose from the base, robot stopped',
  navNoProgress: 'Navigation made no progress, even after a replan',
  speakerHung: 'Speech output hung and was cut off',
  asrHung: 'Speech recognition hung and was cut off',
  eventLoopSlow: 'Controller slow: event loop delayed',
  intentModelFailed: 'Intent model failing: understanding by keywords',
};


function layout(me: Me, lobby: Lobby): void {
  const mayCommand = me.role === 'operator' || me.role === 'admin';
  const off = !mayCommand;
  const why = off ? `the ${me.role} role cannot command the robot` : undefined;
  const cmd = (id: string, label: string, cls = ''): HTMLButtonElement =>
    el('button', { id, class: cls, disabled: off, title: why, 'data-command': 'true' }, label);
  const placeOptions = lobby.places.map((p) => el('option', { value: p.id }, `${p.id} (${p.kind})`));
  fill(
    byId('app'),
    el(
      'header',
      { class: 'bar' },
      el('strong', {}, 'tiepdan'),
      el('span', { class: 'fact' }, lobby.robotId),
      el('span', { id: 'link-status', class: 'badge connecting' }, 'connecting'),
      el('span', {}, 'safety ', el('span', { id: 'safety-state', class: 'badge' }, '…')),
      el('span', { class: 'fact' }, el('span', { id: 'interaction-state' }, '…')),
      el('span', { class: 'fact' }, 'speed ', el('span', { id: 'speed' }, '–'), ' m/s'),
      el('span', { class: 'fact' }, 'battery ', el('span', { id: 'battery' }, '–'), ' %'),
      el('span', { class: 'spacer' }),
      cmd('estop', 'E-STOP', 'danger'),
      cmd('release-estop', 'Release e-stop'),
      el('span', {}, `${me.name} (${me.role})`),
      el('button', { id: 'logout', onclick: () => void logOut() }, 'Log out'),
    ),
    el('div', { id: 'disconnected', class: 'disconnected-banner', role: 'alert', hidden: true }, 'Disconnected from the robot: reconnecting…'),
    el(
      'main',
      { class: 'console' },
      el('section', { class: 'panel' }, el('h2', {}, 'Lobby'), el('canvas', { id: 'map', 'aria-label': 'lobby map with the robot, its path and people' })),
      el(
        'div',
        { class: 'side' },
        el(
          'section',
          { class: 'panel controls', id: 'controls' },
          el('h2', {}, 'Commands'),
          el('div', { class: 'row' }, cmd('pause', 'Pause'), cmd('resume', 'Resume'), cmd('go-home', 'Go home'), cmd('dock', 'Dock'), cmd('cancel-escort', 'Cancel escort')),
          el('div', { class: 'row' }, cmd('take-over', 'Take over conversation'), cmd('hand-back', 'Hand back')),
          el('div', { class: 'row' }, el('select', { id: 'send-to-place', disabled: off, 'aria-label': 'place' }, ...placeOptions), cmd('send-to', 'Send there')),
          el(
            'div',
            { class: 'row' },
            el('input', { id: 'say-text', name: 'say', maxlength: 500, placeholder: 'Say through the robot…', disabled: off }),
            el('select', { id: 'say-lang', disabled: off, 'aria-label': 'language' }, el('option', { value: 'vi' }, 'vi'), el('option', { value: 'en' }, 'en'), el('option', { value: 'ko' }, 'ko')),
            cmd('say', 'Say'),
          ),
          el('p', { id: 'last-result', class: 'muted', role: 'status' }),
        ),
        el('section', { class: 'panel' }, el('h2', {}, 'Alerts'), el('ul', { id: 'alerts' })),
        el('section', { class: 'panel' }, el('h2', {}, 'Queue'), el('div', { id: 'queue' }, el('p', { class: 'muted' }, 'No queue yet'))),
        el('section', { class: 'panel' }, el('h2', {}, 'Transcript (personal data masked)'), el('div', { id: 'transcript' })),
      ),
      el('section', { class: 'panel statechart-wrap' }, el('h2', {}, 'Statechart (drawn from the machine definition)'), el('div', { id: 'statechart-host' })),
    ),
  );
}

function renderQueue(queue: QueueView, link: Link, mayCommand: boolean): void {
  fill(
    byId('queue'),
    el(
      'table',
      {},
      el('thead', {}, el('tr', {}, el('th', {}, 'counter'), el('th', {}, 'serving'), el('th', {}, 'waiting'), el('th', {}))),
      el(
        'tbody',
        {},
        ...queue.counters.map((c) =>
          el(
            'tr',
            {},
            el('td', {}, c.id),
            el('td', {}, c.lastCalled ?? '–'),
            el('td', { 'data-counter-waiting': c.id }, c.waiting.length === 0 ? '0' : `${c.waiting.length}: ${c.waiting.slice(0, 5).join(' ')}${c.waiting.length > 5 ? ' …' : ''}`),
            el('td', {}, el('button', { disabled: !mayCommand || c.waiting.length === 0, onclick: () => void link.command({ type: 'queue.callNext', counterId: c.id }).then(showResult) }, 'Call next')),
          ),
        ),
      ),
    ),
  );
}

function showResult(result: CommandResult): void {
  const line = byId('last-result');
  line.textContent = result.ok ? 'done' : `refused: ${result.reason ?? 'no reason given'}`;
  line.className = result.ok ? 'muted' : 'error';
}

function addTranscript(who: string, text: string, lang: string | null): void {
  const box = byId('transcript');
  const line = el('div', { class: 'line', lang: lang ?? undefined }, el('span', { class: 'who' }, who), text);
  box.append(line);
  while (box.childElementCount > 200) box.firstElementChild?.remove();
  box.scrollTop = box.scrollHeight;
}

async function main(): Promise<void> {
  const app = byId('app');
  const me = await signedIn(app, 'tiepdan console');
  const lobby = await fetchLobby<Lobby>();
  layout(me, lobby);
  const mayCommand = me.role === 'operator' || me.role === 'admin';
  const map = new LobbyMap(byId<HTMLCanvasElement>('map'), lobby.map, lobby.places);
  const chart = new StatechartView(lobby.statechart);
  byId('statechart-host').append(chart.root);
  const alerts = new Map<string, HTMLElement>();

  const setActive = (active: readonly string[]) => {
    chart.light(active);
    const safety = active.find((p) => p.startsWith('safety.') && p.split('.').length === 2)?.slice('safety.'.length) ?? '…';
    const safetyBadge = byId('safety-state');
    safetyBadge.textContent = safety;
    safetyBadge.className = `badge ${safety}`;
    const interaction = active.filter((p) => p.startsWith('interaction.')).sort((a, b) => b.length - a.length)[0];
    byId('interaction-state').textContent = interaction?.slice('interaction.'.length) ?? '…';
  };
  const addAlert = (alert: { alertId: string; kind: OperatorAlertKind; tS: number }) => {
    const item = el(
      'li',
      { 'data-alert': alert.alertId },
      el('span', {}, ALERT_TEXT[alert.kind]),
      el('button', { disabled: !mayCommand, onclick: () => void link.command({ type: 'alert.ack', alertId: alert.alertId }).then(showResult) }, 'Acknowledge'),
    );
    alerts.set(alert.alertId, item);
    byId('alerts').prepend(item);
  };
  const onMessage = (m: ServerMessage) => {
    switch (m.type) {
      case 'snapshot':
        setActive(m.state.active);
        for (const a of m.state.alerts) if (!alerts.has(a.alertId)) addAlert(a);
        if (m.state.queue !== null) renderQueue(m.state.queue, link, mayCommand);
        break;
      case 'telemetry':
        map.update(m);
        byId('speed').textContent = Math.abs(m.linearMps).toFixed(2);
        byId('battery').textContent = m.batteryPercent.toFixed(0);
        break;
      case 'states':
        setActive(m.active);
        break;
      case 'queue':
        renderQueue(m.queue, link, mayCommand);
        break;
      case 'alert':
        addAlert(m.alert);
        break;
      case 'alert.acked':
        alerts.get(m.alertId)?.remove();
        alerts.delete(m.alertId);
        break;
      case 'record': {
        const r = m.record;
        if (r.kind === 'heard') addTranscript('citizen:', r.text, r.lang);
        else if (r.kind === 'said') addTranscript(`robot [${r.lang}]:`, r.text, r.lang);
        else if (r.kind === 'understood') addTranscript('understood:', `${r.intent}${r.procedure !== null ? ` / ${r.procedure}` : ''} (${r.confidence.toFixed(2)})`, null);
        else if (r.kind === 'ticket') addTranscript('ticket:', `${r.number} for ${r.counterId}`, null);
        break;
      }
      case 'command.result':
      case 'error':
        break;
    }
  };
  const onStatus = (status: LinkStatus) => {
    const badge = byId('link-status');
    badge.textContent = status;
    badge.className = `badge ${status}`;
    byId('disconnected').hidden = status === 'open';
  };
  const link = new Link(onMessage, onStatus);
  const on = (id: string, run: () => Promise<CommandResult>) => byId(id).addEventListener('click', () => void run().then(showResult));
  on('estop', () => link.command({ type: 'robot.estop' }));
  on('release-estop', () => link.command({ type: 'robot.releaseEstop' }));
  on('pause', () => link.command({ type: 'robot.pause' }));
  on('resume', () => link.command({ type: 'robot.resume' }));
  on('go-home', () => link.command({ type: 'robot.goHome' }));
  on('dock', () => link.command({ type: 'robot.dock' }));
  on('cancel-escort', () => link.command({ type: 'escort.cancel' }));
  on('take-over', () => link.command({ type: 'conversation.takeOver' }));
  on('hand-back', () => link.command({ type: 'conversation.handBack' }));
  on('send-to', () => link.command({ type: 'robot.sendTo', placeId: byId<HTMLSelectElement>('send-to-place').value }));
  on('say', () => {
    const text = byId<HTMLInputElement>('say-text');
    const lang = byId<HTMLSelectElement>('say-lang').value as 'vi' | 'en' | 'ko';
    return link.command({ type: 'robot.say', text: text.value, lang }).then((r) => {
      if (r.ok) text.value = '';
      return r;
    });
  });
}

void main();
