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
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Runtime } from '../runtime/runtime.ts';
import { ensureWebBuild } from './build.ts';
import { startWebServer, type WebServer } from './server.ts';

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
];
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const MISSING_CHROMIUM = `${CHROMIUM} is missing: apt-get install chromium`;

/** Two providers in two places, so the map has two markers; the offline planner needs no model. */
const DEPLOY_REQUEST = 'deploy 2 small VMs, one in Seoul and one in Frankfurt, cheapest';

// A build on 2 busy cores takes 10–60 s; the first request opens the catalog index.
const BUILD_TIMEOUT_MS = 600_000;
const STEP_TIMEOUT_MS = 90_000;

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
  let context: BrowserContext | undefined;
  let page: Page;
  /** Console errors and uncaught page errors, from every page of the test. */
  const problems: string[] = [];
  const serverLog: string[] = [];

  beforeAll(async () => {
    // In CI a missing browser is a broken machine, not a reason to skip.
    if (!HAVE_CHROMIUM) throw new Error(MISSING_CHROMIUM);
    mkdirSync(ARTIFACTS, { recursive: true });
    await buildWhenNeeded(Date.now() + BUILD_TIMEOUT_MS - 60_000);
    home = mkdtempSync(join(tmpdir(), 's2a-e2e-'));
    const environment = { S2A_HOME: home, S2A_SECRET: 'an e2e test passphrase of enough length' };
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
    context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
    page = await context.newPage();
    page.on('console', (message) => {
      if (message.type() === 'error') {
        const where = message.location();
        problems.push(`console error on ${page.url()}: ${message.text()} (${where.url}:${where.lineNumber})`);
      }
    });
    page.on('pageerror', (error) => problems.push(`page error on ${page.url()}: ${error.message}`));
  }, BUILD_TIMEOUT_MS);

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await server?.close();
    await runtime?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  }, 60_000);

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

      // Chrome logs every non-2xx fetch as a console error. Two are the dashboard's protocol, not faults:
      // an action without "confirm" answers 409 with the review to show, and the page of a deleted MCI
      // learns it is gone from a 404. Everything else fails the test.
      const expected = [
        new RegExp(`status of 409 .*/api/mcis/${mciName}/actions:`),
        new RegExp(`status of 404 .*/api/mcis/${mciName}:`),
      ];
      expect(problems.filter((problem) => !expected.some((pattern) => pattern.test(problem)))).toEqual([]);
    },
    STEP_TIMEOUT_MS * 6,
  );
});

if (!HAVE_CHROMIUM && !process.env.CI) {
  describe('the web app in a browser', () => {
    it.skip(MISSING_CHROMIUM, () => undefined);
  });
}
