// What a page must still do when the browser refuses storage (issue 13), shared by the page-level
// test (storage-refused.test.ts: storage made to throw, in every engine) and the real blocked-storage
// browsers (blocked/storage.test.ts: Firefox "block all cookies", Chromium site data blocked).
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/components/login/login.js';
import '../../src/components/provider/provider.js';
import type PortalLogin from '../../src/components/login/login.component.js';
import es from '../../src/translations/es.js';
import fr from '../../src/translations/fr.js';
import { apiBase, createPerson, ORG, submit, text, type, uniqueEmail, waitUntil } from './helpers.js';

const NOTICE_EN = 'your browser is set to block this site from saving data';

/** A host page: its own donation form, with a sign-in widget, all inside the provider. */
async function mountPage(lang = ''): Promise<{ page: HTMLElement; login: PortalLogin }> {
  const page = await fixture<HTMLElement>(
    html`<portal-provider api=${apiBase()} org=${ORG} lang=${lang}>
      <portal-login></portal-login>
      <form id="donation">
        <label for="amount">Amount</label>
        <input id="amount" name="amount" value="25" />
        <button type="submit">Donate</button>
      </form>
    </portal-provider>`,
  );
  const login = page.querySelector('portal-login')!;
  await waitUntil(
    () => login.querySelector('form') || text(login).includes('Signed in as'),
    '<portal-login> shows its form (not "Loading…" forever)',
    { timeout: 8000 },
  );
  await login.updateComplete;
  return { page, login };
}

/**
 * Registers the checks. `warnings` collects console.warn calls since before the first check (the
 * caller installs the spy), to prove the console says why exactly once per page.
 */
export function storageRefusedChecks(warnings: string[]): void {
  it('the provider and the page inside it render, with the sign-in form', async () => {
    const { page, login } = await mountPage();
    const form = page.querySelector<HTMLFormElement>('#donation')!;
    expect(form.getBoundingClientRect().height).to.be.greaterThan(0);
    expect(page.querySelector<HTMLInputElement>('#amount')!.value).to.equal('25');
    expect(login.querySelector('input[name=email]')).to.exist;
    expect(login.querySelector('input[name=password]')).to.exist;
    expect(text(login)).not.to.contain('Loading');
  });

  it('says once, kindly, that it cannot keep the person signed in across pages; no "keep me signed in"', async () => {
    const { login } = await mountPage();
    const notices = [...login.querySelectorAll('.portal-storage-refused')];
    expect(notices).to.have.length(1);
    expect(text(notices[0])).to.contain(NOTICE_EN);
    expect(login.querySelector('input[name=remember]'), 'the checkbox cannot keep its promise').to.equal(null);
    await expect(login).to.be.accessible();
  });

  it('says it in Spanish and French too', async () => {
    for (const [lang, t] of [
      ['es', es],
      ['fr', fr],
    ] as const) {
      const { login } = await mountPage(lang);
      // Spanish and French load on demand.
      await waitUntil(() => text(login.querySelector('.portal-storage-refused') ?? login) === t.storageRefused, `the notice in ${lang}`, {
        timeout: 8000,
      });
    }
  });

  it('signs in for the life of the page, keeps the notice once, and signs out', async () => {
    const email = uniqueEmail('nostorage');
    const password = 'correct horse battery staple';
    await createPerson({ firstName: 'Noor', lastName: 'Haddad', email, password });
    const { page, login } = await mountPage();
    type(login, 'input[name=email]', email);
    type(login, 'input[name=password]', password);
    submit(login);
    await waitUntil(() => text(login).includes('Signed in as Noor Haddad'), 'signed in', { timeout: 8000 });
    expect(login.querySelectorAll('.portal-storage-refused')).to.have.length(1);
    expect(page.querySelector('#donation')).to.exist;

    // Another provider of the same page (a widget mounted later) finds the session in memory.
    const { login: later } = await mountPage();
    await waitUntil(() => text(later).includes('Signed in as Noor Haddad'), 'the page-lifetime session restores', { timeout: 8000 });

    later.querySelector<HTMLButtonElement>('.portal-primary')!.click();
    await waitUntil(() => later.querySelector('input[name=email]'), 'signed out', { timeout: 8000 });
    // A fresh mount after sign-out starts signed out: nothing of the session is left in memory.
    const { login: after } = await mountPage();
    expect(after.querySelector('input[name=email]')).to.exist;
  });

  it('the console says why, once per page', () => {
    const ours = warnings.filter((w) => w.includes('[portal-widgets]'));
    expect(ours, ours.join('\n')).to.have.length(1);
    expect(ours[0]).to.match(/refuses .*storage/);
    expect(ours[0]).to.match(/Error/);
    expect(ours[0]).to.contain('lasts only as long as this page');
  });
}

/** Collects console.warn output (still printed) until `restore()`. */
export function spyWarnings(): { warnings: string[]; restore(): void } {
  const warnings: string[] = [];
  const original = console.warn;
  console.warn = (...args: unknown[]) => {
    warnings.push(args.map(String).join(' '));
    original.apply(console, args);
  };
  return { warnings, restore: () => (console.warn = original) };
}
