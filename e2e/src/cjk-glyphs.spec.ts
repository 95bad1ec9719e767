import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { openBrowser } from './edge';

/**
 * Issue 9 item 15: without a CJK font, chromium draws every Chinese character as the same empty box
 * ("tofu"). Drawn with the web app's own font stack, different characters must give different
 * pixels, and each must have ink. (Fails on a machine where ensure-deps did not install fonts-noto-cjk.)
 */
describe('Chinese text renders with real glyphs in the browser', () => {
  it('draws 马, 冈, 鹅, 茶 and 米 as distinct glyphs with the front end font stack', async () => {
    const css = readFileSync(join(__dirname, '../../apps/web/src/styles.css'), 'utf8');
    const stack = /--font-cjk:\s*([^;]+);/.exec(css)?.[1];
    expect(stack).toBeTruthy();
    const browser = await openBrowser();
    try {
      const page = await browser.context.newPage();
      await page.setContent('<!doctype html><meta charset="utf-8"><canvas id="c" width="64" height="64"></canvas>');
      // Runs in the page (a string, so this Node-side file needs no DOM types).
      const draw = `(({ chars, font }) => {
        const ctx = document.getElementById('c').getContext('2d');
        return chars.map((ch) => {
          ctx.clearRect(0, 0, 64, 64);
          ctx.font = '48px ' + font;
          ctx.fillStyle = '#000';
          ctx.fillText(ch, 4, 52);
          const data = ctx.getImageData(0, 0, 64, 64).data;
          let ink = 0;
          let signature = '';
          for (let i = 3; i < data.length; i += 4) {
            if (data[i] > 0) ink++;
            signature += data[i] > 127 ? '1' : '0';
          }
          return { ch, ink, signature };
        });
      })(${JSON.stringify({ chars: ['马', '冈', '鹅', '茶', '米'], font: stack })})`;
      const glyphs = (await page.evaluate(draw)) as { ch: string; ink: number; signature: string }[];
      for (const g of glyphs) expect({ ch: g.ch, inked: g.ink > 50 }).toEqual({ ch: g.ch, inked: true });
      expect(new Set(glyphs.map((g) => g.signature)).size).toBe(glyphs.length);
    } finally {
      await browser.close();
    }
  });
});
