/**
 * axe-core on every demo page as a visitor meets it: signed out, with the sign-up form open, and
 * signed in with the purchaser form filled and the portal's modules shown. The elements have their
 * own axe checks in every state (test/components); this proves the pages around them — the way an
 * organization would place them — stay clean too, in light and dark.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { axeViolations, createPerson, useDemo, watch } from './support.ts';

const demo = useDemo();
const PAGES = ['donate', 'membership', 'event', 'portal', 'mailbox', 'admin', 'plain'];

// The three checks use contexts of their own and run at once: each mostly waits on its pages going
// network-idle, which the others' axe runs fill (issue 13: the suite's time).
describe('accessibility of the demo pages (axe, WCAG 2.2 A/AA)', { concurrency: true }, () => {
  for (const colorScheme of ['light', 'dark'] as const) {
    test(`${colorScheme}: every page signed out, and the sign-up form open`, async () => {
      const context = await demo.browser.newContext({ colorScheme });
      const page = await context.newPage();
      const problems = watch(page);
      for (const name of PAGES) {
        await page.goto(`${demo.stack.demoUrl}/${name}.html`);
        await page.waitForLoadState('networkidle');
        if (name !== 'mailbox' && name !== 'admin') await page.locator('portal-login').getByRole('button', { name: 'Sign in' }).waitFor();
        assert.deepEqual(await axeViolations(page), [], `${name}.html (${colorScheme})`);
      }
      await page.goto(`${demo.stack.demoUrl}/donate.html`);
      await page.getByRole('button', { name: 'Create an account' }).click();
      await page.getByRole('textbox', { name: 'First name' }).first().waitFor();
      assert.deepEqual(await axeViolations(page), [], `donate.html with the sign-up form open (${colorScheme})`);
      assert.deepEqual(problems, []);
      await context.close();
    });
  }

  test('signed in: the filled donation page and the portal home with its modules', async () => {
    const person = await createPerson(demo.stack.apiUrl, { firstName: 'Axel', lastName: 'Access' });
    const context = await demo.browser.newContext();
    const page = await context.newPage();
    const problems = watch(page);
    await page.goto(`${demo.stack.demoUrl}/donate.html`);
    const login = page.locator('portal-login');
    await login.getByRole('textbox', { name: 'Email' }).fill(person.email);
    await login.getByLabel('Password').fill(person.password);
    await login.getByRole('button', { name: 'Sign in' }).click();
    await page.getByText('Signed in as Axel Access').waitFor();
    await page.waitForFunction(() => (document.getElementById('d-given') as HTMLInputElement).value === 'Axel');
    assert.deepEqual(await axeViolations(page), [], 'donate.html signed in, form filled');

    await page.goto(`${demo.stack.demoUrl}/portal.html`);
    await page.getByText('Signed in as Axel Access').waitFor();
    await page.waitForLoadState('networkidle');
    assert.deepEqual(await axeViolations(page), [], 'portal.html signed in');
    assert.deepEqual(problems, []);
    await context.close();
  });
});
