import { expect, fixture, html } from '@open-wc/testing';
import { PortalLogin } from '../../src/index.js';
import { FLOW_FRAGMENT_KEY, TOKEN_FRAGMENT_KEY } from '../../src/api/contract.js';
import { takeFragmentToken } from '../../src/session/store.js';
import { apiBase, clearStorage, ORG, waitUntil } from './helpers.js';

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

  it('in debug mode, says on the console that another version already owns a tag, and leaves it', async () => {
    class Other extends HTMLElement {
      static version = '9.9.9';
    }
    customElements.define('portal-version-clash', Other);
    const warnings: string[] = [];
    const warn = console.warn;
    const debug = globalThis as { __portalDebug?: boolean };
    console.warn = (...args: unknown[]) => void warnings.push(args.join(' '));
    debug.__portalDebug = true;
    try {
      PortalLogin.define('portal-version-clash');
      await waitUntil(() => warnings.length > 0, 'warned');
    } finally {
      console.warn = warn;
      delete debug.__portalDebug;
    }
    expect(warnings).to.deep.equal([
      `[portal-widgets] <portal-version-clash> is already defined by version 9.9.9; ${PortalLogin.version} was not registered.`,
    ]);
    expect(customElements.get('portal-version-clash')).to.equal(Other);
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
