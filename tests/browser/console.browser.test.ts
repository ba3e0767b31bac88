import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../src/civic/catalog.js';
import { createMemoryQueue } from '../../src/civic/queue/memory-queue.js';
import type { RequestStore } from '../../src/civic/requests/sealed-store.js';
import { startLiveLobby, type LiveLobby } from '../../src/cli/live-lobby.js';
import { createKeywordIntentModel } from '../../src/nlu/keyword-model.js';
import { projectPath } from '../../src/paths.js';
import { openDatabase, type Database } from '../../src/store/database.js';
import { parseScenario } from '../../sim/scenario.js';
import { systemTool } from '../system.js';

const CHROMIUM = '/usr/bin/chromium';
const chromiumTool = systemTool(CHROMIUM, 'chromium');
const SCREENSHOTS = projectPath('.test-tmp', 'screenshots');

// A quiet lobby: walkers only, nobody comes to the robot, so the tests drive it alone; with a card
// reader, so pre-filled requests are kept.
const QUIET_LOBBY = `
name: browser-tests
map: ../maps/ward-lobby.yaml
seed: 3
durationS: 7200
arrivals: { ratePerHour: 0.01, firstArrivalAtS: 7000 }
languages: { vi: 1, en: 0, ko: 0 }
crowd: { walkers: 2 }
idScans: { enabled: true }
`;

const PASSWORDS = {
  olga: 'operator password 1',
  victor: 'viewer password 1',
  kiosk: 'kiosk password 1',
  hoa: 'officer counter one',
  binh: 'officer counter three',
} as const;

