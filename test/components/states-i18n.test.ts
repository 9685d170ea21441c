/**
 * Every state of the forms, in English, Spanish and French, is axe-clean and says the right thing:
 * the sign-in form, invalid fields, offline with retry (an injected ky that fails, STYLE §9.41), a
 * rate limit (`429` + `Retry-After`: "busy", in minutes) blocking submit, signed in,
 * forgot password and its "check your inbox", and the sign-up form, its errors and its answer.
 */
import { aTimeout, expect, fixture, html } from '@open-wc/testing';
import ky from 'ky';
import '../../src/components/login/login.js';
import '../../src/components/provider/provider.js';
import '../../src/components/qr/qr.js';
import '../../src/components/signup/signup.js';
import type PortalLogin from '../../src/components/login/login.component.js';
import type PortalSignup from '../../src/components/signup/signup.component.js';
import { apiBase, clearStorage, createPerson, ORG, submit, text, type, uniqueEmail, waitUntil } from './helpers.js';

const PASSWORD = 'correct horse battery staple';

const T = {
  en: {
    qr: 'QR code for',
    expired: 'This link has expired or was already used.',
    signIn: 'Sign in',
    invalidEmail: 'Please enter a valid email address.',
    offline: 'We could not reach the server',
    tryAgain: 'Try again',
    busy: 'Lots of people are using the portal right now.',
    later: 'Please try again in about 2 minutes.',
    signedIn: 'Signed in as',
    forgot: 'Reset your password',
    inbox: 'Check your inbox',
    signup: 'Create your account',
    required: 'Please fill in this field.',
  },
  es: {
    qr: 'Código QR de',
    expired: 'Este enlace caducó o ya se usó.',
    signIn: 'Iniciar sesión',
    invalidEmail: 'Escriba un correo electrónico válido.',
    offline: 'No pudimos conectar con el servidor',
    tryAgain: 'Intentar de nuevo',
    busy: 'Muchas personas están usando el portal en este momento.',
    later: 'Inténtelo de nuevo en unos 2 minutos.',
    signedIn: 'Sesión iniciada como',
    forgot: 'Restablecer la contraseña',
    inbox: 'Revise su bandeja de entrada',
    signup: 'Cree su cuenta',
    required: 'Complete este campo.',
  },
  fr: {
    qr: 'Code QR pour',
    expired: 'Ce lien a expiré ou a déjà été utilisé.',
    signIn: 'Se connecter',
    invalidEmail: 'Veuillez saisir une adresse e-mail valide.',
    offline: 'Impossible de joindre le serveur',
    tryAgain: 'Réessayer',
    busy: 'Beaucoup de personnes utilisent le portail en ce moment.',
    later: 'Veuillez réessayer dans environ 2 minutes.',
    signedIn: 'Connecté en tant que',
    forgot: 'Réinitialiser le mot de passe',
    inbox: 'Consultez votre boîte de réception',
    signup: 'Créez votre compte',
    required: 'Veuillez remplir ce champ.',
  },
} as const;

type Lang = keyof typeof T;

async function mountLogin(lang: Lang, api: string, stub?: ReturnType<typeof ky.create>): Promise<PortalLogin> {
  const provider = await fixture(
    html`<portal-provider api=${stub ? `${api}?stub` : api} org=${ORG} lang=${lang} .ky=${stub}><portal-login></portal-login></portal-provider>`,
  );
  const login = provider.querySelector<PortalLogin>('portal-login')!;
  await waitUntil(() => login.querySelector('button.portal-primary')?.textContent?.trim() === T[lang].signIn, `sign-in form in ${lang}`);
  return login;
}

const alert = (el: Element) => text(el.querySelector('[role=alert]')!);

