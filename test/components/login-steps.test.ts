/**
 * The forgot-password and resend-confirmation steps load lazily (`<portal-email-step>`), and their
 * English with them: the step is preloaded when focus enters the form, and every way of changing its
 * words still works.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/components/login/login.js';
import '../../src/components/provider/provider.js';
import type PortalLogin from '../../src/components/login/login.component.js';
import { apiBase, clearStorage, ORG, text, waitUntil } from './helpers.js';

async function mount(translations?: Record<string, Record<string, string>>): Promise<PortalLogin> {
  const provider = await fixture(
    html`<portal-provider api=${apiBase()} org=${ORG} .translations=${translations}><portal-login></portal-login></portal-provider>`,
  );
  const login = provider.querySelector('portal-login')!;
  await waitUntil(() => login.querySelector('form') && login.session?.snapshot.status !== 'unknown', 'login ready');
  return login;
}

const button = (el: Element, label: string) => [...el.querySelectorAll('button')].find((b) => b.textContent?.trim() === label)!;

describe('<portal-login> lazily loaded email steps', () => {
  beforeEach(() => clearStorage());
  afterEach(() => clearStorage());

  it('preloads the step when focus enters the form', async () => {
    const el = await mount();
    el.querySelector<HTMLInputElement>('input[name=email]')!.focus();
    await waitUntil(() => customElements.get('portal-email-step'), 'step defined after focus');
    button(el, 'Forgot your password?').click();
    await waitUntil(() => document.activeElement === el.querySelector('portal-email-step h2'), 'step heading focused');
    expect(text(el)).to.contain('Reset your password');
    button(el, 'Back to sign in').click();
    await waitUntil(() => document.activeElement === el.querySelector('input[name=email]'), 'back: email focused');
  });

  it('applies provider overrides to the step strings', async () => {
    const el = await mount({ en: { confirmTitle: 'Send me the link again', backToSignIn: 'Never mind' } });
    button(el, 'Didn’t get the confirmation email?').click();
    await waitUntil(() => text(el).includes('Send me the link again'), 'overridden title');
    expect(button(el, 'Never mind')).to.exist;
    await expect(el).to.be.accessible();
  });
});
