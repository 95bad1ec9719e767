import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { freePort, waitHealthy } from '@techan/local-stack';
import { E2E_JWT_SECRET, startSystem, type RunningService, type RunningSystem } from './system';

const ROOT = resolve(__dirname, '../..');
export const E2E_SESSION_SECRET = 'e2e-only-session-secret-0123456789abcdef';

export interface RunningSite {
  /** the public origin (the edge) */
  url: string;
  system: RunningSystem;
  edge: RunningService;
  stop(): Promise<void>;
}

/**
 * The services (built, as processes) behind the built edge, on one origin, with demo sign-in —
 * what `npm start` runs, on a throw-away local stack. Services not named are unreachable.
 */
export async function startSite(services: string[], extraEnv: Record<string, string> = {}): Promise<RunningSite> {
  const main = join(ROOT, 'dist/apps/gateway/main.js');
  if (!existsSync(main)) throw new Error(`${main} is missing: run npx nx build gateway`);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // PUBLIC_BASE_URL: where orders sends the browser back after paying.
  const system = await startSystem(services, { VERIFY_BASE_URL: url, PUBLIC_BASE_URL: url, ...extraEnv });
  const serviceUrl = (name: string) => system.services[name]?.url ?? 'http://127.0.0.1:9';
  const child = spawn(process.execPath, [main], {
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: url,
      AUTH_MODE: 'demo',
      JWT_SECRET: E2E_JWT_SECRET,
      SESSION_SECRET: E2E_SESSION_SECRET,
      CATALOG_URL: serviceUrl('catalog'),
      ORDERS_URL: serviceUrl('orders'),
      LOGISTICS_URL: serviceUrl('logistics'),
      CERTIFICATION_URL: serviceUrl('certification'),
      WEB_ROOT: join(ROOT, 'dist/apps/web'),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  child.stdout?.on('data', (d: Buffer) => output.push(d.toString()));
  child.stderr?.on('data', (d: Buffer) => output.push(d.toString()));
  const edge: RunningService = { name: 'gateway', url, child, output };
  try {
    await waitHealthy(url, { child, describe: () => output.join('').slice(-3000) });
  } catch (error) {
    child.kill('SIGKILL');
    await system.stop();
    throw error;
  }
  return {
    url,
    system,
    edge,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        await exited;
      }
      await system.stop();
    },
  };
}

export const PHONE = { width: 390, height: 844 };
export const DESK = { width: 1366, height: 900 };

/** Debian's chromium, headless, with a fresh profile each time. */
export async function openBrowser(): Promise<{ context: BrowserContext; close(): Promise<void> }> {
  const profile = mkdtempSync(join(tmpdir(), 'techan-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    headless: true,
    locale: 'zh-CN',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** Screenshots of each step, for people to look at (e2e/artifacts/, git-ignored, kept by CI). */
export async function snap(page: Page, flow: string, step: string): Promise<void> {
  const dir = join(ROOT, 'e2e/artifacts', flow);
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${step}.png`), fullPage: true });
}

/** Signs in through the demo sign-in page as one of libs/common's DEMO_USERS. */
export async function signInAs(page: Page, site: string, user: string): Promise<void> {
  await page.goto(`${site}/sign-in`);
  await page.locator(`button[data-user="${user}"]`).click();
  await page.waitForURL((u) => !u.pathname.startsWith('/sign-in'));
}

/** A new page signed in as one demo user (the browser's cookies cleared first, so only that user). */
export async function pageAs(browser: { context: BrowserContext }, site: string, user: string, viewport = DESK): Promise<Page> {
  await browser.context.clearCookies();
  const page = await browser.context.newPage();
  await page.setViewportSize(viewport);
  await signInAs(page, site, user);
  return page;
}