describe('form states in en, es, fr', () => {
  beforeEach(() => clearStorage());
  afterEach(() => clearStorage());

  for (const lang of Object.keys(T) as Lang[]) {
    const t = T[lang];

    it(`${lang}: sign-in form, invalid fields, offline with retry, then signed in`, async () => {
      const email = uniqueEmail(`states-${lang}`);
      await createPerson({ firstName: 'Ana', lastName: 'Estado', email, password: PASSWORD });
      let offline = true;
      const failing = ky.create({
        prefixUrl: apiBase(),
        timeout: 10_000,
        retry: 0,
        fetch: (input, init) => (offline ? Promise.reject(new TypeError('Failed to fetch')) : fetch(input, init)),
      });
      const el = await mountLogin(lang, apiBase(), failing);
      await expect(el).to.be.accessible();

      type(el, 'input[name=email]', 'not-an-email');
      submit(el);
      await waitUntil(() => el.querySelector('[aria-invalid=true]'), 'invalid');
      expect(text(el)).to.contain(t.invalidEmail);
      await expect(el).to.be.accessible();

      type(el, 'input[name=email]', email);
      type(el, 'input[name=password]', PASSWORD);
      submit(el);
      await waitUntil(() => alert(el).includes(t.offline), 'offline message');
      const retry = [...el.querySelectorAll<HTMLButtonElement>('[role=alert] button')].find((b) => b.textContent?.trim() === t.tryAgain);
      expect(retry, 'retry button').to.exist;
      await expect(el).to.be.accessible();

      offline = false;
      retry!.click();
      await waitUntil(() => text(el).includes(`${t.signedIn} Ana Estado`), 'signed in after retry');
      await expect(el).to.be.accessible();
      await el.session!.signOut();
    });

    it(`${lang}: a 429 says the portal is busy, in minutes (never raw seconds, never blame), and blocks submit`, async () => {
      let sent = 0;
      const busy = ky.create({
        prefixUrl: apiBase(),
        retry: 0,
        fetch: async () => {
          sent += 1;
          return new Response(JSON.stringify({ error: { code: 'rate_limited', message: 'Rate limited' } }), {
            status: 429,
            headers: { 'content-type': 'application/json', 'retry-after': '115' },
          });
        },
      });
      const el = await mountLogin(lang, apiBase(), busy);
      type(el, 'input[name=email]', uniqueEmail(`limited-${lang}`));
      type(el, 'input[name=password]', 'a long password here');
      submit(el);
      await waitUntil(() => alert(el).includes(t.busy), 'rate limited');
      expect(alert(el)).to.contain(t.later);
      expect(alert(el)).not.to.match(/\d+\s?s\b/);
      expect(alert(el)).not.to.match(/too many|demasiados|trop de/i);
      expect(el.querySelector<HTMLButtonElement>('button.portal-primary')!.disabled).to.equal(true);
      await expect(el).to.be.accessible();
      // Submitting again sends nothing while the wait runs.
      const before = sent;
      submit(el);
      await aTimeout(50);
      expect(sent).to.equal(before);
      expect(el.querySelector<HTMLButtonElement>('button.portal-primary')!.disabled).to.equal(true);
    });

    it(`${lang}: forgot password, check your inbox`, async () => {
      const el = await mountLogin(lang, apiBase());
      [...el.querySelectorAll<HTMLButtonElement>('button.portal-link')][0]!.click();
      await waitUntil(() => text(el.querySelector('h2') ?? el).includes(t.forgot), 'forgot view');
      await expect(el).to.be.accessible();
      type(el, 'input[name=email]', uniqueEmail(`forgot-${lang}`));
      submit(el);
      await waitUntil(() => text(el.querySelector('h2') ?? el).includes(t.inbox), 'check your inbox');
      await expect(el).to.be.accessible();
    });

    it(`${lang}: the emailed-link step (set a new password), and a link that has expired`, async () => {
      // A well-formed token the server does not know: it answers token_invalid, as for an expired link.
      history.replaceState(null, '', `${location.pathname}${location.search}#portal-token=${'x'.repeat(43)}&portal-flow=reset`);
      const provider = await fixture(html`<portal-provider api=${apiBase()} org=${ORG} lang=${lang}><portal-login></portal-login></portal-provider>`);
      const el = provider.querySelector<PortalLogin>('portal-login')!;
      // The page exchanges the token at once: the server says token_invalid, and the step says so
      // before anyone types a password.
      await waitUntil(() => el.querySelector('portal-set-password form'), 'set-password step');
      await waitUntil(() => text(el.querySelector('h2')!).includes(t.forgot), `set-password in ${lang}`);
      await waitUntil(() => alert(el).includes(t.expired), 'expired link');
      expect(el.querySelector('portal-set-password input[autocomplete=new-password]')).to.equal(null);
      await expect(el).to.be.accessible();
    });

    it(`${lang}: the QR code is an image labelled in the page's language`, async () => {
      const el = await fixture(html`<div lang=${lang}><portal-qr value="https://example.org/portal"></portal-qr></div>`);
      const qr = el.querySelector('portal-qr')!;
      await waitUntil(() => qr.shadowRoot!.querySelector('svg')?.getAttribute('aria-label')?.startsWith(t.qr), `QR label in ${lang}`);
      await expect(qr).to.be.accessible();
    });

    it(`${lang}: sign-up form, missing fields, check your inbox`, async () => {
      const provider = await fixture(
        html`<portal-provider api=${apiBase()} org=${ORG} lang=${lang}><portal-signup></portal-signup></portal-provider>`,
      );
      const el = provider.querySelector<PortalSignup>('portal-signup')!;
      await waitUntil(() => text(el.querySelector('h2') ?? el).includes(t.signup), `sign-up in ${lang}`);
      await expect(el).to.be.accessible();
      submit(el);
      await waitUntil(() => el.querySelector('[aria-invalid=true]'), 'invalid');
      expect(text(el)).to.contain(t.required);
      await expect(el).to.be.accessible();
      type(el, 'input[name=firstName]', 'Lu');
      type(el, 'input[name=lastName]', 'Nueva');
      type(el, 'input[name=email]', uniqueEmail(`signup-${lang}`));
      submit(el);
      await waitUntil(() => text(el.querySelector('h2') ?? el).includes(t.inbox), 'check your inbox');
      await expect(el).to.be.accessible();
    });
  }
});
