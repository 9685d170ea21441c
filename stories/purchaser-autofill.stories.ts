import type { StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { expect, userEvent, waitFor } from 'storybook/test';
import { renderElement } from '../.storybook/manifest.ts';
import es from '../src/translations/es.ts';
import { harborLights, portal, withPortal } from './fixtures.ts';
import { expectActions, ready, strings } from './support.ts';

let forms = 0;
/** A host page's own donation form, as an organization would write it (ids unique per render: a docs page shows several). */
function donationForm() {
  const id = `donation-${++forms}`;
  return html`<form id=${id} class="donation">
    <h3 style="margin:0 0 .5rem">Make a gift</h3>
    <p><label for="${id}-first">First name</label><br /><input id="${id}-first" name="first_name" autocomplete="given-name" /></p>
    <p><label for="${id}-last">Last name</label><br /><input id="${id}-last" name="last_name" autocomplete="family-name" /></p>
    <p><label for="${id}-email">Email</label><br /><input id="${id}-email" name="email" type="email" autocomplete="email" /></p>
    <p><label for="${id}-phone">Phone</label><br /><input id="${id}-phone" name="phone" type="tel" autocomplete="tel" /></p>
    <p><label for="${id}-amount">Amount</label><br /><input id="${id}-amount" name="amount" inputmode="decimal" /></p>
    <p><button type="button">Donate</button></p>
  </form>`;
}

const field = (root: HTMLElement, name: string) => root.querySelector<HTMLInputElement>(`form.donation input[name=${name}]`)!;

/** Signs in with the story's `<portal-login>`. */
async function signIn(root: HTMLElement): Promise<void> {
  const login = await ready(root, 'portal-login');
  await userEvent.type(login.querySelector('input[name=email]')!, 'maria.garcia@example.org');
  await userEvent.type(login.querySelector('input[name=password]')!, 'any password');
  await userEvent.click(login.querySelector('button[type=submit]')!);
}

/**
 * `<purchaser-autofill>`: fills the page's own purchaser form after sign-in, never overwrites what the
 * person typed, and takes back its own values on sign-out ("Not you?"). Its fill engine loads with the
 * API client, not with the page.
 */
const meta = {
  title: 'Elements/purchaser-autofill',
  component: 'purchaser-autofill',
  decorators: [withPortal],
  render: (
    args: Record<string, unknown>,
  ) => html`<div style="display:grid;gap:1.5rem;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr));align-items:start">
    <portal-login></portal-login>
    ${renderElement('purchaser-autofill', args, donationForm())}
  </div>`,
};
export default meta;
type Story = StoryObj;

/** Before sign-in: the page's form as it is, empty, no status line. */
export const BeforeSignIn: Story = {
  play: async ({ canvasElement }) => {
    await ready(canvasElement, 'portal-login');
    await expect(field(canvasElement, 'email')).toHaveValue('');
    await expect(canvasElement.querySelector('purchaser-autofill')!.matches(':state(filled)')).toBe(false);
  },
};

/** Sign in with any password: the donation form fills from the recorded profile and says so. */
export const AfterSignIn: Story = {
  parameters: expectActions('portal-autofill-request', 'portal-autofill', 'portal-signed-in'),
  play: async ({ canvasElement }) => {
    const t = strings(canvasElement);
    await signIn(canvasElement);
    await waitFor(() => expect(field(canvasElement, 'email')).toHaveValue('maria.garcia@example.org'));
    await expect(field(canvasElement, 'first_name')).toHaveValue('Maria');
    await expect(field(canvasElement, 'amount')).toHaveValue('');
    const autofill = canvasElement.querySelector<HTMLElement>('purchaser-autofill')!;
    await waitFor(() => expect(autofill.shadowRoot?.textContent).toContain(t.autofillFilled));
    await expect(autofill.matches(':state(filled)')).toBe(true);
  },
};

/** What the person typed before signing in stays: only the empty fields are filled. */
export const KeepsWhatWasTyped: Story = {
  play: async ({ canvasElement }) => {
    await ready(canvasElement, 'portal-login');
    await userEvent.type(field(canvasElement, 'email'), 'maria.work@example.org');
    await signIn(canvasElement);
    await waitFor(() => expect(field(canvasElement, 'first_name')).toHaveValue('Maria'));
    await expect(field(canvasElement, 'email')).toHaveValue('maria.work@example.org');
  },
};

/** A session restored on load: the form is filled and says so, with "Not you?". */
export const SignedIn: Story = {
  parameters: portal('signed-in'),
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(field(canvasElement, 'first_name')).toHaveValue('Maria'));
  },
};

/** "Not you?" signs out and takes back only the values it filled. */
export const NotYou: Story = {
  parameters: portal('signed-in'),
  play: async ({ canvasElement }) => {
    const t = strings(canvasElement);
    await waitFor(() => expect(field(canvasElement, 'first_name')).toHaveValue('Maria'));
    await userEvent.type(field(canvasElement, 'amount'), '50');
    const autofill = canvasElement.querySelector<HTMLElement>('purchaser-autofill')!;
    const notYou = await waitFor(() => {
      const button = autofill.shadowRoot?.querySelector<HTMLButtonElement>('[part=not-you]');
      if (button?.textContent !== t.notYou) throw new Error('no "Not you?" yet');
      return button;
    });
    await userEvent.click(notYou);
    await waitFor(() => expect(field(canvasElement, 'first_name')).toHaveValue(''));
    await expect(field(canvasElement, 'email')).toHaveValue('');
    await expect(field(canvasElement, 'amount')).toHaveValue('50');
  },
};

/** The same in Spanish (the element's `lang`): the status line follows it. */
export const Spanish: Story = {
  args: { lang: 'es' },
  parameters: portal('signed-in'),
  play: async ({ canvasElement }) => {
    const autofill = canvasElement.querySelector<HTMLElement>('purchaser-autofill')!;
    await waitFor(() => expect(autofill.shadowRoot?.textContent).toContain(es.autofillFilled));
    await expect(autofill.shadowRoot?.textContent).toContain(es.notYou);
  },
};

/** Someone who manages a company record: "Filling as" chooses the person or the company, and the form follows. */
export const FillingAs: Story = {
  parameters: { ...portal('company-manager'), ...expectActions('portal-autofill') },
  play: async ({ canvasElement }) => {
    const t = strings(canvasElement);
    await waitFor(() => expect(field(canvasElement, 'email')).toHaveValue('maria.garcia@example.org'));
    const autofill = canvasElement.querySelector<HTMLElement>('purchaser-autofill')!;
    const chooser = await waitFor(() => {
      const select = autofill.shadowRoot?.querySelector<HTMLSelectElement>('[part=filling-as] select');
      if (!select) throw new Error('no "Filling as" chooser yet');
      return select;
    });
    await expect(chooser.closest('label')?.textContent).toContain(t.fillingAs);
    await userEvent.selectOptions(chooser, harborLights.id);
    await waitFor(() => expect(field(canvasElement, 'email')).toHaveValue(harborLights.email));
    await expect(field(canvasElement, 'phone')).toHaveValue(harborLights.phone);
    await expect(autofill.shadowRoot?.textContent).toContain(t.autofillFilledAs(harborLights.companyName));
  },
};
