/**
 * Loud configuration errors (issue 11), against the real reference API: a wrong `org` slug, an API that
 * does not answer, a missing provider or attributes each write a `console.error` naming the problem
 * and the fix (always: no debug flag), and the visitor sees a kind, true message instead of a form
 * that cannot work or "Loading…" forever. (An origin missing from the org's allowlist needs a page on
 * another origin: test/package/bare-page.test.ts covers it.) Also: an unsupported language says so in
 * the console, and a regional tag uses its language (es-MX → es).
 */
import { expect, fixture, html } from '@open-wc/testing';
import type { TemplateResult } from 'lit';
import '../../src/index.js';
import '../../src/components/signup/signup.js';
import type { PortalFormElement } from '../../src/internal/portal-form-element.js';
import en from '../../src/translations/en.js';
import enMore from '../../src/translations/en-more.js';
import es from '../../src/translations/es.js';
import fr from '../../src/translations/fr.js';
import { apiBase, clearStorage, ORG, waitUntil } from './helpers.js';

/** Nothing listens on port 9 (discard) here: connections are refused, like an API that is down. */
const DEAD_API = 'http://127.0.0.1:9/';

let logged: string[] = [];
let warned: string[] = [];
const original = { error: console.error, warn: console.warn };

async function mountIn(template: TemplateResult, tag = 'portal-login'): Promise<PortalFormElement> {
  const root = await fixture<HTMLElement>(html`<div>${template}</div>`);
  return root.querySelector<PortalFormElement>(tag)!;
}

/** Waits until the element shows the "unavailable" message; returns its text. */
async function unavailable(el: PortalFormElement): Promise<string> {
  await waitUntil(() => el.querySelector('.portal-unavailable'), `<${el.localName}> shows the unavailable message`, { timeout: 12000 });
  return el.querySelector('.portal-unavailable')!.textContent!.trim();
}

function consoleErrors(): string {
  return logged.filter((m) => m.includes('[portal-widgets]')).join('\n');
}

