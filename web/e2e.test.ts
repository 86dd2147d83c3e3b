/**
 * The web app end to end in a real browser: the production UI build, the real server (one process:
 * API, agent, sim) on a temporary home, and Debian's chromium driven by playwright-core. A person asks
 * for VMs in the chat, approves the plan, watches them run, finds them on the dashboard's map and
 * deletes them. Any console error or page error fails the test. Screenshots go to test-artifacts/.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
  type Page,
} from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Runtime } from '../runtime/runtime.ts';
import { ensureWebBuild } from './build.ts';
import { startWebServer, type WebServer } from './server.ts';
import { type FakeTranscription, startFakeTranscription } from './testing/fake-transcription.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const ARTIFACTS = join(ROOT, 'test-artifacts');
/** Debian's chromium (`apt-get install chromium`): never a browser downloaded by playwright. */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // A microphone for the recording fallback: Chrome's fake capture device, allowed without a prompt.
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
];
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const MISSING_CHROMIUM = `${CHROMIUM} is missing: apt-get install chromium`;

/** Two providers in two places, so the map has two markers; the offline planner needs no model. */
const DEPLOY_REQUEST = 'deploy 2 small VMs, one in Seoul and one in Frankfurt, cheapest';

// A build on 2 busy cores takes 10–60 s; the first request opens the catalog index.
const BUILD_TIMEOUT_MS = 600_000;
const STEP_TIMEOUT_MS = 90_000;
const TRANSCRIBE_KEY = 'sk-e2e-not-a-real-key';

/**
 * A stand-in for the Web Speech API's recognizer, installed before the page's scripts: the test plays
 * the speech service (window.__speech.hear/endOfSpeech/fail) and reads what the page asked of it.
 * speechSynthesis.speak only records, so spoken replies can be checked without audio.
 */
const FAKE_SPEECH_SCRIPT = `(() => {
  const recognizers = [];
  class FakeSpeechRecognition {
    constructor() {
      this.lang = ''; this.interimResults = false; this.continuous = false; this.maxAlternatives = 1;
      this.onresult = null; this.onerror = null; this.onend = null; this.state = 'new';
      recognizers.push(this);
    }
    start() { this.state = 'listening'; }
    stop() { this.end(); }
    abort() { this.end(); }
    end() {
      if (this.state !== 'listening') return;
      this.state = 'ended';
      setTimeout(() => this.onend && this.onend(), 0);
    }
  }
  window.SpeechRecognition = FakeSpeechRecognition;
  window.webkitSpeechRecognition = FakeSpeechRecognition;
  const current = () => recognizers[recognizers.length - 1];
  window.__speech = {
    recognizers: () => recognizers.map((r) => ({ lang: r.lang, interimResults: r.interimResults, continuous: r.continuous, state: r.state })),
    hear(text, isFinal) {
      const result = Object.assign([{ transcript: text, confidence: 0.9 }], { isFinal });
      current().onresult?.({ resultIndex: 0, results: [result] });
    },
    endOfSpeech() { current().end(); },
    fail(code) { current().onerror?.({ error: code }); current().end(); },
  };
  window.__spoken = [];
  window.speechSynthesis.speak = (utterance) => window.__spoken.push({ text: utterance.text, lang: utterance.lang });
})();`;

/** A browser without speech recognition (Firefox's case): the mic must record or explain. */
const NO_RECOGNITION_SCRIPT = 'delete window.SpeechRecognition; delete window.webkitSpeechRecognition;';

function settingsScript(settings: { voiceLanguage: 'en-US' | 'ko-KR'; speakReplies: boolean }): string {
  return `localStorage.setItem('s2a-settings', ${JSON.stringify(JSON.stringify({ uiLanguage: 'en', ...settings }))});`;
}

if (!HAVE_CHROMIUM && !process.env.CI) {
  console.warn(`web/e2e.test.ts skipped: ${MISSING_CHROMIUM}`);
}

/**
 * Builds the UI unless it is fresh. Another `next build` in the same folder (someone's `s2a start`)
 * makes Next refuse to start a second one: wait for it, then check again.
 */
async function buildWhenNeeded(deadline: number): Promise<void> {
  for (;;) {
    try {
      await ensureWebBuild(ROOT, () => undefined);
      return;
    } catch (error) {
      const busy = /Another next build process is already running/.test((error as Error).message);
      if (!busy || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 5_000));
    }
  }
}

