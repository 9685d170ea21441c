/**
 * The whole journey, end to end, in Debian's Chromium against the running demo (reference API on an
 * in-memory database + the demo pages on their own origin):
 *   sign up on the donation page → confirmation mail in the mailbox → its link opens the donation
 *   page → set a password → signed in → purchaser form filled → event page: still signed in, form
 *   filled → sign out → the filled values are gone.
 * And an existing constituent who signs up with their primary email and name sees their membership.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { useDemo, watch } from './support.ts';

const demo = useDemo();

/** Signs up through the UI of `<portal-login>` → "Create an account" and returns the mailed link. */
async function signUp(page: Page, person: { first: string; last: string; email: string }): Promise<string> {
  const login = page.locator('portal-login');
  await login
    .getByRole('button', { name: 'Create an account' })
    .or(login.getByRole('link', { name: 'Create an account' }))
    .click();
  const form = page.locator('portal-signup form');
  await form.getByLabel('Individual').check();
  await form.getByLabel('First name').fill(person.first);
  await form.getByLabel('Last name').fill(person.last);
  await form.getByLabel('Email').fill(person.email);
  await form.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { name: 'Check your inbox' }).waitFor();

  const mailbox = await page.context().newPage();
  await mailbox.goto(`${demo.stack.demoUrl}/mailbox.html`);
  const mail = mailbox.locator(`article.mail[data-to="${person.email}"]`).first();
  await mail.waitFor();
  const href = await mail.locator('a[href*="portal-token="]').first().getAttribute('href');
  await mailbox.close();
  assert.ok(href, 'the confirmation mail carries a link with the token in its fragment');
  return href;
}

async function setPassword(page: Page, password: string) {
  const form = page.locator('portal-set-password form, portal-login form').filter({ has: page.locator('input[autocomplete="new-password"]') });
  // The step names the account (masked) and needs the person to confirm it is theirs (issue 9).
  await form.getByText(/This link is for the account .+•••@/).waitFor();
  await form.getByLabel('This is my email address').check();
  await form.locator('input[autocomplete="new-password"]').fill(password);
  await form.getByRole('button', { name: 'Save password and sign in' }).click();
}

describe('the journey', () => {
  test('new individual: sign up on the donation page, confirm, get filled in, keep the session, sign out', async () => {
    const context = await demo.browser.newContext();
    const page = await context.newPage();
    const problems = watch(page);
    const email = `new.person.${Date.now()}@example.net`;
    await page.goto(`${demo.stack.demoUrl}/donate.html`);

    const link = await signUp(page, { first: 'Rosa', last: 'Delgado', email });
    const url = new URL(link);
    assert.equal(url.pathname, '/donate.html', 'the link leads back to the page the person signed up on');
    assert.match(url.hash, /portal-token=/);

    await page.goto(link);
    await setPassword(page, 'river lanterns at dusk');
    await page.getByText('Your new account is ready.').waitFor();
    assert.ok(!page.url().includes('portal-token'), 'the token is stripped from the address bar');
    await page.getByText('Signed in as Rosa Delgado').waitFor();

    // The donation page's purchaser form (autocomplete tokens) is filled from the new record.
    await page.waitForFunction(() => (document.getElementById('d-given') as HTMLInputElement).value === 'Rosa');
    assert.equal(await page.inputValue('#d-family'), 'Delgado');
    assert.equal(await page.inputValue('#d-email'), email);
    assert.equal(await page.inputValue('#d-cc'), '', 'payment fields are never touched');

    // The event page (billing_* names, no autocomplete tokens) — still signed in, filled.
    await page.goto(`${demo.stack.demoUrl}/event.html`);
    await page.getByText('Signed in as Rosa Delgado').waitFor();
    await page.waitForFunction(() => (document.getElementById('billing_first_name') as HTMLInputElement).value === 'Rosa');
    assert.equal(await page.inputValue('#billing_last_name'), 'Delgado');
    assert.equal(await page.inputValue('#billing_email'), email);

    // The membership page (CRM-style names, no autocomplete tokens at all) — filled too.
    await page.goto(`${demo.stack.demoUrl}/membership.html`);
    await page.waitForFunction(() => (document.getElementById('first_name') as HTMLInputElement).value === 'Rosa');
    assert.equal(await page.inputValue('#last_name'), 'Delgado');
    assert.equal(await page.inputValue('#email_address'), email);

    // Back to the event page, then sign out: the values the widget filled are gone.
    await page.goto(`${demo.stack.demoUrl}/event.html`);
    await page.waitForFunction(() => (document.getElementById('billing_first_name') as HTMLInputElement).value === 'Rosa');
    await page.locator('portal-login').getByRole('button', { name: 'Sign out' }).click();
    await page.waitForFunction(() => (document.getElementById('billing_first_name') as HTMLInputElement).value === '');
    assert.equal(await page.inputValue('#billing_email'), '');
    await page.locator('portal-login').getByRole('button', { name: 'Sign in' }).waitFor();

    assert.deepEqual(problems, []);
    await context.close();
  });

  test('existing constituent: signing up with the primary email and name links the record and shows the membership', async () => {
    const context = await demo.browser.newContext();
    const page = await context.newPage();
    const problems = watch(page);
    await page.goto(`${demo.stack.demoUrl}/portal.html`);

    const link = await signUp(page, { first: 'Maria', last: 'Garcia', email: 'maria.garcia@example.org' });
    await page.goto(link);
    await setPassword(page, 'household membership 2026');
    await page.getByText('Welcome back — we found your record.').waitFor();

    const memberships = page.locator('[data-module="memberships"]');
    await memberships.waitFor();
    await memberships.getByText('Current').waitFor();
    assert.match(await memberships.innerText(), /Household Membership/);

    assert.deepEqual(problems, []);
    await context.close();
  });
});
