import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../src/components/provider/provider.js';
import '../../src/components/signup/signup.js';
import type PortalSignup from '../../src/components/signup/signup.component.js';
import type { PortalSignupRequestedEvent } from '../../src/events/signup-requested.js';
import { apiBase, clearStorage, emailedFragment, ORG, outboxCount, submit, text, type, uniqueEmail, waitUntil } from './helpers.js';

async function mount(attrs: { lang?: string; cooldown?: number } = {}): Promise<PortalSignup> {
  const provider = await fixture(
    html`<portal-provider api=${apiBase()} org=${ORG}
      ><portal-signup lang=${attrs.lang ?? ''} resend-cooldown=${attrs.cooldown ?? 30}></portal-signup
    ></portal-provider>`,
  );
  const el = provider.querySelector('portal-signup')!;
  await waitUntil(() => el.querySelector('form'), 'form rendered');
  return el;
}

async function signUp(el: PortalSignup, email: string, first = 'Lin', last = 'Wong'): Promise<PortalSignupRequestedEvent> {
  type(el, 'input[name=firstName]', first);
  type(el, 'input[name=lastName]', last);
  type(el, 'input[name=email]', email);
  const requested = oneEvent(el, 'portal-signup-requested') as Promise<PortalSignupRequestedEvent>;
  submit(el);
  const event = await requested;
  await waitUntil(() => text(el).includes('Check your inbox'), 'check your inbox');
  return event;
}

describe('<portal-signup>', () => {
  beforeEach(() => clearStorage());

  it('renders a light-DOM form with kind choice, labels, autocomplete and the reminder', async () => {
    const el = await mount();
    await expect(el).to.be.accessible();
    const form = el.querySelector(':scope > form')!;
    expect(form.querySelectorAll('input[type=radio][name=kind]')).to.have.length(2);
    expect(form.querySelector<HTMLInputElement>('input[name=firstName]')!.autocomplete).to.equal('given-name');
    expect(form.querySelector<HTMLInputElement>('input[name=lastName]')!.autocomplete).to.equal('family-name');
    const email = form.querySelector<HTMLInputElement>('input[name=email]')!;
    expect(email.autocomplete).to.equal('email');
    expect(text(form)).to.contain('Already in our records? Use the primary email and name we have for you');
    expect(email.getAttribute('aria-describedby')).to.match(/-hint$/);
    for (const input of form.querySelectorAll('input')) expect(form.querySelector(`label[for="${input.id}"]`)).to.exist;
  });

  it('asks a company for its name and the contact person', async () => {
    const el = await mount();
    el.querySelector<HTMLInputElement>('input[value=company]')!.click();
    await waitUntil(() => el.querySelector('input[name=companyName]'), 'company field');
    await expect(el).to.be.accessible();
    expect(el.querySelector<HTMLInputElement>('input[name=companyName]')!.autocomplete).to.equal('organization');
    expect(text(el)).to.contain('Contact first name');
    type(el, 'input[name=firstName]', 'Ana');
    type(el, 'input[name=lastName]', 'Ruiz');
    type(el, 'input[name=email]', uniqueEmail('company'));
    submit(el);
    await waitUntil(() => el.querySelector('[aria-invalid=true]'), 'company name required');
    expect(document.activeElement).to.equal(el.querySelector('input[name=companyName]'));
  });

  it('validates after submit and focuses the first invalid field', async () => {
    const el = await mount();
    expect(el.querySelector('[aria-invalid=true]')).to.be.null;
    submit(el);
    await waitUntil(() => el.querySelector('[aria-invalid=true]'), 'invalid marked');
    await expect(el).to.be.accessible();
    expect(document.activeElement).to.equal(el.querySelector('input[name=firstName]'));
    expect(el.querySelectorAll('[aria-invalid=true]')).to.have.length(3);
  });

  it('answers "check your inbox" for a new email and emails a confirmation link', async () => {
    const el = await mount();
    const email = uniqueEmail('new');
    const event = await signUp(el, email);
    expect(event.detail).to.deep.equal({ email, kind: 'individual' });
    await expect(el).to.be.accessible();
    expect(text(el)).to.contain(email);
    expect(await emailedFragment(email, 'signup')).to.match(/^#portal-token=/);
  });

  it('answers the same for a known email', async () => {
    const el = await mount();
    await signUp(el, 'maria.garcia@example.org', 'Maria', 'Garcia');
    await expect(el).to.be.accessible();
    expect(text(el)).to.contain('Check your inbox');
    expect(text(el)).not.to.match(/already|exists/i);
  });

  it('offers resend after a visible cooldown', async () => {
    const el = await mount({ cooldown: 1 });
    const email = uniqueEmail('resend');
    await signUp(el, email);
    const resend = () => [...el.querySelectorAll('button')].find((b) => b.textContent?.includes('Resend'))!;
    expect(resend().disabled).to.be.true;
    expect(text(el)).to.match(/You can resend the email in \d+ s\./);
    await waitUntil(() => !resend().disabled, 'cooldown over', { timeout: 4000 });
    await emailedFragment(email, 'signup');
    const before = await outboxCount(email);
    resend().click();
    await waitUntil(() => text(el).includes('We sent the email again.'), 'resent');
    await expect(el).to.be.accessible();
    await waitUntil(async () => (await outboxCount(email)) > before, 'second email', { timeout: 5000 });
  });

  it('speaks Spanish', async () => {
    const el = await mount({ lang: 'es' });
    await waitUntil(() => text(el).includes('Cree su cuenta'), 'spanish');
    await expect(el).to.be.accessible();
  });
});

describe('<portal-signup> opened from the emailed link', () => {
  beforeEach(() => clearStorage());
  afterEach(() => clearStorage());

  it('takes the token when no <portal-login> is on the page: set password, signed in, outcome', async () => {
    const email = uniqueEmail('standalone');
    const first = await mount();
    await signUp(first, email, 'Rosa', 'Delgado');
    const fragment = await emailedFragment(email, 'signup');
    first.parentElement!.remove();
    location.hash = fragment;
    const el = await fixture(html`<portal-provider api=${apiBase()} org=${ORG}><portal-signup></portal-signup></portal-provider>`).then((p) =>
      p.querySelector('portal-signup')!,
    );
    await waitUntil(() => el.querySelector('portal-set-password form'), 'set-password step');
    await expect(el).to.be.accessible();
    expect(el.querySelector<HTMLInputElement>('input[autocomplete=username]')!.value).to.equal(email);
    el.querySelector<HTMLInputElement>('portal-set-password input[name=confirmAccount]')!.click();
    type(el, 'portal-set-password input[name=password]', 'a long new passphrase');
    const signedIn = oneEvent(el, 'portal-signed-in');
    submit(el.querySelector('portal-set-password')!);
    expect((await signedIn).detail.outcome).to.equal('created');
    await waitUntil(() => text(el).includes('Your new account is ready.'), 'outcome');
    expect(text(el)).to.contain('Signed in as Rosa Delgado');
    await expect(el).to.be.accessible();
  });
});