describe.skipIf(!HAVE_CHROMIUM && !process.env.CI)('the web app in a browser', () => {
  let home: string;
  let runtime: Runtime | undefined;
  let server: WebServer | undefined;
  let browser: Browser | undefined;
  let transcription: FakeTranscription | undefined;
  const contexts: BrowserContext[] = [];
  /** The page the running test drives: a failing step photographs it. */
  let page: Page;
  /** Console errors and uncaught page errors, from every page of the test. */
  const problems: string[] = [];
  const serverLog: string[] = [];

  beforeAll(async () => {
    // In CI a missing browser is a broken machine, not a reason to skip.
    if (!HAVE_CHROMIUM) throw new Error(MISSING_CHROMIUM);
    mkdirSync(ARTIFACTS, { recursive: true });
    // A failure picture from an earlier run would pass for this run's.
    rmSync(join(ARTIFACTS, 'failure.png'), { force: true });
    await buildWhenNeeded(Date.now() + BUILD_TIMEOUT_MS - 60_000);
    home = mkdtempSync(join(tmpdir(), 's2a-e2e-'));
    transcription = await startFakeTranscription();
    const environment = {
      S2A_HOME: home,
      S2A_SECRET: 'an e2e test passphrase of enough length',
      // Server-side transcription for browsers without recognition, answered by the local fake.
      S2A_TRANSCRIBE_MODEL: 'whisper-1',
      OPENAI_API_KEY: TRANSCRIBE_KEY,
      OPENAI_BASE_URL: transcription.baseURL,
    };
    runtime = await Runtime.open({
      home,
      environment,
      // Clouds 50× faster than real ones: VMs run within seconds, yet Creating is still visible.
      sim: { timeScale: 0.02, rateLimits: false, apiLatency: false, account: 'default' },
      engine: { pollIntervalMs: 100 },
    });
    server = await startWebServer({
      runtime,
      environment,
      dir: ROOT,
      host: '127.0.0.1',
      port: 0,
      planner: 'offline',
      log: (line) => serverLog.push(line),
    });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  }, BUILD_TIMEOUT_MS);

  afterAll(async () => {
    for (const context of contexts) await context.close();
    await browser?.close();
    await transcription?.close();
    await server?.close();
    await runtime?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  }, 60_000);

  /** A fresh browser profile and page (its own storage, so its own conversation), watched for errors. */
  async function openPage(scripts: string[] = [], options: BrowserContextOptions = {}): Promise<Page> {
    const context = await (browser as Browser).newContext({
      viewport: { width: 1280, height: 900 },
      locale: 'en-US',
      ...options,
    });
    contexts.push(context);
    for (const script of scripts) await context.addInitScript(script);
    const opened = await context.newPage();
    opened.on('console', (message) => {
      if (message.type() === 'error') {
        const where = message.location();
        problems.push(
          `console error on ${opened.url()}: ${message.text()} (${where.url}:${where.lineNumber})`,
        );
      }
    });
    opened.on('pageerror', (error) => problems.push(`page error on ${opened.url()}: ${error.message}`));
    page = opened;
    return opened;
  }

  /** Browser errors so far, less the ones `expected` names; the list is emptied for the next test. */
  function unexpectedProblems(expected: RegExp[] = []): string[] {
    const unexpected = problems.filter((problem) => !expected.some((pattern) => pattern.test(problem)));
    problems.length = 0;
    return unexpected;
  }

  /** Opens the chat and waits until React has taken over the page (the mic and Send respond). */
  async function openChat(target: Page): Promise<void> {
    await target.goto(`${(server as WebServer).url}/`);
    await expect
      .poll(() => target.getByTestId('mic-button').isEnabled(), { timeout: STEP_TIMEOUT_MS })
      .toBe(true);
  }

  /** Runs one step; on failure saves failure.png and says which step and what the server logged. */
  async function step(name: string, body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (error) {
      await page.screenshot({ path: join(ARTIFACTS, 'failure.png'), fullPage: true }).catch(() => undefined);
      const log = serverLog.length > 0 ? `\nserver log:\n${serverLog.slice(-20).join('\n')}` : '';
      const seen = problems.length > 0 ? `\nbrowser errors:\n${problems.join('\n')}` : '';
      throw new Error(`step "${name}" failed: ${(error as Error).message}${log}${seen}`, { cause: error });
    }
  }

  it(
    'deploys from the chat, shows the MCI on the dashboard map, and deletes it',
    async () => {
      const { url } = server as WebServer;
      let mciName = '';

      await step('open the chat', async () => {
        await openPage();
        await page.goto(`${url}/`);
        await page.getByTestId('chat-input').waitFor({ timeout: STEP_TIMEOUT_MS });
      });

      await step('ask for VMs and see the plan', async () => {
        const input = page.getByTestId('chat-input');
        const send = page.getByTestId('chat-send');
        // Typed before hydration, the text would not reach React's state: type until Send wakes up.
        await expect
          .poll(
            async () => {
              await input.fill(DEPLOY_REQUEST);
              return send.isEnabled();
            },
            { timeout: STEP_TIMEOUT_MS },
          )
          .toBe(true);
        await send.click();
        await page.getByTestId('plan-card').first().waitFor({ timeout: STEP_TIMEOUT_MS });
        await page.getByTestId('plan-approve').waitFor({ timeout: STEP_TIMEOUT_MS });
        const plan = await page.getByTestId('plan-card').first().textContent();
        expect(plan).toMatch(/Seoul|Korea/);
        expect(plan).toMatch(/\$\d/);
      });

      await step('approve and watch it run', async () => {
        await page.getByTestId('plan-approve').click();
        const summary = page.getByTestId('chat-summary').last();
        await summary.waitFor({ timeout: STEP_TIMEOUT_MS });
        await expect.poll(() => summary.textContent(), { timeout: STEP_TIMEOUT_MS }).toMatch(/Running/);
        const link = summary.locator('a[href^="/mci/"]').first();
        mciName = decodeURIComponent((await link.getAttribute('href'))?.replace('/mci/', '') ?? '');
        expect(mciName).not.toBe('');
        await summary.scrollIntoViewIfNeeded();
        await page.screenshot({ path: join(ARTIFACTS, 'chat-after-deploy.png'), fullPage: true });
      });

      await step('the chat on a phone', async () => {
        await page.setViewportSize({ width: 390, height: 844 });
        await page.getByTestId('chat-summary').last().scrollIntoViewIfNeeded();
        // Nothing may stick out sideways on a phone: the page scrolls only vertically.
        const overflow = await page.evaluate('document.documentElement.scrollWidth - window.innerWidth');
        expect(overflow).toBeLessThanOrEqual(0);
        await expect.poll(() => page.getByTestId('chat-input').isVisible()).toBe(true);
        await page.screenshot({ path: join(ARTIFACTS, 'chat-mobile.png') });
        await page.setViewportSize({ width: 1280, height: 900 });
      });

      await step('the dashboard lists the MCI as Running with its nodes on the map', async () => {
        await page.goto(`${url}/dashboard`);
        const row = page.locator(`[data-testid="mci-row"][data-name="${mciName}"]`);
        await expect
          .poll(() => row.getAttribute('data-status'), { timeout: STEP_TIMEOUT_MS })
          .toMatch(/^Running/);
        await page.getByTestId('world-map').waitFor({ timeout: STEP_TIMEOUT_MS });
        // Seoul and Frankfurt are far apart: two markers, not one.
        await expect.poll(() => page.getByTestId('map-node').count(), { timeout: STEP_TIMEOUT_MS }).toBe(2);
        await page.screenshot({ path: join(ARTIFACTS, 'map-with-nodes.png'), fullPage: true });
      });

      await step('delete it from its page and see it gone', async () => {
        await page.locator(`[data-testid="mci-row"][data-name="${mciName}"] a`).first().click();
        await page.waitForURL(`**/mci/${encodeURIComponent(mciName)}`, { timeout: STEP_TIMEOUT_MS });
        const remove = page.getByTestId('mci-action-delete');
        await expect.poll(() => remove.isEnabled(), { timeout: STEP_TIMEOUT_MS }).toBe(true);
        await remove.click();
        await page.getByTestId('confirm-approve').click({ timeout: STEP_TIMEOUT_MS });
        // The MCI page goes back to the dashboard once the MCI no longer exists.
        await page.waitForURL(`${url}/dashboard`, { timeout: STEP_TIMEOUT_MS });
        await expect
          .poll(() => page.locator(`[data-testid="mci-row"][data-name="${mciName}"]`).count(), {
            timeout: STEP_TIMEOUT_MS,
          })
          .toBe(0);
        const response = await page.request.get(`${url}/api/mcis/${encodeURIComponent(mciName)}`);
        expect(response.status()).toBe(404);
      });

      // Chrome logs every non-2xx fetch as a console error. One is the dashboard's protocol, not a fault:
      // the page of a deleted MCI learns it is gone from a 404. Everything else fails the test.
      expect(unexpectedProblems([new RegExp(`status of 404 .*/api/mcis/${mciName}:`)])).toEqual([]);
    },
    STEP_TIMEOUT_MS * 6,
  );

  it(
    'takes a spoken request (Web Speech API), shows the words as they come, and reads the reply aloud',
    async () => {
      await step('open the chat with Korean speech and spoken replies on', async () => {
        await openPage([FAKE_SPEECH_SCRIPT, settingsScript({ voiceLanguage: 'ko-KR', speakReplies: true })]);
        await openChat(page);
        await page.locator('.mic[data-mode="recognition"]').waitFor({ timeout: STEP_TIMEOUT_MS });
      });

      const mic = page.getByTestId('mic-button');
      const request = '서울에 VM 한 대 만들어줘';
      await step('listen in the chosen language, the interim words shown', async () => {
        await mic.click();
        await expect.poll(() => mic.getAttribute('aria-pressed')).toBe('true');
        expect(await page.evaluate('window.__speech.recognizers()')).toEqual([
          { lang: 'ko-KR', interimResults: true, continuous: false, state: 'listening' },
        ]);
        expect(await page.getByTestId('mic-status').textContent()).toMatch(/Listening/);
        await page.evaluate(`window.__speech.hear('서울에 VM', false)`);
        await expect.poll(() => page.getByTestId('interim-transcript').textContent()).toBe('서울에 VM');
        await page.screenshot({ path: join(ARTIFACTS, 'voice-listening.png') });
      });

      await step('speech ends: the sentence is sent and planned', async () => {
        await page.evaluate(`window.__speech.hear(${JSON.stringify(request)}, true)`);
        await page.evaluate('window.__speech.endOfSpeech()');
        await expect
          .poll(() => page.getByTestId('user-message').last().textContent(), { timeout: STEP_TIMEOUT_MS })
          .toContain(request);
        await expect.poll(() => mic.getAttribute('aria-pressed')).toBe('false');
        expect(await page.getByTestId('interim-transcript').count()).toBe(0);
        await page.getByTestId('plan-card').first().waitFor({ timeout: STEP_TIMEOUT_MS });
      });

      await step('the reply is read aloud, as plain Korean sentences', async () => {
        type Spoken = { text: string; lang: string }[];
        await expect
          .poll(async () => ((await page.evaluate('window.__spoken')) as Spoken).length, {
            timeout: STEP_TIMEOUT_MS,
          })
          .toBeGreaterThan(0);
        const spoken = (await page.evaluate('window.__spoken')) as Spoken;
        for (const utterance of spoken) {
          expect(utterance.lang).toBe('ko-KR');
          expect(utterance.text).not.toMatch(/\*\*|\||```/);
        }
        await page.getByTestId('plan-reject').click();
      });

      await step('Escape cancels: nothing is sent', async () => {
        await expect.poll(() => mic.isEnabled(), { timeout: STEP_TIMEOUT_MS }).toBe(true);
        const sent = await page.getByTestId('user-message').count();
        await mic.click();
        await page.evaluate(`window.__speech.hear('전부 지워', false)`);
        await expect.poll(() => page.getByTestId('interim-transcript').count()).toBe(1);
        await mic.press('Escape');
        await expect.poll(() => mic.getAttribute('aria-pressed')).toBe('false');
        await expect.poll(() => page.getByTestId('interim-transcript').count()).toBe(0);
        expect(await page.getByTestId('user-message').count()).toBe(sent);
      });

      await step('a blocked microphone is explained', async () => {
        await mic.click();
        await page.evaluate(`window.__speech.fail('not-allowed')`);
        await expect
          .poll(() => page.getByTestId('mic-status').textContent())
          .toMatch(/Microphone access is blocked/);
        await expect.poll(() => mic.getAttribute('aria-pressed')).toBe('false');
      });

      await step('a network failure mid-sentence is explained and sends nothing', async () => {
        const sent = await page.getByTestId('user-message').count();
        await mic.click();
        await page.evaluate(`window.__speech.hear('서울에', false)`);
        await expect.poll(() => page.getByTestId('interim-transcript').count()).toBe(1);
        await page.evaluate(`window.__speech.fail('network')`);
        await expect
          .poll(() => page.getByTestId('mic-status').textContent())
          .toMatch(/Speech recognition needs the network/);
        await expect.poll(() => page.getByTestId('interim-transcript').count()).toBe(0);
        expect(await page.getByTestId('user-message').count()).toBe(sent);
      });

      expect(unexpectedProblems()).toEqual([]);
    },
    STEP_TIMEOUT_MS * 5,
  );

  it(
    'records and transcribes on the server when the browser has no recognition',
    async () => {
      const fake = transcription as FakeTranscription;
      fake.seen.length = 0;
      fake.reply = { status: 200, body: { text: 'list my MCIs' } };

      await step('the mic offers recording', async () => {
        await openPage(
          [NO_RECOGNITION_SCRIPT, settingsScript({ voiceLanguage: 'en-US', speakReplies: false })],
          {
            permissions: ['microphone'],
          },
        );
        await openChat(page);
        await page.locator('.mic[data-mode="recording"]').waitFor({ timeout: STEP_TIMEOUT_MS });
      });

      await step('record, stop, and the transcript is sent', async () => {
        const mic = page.getByTestId('mic-button');
        await mic.click();
        await expect.poll(() => mic.getAttribute('aria-pressed')).toBe('true');
        await expect.poll(() => page.getByTestId('mic-status').textContent()).toMatch(/Recording/);
        // Chrome's fake microphone beeps; a second and a half of it is a recording worth sending.
        await page.waitForTimeout(1_500);
        await mic.click();
        await expect
          .poll(() => page.getByTestId('user-message').last().textContent(), { timeout: STEP_TIMEOUT_MS })
          .toContain('list my MCIs');
        await page.getByTestId('assistant-message').last().waitFor({ timeout: STEP_TIMEOUT_MS });
      });

      await step('the server sent the recording to the transcription API', () => {
        expect(fake.seen).toHaveLength(1);
        const sent = fake.seen[0];
        expect(sent?.path).toBe('/v1/audio/transcriptions');
        expect(sent?.authorization).toBe(`Bearer ${TRANSCRIBE_KEY}`);
        expect(sent?.model).toBe('whisper-1');
        expect(sent?.language).toBe('en');
        expect(sent?.fileType).toBe('audio/webm');
        expect(sent?.fileBytes?.byteLength).toBeGreaterThan(1_000);
        return Promise.resolve();
      });

      expect(unexpectedProblems()).toEqual([]);
    },
    STEP_TIMEOUT_MS * 3,
  );

  it(
    'explains why the mic is unavailable when neither the browser nor the server can transcribe',
    async () => {
      await step('the mic says why', async () => {
        await openPage([NO_RECOGNITION_SCRIPT]);
        // This server transcribes; the page is told it does not, as a server without a model says.
        await page.route('**/api/config', (route) =>
          route.fulfill({
            json: { planner: 'offline', transcription: false, readOnly: false, maxCostPerHour: 50 },
          }),
        );
        await page.goto(`${(server as WebServer).url}/`);
        await page.locator('.mic[data-mode="unavailable"]').waitFor({ timeout: STEP_TIMEOUT_MS });
        const mic = page.getByTestId('mic-button');
        expect(await mic.getAttribute('aria-disabled')).toBe('true');
        expect(await mic.getAttribute('title')).toMatch(/Voice input is unavailable/);
        // Still focusable, so a keyboard user can ask why (a disabled button could not be reached).
        await mic.focus();
        await page.keyboard.press('Enter');
        await expect
          .poll(() => page.getByTestId('mic-status').textContent())
          .toMatch(/no speech recognition .* no transcription model/);
        await page.screenshot({ path: join(ARTIFACTS, 'voice-unavailable.png') });
        expect(await mic.getAttribute('aria-pressed')).toBe('false');
      });

      expect(unexpectedProblems()).toEqual([]);
    },
    STEP_TIMEOUT_MS * 2,
  );
});

if (!HAVE_CHROMIUM && !process.env.CI) {
  describe('the web app in a browser', () => {
    it.skip(MISSING_CHROMIUM, () => undefined);
  });
}
