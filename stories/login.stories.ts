import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { portal, rawServerError, withPortal } from './fixtures.ts';

/** The story's `<portal-login>`, once its sign-in form has rendered. */
function ready(root: HTMLElement): Promise<HTMLElement> {
  return waitFor(() => {
    const el = root.querySelector<HTMLElement>('portal-login');
    if (!el?.querySelector('form')) throw new Error('not ready');
    return el;
  });
}

/** Fills the sign-in form of the story's `<portal-login>` and submits it. */
async function signIn(root: HTMLElement): Promise<HTMLElement> {
  const login = await ready(root);
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

// Playground ------------------------------------------------------------------------------------

/** Change the language and try it; every answer comes from recorded fixtures. */
export const Playground: Story = {};

// Overview --------------------------------------------------------------------------------------

/** Spanish and French load on demand. */
export const Overview: Story = {
  render: () => html`<div style="display:grid;gap:1rem;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr))">
    <portal-login lang="en"></portal-login><portal-login lang="es"></portal-login><portal-login lang="fr"></portal-login>
  </div>`,
};

// Anatomy ---------------------------------------------------------------------------------------

/** `without-card`: no border, background or padding, for a page that already draws its own card. */
export const WithoutCard: Story = {
  render: () => html`<div style="max-width:28rem;padding:1.25rem;border:1px solid #ccc;border-radius:10px">
    <h2 style="margin-top:0">Have a portal account?</h2>
    <portal-login without-card></portal-login>
  </div>`,
};

/** Theme tokens on an ancestor (docs/theming.md): the host's brand colour, radius and font. */
export const Theming: Story = {
  render: () => html`<div style="--portal-color-primary:#0b5c6b;--portal-color-primary-contrast:#fff;--portal-radius-m:0;--portal-font-family:Georgia,serif;--portal-login-gap:1.25rem">
    <portal-login></portal-login>
  </div>`,
};

/** The page's `color-scheme` decides: here a page that opts into dark (`color-scheme: dark`). */
export const DarkPage: Story = {
  render: () => html`<div style="color-scheme:dark;background:Canvas;color:CanvasText;padding:1rem">
    <portal-login></portal-login>
  </div>`,
};

// States ----------------------------------------------------------------------------------------

/** Requests take 1.5 s: see the busy state, then the signed-in view. */
export const Loading: Story = {
  parameters: portal('slow'),
  play: async ({ canvasElement }) => {
    const login = await signIn(canvasElement);
    await waitFor(() => expect(within(login).getByRole('button', { name: 'Signing in…' })).toBeDisabled());
  },
};

/** The sign-in request never answers: the button stays busy ("Signing in…", disabled, `:state(submitting)`). */
export const Submitting: Story = {
  parameters: portal('pending'),
  play: async ({ canvasElement }) => {
    const login = await signIn(canvasElement);
    const button = login.querySelector<HTMLButtonElement>('button[type=submit]')!;
    await waitFor(() => expect(button.textContent?.trim()).toBe('Signing in…'));
    await expect(button.disabled).toBe(true);
    await expect(login.matches(':state(submitting)')).toBe(true);
    await expect(alertText(login)).toBe('');
  },
};

/** Submit empty: each field says what is missing only after submit, is `aria-invalid`, and the first takes the focus. */
export const FieldErrors: Story = {
  play: async ({ canvasElement }) => {
    const login = await ready(canvasElement);
    const form = within(login);
    const email = form.getByLabelText<HTMLInputElement>('Email');
    const password = form.getByLabelText<HTMLInputElement>('Password');
    await expect(email).toHaveAttribute('aria-invalid', 'false');
    await expect(login.querySelector('.portal-field-error')).toBeNull();
    await userEvent.click(form.getByRole('button', { name: 'Sign in' }));
    await waitFor(() => expect(email).toHaveAttribute('aria-invalid', 'true'));
    await expect(password).toHaveAttribute('aria-invalid', 'true');
    await expect(email).toHaveAccessibleDescription('Please fill in this field.');
    await expect(password).toHaveAccessibleDescription('Please fill in this field.');
    await waitFor(() => expect(document.activeElement).toBe(email));
    await expect(login.matches(':state(user-invalid)')).toBe(true);
  },
};

/** Submit any password to see the kind message for wrong credentials, with the way to resend the confirmation. */
export const WrongPassword: Story = {
  parameters: portal('wrong-password'),
  play: async ({ canvasElement }) => {
    const login = await signIn(canvasElement);
    await waitFor(() => expect(alertText(login)).toContain('That email and password do not match'));
    await expect(login.textContent).toContain('Signed up but never confirmed?');
  },
};

/** An unknown 500 from the server: a kind message with "Try again", never the raw code or developer text. */
export const ServerError: Story = {
  parameters: portal('server-error'),
  play: async ({ canvasElement }) => {
    const login = await signIn(canvasElement);
    await waitFor(() => expect(alertText(login)).toContain('Something went wrong on our side. Please try again.'));
    await expect(within(login).getByRole('button', { name: 'Try again' })).toBeVisible();
    await expect(login.textContent).not.toContain(rawServerError.code);
    await expect(login.textContent).not.toContain(rawServerError.message);
    await expect(login.textContent).not.toContain('500');
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

/** A session restored from a stored refresh token on load. */
export const SignedIn: Story = {
  parameters: portal('signed-in'),
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(canvasElement.querySelector('portal-login')?.textContent).toContain('Signed in as Maria Garcia'));
  },
};

/** "Forgot your password?" (the typed email carried over), "Send reset link", then "Check your inbox". */
export const ForgotPassword: Story = {
  play: async ({ canvasElement }) => {
    const login = await ready(canvasElement);
    await userEvent.type(within(login).getByLabelText('Email'), 'maria.garcia@example.org');
    await userEvent.click(within(login).getByRole('button', { name: 'Forgot your password?' }));
    await waitFor(() => expect(login.querySelector('h2')?.textContent).toBe('Reset your password'));
    await expect(within(login).getByLabelText('Email')).toHaveValue('maria.garcia@example.org');
    await userEvent.click(within(login).getByRole('button', { name: 'Send reset link' }));
    await waitFor(() => expect(login.querySelector('h2')?.textContent).toBe('Check your inbox'));
    await expect(login.querySelector('[role=status]')?.textContent).toBe(
      'If an account exists for maria.garcia@example.org, we sent a link to reset the password. It works for one hour.',
    );
    await waitFor(() => expect(document.activeElement).toBe(login.querySelector('h2')));
    await expect(within(login).getByRole('button', { name: 'Back to sign in' })).toBeVisible();
  },
};

/** Signed up but never confirmed: "Didn't get the confirmation email?" asks for a new link, then "Check your inbox" with Resend after a cooldown. */
export const ResendConfirmation: Story = {
  play: async ({ canvasElement }) => {
    const login = await ready(canvasElement);
    await userEvent.type(login.querySelector('input[name=email]')!, 'maria.garcia@example.org');
    const open = [...login.querySelectorAll('button')].find((b) => b.textContent?.includes('confirmation email'))!;
    await userEvent.click(open);
    await waitFor(() => expect(login.querySelector('h2')?.textContent).toBe('Get a new confirmation email'));
    await userEvent.click(login.querySelector('button[type=submit]')!);
    await waitFor(() => expect(login.textContent).toMatch(/You can resend the email in \d+ s/));
  },
};

/** Fills the emailed set-password step of the story's `<portal-login>` and saves it. */
async function setPassword(root: HTMLElement, title: string): Promise<HTMLElement> {
  const login = root.querySelector<HTMLElement>('portal-login')!;
  await waitFor(() => expect(login.querySelector('portal-set-password h2')?.textContent).toBe(title));
  await userEvent.type(within(login).getByLabelText('New password'), 'a long and quiet river');
  await userEvent.click(within(login).getByRole('button', { name: 'Save password and sign in' }));
  return login;
}

/** Opened from the confirmation email: choose a password; the outcome is "created". */
export const SetPasswordAfterSignup: Story = {
  parameters: portal('default', 'signup'),
  play: async ({ canvasElement }) => {
    const login = await setPassword(canvasElement, 'Choose your password');
    await waitFor(() => expect(login.querySelector('[role=status]')?.textContent).toBe('Your new account is ready.'));
    await expect(login.textContent).toContain('Signed in as Maria Garcia');
  },
};

/** Opened from the confirmation email of someone already in the records: "Welcome back". */
export const SetPasswordLinked: Story = {
  parameters: portal('linked', 'signup'),
  play: async ({ canvasElement }) => {
    const login = await setPassword(canvasElement, 'Choose your password');
    await waitFor(() => expect(login.querySelector('[role=status]')?.textContent).toBe('Welcome back — we found your record.'));
  },
};

/** Opened from a password reset email: "Your password has been changed". */
export const SetPasswordAfterReset: Story = {
  parameters: portal('default', 'reset'),
  play: async ({ canvasElement }) => {
    const login = await setPassword(canvasElement, 'Reset your password');
    await waitFor(() => expect(login.querySelector('[role=status]')?.textContent).toBe('Your password has been changed.'));
  },
};

/** A used or expired link: the kind message, and saving is disabled. */
export const LinkExpired: Story = {
  parameters: portal('link-expired', 'signup'),
  play: async ({ canvasElement }) => {
    const login = await setPassword(canvasElement, 'Choose your password');
    await waitFor(() => expect(login.querySelector('[role=alert]')?.textContent).toContain('This link has expired or was already used.'));
    await expect(within(login).getByRole('button', { name: 'Save password and sign in' })).toBeDisabled();
  },
};
