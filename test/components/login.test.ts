import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../src/components/login/login.js';
import '../../src/components/provider/provider.js';
import type PortalLogin from '../../src/components/login/login.component.js';
import type { PortalSignedInEvent } from '../../src/events/signed-in.js';
import { apiBase, clearStorage, createPerson, emailedFragment, ORG, outboxCount, submit, text, type, uniqueEmail, waitUntil } from './helpers.js';

async function mount(lang = ''): Promise<PortalLogin> {
  const provider = await fixture(html`<portal-provider api=${apiBase()} org=${ORG}><portal-login lang=${lang}></portal-login></portal-provider>`);
  const login = provider.querySelector('portal-login')!;
  await waitUntil(() => login.querySelector('form, [part=base]') && login.session?.snapshot.status !== 'unknown', 'login ready');
  await login.updateComplete;
  return login;
}

async function signedInPerson(): Promise<{ email: string; password: string }> {
  const email = uniqueEmail('login');
  const password = 'correct horse battery staple';
  await createPerson({ firstName: 'Ada', lastName: 'Lovelace', email, password });
  return { email, password };
}

describe('<portal-login>', () => {
  beforeEach(() => clearStorage());
  afterEach(() => clearStorage());

  it('renders a light-DOM form with labels and autocomplete tokens', async () => {
    const el = await mount();
    await expect(el).to.be.accessible();
    const form = el.querySelector(':scope > form')!;
    expect(form).to.exist;
    const email = form.querySelector<HTMLInputElement>('input[name=email]')!;
    const password = form.querySelector<HTMLInputElement>('input[name=password]')!;
    expect(email.type).to.equal('email');
    expect(email.autocomplete).to.equal('username');
    expect(password.type).to.equal('password');
    expect(password.autocomplete).to.equal('current-password');
    expect(form.querySelector(`label[for="${email.id}"]`)).to.exist;
    expect(form.querySelector(`label[for="${password.id}"]`)).to.exist;
    expect(form.querySelector('input[type=checkbox][name=remember]')).to.exist;
    expect(form.querySelector('button[type=submit]')).to.exist;
    expect(el.shadowRoot!.querySelector('slot')).to.exist;
  });

  it('validates after submit and focuses the first invalid field', async () => {
    const el = await mount();
    type(el, 'input[name=email]', 'not-an-email');
    submit(el);
    await waitUntil(() => el.querySelector('[aria-invalid=true]'), 'invalid fields marked');
    await expect(el).to.be.accessible();
    const email = el.querySelector<HTMLInputElement>('input[name=email]')!;
    expect(email.getAttribute('aria-invalid')).to.equal('true');
    const describedBy = email.getAttribute('aria-describedby')!;
    expect(text(el.querySelector(`#${describedBy}`)!)).to.equal('Please enter a valid email address.');
    expect(document.activeElement).to.equal(email);
    const password = el.querySelector<HTMLInputElement>('input[name=password]')!;
    expect(password.getAttribute('aria-invalid')).to.equal('true');
  });

  it('shows a kind message for wrong credentials, never the raw code', async () => {
    const { email } = await signedInPerson();
    const el = await mount();
    type(el, 'input[name=email]', email);
    type(el, 'input[name=password]', 'wrong password here');
    submit(el);
    await waitUntil(() => text(el.querySelector('[role=alert]')!) !== '', 'alert shown');
    await expect(el).to.be.accessible();
    const alert = text(el.querySelector('[role=alert]')!);
    expect(alert).to.contain('That email and password do not match');
    expect(text(el)).not.to.contain('invalid_credentials');
  });

  it('signs in, emits portal-signed-in, then signs out', async () => {
    const { email, password } = await signedInPerson();
    const el = await mount();
    type(el, 'input[name=email]', email);
    type(el, 'input[name=password]', password);
    const signedIn = oneEvent(el, 'portal-signed-in') as Promise<PortalSignedInEvent>;
    submit(el);
    const event = await signedIn;
    expect(event.detail.profile.email).to.equal(email);
    expect(event.bubbles && event.composed).to.be.true;
    await waitUntil(() => text(el).includes('Signed in as Ada Lovelace'), 'signed-in view');
    await expect(el).to.be.accessible();
    const signOut = [...el.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Sign out')!;
    const signedOut = oneEvent(el, 'portal-signed-out');
    signOut.click();
    expect((await signedOut).detail.profile.email).to.equal(email);
    await waitUntil(() => el.querySelector('input[name=password]'), 'sign-in form again');
    expect(sessionStorage.length + localStorage.length).to.be.greaterThanOrEqual(0);
    expect(Object.keys(sessionStorage).some((k) => k.startsWith('portal-widgets:'))).to.be.false;
  });

  it('completes a sign-up from the emailed link: set password, signed in, outcome shown', async () => {
    const email = uniqueEmail('confirm');
    const res = await fetch(`${apiBase()}v1/orgs/${ORG}/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'individual', firstName: 'Grace', lastName: 'Hopper', email, returnTo: location.href.split('#')[0] }),
    });
    expect(res.status).to.equal(202);
    location.hash = await emailedFragment(email, 'signup');
    const el = await mount();
    await waitUntil(() => el.querySelector('portal-set-password form'), 'set-password step', { timeout: 5000 });
    expect(location.hash).to.equal('');
    await expect(el).to.be.accessible();
    const password = el.querySelector<HTMLInputElement>('input[name=password]')!;
    expect(password.autocomplete).to.equal('new-password');
    expect(el.querySelector<HTMLInputElement>('input[autocomplete=username]')!.value).to.equal('');
    expect(text(el)).to.contain(`This link is for the account ${email.slice(0, 2)}•••@example.com.`);
    el.querySelector<HTMLInputElement>('portal-set-password input[name=confirmAccount]')!.click();
    type(el, 'portal-set-password input[name=password]', 'a long new passphrase');
    const signedIn = oneEvent(el, 'portal-signed-in') as Promise<PortalSignedInEvent>;
    submit(el.querySelector('portal-set-password')!);
    const event = await signedIn;
    expect(event.detail.outcome).to.equal('created');
    await waitUntil(() => text(el).includes('Your new account is ready.'), 'outcome shown');
    expect(text(el)).to.contain('Signed in as Grace Hopper');
    await expect(el).to.be.accessible();
  });

  it('resets a forgotten password through the emailed link', async () => {
    const { email } = await signedInPerson();
    const el = await mount();
    [...el.querySelectorAll('button')].find((b) => b.textContent?.includes('Forgot'))!.click();
    await waitUntil(() => el.querySelector('h2'), 'forgot view');
    await expect(el).to.be.accessible();
    type(el, 'input[name=email]', email);
    submit(el);
    await waitUntil(() => text(el).includes('Check your inbox'), 'check inbox');
    await expect(el).to.be.accessible();
    const fragment = await emailedFragment(email, 'reset');
    el.parentElement!.remove();
    location.hash = fragment;
    const again = await mount();
    await waitUntil(() => again.querySelector('portal-set-password form'), 'set-password step');
    expect(again.querySelector<HTMLInputElement>('input[autocomplete=username]')!.value).to.equal(email);
    again.querySelector<HTMLInputElement>('portal-set-password input[name=confirmAccount]')!.click();
    type(again, 'portal-set-password input[name=password]', 'another long passphrase');
    submit(again.querySelector('portal-set-password')!);
    await waitUntil(() => text(again).includes('Your password has been changed.'), 'changed');
    expect(text(again)).to.contain('Signed in as Ada Lovelace');
  });

  it('shows a kind message for a used or expired link', async () => {
    location.hash = '#portal-token=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA&portal-flow=signup';
    const el = await mount();
    await waitUntil(() => el.querySelector('portal-set-password form'), 'set-password step');
    // The token is exchanged as the page opens: the step says at once that the link is used up.
    await waitUntil(() => text(el.querySelector('[role=alert]')!) !== '', 'alert');
    await expect(el).to.be.accessible();
    expect(text(el.querySelector('[role=alert]')!)).to.contain('This link has expired or was already used.');
    expect(el.querySelector('portal-set-password input[name=password]')).to.equal(null);
  });

  it('renders English, Spanish and French', async () => {
    const en = await mount('en');
    const enLabel = text(en.querySelector('button[type=submit]')!);
    const es = await mount('es');
    await waitUntil(() => text(es.querySelector('button[type=submit]')!) !== enLabel, 'spanish loaded');
    await expect(es).to.be.accessible();
    const fr = await mount('fr');
    await waitUntil(() => text(fr.querySelector('button[type=submit]')!) !== enLabel, 'french loaded');
    expect(enLabel).to.equal('Sign in');
    expect(text(es.querySelector('button[type=submit]')!)).to.equal('Iniciar sesión');
    expect(text(fr.querySelector('button[type=submit]')!)).to.equal('Se connecter');
  });

  it('reveals sign-up on demand', async () => {
    const el = await mount();
    expect(customElements.get('portal-signup')).to.be.undefined;
    [...el.querySelectorAll('button')].find((b) => b.textContent?.includes('Create an account'))!.click();
    await waitUntil(() => el.querySelector('portal-signup form'), 'sign-up shown');
    await expect(el).to.be.accessible();
  });
});

describe('<portal-login> "Not you?"', () => {
  beforeEach(() => clearStorage());
  afterEach(() => clearStorage());

  it('signs out and puts the focus on an empty email field', async () => {
    const email = uniqueEmail('notyou');
    await createPerson({ firstName: 'Not', lastName: 'Me', email, password: 'correct horse battery staple' });
    const provider = await fixture(html`<portal-provider api=${apiBase()} org=${ORG}><portal-login></portal-login></portal-provider>`);
    const el = provider.querySelector('portal-login')!;
    await waitUntil(() => el.querySelector('form'), 'form');
    type(el, 'input[name=email]', email);
    type(el, 'input[name=password]', 'correct horse battery staple');
    el.querySelector<HTMLInputElement>('input[name=remember]')!.checked = true;
    submit(el);
    await waitUntil(() => text(el).includes('Signed in as Not Me'), 'signed in');
    expect(Object.keys(localStorage).some((k) => k.startsWith('portal-widgets:'))).to.be.true;
    const signedOut = oneEvent(el, 'portal-signed-out');
    [...el.querySelectorAll('button')].find((b) => b.textContent?.includes('Not you?'))!.click();
    await signedOut;
    await waitUntil(() => document.activeElement === el.querySelector('input[name=email]'), 'email focused');
    expect(el.querySelector<HTMLInputElement>('input[name=email]')!.value).to.equal('');
    expect(Object.keys(localStorage).some((k) => k.startsWith('portal-widgets:'))).to.be.false;
    await expect(el).to.be.accessible();
  });
});

describe('<portal-login> without a provider', () => {
  beforeEach(() => clearStorage());
  afterEach(() => clearStorage());

  it('works from its own api and org attributes', async () => {
    const { email, password } = await signedInPerson();
    const el = await fixture<PortalLogin>(html`<portal-login api=${apiBase()} org=${ORG}></portal-login>`);
    await waitUntil(() => el.querySelector('form'), 'form');
    await expect(el).to.be.accessible();
    type(el, 'input[name=email]', email);
    type(el, 'input[name=password]', password);
    submit(el);
    await waitUntil(() => text(el).includes('Signed in as Ada Lovelace'), 'signed in');
  });
});

describe('<portal-login> focus is never dropped to <body> (STYLE §6.31)', () => {
  beforeEach(() => clearStorage());
  afterEach(() => clearStorage());

  const button = (el: Element, label: string) => [...el.querySelectorAll('button')].find((b) => b.textContent?.trim() === label)!;

  it('after a wrong password submitted from the (then disabled) Sign in button, focuses the password field', async () => {
    const { email } = await signedInPerson();
    const el = await mount();
    type(el, 'input[name=email]', email);
    type(el, 'input[name=password]', 'wrong password here');
    const submitButton = el.querySelector<HTMLButtonElement>('button[type=submit]')!;
    submitButton.focus();
    submitButton.click();
    await waitUntil(() => text(el.querySelector('[role=alert]')!).includes('That email and password do not match'), 'alert shown');
    await waitUntil(() => document.activeElement === el.querySelector('input[name=password]'), 'password focused');
    expect(el.querySelector('input[name=password]')!.getAttribute('aria-invalid')).to.equal('false');
  });

  it('after signing in, focuses the signed-in view; after signing out, the email field', async () => {
    const { email, password } = await signedInPerson();
    const el = await mount();
    type(el, 'input[name=email]', email);
    type(el, 'input[name=password]', password);
    el.querySelector<HTMLInputElement>('input[name=password]')!.focus();
    submit(el);
    await waitUntil(() => text(el).includes('Signed in as Ada Lovelace'), 'signed in');
    const signedIn = el.querySelector<HTMLElement>('.portal-signed-in')!;
    await waitUntil(() => document.activeElement === signedIn, 'signed-in line focused');
    expect(signedIn.tabIndex).to.equal(-1);
    expect(text(signedIn)).to.equal('Signed in as Ada Lovelace');
    await expect(el).to.be.accessible();

    button(el, 'Sign out').focus();
    button(el, 'Sign out').click();
    await waitUntil(() => el.querySelector('input[name=email]'), 'sign-in form');
    await waitUntil(() => document.activeElement === el.querySelector('input[name=email]'), 'email focused after sign-out');
  });

  it('does not take the focus when the person has moved on to the page', async () => {
    const { email, password } = await signedInPerson();
    const outside = document.createElement('input');
    outside.setAttribute('aria-label', 'elsewhere');
    document.body.append(outside);
    try {
      const el = await mount();
      type(el, 'input[name=email]', email);
      type(el, 'input[name=password]', password);
      outside.focus();
      submit(el);
      await waitUntil(() => text(el).includes('Signed in as Ada Lovelace'), 'signed in');
      await el.updateComplete;
      expect(document.activeElement).to.equal(outside);
    } finally {
      outside.remove();
    }
  });
});

describe('<portal-login> resend the sign-up confirmation', () => {
  beforeEach(() => clearStorage());
  afterEach(() => clearStorage());

  const button = (el: Element, label: string) => [...el.querySelectorAll('button')].find((b) => b.textContent?.trim() === label)!;

  async function signUp(email: string): Promise<void> {
    const res = await fetch(`${apiBase()}v1/orgs/${ORG}/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'individual', firstName: 'Katherine', lastName: 'Johnson', email, returnTo: location.href.split('#')[0] }),
    });
    expect(res.status).to.equal(202);
    await emailedFragment(email, 'signup');
  }

  /** Opens the step from the sign-in form (where `email` was typed) and sends it. */
  async function resendFrom(el: PortalLogin, email: string): Promise<void> {
    type(el, 'input[name=email]', email);
    button(el, 'Didn’t get the confirmation email?').click();
    await waitUntil(() => text(el).includes('Get a new confirmation email'), 'resend step');
    const heading = el.querySelector('h2')!;
    await waitUntil(() => document.activeElement === heading, 'step heading focused');
    await expect(el).to.be.accessible();
    const input = el.querySelector<HTMLInputElement>('input[name=email]')!;
    expect(input.type).to.equal('email');
    expect(input.autocomplete).to.equal('username');
    expect(input.value).to.equal(email);
    expect(el.querySelector(`label[for="${input.id}"]`)).to.exist;
    submit(el);
    await waitUntil(() => text(el).includes('Check your inbox'), 'check inbox');
    await waitUntil(() => document.activeElement === el.querySelector('h2'), 'check-inbox heading focused');
  }

  it('sends a second confirmation email whose link works, behind a visible cooldown', async () => {
    const email = uniqueEmail('unconfirmed');
    await signUp(email);
    expect(await outboxCount(email)).to.equal(1);
    const el = await mount();
    await resendFrom(el, email);
    await expect(el).to.be.accessible();
    expect(text(el)).to.contain(`If a sign-up for ${email} is waiting to be confirmed, we sent a new link.`);
    expect(button(el, 'Resend the email').disabled).to.be.true;
    expect(text(el)).to.match(/You can resend the email in \d+ s\./);
    await waitUntil(async () => (await outboxCount(email)) === 2, 'second mail');
    const fragment = await emailedFragment(email, 'signup');
    button(el, 'Back to sign in').click();
    await waitUntil(() => el.querySelector('input[name=password]'), 'sign-in form');
    el.parentElement!.remove();
    location.hash = fragment;
    const again = await mount();
    await waitUntil(() => again.querySelector('portal-set-password input[name=password]'), 'set-password step', { timeout: 5000 });
    again.querySelector<HTMLInputElement>('portal-set-password input[name=confirmAccount]')!.click();
    type(again, 'portal-set-password input[name=password]', 'a long new passphrase');
    submit(again.querySelector('portal-set-password')!);
    await waitUntil(() => text(again).includes('Signed in as Katherine Johnson'), 'signed in from the new link');
  });

  it('gives an unknown email the same answer and sends nothing', async () => {
    const email = uniqueEmail('nobody');
    const el = await mount();
    await resendFrom(el, email);
    expect(text(el)).to.contain(`If a sign-up for ${email} is waiting to be confirmed, we sent a new link.`);
    await new Promise((r) => setTimeout(r, 300));
    expect(await outboxCount(email)).to.equal(0);
  });

  it('offers the step after wrong credentials', async () => {
    const email = uniqueEmail('unconfirmed');
    await signUp(email);
    const el = await mount();
    type(el, 'input[name=email]', email);
    type(el, 'input[name=password]', 'never chosen a password');
    submit(el);
    await waitUntil(() => text(el).includes('Signed up but never confirmed?'), 'hint shown');
    await expect(el).to.be.accessible();
    button(el, 'Resend the confirmation email.').click();
    await waitUntil(() => text(el).includes('Get a new confirmation email'), 'resend step');
    expect(el.querySelector<HTMLInputElement>('input[name=email]')!.value).to.equal(email);
  });

  for (const [lang, link, title, sent] of [
    ['es', '¿No le llegó el correo de confirmación?', 'Recibir un nuevo correo de confirmación', 'Revise su bandeja de entrada'],
    ['fr', 'Vous n’avez pas reçu l’e-mail de confirmation ?', 'Recevoir un nouvel e-mail de confirmation', 'Consultez votre boîte de réception'],
  ]) {
    it(`is accessible in ${lang}`, async () => {
      const el = await mount(lang);
      await waitUntil(() => button(el, link), `${lang} loaded`);
      type(el, 'input[name=email]', uniqueEmail(lang));
      button(el, link).click();
      await waitUntil(() => text(el).includes(title), 'resend step');
      await waitUntil(() => document.activeElement === el.querySelector('h2'), 'heading focused');
      await expect(el).to.be.accessible();
      submit(el);
      await waitUntil(() => text(el).includes(sent), 'check inbox');
      await expect(el).to.be.accessible();
    });
  }
});
