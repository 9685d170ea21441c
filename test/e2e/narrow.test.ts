/**
 * A small phone: 360×740 CSS px, touch. The donation page and the sign-up form fit the width (no
 * sideways scrolling), every button of the sign-in element is a tap target of at least 24×24 CSS px
 * (WCAG 2.2 target size, minimum), and signing in by tapping works and fills the purchaser form.
 * Screenshots go to `.tmp/` (git-ignored) for a human to look at.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { type Locator, type Page } from 'playwright-core';
import { SHOTS, createPerson, useDemo, watch } from './support.ts';

const demo = useDemo();

const phone = { viewport: { width: 360, height: 740 }, hasTouch: true, isMobile: true, deviceScaleFactor: 2 };

/** How far the page scrolls sideways (0 when everything fits), and which elements stick out. */
function overflow(page: Page): Promise<{ scrollWidth: number; innerWidth: number; wide: string[] }> {
  return page.evaluate(() => {
    const wide: string[] = [];
    for (const el of document.querySelectorAll<HTMLElement>('body *')) {
      const r = el.getBoundingClientRect();
      if (r.width > 0 && r.right > innerWidth + 0.5)
        wide.push(
          `${el.localName}${el.id ? `#${el.id}` : ''}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ')[0]}` : ''} right=${Math.round(r.right)}`,
        );
    }
    return { scrollWidth: document.scrollingElement!.scrollWidth, innerWidth, wide: wide.slice(0, 8) };
  });
}

async function assertFits(page: Page, what: string): Promise<void> {
  const o = await overflow(page);
  assert.ok(o.scrollWidth <= o.innerWidth, `${what} scrolls sideways: scrollWidth ${o.scrollWidth} > ${o.innerWidth}; ${o.wide.join(', ')}`);
}

/** Every visible button inside `scope`, with its rendered size. */
async function buttonSizes(scope: Locator): Promise<{ name: string; width: number; height: number }[]> {
  return scope.locator('button').evaluateAll((buttons) =>
    buttons
      .filter((b) => (b as HTMLElement).offsetParent !== null)
      .map((b) => {
        const r = b.getBoundingClientRect();
        return { name: (b.textContent ?? '').trim(), width: Math.round(r.width * 10) / 10, height: Math.round(r.height * 10) / 10 };
      }),
  );
}

function assertTargets(sizes: { name: string; width: number; height: number }[], what: string): void {
  assert.ok(sizes.length > 0, `${what} shows buttons`);
  const small = sizes.filter((s) => s.width < 24 || s.height < 24);
  assert.deepEqual(small, [], `${what}: tap targets under 24×24 CSS px`);
}

describe('narrow screen (360×740, touch)', () => {
  test('the donation page and the sign-up form fit; login buttons are big enough; signing in by tap fills the form', async () => {
    const person = await createPerson(demo.stack.apiUrl, { firstName: 'Pip', lastName: 'Narrow' });
    const context = await demo.browser.newContext(phone);
    const page = await context.newPage();
    const problems = watch(page);
    await page.goto(`${demo.stack.demoUrl}/donate.html`);
    const login = page.locator('portal-login');
    await login.getByRole('button', { name: 'Sign in' }).waitFor();
    assert.equal(await page.evaluate(() => innerWidth), 360);
    assert.equal(await page.evaluate(() => matchMedia('(pointer: coarse)').matches), true, 'a touch screen');

    await assertFits(page, 'the donation page');
    assertTargets(await buttonSizes(login), 'the sign-in form');
    await page.screenshot({ path: join(SHOTS, 'narrow-donate.png') });
    await page.screenshot({ path: join(SHOTS, 'narrow-donate-full.png'), fullPage: true });

    // Sign-up (lazy) on the phone.
    await login.getByRole('button', { name: 'Create an account' }).tap();
    const signup = page.locator('portal-signup form');
    await signup.getByRole('button', { name: 'Create account' }).waitFor();
    await signup.getByLabel('Company').tap();
    await signup.getByLabel('Company name').waitFor();
    await assertFits(page, 'the sign-up form');
    assertTargets(await buttonSizes(login), 'the sign-up form');
    await login.screenshot({ path: join(SHOTS, 'narrow-signup.png') });

    // Back to sign-in and sign in by tapping.
    await login.getByRole('button', { name: 'Already have an account? Sign in' }).tap();
    await login.getByLabel('Email').tap();
    await page.keyboard.type(person.email);
    await login.getByLabel('Password').tap();
    await page.keyboard.type(person.password);
    await login.getByRole('button', { name: 'Sign in', exact: true }).tap();
    await login.getByText('Signed in as Pip Narrow').waitFor();
    await page.waitForFunction(() => (document.getElementById('d-given') as HTMLInputElement).value === 'Pip');
    assert.equal(await page.inputValue('#d-email'), person.email);
    await assertFits(page, 'the signed-in donation page');
    assertTargets(await buttonSizes(login), 'the signed-in view');
    await page.screenshot({ path: join(SHOTS, 'narrow-signed-in.png') });
    await page.locator('#donation-form').screenshot({ path: join(SHOTS, 'narrow-filled-form.png') });

    await login.getByRole('button', { name: 'Sign out' }).tap();
    await page.waitForFunction(() => (document.getElementById('d-given') as HTMLInputElement).value === '');

    assert.deepEqual(problems, []);
    await context.close();
  });
});
