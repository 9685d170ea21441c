/**
 * Keyboard only, on the donation page: no clicks, only Tab / Shift+Tab / Enter / Space and typing.
 * A person reaches the sign-in form in document order, gets told what is wrong (focus on the first
 * invalid field, the error in a live region), signs in, the purchaser form fills, and signs out.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { type Page } from 'playwright-core';
import { createPerson, useDemo, watch } from './support.ts';

const demo = useDemo();

interface Focused {
  tag: string;
  id: string;
  name: string | null;
  type: string | null;
  text: string;
  invalid: string | null;
  describedBy: string;
  inLogin: boolean;
}

/** What has focus (through shadow roots), described plainly. */
function focused(page: Page): Promise<Focused> {
  return page.evaluate(() => {
    let a: Element | null = document.activeElement;
    while (a?.shadowRoot?.activeElement) a = a.shadowRoot.activeElement;
    const el = (a ?? document.body) as HTMLElement;
    const described = (el.getAttribute('aria-describedby') ?? '')
      .split(/\s+/)
      .filter(Boolean)
      .map((id) => document.getElementById(id)?.textContent?.trim() ?? '')
      .join(' | ');
    return {
      tag: el.localName,
      id: el.id,
      name: el.getAttribute('name'),
      type: el.getAttribute('type'),
      text: (el.textContent ?? '').trim().slice(0, 60),
      invalid: el.getAttribute('aria-invalid'),
      describedBy: described,
      inLogin: Boolean(el.closest('portal-login')),
    };
  });
}

/** Presses Tab (or Shift+Tab) until `want` holds for the focused element; fails after `max` presses. */
async function tabUntil(page: Page, want: (f: Focused) => boolean, what: string, opts: { max?: number; back?: boolean } = {}): Promise<number> {
  const max = opts.max ?? 40;
  for (let i = 1; i <= max; i++) {
    await page.keyboard.press(opts.back ? 'Shift+Tab' : 'Tab');
    if (want(await focused(page))) return i;
  }
  assert.fail(`${what} was not reached with ${max} presses of ${opts.back ? 'Shift+Tab' : 'Tab'} (focus: ${JSON.stringify(await focused(page))})`);
}

const isLoginEmail = (f: Focused) => f.inLogin && f.tag === 'input' && f.name === 'email';

/** Resource errors the browser logs for the deliberate wrong password (401) are expected here. */
const expected401 = (p: string) => /status of 401/.test(p);

