/**
 * Every element resolves its language in one order: its own `lang`, the provider's `lang`, the
 * nearest ancestor's `lang`, `<html lang>`, then English.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/components/login/login.js';
import '../../src/components/provider/provider.js';
import type PortalLogin from '../../src/components/login/login.component.js';
import { FakeSession, mount, unmountAll } from '../fixtures/purchaser-forms/harness.js';
import { apiBase, clearStorage, ORG, waitUntil } from './helpers.js';

const SIGN_IN = { en: 'Sign in', es: 'Iniciar sesión', fr: 'Se connecter' };
const FILLED = {
  en: 'Filled from your portal account',
  es: 'Completado con los datos de su cuenta del portal',
  fr: 'Rempli à partir de votre compte du portail',
};

/** The language of the login's sign-in button once it settles (es/fr strings load on first use). */
async function loginLanguage(root: HTMLElement, expected: keyof typeof SIGN_IN): Promise<string> {
  const login = root.querySelector<PortalLogin>('portal-login')!;
  const label = () => login.querySelector('button.portal-primary')?.textContent?.trim() ?? '';
  await waitUntil(() => label() === SIGN_IN[expected], `sign-in button in ${expected}`, { timeout: 3000 }).catch(() => undefined);
  await expect(login).to.be.accessible();
  return Object.entries(SIGN_IN).find(([, text]) => text === label())?.[0] ?? label();
}

describe('language resolution', () => {
  const htmlLang = document.documentElement.lang;
  beforeEach(() => clearStorage());
  afterEach(() => {
    document.documentElement.lang = htmlLang;
  });

  const cases: Array<{ title: string; expected: 'en' | 'es' | 'fr'; page?: string; markup: (api: string) => ReturnType<typeof html> }> = [
    {
      title: "the element's own lang beats the provider's",
      expected: 'es',
      markup: (api) =>
        html`<div lang="fr"><portal-provider api=${api} org=${ORG} lang="fr"><portal-login lang="es"></portal-login></portal-provider></div>`,
    },
    {
      title: "the provider's lang beats a nearer ancestor's",
      expected: 'fr',
      markup: (api) => html`<portal-provider api=${api} org=${ORG} lang="fr"><div lang="es"><portal-login></portal-login></div></portal-provider>`,
    },
    {
      title: "the nearest ancestor's lang beats <html lang>",
      expected: 'es',
      page: 'fr',
      markup: (api) => html`<div lang="es"><portal-provider api=${api} org=${ORG}><portal-login></portal-login></portal-provider></div>`,
    },
    {
      title: '<html lang> applies when nothing nearer says',
      expected: 'fr',
      page: 'fr',
      markup: (api) => html`<portal-provider api=${api} org=${ORG}><portal-login></portal-login></portal-provider>`,
    },
    {
      title: 'English when nothing says',
      expected: 'en',
      page: '',
      markup: (api) => html`<portal-provider api=${api} org=${ORG}><portal-login></portal-login></portal-provider>`,
    },
    {
      title: 'an unknown language falls back to English',
      expected: 'en',
      markup: (api) => html`<portal-provider api=${api} org=${ORG} lang="de"><portal-login></portal-login></portal-provider>`,
    },
  ];

  for (const c of cases) {
    it(`<portal-login>: ${c.title}`, async () => {
      if (c.page !== undefined) document.documentElement.lang = c.page;
      const root = await fixture<HTMLElement>(html`<div>${c.markup(apiBase())}</div>`);
      expect(await loginLanguage(root, c.expected)).to.equal(c.expected);
    });
  }

  it('<purchaser-autofill> follows the same order', async () => {
    const status = async (markup: string, lang?: string) => {
      const { autofill, session } = await mount(markup, new FakeSession(), lang ? { lang } : {});
      session.signIn();
      await autofill.updateComplete;
      await expect(autofill).to.be.accessible();
      const text = autofill.shadowRoot!.querySelector('[part=status] span')!.textContent!.trim();
      unmountAll();
      return text;
    };
    const form = '<form><label for="e">Email</label><input id="e" name="e" autocomplete="email"></form>';
    expect(await status(`<purchaser-autofill lang="es">${form}</purchaser-autofill>`, 'fr')).to.equal(FILLED.es);
    expect(await status(`<div lang="es"><purchaser-autofill>${form}</purchaser-autofill></div>`, 'fr')).to.equal(FILLED.fr);
    expect(await status(`<div lang="es"><purchaser-autofill>${form}</purchaser-autofill></div>`)).to.equal(FILLED.es);
    document.documentElement.lang = 'fr';
    expect(await status(`<purchaser-autofill>${form}</purchaser-autofill>`)).to.equal(FILLED.fr);
    document.documentElement.lang = '';
    expect(await status(`<purchaser-autofill>${form}</purchaser-autofill>`)).to.equal(FILLED.en);
  });
});
