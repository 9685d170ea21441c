/**
 * Browsers without `light-dark()` (before Chrome 123, Firefox 120, Safari 17.5) get the light default of
 * every theme token in the light-DOM form sheets (styles/document.ts), the first load's and what the
 * request code adds later, with no fallback rule written twice. Every engine the suite runs has
 * `light-dark()`, so `CSS.supports` is made to say it has not before the elements load (each test file
 * runs in a page of its own): the sheets then hold no `light-dark()`, and on a page in dark mode the
 * form keeps the light colours (where the engine's own `light-dark()` would pick the dark ones).
 */
import { expect, fixture, html } from '@open-wc/testing';
import type PortalLogin from '../../src/components/login/login.component.js';
import { apiBase, clearStorage, ORG, submit, waitUntil } from './helpers.js';

const supports = CSS.supports.bind(CSS) as (...args: string[]) => boolean;

describe('without light-dark()', () => {
  before(async () => {
    CSS.supports = ((...args: string[]) => (args.join(' ').includes('light-dark(') ? false : supports(...args))) as typeof CSS.supports;
    await import('../../src/components/provider/provider.js');
    await import('../../src/components/login/login.js');
  });
  after(() => {
    CSS.supports = supports as typeof CSS.supports;
  });
  beforeEach(() => clearStorage());
  afterEach(() => {
    clearStorage();
    document.documentElement.style.removeProperty('color-scheme');
  });

  it("the form's sheets use each token's light default, in dark mode too; a page's token still wins", async () => {
    const provider = await fixture(html`<portal-provider api=${apiBase()} org=${ORG}><portal-login></portal-login></portal-provider>`);
    const login = provider.querySelector<PortalLogin>('portal-login')!;
    await waitUntil(() => login.querySelector('button.portal-primary'), 'form');
    await expect(login).to.be.accessible();
    document.documentElement.style.colorScheme = 'dark';
    const sheets = () => document.adoptedStyleSheets.map((s) => [...s.cssRules].map((r) => r.cssText).join('\n')).join('\n');
    expect(sheets()).to.include('.portal-primary');
    expect(sheets()).not.to.include('light-dark(');
    expect(getComputedStyle(login.querySelector('button.portal-primary')!).backgroundColor).to.equal('rgb(31, 95, 191)');
    expect(getComputedStyle(login.querySelector('button.portal-link')!).color).to.equal('rgb(31, 95, 191)');
    // The rules the request code adds after a submit (invalid fields, the alert) get the same treatment.
    submit(login);
    await waitUntil(() => login.querySelector('[aria-invalid=true]'), 'invalid fields marked');
    expect(sheets()).to.include('.portal-field-error');
    expect(sheets()).not.to.include('light-dark(');
    expect(getComputedStyle(login.querySelector('.portal-field-error')!).color).to.equal('rgb(179, 38, 30)');
    login.style.setProperty('--portal-color-primary', 'rgb(11, 92, 107)');
    expect(getComputedStyle(login.querySelector('button.portal-primary')!).backgroundColor).to.equal('rgb(11, 92, 107)');
  });
});