describe('keyboard only', () => {
  test('sign in and out on the donation page with Tab, Shift+Tab, Enter, Space and typing', async () => {
    const person = await createPerson(demo.stack.apiUrl, { firstName: 'Kiri', lastName: 'Keys' });
    const context = await demo.browser.newContext();
    const page = await context.newPage();
    const problems = watch(page);
    await page.goto(`${demo.stack.demoUrl}/donate.html`);
    const login = page.locator('portal-login');
    await login.getByRole('button', { name: 'Sign in' }).waitFor();

    // The sign-in form is in the tab order, after the page's own form (document order).
    const presses = await tabUntil(page, isLoginEmail, 'the sign-in email field');
    assert.ok(presses > 10, 'the page header and donation form come first');

    // Submit empty: focus goes to the first invalid field, its message linked by aria-describedby.
    await page.keyboard.press('Enter');
    await login.locator('input[name="email"][aria-invalid="true"]').waitFor();
    let f = await focused(page);
    assert.ok(isLoginEmail(f), `focus is on the email field (got ${JSON.stringify(f)})`);
    assert.equal(f.invalid, 'true');
    assert.match(f.describedBy, /\S/, 'the field error is linked for assistive technology');
    assert.equal(await login.locator(`#${f.id}`).evaluate((el) => el.matches(':focus-visible')), true, 'the focus is visible');

    // Type the email, Tab to the password, Shift+Tab comes back, Tab again.
    await page.keyboard.type(person.email);
    await page.keyboard.press('Tab');
    f = await focused(page);
    assert.equal(f.name, 'password');
    await page.keyboard.press('Shift+Tab');
    assert.ok(isLoginEmail(await focused(page)), 'Shift+Tab goes back to the email');
    assert.equal(await login.locator('input[name="email"]').inputValue(), person.email);
    await page.keyboard.press('Tab');

    // A wrong password: the error is announced (role=alert) and focus stays in the form.
    await page.keyboard.type('not my password at all');
    await page.keyboard.press('Enter');
    const alert = login.getByRole('alert');
    await alert.getByText('That email and password do not match').waitFor();
    f = await focused(page);
    assert.ok(f.inLogin && f.tag === 'input', `focus stays in the sign-in form after a failed sign-in (got ${JSON.stringify(f)})`);
    assert.equal(f.name, 'password');

    // Replace the password, tick "Remember me" with Space, Tab to "Sign in" and press Enter.
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.type(person.password);
    await page.keyboard.press('Tab');
    f = await focused(page);
    assert.equal(f.type, 'checkbox');
    await page.keyboard.press('Space');
    assert.equal(await login.locator('input[name="remember"]').isChecked(), true, 'Space ticks the checkbox');
    await page.keyboard.press('Tab');
    f = await focused(page);
    assert.equal(f.tag, 'button');
    assert.equal(f.text, 'Sign in');
    await page.keyboard.press('Enter');
    await login.getByText('Signed in as Kiri Keys').waitFor();
    await page.waitForFunction(() => (document.getElementById('d-given') as HTMLInputElement).value === 'Kiri');
    assert.equal(await page.inputValue('#d-email'), person.email);

    // Sign out with the keyboard: Tab to "Sign out" and press Space.
    await tabUntil(page, (x) => x.inLogin && x.tag === 'button' && x.text === 'Sign out', 'the Sign out button', { max: 45 });
    await page.keyboard.press('Space');
    await login.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.waitForFunction(() => (document.getElementById('d-given') as HTMLInputElement).value === '');
    assert.equal(await page.inputValue('#d-email'), '');

    assert.deepEqual(
      problems.filter((p) => !expected401(p)),
      [],
    );
    await context.close();
  });

  test('"Not you?" by keyboard signs out and puts focus on the email field', async () => {
    const person = await createPerson(demo.stack.apiUrl, { firstName: 'Noa', lastName: 'Tyou' });
    const context = await demo.browser.newContext();
    const page = await context.newPage();
    const problems = watch(page);
    await page.goto(`${demo.stack.demoUrl}/donate.html`);
    const login = page.locator('portal-login');
    await login.getByRole('button', { name: 'Sign in' }).waitFor();
    await tabUntil(page, isLoginEmail, 'the sign-in email field');
    await page.keyboard.type(person.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type(person.password);
    await page.keyboard.press('Enter');
    await login.getByText('Signed in as Noa Tyou').waitFor();
    await tabUntil(page, (x) => x.inLogin && x.tag === 'button' && x.text === 'Not you?', 'the Not you? button', { max: 45 });
    await page.keyboard.press('Enter');
    await login.getByRole('button', { name: 'Sign in' }).waitFor();
    await page.waitForFunction(() => (document.getElementById('d-given') as HTMLInputElement).value === '');
    assert.ok(isLoginEmail(await focused(page)), 'focus is on the email field, ready for the right person');
    assert.deepEqual(problems, []);
    await context.close();
  });

  test('focus is never dropped to <body>: after sign-in, after sign-out, after a failed sign-in from the Sign in button', async () => {
    const person = await createPerson(demo.stack.apiUrl, { firstName: 'Fran', lastName: 'Focus' });
    const context = await demo.browser.newContext();
    const page = await context.newPage();
    await page.goto(`${demo.stack.demoUrl}/donate.html`);
    const login = page.locator('portal-login');
    await login.getByRole('button', { name: 'Sign in' }).waitFor();
    const lost: string[] = [];
    const check = async (when: string) => {
      const f = await focused(page);
      if (f.tag === 'body') lost.push(when);
    };

    await tabUntil(page, isLoginEmail, 'the sign-in email field');
    await page.keyboard.type(person.email);
    await page.keyboard.press('Tab');
    await page.keyboard.type('not my password at all');
    await tabUntil(page, (x) => x.tag === 'button' && x.text === 'Sign in', 'the Sign in button', { max: 3 });
    await page.keyboard.press('Enter');
    await login.getByRole('alert').getByText('That email and password do not match').waitFor();
    await check('after a failed sign-in submitted from the Sign in button');

    await login.locator('input[name="password"]').fill(person.password);
    await login.locator('input[name="password"]').press('Enter');
    await login.getByText('Signed in as Fran Focus').waitFor();
    await check('after signing in');

    await login.getByRole('button', { name: 'Sign out' }).press('Enter');
    await login.getByRole('button', { name: 'Sign in' }).waitFor();
    await check('after signing out');

    assert.deepEqual(lost, [], `focus fell to <body> ${lost.join('; ')}`);
    await context.close();
  });
});
