// Run only by the `storage-blocked-local` group of web-test-runner.config.mjs, in MiniBrowser with
// web storage turned off (--enable-html5-local-storage=false): WebKit then refuses localStorage but
// keeps sessionStorage. Sign-in must work and last across the pages of this tab (sessionStorage),
// "keep me signed in" falls back to the tab, and the console says once why it will not last longer.
import { expect, fixture, html } from '@open-wc/testing';
import '../../../src/components/login/login.js';
import '../../../src/components/provider/provider.js';
import type PortalLogin from '../../../src/components/login/login.component.js';
import { apiBase, createPerson, ORG, submit, text, type, uniqueEmail, waitUntil } from '../helpers.js';
import { spyWarnings } from '../storage-refused-checks.js';

async function mount(): Promise<PortalLogin> {
  const provider = await fixture(html`<portal-provider api=${apiBase()} org=${ORG}><portal-login></portal-login></portal-provider>`);
  const login = provider.querySelector('portal-login')!;
  await waitUntil(() => login.querySelector('form') || text(login).includes('Signed in as'), '<portal-login> ready', { timeout: 8000 });
  return login;
}

describe('localStorage refused by the browser settings, sessionStorage allowed', () => {
  const spy = spyWarnings();
  after(() => spy.restore());

  it('this browser really refuses localStorage and keeps sessionStorage', () => {
    expect(() => window.localStorage!.setItem('portal-widgets:check', '1')).to.throw();
    sessionStorage.setItem('portal-widgets:check', '1');
    sessionStorage.removeItem('portal-widgets:check');
  });

  it('signs in with "keep me signed in", and a later page of this tab restores the session', async () => {
    const email = uniqueEmail('nolocal');
    const password = 'correct horse battery staple';
    await createPerson({ firstName: 'Wren', lastName: 'Local', email, password });
    const login = await mount();
    expect(login.querySelector('.portal-storage-refused'), 'the session still lasts across this tab’s pages: no notice').to.equal(null);
    type(login, 'input[name=email]', email);
    type(login, 'input[name=password]', password);
    login.querySelector<HTMLInputElement>('input[name=remember]')!.click();
    submit(login);
    await waitUntil(() => text(login).includes('Signed in as Wren Local'), 'signed in', { timeout: 8000 });
    login.closest('portal-provider')!.remove();
    const again = await mount();
    await waitUntil(() => text(again).includes('Signed in as Wren Local'), 'restored from sessionStorage', { timeout: 8000 });
    await again.session!.signOut();
    for (const key of Object.keys(sessionStorage)) if (key.startsWith('portal-widgets:')) sessionStorage.removeItem(key);
  });

  it('the console says why, once', () => {
    const ours = spy.warnings.filter((w) => w.includes('[portal-widgets]'));
    expect(ours, ours.join('\n')).to.have.length(1);
    expect(ours[0]).to.contain('localStorage');
    expect(ours[0]).to.contain('lasts while this tab is open');
  });
});
