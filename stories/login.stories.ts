import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { expect, userEvent, waitFor } from 'storybook/test';
import { portal, withPortal } from './fixtures.ts';

/** Fills the sign-in form of the story's `<portal-login>` and submits it. */
async function signIn(root: HTMLElement): Promise<HTMLElement> {
  const login = await waitFor(() => {
    const el = root.querySelector<HTMLElement>('portal-login');
    if (!el?.querySelector('form')) throw new Error('not ready');
    return el;
  });
  await userEvent.type(login.querySelector('input[name=email]')!, 'maria.garcia@example.org');
  await userEvent.type(login.querySelector('input[name=password]')!, 'not the password');
  await userEvent.click(login.querySelector('button[type=submit]')!);
  return login;
}

const alertText = (login: HTMLElement) => login.querySelector('[role=alert]')?.textContent ?? '';

interface Args {
  lang: string;
}

/** `<portal-login>`: email + password sign-in, forgot password, the emailed set-password step, sign-up. */
const meta: Meta<Args> = {
  title: 'Elements/portal-login',
  component: 'portal-login',
  args: { lang: '' },
  argTypes: { lang: { control: 'select', options: ['', 'en', 'es', 'fr'] } },
  render: (args) => html`<portal-login lang=${args.lang}></portal-login>`,
  decorators: [withPortal],
};
export default meta;
type Story = StoryObj<Args>;

/** Change the language and try it; every answer comes from recorded fixtures. */
export const Playground: Story = {};

/** Spanish and French load on demand. */
export const Overview: Story = {
  render: () => html`<div style="display:grid;gap:1rem;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr))">
    <portal-login lang="en"></portal-login><portal-login lang="es"></portal-login><portal-login lang="fr"></portal-login>
  </div>`,
};

/** A session restored from a stored refresh token on load. */
export const SignedIn: Story = { parameters: portal('signed-in') };

/** Submit any password to see the kind message for wrong credentials, with the way to resend the confirmation. */
export const WrongPassword: Story = {
  parameters: portal('wrong-password'),
  play: async ({ canvasElement }) => {
    const login = await signIn(canvasElement);
    await waitFor(() => expect(alertText(login)).toContain('That email and password do not match'));
    await expect(login.textContent).toContain('Signed up but never confirmed?');
  },
};

/** Signed up but never confirmed: "Didn't get the confirmation email?" asks for a new link, then "Check your inbox" with Resend after a cooldown. */
export const ResendConfirmation: Story = {
  play: async ({ canvasElement }) => {
    const login = await waitFor(() => {
      const el = canvasElement.querySelector<HTMLElement>('portal-login');
      if (!el?.querySelector('form')) throw new Error('not ready');
      return el;
    });
    await userEvent.type(login.querySelector('input[name=email]')!, 'maria.garcia@example.org');
    const open = [...login.querySelectorAll('button')].find((b) => b.textContent?.includes('confirmation email'))!;
    await userEvent.click(open);
    await waitFor(() => expect(login.querySelector('h2')?.textContent).toBe('Get a new confirmation email'));
    await userEvent.click(login.querySelector('button[type=submit]')!);
    await waitFor(() => expect(login.textContent).toMatch(/You can resend the email in \d+ s/));
  },
};

/** Submit to see the Retry-After countdown. */
export const RateLimited: Story = {
  parameters: portal('rate-limited'),
  play: async ({ canvasElement }) => {
    const login = await signIn(canvasElement);
    await waitFor(() => expect(alertText(login)).toMatch(/Please wait \d+ s before trying again/));
  },
};

/** Submit to see the offline message with "Try again". */
export const Offline: Story = {
  parameters: portal('offline'),
  play: async ({ canvasElement }) => {
    const login = await signIn(canvasElement);
    await waitFor(() => expect(alertText(login)).toContain('Try again'));
  },
};

/** Requests take 1.5 s: see the busy state. */
export const Loading: Story = { parameters: portal('slow') };

/** Opened from the confirmation email: choose a password; the outcome is "created". */
export const SetPasswordAfterSignup: Story = { parameters: portal('default', 'signup') };

/** Opened from the confirmation email of someone already in the records: "Welcome back". */
export const SetPasswordLinked: Story = { parameters: portal('linked', 'signup') };

/** Opened from a password reset email. */
export const SetPasswordAfterReset: Story = { parameters: portal('default', 'reset') };

/** A used or expired link. */
export const LinkExpired: Story = { parameters: portal('link-expired', 'signup') };

/** Theme tokens on an ancestor (docs/theming.md): the host's brand colour, radius and font. */
export const Theming: Story = {
  render: () => html`<div style="--portal-color-primary:#0b5c6b;--portal-color-primary-contrast:#fff;--portal-radius-m:0;--portal-font-family:Georgia,serif;--portal-login-gap:1.25rem">
    <portal-login></portal-login>
  </div>`,
};

/** `without-card`: no border, background or padding, for a page that already draws its own card. */
export const WithoutCard: Story = {
  render: () => html`<div style="max-width:28rem;padding:1.25rem;border:1px solid #ccc;border-radius:10px">
    <h2 style="margin-top:0">Have a portal account?</h2>
    <portal-login without-card></portal-login>
  </div>`,
};

/** The page's `color-scheme` decides: here a page that opts into dark (`color-scheme: dark`). */
export const DarkPage: Story = {
  render: () => html`<div style="color-scheme:dark;background:Canvas;color:CanvasText;padding:1rem">
    <portal-login></portal-login>
  </div>`,
};
