import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { expect, userEvent, waitFor } from 'storybook/test';
import { portal, withPortal } from './fixtures.ts';

/** A host page's own donation form, as an organization would write it. */
const donationForm = html`<form id="donation">
  <p><label for="sb-first">First name</label><br /><input id="sb-first" name="first_name" autocomplete="given-name" /></p>
  <p><label for="sb-last">Last name</label><br /><input id="sb-last" name="last_name" autocomplete="family-name" /></p>
  <p><label for="sb-email">Email</label><br /><input id="sb-email" name="email" type="email" autocomplete="email" /></p>
  <p><label for="sb-amount">Amount</label><br /><input id="sb-amount" name="amount" inputmode="decimal" /></p>
</form>`;

interface Args {
  lang: string;
}

/**
 * `<purchaser-autofill>`: fills the page's own purchaser form after sign-in, never overwrites what the
 * person typed, and takes back its own values on sign-out ("Not you?"). Its fill engine loads with the
 * API client, not with the page.
 */
const meta: Meta<Args> = {
  title: 'Elements/purchaser-autofill',
  component: 'purchaser-autofill',
  args: { lang: '' },
  argTypes: { lang: { control: 'select', options: ['', 'en', 'es', 'fr'] } },
  render: (args) => html`<portal-login lang=${args.lang}></portal-login>
    <purchaser-autofill lang=${args.lang}>${donationForm}</purchaser-autofill>`,
  decorators: [withPortal],
};
export default meta;
type Story = StoryObj<Args>;

/** Sign in with any password: the donation form below fills from the recorded profile. */
export const Playground: Story = {
  play: async ({ canvasElement }) => {
    const login = await waitFor(() => {
      const el = canvasElement.querySelector<HTMLElement>('portal-login');
      if (!el?.querySelector('form')) throw new Error('not ready');
      return el;
    });
    await userEvent.type(login.querySelector('input[name=email]')!, 'maria.garcia@example.org');
    await userEvent.type(login.querySelector('input[name=password]')!, 'any password');
    await userEvent.click(login.querySelector('button[type=submit]')!);
    await waitFor(() => expect(canvasElement.querySelector<HTMLInputElement>('#sb-email')!.value).toBe('maria.garcia@example.org'));
  },
};

/** A session restored on load: the form is filled and says so, with "Not you?". */
export const SignedIn: Story = {
  parameters: portal('signed-in'),
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(canvasElement.querySelector<HTMLInputElement>('#sb-first')!.value).toBe('Maria'));
  },
};

/** The same in Spanish: the status line follows the page language. */
export const Spanish: Story = { args: { lang: 'es' }, parameters: portal('signed-in') };
