import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { expect, userEvent, waitFor } from 'storybook/test';
import { portal, withPortal } from './fixtures.ts';

interface Args {
  lang: string;
  resendCooldown: number;
}

/** `<portal-signup>`: individual or company sign-up; always answers "check your inbox". */
const meta: Meta<Args> = {
  title: 'Elements/portal-signup',
  component: 'portal-signup',
  args: { lang: '', resendCooldown: 30 },
  argTypes: { lang: { control: 'select', options: ['', 'en', 'es', 'fr'] } },
  render: (args) => html`<portal-signup lang=${args.lang} resend-cooldown=${args.resendCooldown}></portal-signup>`,
  decorators: [withPortal],
};
export default meta;
type Story = StoryObj<Args>;

/** Fill in and submit to reach "Check your inbox" with the resend cooldown. */
export const Playground: Story = {};

/** After submit: "Check your inbox", with Resend after a visible cooldown. */
export const CheckYourInbox: Story = {
  play: async ({ canvasElement }) => {
    const signup = await waitFor(() => {
      const el = canvasElement.querySelector<HTMLElement>('portal-signup');
      if (!el?.querySelector('form')) throw new Error('not ready');
      return el;
    });
    await userEvent.type(signup.querySelector('input[name=firstName]')!, 'Rosa');
    await userEvent.type(signup.querySelector('input[name=lastName]')!, 'Delgado');
    await userEvent.type(signup.querySelector('input[name=email]')!, 'rosa@example.org');
    await userEvent.click(signup.querySelector('button[type=submit]')!);
    await waitFor(() => expect(signup.textContent).toContain('Check your inbox'));
    await expect(signup.textContent).toMatch(/You can resend the email in \d+ s/);
  },
};

/** All three languages. */
export const Overview: Story = {
  render: () => html`<div style="display:grid;gap:1rem;grid-template-columns:repeat(auto-fit,minmax(20rem,1fr))">
    <portal-signup lang="en"></portal-signup><portal-signup lang="es"></portal-signup><portal-signup lang="fr"></portal-signup>
  </div>`,
};

/** Submit to see the Retry-After countdown. */
export const RateLimited: Story = { parameters: portal('rate-limited') };

/** Submit to see the offline message. */
export const Offline: Story = { parameters: portal('offline') };
