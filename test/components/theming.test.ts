/** Theme tokens (docs/theming.md): one `--portal-color-primary` on :root brands every element. */
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/components/login/login.js';
import '../../src/components/provider/provider.js';
import type PortalLogin from '../../src/components/login/login.component.js';
import { apiBase, clearStorage, ORG, waitUntil } from './helpers.js';

describe('theme tokens', () => {
  const root = document.documentElement;
  beforeEach(() => clearStorage());
  afterEach(() => {
    for (const p of ['--portal-color-primary', '--portal-color-primary-contrast', '--portal-login-gap', '--portal-radius-m'])
      root.style.removeProperty(p);
  });

  it('--portal-color-primary and friends set on :root reach the light-DOM form; element hooks win', async () => {
    root.style.setProperty('--portal-color-primary', 'rgb(11, 92, 107)');
    root.style.setProperty('--portal-color-primary-contrast', 'rgb(255, 255, 254)');
    root.style.setProperty('--portal-radius-m', '3px');
    const provider = await fixture(html`<portal-provider api=${apiBase()} org=${ORG}><portal-login></portal-login></portal-provider>`);
    const login = provider.querySelector<PortalLogin>('portal-login')!;
    await waitUntil(() => login.querySelector('button.portal-primary'), 'form');
    const button = getComputedStyle(login.querySelector('button.portal-primary')!);
    expect(button.backgroundColor).to.equal('rgb(11, 92, 107)');
    expect(button.color).to.equal('rgb(255, 255, 254)');
    expect(button.borderTopLeftRadius).to.equal('3px');
    expect(getComputedStyle(login.querySelector('button.portal-link')!).color).to.equal('rgb(11, 92, 107)');
    const form = login.querySelector('form')!;
    expect(getComputedStyle(form).rowGap).to.equal('14px');
    root.style.setProperty('--portal-login-gap', '20px');
    expect(getComputedStyle(form).rowGap).to.equal('20px');
    await expect(login).to.be.accessible();
  });

  async function mountLogin(attrs = ''): Promise<PortalLogin> {
    const provider = await fixture(html`<portal-provider api=${apiBase()} org=${ORG}><portal-login></portal-login></portal-provider>`);
    const login = provider.querySelector<PortalLogin>('portal-login')!;
    if (attrs) login.setAttribute(attrs, '');
    await waitUntil(() => login.querySelector('button.portal-primary'), 'form');
    await login.updateComplete;
    return login;
  }

  it("link-style buttons line up with the form's left edge (no button padding)", async () => {
    const login = await mountLogin();
    const form = login.querySelector('form')!.getBoundingClientRect();
    for (const link of login.querySelectorAll<HTMLButtonElement>('button.portal-link')) {
      const style = getComputedStyle(link);
      expect(style.paddingLeft, link.textContent!).to.equal('0px');
      if (link.parentElement?.localName === 'form') expect(link.getBoundingClientRect().left).to.equal(form.left);
    }
    const primary = getComputedStyle(login.querySelector('button.portal-primary')!);
    expect(primary.paddingLeft).to.equal('16px');
  });

  it("follows the page's color-scheme, not only the visitor's preference", async () => {
    const login = await mountLogin();
    const base = login.shadowRoot!.querySelector('[part=base]')!;
    const hint = () => getComputedStyle(login.querySelector('button.portal-link')!).color;
    // The label inherits the page's text colour, the system colour CanvasText of the scheme, which
    // each engine picks itself (Chromium's dark one is white, Firefox's rgb(251, 251, 254)): compare
    // with what this engine computes for CanvasText under the same scheme, not with one engine's value.
    const probe = document.createElement('span');
    probe.style.color = 'CanvasText';
    probe.style.backgroundColor = 'Canvas';
    document.body.append(probe);
    const system = () => getComputedStyle(probe);
    try {
      root.style.colorScheme = 'light';
      expect(getComputedStyle(base).backgroundColor).to.equal('rgb(255, 255, 255)');
      expect(getComputedStyle(login.querySelector('label')!).color).to.equal(system().color);
      expect(hint()).to.equal('rgb(31, 95, 191)');
      const lightText = system().color;
      root.style.colorScheme = 'dark';
      expect(system().color, 'the engine has a dark CanvasText').not.to.equal(lightText);
      expect(getComputedStyle(base).backgroundColor).not.to.equal('rgb(255, 255, 255)');
      expect(getComputedStyle(login.querySelector('label')!).color).to.equal(system().color);
      expect(hint()).to.equal('rgb(110, 168, 254)');
    } finally {
      probe.remove();
      root.style.removeProperty('color-scheme');
    }
  });

  it('without-card drops the card chrome and inherits the page text colour', async () => {
    const login = await mountLogin('without-card');
    expect(login.withoutCard).to.be.true;
    const base = getComputedStyle(login.shadowRoot!.querySelector('[part=base]')!);
    expect(base.borderTopWidth).to.equal('0px');
    expect(base.paddingLeft).to.equal('0px');
    expect(base.backgroundColor).to.equal('rgba(0, 0, 0, 0)');
    await expect(login).to.be.accessible();
  });
});
