import type { Page } from 'playwright-core';
import { DESK, openBrowser, PHONE, signInAs, snap, startSite, type RunningSite } from './edge';

/** Each role signs in on the demo sign-in page and lands on its own home, with its navigation. */
describe('sign-in through the edge', () => {
  let site: RunningSite;
  let browser: Awaited<ReturnType<typeof openBrowser>>;

  beforeAll(async () => {
    site = await startSite(['catalog', 'certification']);
    browser = await openBrowser();
  });

  afterAll(async () => {
    await browser?.close();
    await site?.stop();
  });

  async function freshPage(viewport = DESK): Promise<Page> {
    await browser.context.clearCookies();
    const page = await browser.context.newPage();
    await page.setViewportSize(viewport);
    return page;
  }

  it.each([
    ['merchant', '/merchant', '我的企业', '商家中心'],
    ['certifier', '/certifier', '认证申请', '评定工作台'],
    ['operator', '/operator', '企业入驻审核', '营运管理'],
  ])('%s lands on its console home', async (user, path, heading, navLabel) => {
    const page = await freshPage();
    await page.goto(`${site.url}${path}`);
    // Not signed in: the console sends the person to sign in, and back after.
    await page.waitForURL(/\/sign-in\?returnTo=/);
    await snap(page, `sign-in-${user}`, '1-sign-in-page');
    await page.locator(`button[data-user="${user}"]`).click();
    await page.waitForURL(`${site.url}${path}`);
    await page.getByRole('heading', { name: heading }).waitFor();
    await expect(page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: navLabel }).count()).resolves.toBe(1);
    await expect(page.getByTestId('user-name').textContent()).resolves.toMatch(/[\u4e00-\u9fff]/);
    await snap(page, `sign-in-${user}`, '2-home');
    // The cookie is not readable by scripts.
    await expect(page.evaluate('document.cookie')).resolves.not.toContain('techan_session');
    await page.close();
  });

  it('a shopper on a phone lands in the hall and signs out', async () => {
    const page = await freshPage(PHONE);
    await signInAs(page, site.url, 'shopper');
    expect(new URL(page.url()).pathname).toBe('/hall');
    await expect(page.getByRole('navigation', { name: '主导航' }).getByRole('link', { name: '商家中心' }).count()).resolves.toBe(0);
    await snap(page, 'sign-in-shopper', '1-hall');
    await page.getByRole('button', { name: '退出' }).click();
    await page.getByRole('link', { name: '登录' }).waitFor();
    // A console is now out of reach again.
    await page.goto(`${site.url}/operator`);
    await page.waitForURL(/\/sign-in/);
    await page.close();
  });

  it('a signed-in shopper who opens a console is told it is not theirs', async () => {
    const page = await freshPage();
    await signInAs(page, site.url, 'shopper');
    await page.goto(`${site.url}/operator`);
    await expect(page.getByRole('alert').textContent()).resolves.toContain('没有权限');
    await page.close();
  });
});
