/**
 * Host CSS does not leak into the light-DOM forms (issue 11). A WordPress-like theme (unlayered element
 * rules such as `input[type=email] {…}`, `h2 {…}`, `button {…}`, `label {…}`, even with ids) leaves the
 * forms exactly as they look on a bare page; so does the shadow root of another component holding the
 * element (its own `button {…}` and no copy of our styles until we adopt them there). The documented
 * override path (`@layer portal { … }`) and the tokens still work.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/index.js';
import '../../src/components/signup/signup.js';
import type { PortalFormElement } from '../../src/internal/portal-form-element.js';
import { apiBase, clearStorage, ORG, waitUntil } from './helpers.js';

/** What a typical theme's style.css does to form controls and headings. */
const THEME = `
  form { display: block; padding: 40px; background: rgb(240, 240, 200); }
  label { display: block; text-transform: uppercase; font-size: 10px; letter-spacing: 3px; color: rgb(120, 0, 120); margin-bottom: 12px; }
  input[type=email], input[type=text] { padding: 22px; border: 4px dashed rgb(255, 0, 0); background: rgb(255, 255, 0); font-size: 30px; border-radius: 0; height: 70px; box-shadow: 0 0 0 5px pink; }
  h2 { font-size: 48px; color: rgb(200, 0, 0); text-transform: uppercase; margin: 40px 0; font-family: serif; border-bottom: 2px solid; }
  button, input[type=submit] { background: rgb(0, 0, 0); color: rgb(255, 0, 0); padding: 30px; border: 3px solid lime; text-transform: uppercase; border-radius: 0; width: 100%; }
  button::after { content: ' →'; }
  p { margin: 0 0 2em; font-size: 22px; }
  #page .entry-content input, #page .entry-content button { margin: 20px; }
  fieldset { border: 3px double rgb(0, 0, 255); padding: 30px; }
`;

/** Properties a theme typically changes, compared element by element. */
const PROPS = [
  'display',
  'padding-top',
  'padding-left',
  'margin-top',
  'margin-left',
  'border-top-width',
  'border-top-style',
  'border-top-color',
  'border-top-left-radius',
  'background-color',
  'color',
  'font-size',
  'font-family',
  'text-transform',
  'letter-spacing',
  'height',
  'width',
  'box-shadow',
] as const;

/** The parts of a form to compare, by selector. */
const PARTS = ['form', 'label', 'input[name=email]', 'input[name=password]', 'button.portal-primary', 'button.portal-link', '.portal-check input'];

type Look = Record<string, Record<string, string>>;

function look(el: Element, parts = PARTS): Look {
  const out: Look = {};
  for (const sel of parts) {
    const node = el.querySelector(sel);
    if (!node) throw new Error(`no ${sel} in <${el.localName}>`);
    const style = getComputedStyle(node);
    out[sel] = Object.fromEntries(PROPS.map((p) => [p, style.getPropertyValue(p)]));
    out[`${sel}::after`] = { content: getComputedStyle(node, '::after').content };
  }
  return out;
}

async function signInForm(container: ParentNode): Promise<PortalFormElement> {
  const el = container.querySelector<PortalFormElement>('portal-login')!;
  await waitUntil(() => el.querySelector('form input[name=email]'), 'sign-in form', { timeout: 8000 });
  return el;
}

/** A fixed-width frame, so widths compare equal wherever the element sits. */
const frame = (content: unknown) => html`<div style="width: 420px; font: 16px/1.5 sans-serif; color: rgb(20, 20, 20)">${content}</div>`;

let baseline: Look;
let baselineSignup: Look;
const SIGNUP_PARTS = ['h2', 'fieldset', 'legend', 'input[type=radio]', 'input[name=firstName]', 'button.portal-primary'];

async function signupForm(container: ParentNode): Promise<PortalFormElement> {
  const el = container.querySelector<PortalFormElement>('portal-signup')!;
  await waitUntil(() => el.querySelector('form input[name=firstName]'), 'sign-up form', { timeout: 8000 });
  return el;
}

describe('host CSS', () => {
  let theme: HTMLStyleElement | undefined;
  beforeEach(() => clearStorage());
  afterEach(() => {
    theme?.remove();
    theme = undefined;
  });

  before(async () => {
    const bare = await fixture(
      frame(html`<portal-provider api=${apiBase()} org=${ORG}><portal-login></portal-login><portal-signup></portal-signup></portal-provider>`),
    );
    baseline = look(await signInForm(bare));
    baselineSignup = look(await signupForm(bare), SIGNUP_PARTS);
    bare.remove();
  });

  it('a WordPress-like theme does not restyle the forms (inputs, labels, buttons, headings, fieldsets)', async () => {
    theme = document.createElement('style');
    theme.textContent = THEME;
    document.head.append(theme);
    const page = await fixture(
      frame(
        html`<div id="page">
          <div class="entry-content">
            <portal-provider api=${apiBase()} org=${ORG}><portal-login></portal-login><portal-signup></portal-signup></portal-provider>
          </div>
        </div>`,
      ),
    );
    // The theme does apply on the page around the element.
    const outside = document.createElement('button');
    page.querySelector('.entry-content')!.append(outside);
    expect(getComputedStyle(outside).backgroundColor).to.equal('rgb(0, 0, 0)');
    expect(look(await signInForm(page))).to.deep.equal(baseline);
    expect(look(await signupForm(page), SIGNUP_PARTS)).to.deep.equal(baselineSignup);
  });

  it("inside another component's shadow root the form looks the same (styles adopted into that root)", async () => {
    class HostCard extends HTMLElement {
      constructor() {
        super();
        const root = this.attachShadow({ mode: 'open' });
        const sheet = new CSSStyleSheet();
        sheet.replaceSync(THEME);
        root.adoptedStyleSheets = [sheet];
      }
    }
    if (!customElements.get('host-card')) customElements.define('host-card', HostCard);
    const card = await fixture<HTMLElement>(html`<host-card></host-card>`);
    const holder = document.createElement('div');
    holder.style.cssText = 'width: 420px; font: 16px/1.5 sans-serif; color: rgb(20, 20, 20)';
    holder.innerHTML = `<portal-provider api="${apiBase()}" org="${ORG}"><portal-login></portal-login></portal-provider>`;
    card.shadowRoot!.append(holder);
    expect(look(await signInForm(holder))).to.deep.equal(baseline);
  });

  it('the override path still works: @layer portal rules and the tokens', async () => {
    theme = document.createElement('style');
    theme.textContent = `${THEME}
      @layer portal { portal-login .portal-primary { background-color: rgb(1, 2, 3); } }
      .branded { --portal-color-field: rgb(250, 240, 230); }`;
    document.head.append(theme);
    const page = await fixture(
      frame(
        html`<div class="branded">
          <portal-provider api=${apiBase()} org=${ORG}><portal-login></portal-login></portal-provider>
        </div>`,
      ),
    );
    const el = await signInForm(page);
    expect(getComputedStyle(el.querySelector('button.portal-primary')!).backgroundColor).to.equal('rgb(1, 2, 3)');
    expect(getComputedStyle(el.querySelector('input[name=email]')!).backgroundColor).to.equal('rgb(250, 240, 230)');
    // Everything else is still ours.
    expect(getComputedStyle(el.querySelector('input[name=email]')!).paddingTop).to.equal(baseline['input[name=email]']!['padding-top']);
  });
});