describe.skipIf(!chromiumTool.available)(`the console, kiosk and counter pages in Chromium${chromiumTool.skipReason}`, () => {
  let dir: string;
  let lobby: LiveLobby;
  let requests: RequestStore;
  let database: Database | undefined;
  let browser: Browser;
  const queue = createMemoryQueue();
  const stop = new AbortController();

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tiepdan-browser-'));
    mkdirSync(SCREENSHOTS, { recursive: true });
    // The pages as they are now in src/web, not whatever an earlier build left in dist/.
    const webRoot = join(dir, 'web');
    await build({ configFile: projectPath('src', 'web', 'vite.config.ts'), logLevel: 'error', build: { outDir: webRoot, emptyOutDir: true } });
    const catalog = loadCatalog();
    database = openDatabase(join(dir, 'tiepdan.db'));
    lobby = await startLiveLobby({
      scenario: parseScenario(projectPath('sim', 'scenarios', 'browser-tests.yaml'), QUIET_LOBBY),
      intentModel: createKeywordIntentModel(catalog),
      catalog,
      queue,
      database,
      dataKey: randomBytes(32),
      host: '127.0.0.1',
      port: 0,
      speed: 1,
      webRoot,
      signal: stop.signal,
    });
    lobby.users.add('olga', 'operator', PASSWORDS.olga);
    lobby.users.add('victor', 'viewer', PASSWORDS.victor);
    lobby.users.add('kiosk', 'kiosk', PASSWORDS.kiosk);
    lobby.users.add('hoa', 'officer', PASSWORDS.hoa, { counterId: 'counter-1' });
    lobby.users.add('binh', 'officer', PASSWORDS.binh, { counterId: 'counter-3' });
    requests = (await lobby.started).requests!;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    });
  });

  afterAll(async () => {
    await browser?.close();
    stop.abort();
    await lobby?.done.catch(() => {});
    database?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A fresh browser profile (no shared cookies), logged in through the page's own form. */
  async function logIn(path: string, name: keyof typeof PASSWORDS, viewport = { width: 1280, height: 900 }): Promise<Page> {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    await page.goto(`${lobby.server.url}${path}`);
    await page.fill('#login-name', name);
    await page.fill('#login-password', PASSWORDS[name]);
    await page.click('#login-form button[type=submit]');
    return page;
  }

  it('asks for a login, and refuses a wrong password on the page', async () => {
    const page = await (await browser.newContext()).newPage();
    await page.goto(`${lobby.server.url}/console`);
    await expect.poll(() => page.locator('#login-password').getAttribute('type')).toBe('password');
    await page.fill('#login-name', 'olga');
    await page.fill('#login-password', 'not the password');
    await page.click('#login-form button[type=submit]');
    await expect.poll(() => page.textContent('#login-error')).toContain('wrong name or password');
    await page.screenshot({ path: join(SCREENSHOTS, 'login-refused.png') });
    await page.context().close();
  });

  it('on the kiosk, a citizen taps Korean and marriage registration and reads the answer in Korean (phone-sized screen)', async () => {
    const page = await logIn('/kiosk', 'kiosk', { width: 390, height: 844 });
    await page.click('#lang-ko');
    await expect.poll(() => page.getAttribute('#lang-ko', 'aria-pressed')).toBe('true');
    await page.click('[data-procedure="marriage_registration"]');
    await expect.poll(() => page.getAttribute('#say', 'data-message-id'), { timeout: 15_000 }).toMatch(/^answer\./);
    expect(await page.getAttribute('#say', 'lang')).toBe('ko');
    const said = (await page.textContent('#say')) ?? '';
    expect(said).toMatch(/[\uAC00-\uD7AF]/);
    expect(said).toContain('혼인');
    // The buttons name procedures in the chosen language too.
    expect(await page.textContent('[data-procedure="marriage_registration"]')).toBe(loadCatalog().get('marriage_registration')!.names.ko);
    await page.screenshot({ path: join(SCREENSHOTS, 'kiosk-korean-marriage.png'), fullPage: true });
    await page.context().close();
  });

  it('an officer calls the next ticket and sees its pre-filled request, which another counter’s officer cannot open', async () => {
    const ticket = queue.issue({ field: 'civil_status', procedureId: 'marriage_registration' });
    requests.put({ requestId: 'browser-r1', procedureId: 'marriage_registration', fields: { 'card1.fullName': 'NGUYỄN VĂN THỬ', 'card1.idNumber': '079000000001' } }, 'robot-1');
    requests.attachTicket('browser-r1', ticket.number);

    const hoa = await logIn('/counter', 'hoa');
    await expect.poll(() => hoa.textContent('#waiting-list'), { timeout: 10_000 }).toContain(ticket.number);
    await hoa.click('#call-next');
    await expect.poll(() => hoa.textContent('#now-serving')).toBe(ticket.number);
    await hoa.click('#open-request');
    await expect.poll(() => hoa.textContent('#request-fields')).toContain('NGUYỄN VĂN THỬ');
    expect(await hoa.textContent('#request')).toContain('marriage_registration');
    await hoa.screenshot({ path: join(SCREENSHOTS, 'counter-officer-request.png'), fullPage: true });

    const binh = await logIn('/counter', 'binh');
    await binh.waitForSelector('#ticket-input');
    await binh.fill('#ticket-input', ticket.number);
    await binh.click('#open-form button[type=submit]');
    await expect.poll(() => binh.textContent('#counter-result')).toContain('this ticket was not called at your counter');
    expect(await binh.isHidden('#request')).toBe(true);
    expect(await binh.content()).not.toContain('NGUYỄN VĂN THỬ');
    await binh.screenshot({ path: join(SCREENSHOTS, 'counter-other-officer-refused.png'), fullPage: true });

    // Opening it at the counter hands it over: the officer takes it, and it is gone from the store.
    const taken = requests.audit().filter((a) => a.action === 'read' || a.action === 'handed_over');
    expect(taken.map((a) => [a.actor, a.action])).toEqual([['hoa', 'handed_over']]);
    await hoa.context().close();
    await binh.context().close();
  });

  it('a viewer sees the robot but every command button is disabled, and a forged command is refused', async () => {
    const page = await logIn('/console', 'victor');
    await page.waitForSelector('#estop');
    await expect.poll(() => page.textContent('#link-status')).toBe('open');
    const buttons = await page.$$eval('[data-command]', (nodes) => nodes.map((n) => (n as unknown as { disabled: boolean }).disabled));
    expect(buttons.length).toBeGreaterThan(8);
    expect(buttons.every(Boolean)).toBe(true);
    // Forge what a disabled button would have sent, over a socket of the page's own session.
    const answer = await page.evaluate(
      (url) =>
        new Promise<unknown>((resolve) => {
          const ws = new WebSocket(url);
          ws.onmessage = (event) => {
            const m = JSON.parse(String(event.data)) as { type: string };
            if (m.type === 'snapshot') ws.send(JSON.stringify({ v: 1, robotId: 'robot-1', requestId: 'forged', type: 'robot.estop' }));
            if (m.type === 'command.result') resolve(m);
          };
        }),
      `${lobby.server.url.replace('http', 'ws')}/ws`,
    );
    expect(answer).toMatchObject({ type: 'command.result', requestId: 'forged', ok: false, reason: 'not allowed for the viewer role' });
    await expect.poll(() => page.textContent('#safety-state')).toBe('normal');
    await page.screenshot({ path: join(SCREENSHOTS, 'console-viewer.png'), fullPage: true });
    await page.context().close();
  });

  it('an operator sees the robot move on the map, presses e-stop, and sees it estopped with its speed at 0', async () => {
    const page = await logIn('/console', 'olga');
    await page.waitForSelector('#estop');
    await expect.poll(() => page.textContent('#link-status')).toBe('open');
    // The statechart is drawn from the machine: its regions and their states are there.
    for (const path of ['safety', 'safety.estopped', 'interaction.idle', 'interaction.serving.listening']) {
      expect(await page.locator(`[data-path="${path}"]`).count()).toBe(1);
    }
    // Whatever the kiosk test left running, bring the robot home, then send it across the lobby.
    await page.click('#go-home');
    await expect.poll(() => page.textContent('#interaction-state'), { timeout: 60_000 }).toBe('idle');
    await page.selectOption('#send-to-place', 'waiting');
    const startX = Number(await page.getAttribute('#map', 'data-robot-x'));
    const startY = Number(await page.getAttribute('#map', 'data-robot-y'));
    await page.click('#send-to');
    await expect
      .poll(async () => Math.hypot(Number(await page.getAttribute('#map', 'data-robot-x')) - startX, Number(await page.getAttribute('#map', 'data-robot-y')) - startY), {
        timeout: 20_000,
      })
      .toBeGreaterThan(0.5);
    expect(Number(await page.textContent('#speed'))).toBeGreaterThan(0);
    await page.screenshot({ path: join(SCREENSHOTS, 'console-moving.png'), fullPage: true });

    await page.click('#estop');
    await expect.poll(() => page.textContent('#safety-state')).toBe('estopped');
    await expect.poll(() => page.textContent('#speed'), { timeout: 10_000 }).toBe('0.00');
    expect(await page.locator('[data-path="safety.estopped"]').getAttribute('class')).toContain('active');
    await page.screenshot({ path: join(SCREENSHOTS, 'console-estopped.png'), fullPage: true });

    await page.click('#release-estop');
    await expect.poll(() => page.textContent('#safety-state')).toBe('paused');
    await page.context().close();
  });
});
