/**
 * Theming in the demo: the donation page (site CSS, light and dark via prefers-color-scheme) and the
 * bare `plain.html` (browser defaults only) in both color schemes. The sign-in element's text is
 * readable on its own background (WCAG AA 4.5:1), signing in on the plain page fills its form, and
 * screenshots go to `.tmp/screenshots/` for a human to look at.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { type Page } from 'playwright-core';
import { SHOTS, createPerson, useDemo, watch } from './support.ts';

const demo = useDemo();

/** Contrast of each label/checkbox text of `<portal-login>` against the background its card paints. */
async function loginContrast(page: Page): Promise<{ text: string; ratio: number }[]> {
  // tsx compiles named inner functions with esbuild's `__name` helper, which the page lacks.
  await page.evaluate('globalThis.__name ??= (f) => f');
  return page.evaluate(() => {
    const rgb = (c: string): [number, number, number, number] => {
      const m = c.match(/[\d.]+/g)!.map(Number);
      return [m[0]!, m[1]!, m[2]!, m[3] ?? 1];
    };
    const lum = ([r, g, b]: number[]) => {
      const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
      return 0.2126 * f(r!) + 0.7152 * f(g!) + 0.0722 * f(b!);
    };
    /** The first opaque background from `el` up, looking into shadow roots' `[part=base]` on the way. */
    const background = (el: Element | null): number[] => {
      for (let e = el; e; e = e.parentElement ?? (e.getRootNode() as ShadowRoot).host ?? null) {
        const base = e.shadowRoot?.querySelector('[part="base"]');
        for (const x of base ? [base, e] : [e]) {
          const c = rgb(getComputedStyle(x).backgroundColor);
          if (c[3] > 0.5) return c;
        }
      }
      return [255, 255, 255, 1];
    };
    const login = document.querySelector('portal-login')!;
    return [...login.querySelectorAll('label')].map((label) => {
      const fg = lum(rgb(getComputedStyle(label).color));
      const bg = lum(background(label));
      const ratio = (Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05);
      return { text: (label.textContent ?? '').trim(), ratio: Math.round(ratio * 10) / 10 };
    });
  });
}

describe('theming in the demo', () => {
  for (const scheme of ['light', 'dark'] as const) {
    for (const file of ['donate.html', 'plain.html']) {
      test(`${file}, ${scheme}: the sign-in text is readable on its card`, async () => {
        const context = await demo.browser.newContext({ colorScheme: scheme, viewport: { width: 1100, height: 900 } });
        const page = await context.newPage();
        const problems = watch(page);
        await page.goto(`${demo.stack.demoUrl}/${file}`);
        await page.locator('portal-login').getByRole('button', { name: 'Sign in' }).waitFor();
        assert.equal(await page.evaluate(() => matchMedia('(prefers-color-scheme: dark)').matches), scheme === 'dark');
        const ratios = await loginContrast(page);
        assert.ok(ratios.length >= 3, 'email, password and remember-me labels');
        assert.deepEqual(
          ratios.filter((r) => r.ratio < 4.5),
          [],
          `contrast under 4.5:1: ${JSON.stringify(ratios)}`,
        );
        await page.screenshot({ path: join(SHOTS, `${file.replace('.html', '')}-${scheme}.png`) });
        assert.deepEqual(problems, []);
        await context.close();
      });
    }
  }

  test('plain.html: signing in fills the bare form and signing out clears it', async () => {
    const person = await createPerson(demo.stack.apiUrl, { firstName: 'Bea', lastName: 'Plain' });
    const context = await demo.browser.newContext({ colorScheme: 'dark' });
    const page = await context.newPage();
    const problems = watch(page);
    await page.goto(`${demo.stack.demoUrl}/plain.html`);
    const login = page.locator('portal-login');
    await login.getByLabel('Email').fill(person.email);
    await login.getByLabel('Password').fill(person.password);
    await login.getByRole('button', { name: 'Sign in' }).click();
    await login.getByText('Signed in as Bea Plain').waitFor();
    await page.waitForFunction(() => (document.getElementById('d-given') as HTMLInputElement).value === 'Bea');
    assert.equal(await page.inputValue('#d-email'), person.email);
    assert.equal(await page.inputValue('#d-cc'), '', 'payment fields are never touched');
    await page.screenshot({ path: join(SHOTS, 'plain-dark-signed-in.png'), fullPage: true });
    await login.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForFunction(() => (document.getElementById('d-given') as HTMLInputElement).value === '');
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('plain.html, dark: the autofill status line and its "Not you?" are readable', async () => {
    const person = await createPerson(demo.stack.apiUrl, { firstName: 'Dee', lastName: 'Dark' });
    const context = await demo.browser.newContext({ colorScheme: 'dark' });
    const page = await context.newPage();
    await page.goto(`${demo.stack.demoUrl}/plain.html`);
    const login = page.locator('portal-login');
    await login.getByLabel('Email').fill(person.email);
    await login.getByLabel('Password').fill(person.password);
    await login.getByRole('button', { name: 'Sign in' }).click();
    await page.locator('purchaser-autofill').getByRole('button', { name: 'Not you?' }).waitFor();
    await page.evaluate('globalThis.__name ??= (f) => f');
    const ratios = await page.evaluate(() => {
      const rgb = (c: string) => c.match(/[\d.]+/g)!.map(Number);
      const lum = ([r, g, b]: number[]) => {
        const f = (v: number) => ((v /= 255) <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4);
        return 0.2126 * f(r!) + 0.7152 * f(g!) + 0.0722 * f(b!);
      };
      // The page paints no background of its own: the canvas color of its (dark) color scheme.
      const probe = document.body.appendChild(document.createElement('div'));
      probe.style.backgroundColor = 'Canvas';
      const bg = lum(rgb(getComputedStyle(probe).backgroundColor));
      probe.remove();
      const root = document.querySelector('purchaser-autofill')!.shadowRoot!;
      return ['status', 'not-you'].map((part) => {
        const fg = lum(rgb(getComputedStyle(root.querySelector(`[part="${part}"]`)!).color));
        return { part, ratio: Math.round(((Math.max(fg, bg) + 0.05) / (Math.min(fg, bg) + 0.05)) * 10) / 10 };
      });
    });
    assert.deepEqual(
      ratios.filter((r) => r.ratio < 4.5),
      [],
      `contrast under 4.5:1: ${JSON.stringify(ratios)}`,
    );
    await context.close();
  });

  test('a light-only host page (color-scheme: light) stays readable when the visitor prefers dark', async () => {
    const context = await demo.browser.newContext({ colorScheme: 'dark', viewport: { width: 1100, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${demo.stack.demoUrl}/plain.html`);
    await page.locator('portal-login').getByRole('button', { name: 'Sign in' }).waitFor();
    // The page says it is light only (as most existing sites do, explicitly or by default).
    await page.evaluate(() => document.querySelector('meta[name="color-scheme"]')!.setAttribute('content', 'light'));
    await page.screenshot({ path: join(SHOTS, 'light-only-page-dark-preference.png') });
    const ratios = await loginContrast(page);
    assert.deepEqual(
      ratios.filter((r) => r.ratio < 4.5),
      [],
      `contrast under 4.5:1: ${JSON.stringify(ratios)}`,
    );
    await context.close();
  });
});
