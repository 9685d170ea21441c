import { expect, fixture, html, waitUntil } from '@open-wc/testing';
import '../../src/index.js';
import { FLOW_FRAGMENT_KEY, TOKEN_FRAGMENT_KEY } from '../../src/api/contract.js';
import { takeFragmentToken } from '../../src/session/store.js';
import { ORG, apiBase, clearStorage } from './helpers.js';

describe('portal-widgets entry', () => {
  beforeEach(() => clearStorage());

  it('defines provider and login eagerly, sign-up and QR only when used', async () => {
    expect(customElements.get('portal-provider')).to.exist;
    expect(customElements.get('portal-login')).to.exist;
    expect(customElements.get('purchaser-autofill')).to.exist;
    expect(customElements.get('portal-qr')).to.be.undefined;
    const provider = await fixture(html`<portal-provider api=${apiBase()} org=${ORG}><portal-signup></portal-signup></portal-provider>`);
    await waitUntil(() => customElements.get('portal-signup'), 'portal-signup autoloaded');
    const signup = provider.querySelector('portal-signup')!;
    await waitUntil(() => signup.querySelector('form'), 'sign-up rendered');
    await expect(signup).to.be.accessible();
    expect(customElements.get('portal-qr')).to.be.undefined;
  });

  it('does not put an empty lang on elements', async () => {
    const provider = await fixture(html`<portal-provider api=${apiBase()} org=${ORG}><portal-login></portal-login></portal-provider>`);
    const login = provider.querySelector('portal-login')!;
    await login.updateComplete;
    expect(login.hasAttribute('lang')).to.be.false;
    expect(provider.hasAttribute('lang')).to.be.false;
  });

  it('takes string overrides from the provider', async () => {
    const overrides = { en: { signIn: 'Log in', 'errors.invalid_credentials': 'Nope.' } };
    const provider = await fixture(
      html`<portal-provider api=${apiBase()} org=${ORG} .translations=${overrides}><portal-login></portal-login></portal-provider>`,
    );
    const login = provider.querySelector('portal-login')!;
    await waitUntil(() => login.querySelector('button[type=submit]'), 'form');
    expect(login.querySelector('button[type=submit]')!.textContent!.trim()).to.equal('Log in');
  });

  it('reads the same fragment keys as the contract', () => {
    history.replaceState(
      null,
      '',
      `${location.pathname}${location.search}#${TOKEN_FRAGMENT_KEY}=abcdefghijklmnopqrstuvwxyz&${FLOW_FRAGMENT_KEY}=signup`,
    );
    expect(takeFragmentToken()).to.deep.equal({ token: 'abcdefghijklmnopqrstuvwxyz', flow: 'signup' });
  });
});
