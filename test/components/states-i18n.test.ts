/**
 * Every state of the forms, in English, Spanish and French, is axe-clean and says the right thing:
 * the sign-in form, invalid fields, offline with retry (an injected ky that fails, STYLE §9.41), a real
 * rate limit (`429` + `Retry-After` from the second, rate-limited API) with its countdown, signed in,
 * forgot password and its "check your inbox", and the sign-up form, its errors and its answer.
 */
import { aTimeout, expect, fixture, html, waitUntil } from '@open-wc/testing';
import ky from 'ky';
import '../../src/components/login/login.js';
import '../../src/components/provider/provider.js';
import '../../src/components/qr/qr.js';
import '../../src/components/signup/signup.js';
import type PortalLogin from '../../src/components/login/login.component.js';
import type PortalSignup from '../../src/components/signup/signup.component.js';
import { ORG, apiBase, clearStorage, createPerson, rateLimitedApiBase, submit, text, type, uniqueEmail } from './helpers.js';

const PASSWORD = 'correct horse battery staple';

const T = {
  en: { qr: 'QR code for', expired: 'This link has expired or was already used.', signIn: 'Sign in', invalidEmail: 'Please enter a valid email address.', offline: 'We could not reach the server', tryAgain: 'Try again', tooMany: 'Too many attempts.', wait: /Please wait (\d+) s before trying again\./, signedIn: 'Signed in as', forgot: 'Reset your password', inbox: 'Check your inbox', signup: 'Create your account', required: 'Please fill in this field.' },
  es: { qr: 'Código QR de', expired: 'Este enlace caducó o ya se usó.', signIn: 'Iniciar sesión', invalidEmail: 'Escriba un correo electrónico válido.', offline: 'No pudimos conectar con el servidor', tryAgain: 'Intentar de nuevo', tooMany: 'Demasiados intentos.', wait: /Espere (\d+) s antes de intentarlo de nuevo\./, signedIn: 'Sesión iniciada como', forgot: 'Restablecer la contraseña', inbox: 'Revise su bandeja de entrada', signup: 'Cree su cuenta', required: 'Complete este campo.' },
  fr: { qr: 'Code QR pour', expired: 'Ce lien a expiré ou a déjà été utilisé.', signIn: 'Se connecter', invalidEmail: 'Veuillez saisir une adresse e-mail valide.', offline: 'Impossible de joindre le serveur', tryAgain: 'Réessayer', tooMany: 'Trop de tentatives.', wait: /Veuillez patienter (\d+) s avant de réessayer\./, signedIn: 'Connecté en tant que', forgot: 'Réinitialiser le mot de passe', inbox: 'Consultez votre boîte de réception', signup: 'Créez votre compte', required: 'Veuillez remplir ce champ.' },
} as const;

type Lang = keyof typeof T;

async function mountLogin(lang: Lang, api: string, stub?: ReturnType<typeof ky.create>): Promise<PortalLogin> {
  const provider = await fixture(html`<portal-provider api=${stub ? `${api}?stub` : api} org=${ORG} lang=${lang} .ky=${stub}><portal-login></portal-login></portal-provider>`);
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

    it(`${lang}: a real 429 shows a countdown from Retry-After and blocks submit`, async () => {
      const api = rateLimitedApiBase();
      const email = uniqueEmail(`limited-${lang}`);
      // Use up the per-email sign-in allowance (10 per 15 minutes) on the rate-limited API.
      for (let i = 0; i < 10; i += 1) {
        const res = await fetch(`${api}v1/orgs/${ORG}/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password: 'wrong password here' }) });
        expect(res.status, `attempt ${i + 1}`).to.equal(401);
      }
      const el = await mountLogin(lang, api);
      type(el, 'input[name=email]', email);
      type(el, 'input[name=password]', 'wrong password again');
      submit(el);
      await waitUntil(() => alert(el).includes(t.tooMany), 'rate limited');
      const seconds = () => Number(t.wait.exec(alert(el))?.[1] ?? NaN);
      const first = seconds();
      expect(first).to.be.within(800, 900); // the server's window is 15 minutes
      expect(el.querySelector<HTMLButtonElement>('button.portal-primary')!.disabled).to.equal(true);
      await expect(el).to.be.accessible();
      await aTimeout(1100);
      expect(seconds()).to.be.below(first);
      // Submitting again sends nothing while the countdown runs.
      submit(el);
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
      await waitUntil(() => el.querySelector('portal-set-password input[autocomplete=new-password]'), 'set-password step');
      await waitUntil(() => text(el.querySelector('h2')!).includes(t.forgot), `set-password in ${lang}`);
      await expect(el).to.be.accessible();
      type(el, 'input[autocomplete=new-password]', 'a brand new long passphrase');
      submit(el.querySelector('portal-set-password')!);
      await waitUntil(() => alert(el).includes(t.expired), 'expired link');
      expect(el.querySelector<HTMLButtonElement>('portal-set-password button[type=submit]')!.disabled).to.equal(true);
      await expect(el).to.be.accessible();
    });

    it(`${lang}: the QR code is an image labelled in the page's language`, async () => {
      const el = await fixture(html`<div lang=${lang}><portal-qr value="https://example.org/portal"></portal-qr></div>`);
      const qr = el.querySelector('portal-qr')!;
      await waitUntil(() => qr.shadowRoot!.querySelector('svg')?.getAttribute('aria-label')?.startsWith(t.qr), `QR label in ${lang}`);
      await expect(qr).to.be.accessible();
    });

    it(`${lang}: sign-up form, missing fields, check your inbox`, async () => {
      const provider = await fixture(html`<portal-provider api=${apiBase()} org=${ORG} lang=${lang}><portal-signup></portal-signup></portal-provider>`);
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