describe('configuration errors', () => {
  beforeEach(() => {
    clearStorage();
    logged = [];
    warned = [];
    console.error = (...args: unknown[]) => {
      logged.push(args.map(String).join(' '));
      original.error.apply(console, args);
    };
    console.warn = (...args: unknown[]) => {
      warned.push(args.map(String).join(' '));
      original.warn.apply(console, args);
    };
  });
  afterEach(() => {
    console.error = original.error;
    console.warn = original.warn;
  });

  it('a correct setup shows the form and logs no error', async () => {
    const el = await mountIn(html`<portal-provider api=${apiBase()} org=${ORG}><portal-login></portal-login></portal-provider>`);
    await waitUntil(() => el.querySelector('form input[name=email]'), 'sign-in form', { timeout: 8000 });
    // The element's check, answered (one per page for this api + org).
    expect(await (await import('../../src/internal/config-check.js')).checkPortal(apiBase(), ORG)).to.equal(undefined);
    await el.updateComplete;
    expect(el.configProblem).to.equal(undefined);
    expect(el.querySelector('.portal-unavailable')).to.equal(null);
    expect(consoleErrors()).to.equal('');
  });

  it('a wrong org slug: console names the slug and the fix; the visitor gets a kind message', async () => {
    const el = await mountIn(html`<portal-provider api=${apiBase()} org="riverside-artz"><portal-login></portal-login></portal-provider>`);
    expect(await unavailable(el)).to.equal(en.unavailable);
    expect(el.configProblem).to.equal('org_not_found');
    expect(el.matches(':state(unavailable)')).to.equal(true);
    expect(consoleErrors()).to.include('no organization "riverside-artz"').and.include('Fix: set org');
    expect(el.textContent).not.to.include(en.loading);
    expect(el.textContent).not.to.include(enMore.errors.network_error);
    await expect(el).to.be.accessible();
  });

  it('an API that does not answer: console names the URL and what to check, in every element', async () => {
    const root = await fixture<HTMLElement>(
      html`<div>
        <portal-provider api=${DEAD_API} org=${ORG}><portal-login></portal-login><portal-signup></portal-signup></portal-provider>
      </div>`,
    );
    const login = root.querySelector<PortalFormElement>('portal-login')!;
    const signup = root.querySelector<PortalFormElement>('portal-signup')!;
    expect(await unavailable(login)).to.equal(en.unavailable);
    expect(await unavailable(signup)).to.equal(en.unavailable);
    expect(login.configProblem).to.equal('api_unreachable');
    const errors = consoleErrors();
    expect(errors).to.include(`the portal API at ${DEAD_API} did not answer`).and.include('connect-src');
    // Said once per page, not once per element.
    expect(errors.split('\n').filter((m) => m.includes('did not answer'))).to.have.length(1);
  });

  it('an element alone, with no provider and no api/org: says what to wrap it in, instead of "Loading…" forever', async () => {
    const el = await mountIn(html`<portal-login></portal-login>`);
    expect(await unavailable(el)).to.equal(en.unavailable);
    expect(el.configProblem).to.equal('config_missing');
    expect(consoleErrors()).to.include('<portal-login> has no portal configuration').and.include('<portal-provider api=');
  });

  it('<purchaser-autofill> alone, with no provider and no api/org: says what to wrap it in', async () => {
    await fixture(html`<div><purchaser-autofill><form><input name="email" autocomplete="email" /></form></purchaser-autofill></div>`);
    await waitUntil(() => consoleErrors().includes('<purchaser-autofill> has no portal configuration'), 'no console error', { timeout: 5000 });
    expect(consoleErrors()).to.include('<portal-provider api=');
  });

  it('a provider without org: both the provider and the element say so', async () => {
    const el = await mountIn(html`<portal-provider api=${apiBase()}><portal-login></portal-login></portal-provider>`);
    expect(await unavailable(el)).to.equal(en.unavailable);
    const errors = consoleErrors();
    expect(errors).to.include('<portal-provider> has no org attribute');
    expect(errors).to.include('<portal-login> is inside a <portal-provider> that has no org attribute');
  });

  it('a wrong slug on an element used without a provider (its own api and org)', async () => {
    const el = await mountIn(html`<portal-signup api=${apiBase()} org="no-such-org"></portal-signup>`, 'portal-signup');
    expect(await unavailable(el)).to.equal(en.unavailable);
    expect(el.configProblem).to.equal('org_not_found');
  });

  it('fixing the attribute brings the form back', async () => {
    const root = await fixture<HTMLElement>(
      html`<div>
        <portal-provider api=${apiBase()} org="riverside-artz"><portal-login></portal-login></portal-provider>
      </div>`,
    );
    const el = root.querySelector<PortalFormElement>('portal-login')!;
    await unavailable(el);
    root.querySelector('portal-provider')!.setAttribute('org', ORG);
    await waitUntil(() => el.querySelector('form input[name=email]'), 'the form is back', { timeout: 8000 });
    expect(el.configProblem).to.equal(undefined);
  });

  it('<portal-qr> says the same: alone with no configuration, and with an API that does not answer', async () => {
    // Another dead URL than the tests above: the console says each problem once per page.
    const dead = `${DEAD_API}qr/`;
    const root = await fixture<HTMLElement>(html`<div><portal-qr></portal-qr><portal-qr api=${dead} org=${ORG}></portal-qr></div>`);
    const [alone, unanswered] = [...root.querySelectorAll('portal-qr')];
    const shown = (el: Element) => el.shadowRoot?.querySelector('[part=error]')?.textContent?.trim();
    await waitUntil(() => shown(alone!) === en.unavailable && shown(unanswered!) === en.unavailable, 'both QR codes show the unavailable message', {
      timeout: 12000,
    });
    const errors = consoleErrors();
    expect(errors).to.include('<portal-qr> has no portal configuration');
    expect(errors).to.include(`the portal API at ${dead} did not answer`);
  });

  for (const [lang, strings] of [
    ['es', es],
    ['fr', fr],
  ] as const) {
    it(`the visitor message in ${lang}`, async () => {
      const el = await mountIn(html`<portal-provider api=${DEAD_API} org=${ORG} lang=${lang}><portal-login></portal-login></portal-provider>`);
      await waitUntil(() => el.querySelector('.portal-unavailable')?.textContent?.trim() === strings.unavailable, `message in ${lang}`, {
        timeout: 12000,
      });
    });
  }

  it('an unsupported language says so in the console and shows English; es-MX uses Spanish', async () => {
    const de = await mountIn(html`<portal-provider api=${apiBase()} org=${ORG} lang="de-AT"><portal-login></portal-login></portal-provider>`);
    await waitUntil(() => de.querySelector('button.portal-primary')?.textContent?.trim() === en.signIn, 'English sign-in', { timeout: 8000 });
    // The form shows in the first frame; the console text arrives with the configuration check's chunk.
    await waitUntil(() => warned.join('\n').includes('no translation for "de-at"'), 'the console says so', { timeout: 8000 });
    expect(warned.join('\n')).to.include('registerTranslation');
    warned = [];
    const mx = await mountIn(html`<portal-provider api=${apiBase()} org=${ORG} lang="es-MX"><portal-login></portal-login></portal-provider>`);
    await waitUntil(() => mx.querySelector('button.portal-primary')?.textContent?.trim() === es.signIn, 'Spanish sign-in', { timeout: 8000 });
    expect(warned.join('\n')).not.to.include('no translation');
  });
});
