import type { Meta, StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { portal, rawServerError, withPortal } from './fixtures.ts';

/** The story's `<portal-signup>`, once its form has rendered. */
function ready(root: HTMLElement): Promise<HTMLElement> {
  return waitFor(() => {
    const el = root.querySelector<HTMLElement>('portal-signup');
    if (!el?.querySelector('form')) throw new Error('not ready');
    return el;
  });
}

/** Fills the individual sign-up form and submits it. */
async function signUp(root: HTMLElement): Promise<HTMLElement> {
  const signup = await ready(root);
  const form = within(signup);
  await userEvent.type(form.getByLabelText('First name'), 'Rosa');
  await userEvent.type(form.getByLabelText('Last name'), 'Delgado');
  await userEvent.type(form.getByLabelText('Email'), 'rosa@example.org');
  await userEvent.click(form.getByRole('button', { name: 'Create account' }));
  return signup;
}

const alertText = (signup: HTMLElement) => signup.querySelector('[role=alert]')?.textContent ?? '';

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

// Playground ------------------------------------------------------------------------------------

/** Fill in and submit to reach "Check your inbox" with the resend cooldown. */
export const Playground: Story = {};

// Overview --------------------------------------------------------------------------------------

/** All three languages. */
export const Overview: Story = {
  render: () => html`<div style="display:grid;gap:1rem;grid-template-columns:repeat(auto-fit,minmax(20rem,1fr))">
    <portal-signup lang="en"></portal-signup><portal-signup lang="es"></portal-signup><portal-signup lang="fr"></portal-signup>
  </div>`,
};

// Anatomy ---------------------------------------------------------------------------------------

/** Account type "Company": a company name field appears and the names become the contact person's. */
export const Company: Story = {
  play: async ({ canvasElement }) => {
    const signup = await ready(canvasElement);
    const form = within(signup);
    await expect(form.queryByLabelText('Company name')).toBeNull();
    await userEvent.click(form.getByLabelText('Company'));
    const company = await waitFor(() => form.getByLabelText('Company name'));
    await expect(company).toHaveAttribute('autocomplete', 'organization');
    await expect(form.getByLabelText('Contact first name')).toBeVisible();
    await expect(form.getByLabelText('Contact last name')).toBeVisible();
    await expect(form.queryByLabelText('First name')).toBeNull();
    await userEvent.type(company, 'Delgado Print Works');
    await userEvent.type(form.getByLabelText('Contact first name'), 'Rosa');
    await userEvent.type(form.getByLabelText('Contact last name'), 'Delgado');
    await userEvent.type(form.getByLabelText('Email'), 'rosa@delgado-print.example');
  },
};

// States ----------------------------------------------------------------------------------------

/** Submit with a missing last name and a bad email: each says what is wrong, is `aria-invalid`, and the first invalid one takes the focus. */
export const FieldErrors: Story = {
  play: async ({ canvasElement }) => {
    const signup = await ready(canvasElement);
    const form = within(signup);
    const first = form.getByLabelText<HTMLInputElement>('First name');
    const last = form.getByLabelText<HTMLInputElement>('Last name');
    const email = form.getByLabelText<HTMLInputElement>('Email');
    await userEvent.type(first, 'Rosa');
    await userEvent.type(email, 'rosa@');
    await expect(signup.querySelector('.portal-field-error')).toBeNull();
    await userEvent.click(form.getByRole('button', { name: 'Create account' }));
    await waitFor(() => expect(last).toHaveAttribute('aria-invalid', 'true'));
    await expect(email).toHaveAttribute('aria-invalid', 'true');
    await expect(first).toHaveAttribute('aria-invalid', 'false');
    await expect(last).toHaveAccessibleDescription('Please fill in this field.');
    await expect(email).toHaveAccessibleDescription(expect.stringContaining('Please enter a valid email address.'));
    await waitFor(() => expect(document.activeElement).toBe(last));
    await expect(signup.matches(':state(user-invalid)')).toBe(true);
  },
};

/** After submit: "Check your inbox", with Resend after a visible cooldown. */
export const CheckYourInbox: Story = {
  play: async ({ canvasElement }) => {
    const signup = await signUp(canvasElement);
    await waitFor(() => expect(signup.textContent).toContain('Check your inbox'));
    await expect(signup.textContent).toMatch(/You can resend the email in \d+ s/);
  },
};

/** An unknown 500 from the server: a kind message with "Try again", never the raw code or developer text. */
export const ServerError: Story = {
  parameters: portal('server-error'),
  play: async ({ canvasElement }) => {
    const signup = await signUp(canvasElement);
    await waitFor(() => expect(alertText(signup)).toContain('Something went wrong on our side. Please try again.'));
    await expect(within(signup).getByRole('button', { name: 'Try again' })).toBeVisible();
    await expect(signup.textContent).not.toContain(rawServerError.code);
    await expect(signup.textContent).not.toContain(rawServerError.message);
    await expect(signup.textContent).not.toContain('500');
  },
};

/** Submit to see the Retry-After countdown. */
export const RateLimited: Story = {
  parameters: portal('rate-limited'),
  play: async ({ canvasElement }) => {
    const signup = await signUp(canvasElement);
    await waitFor(() => expect(alertText(signup)).toMatch(/Please wait \d+ s before trying again/));
  },
};

/** Submit to see the offline message. */
export const Offline: Story = {
  parameters: portal('offline'),
  play: async ({ canvasElement }) => {
    const signup = await signUp(canvasElement);
    await waitFor(() => expect(alertText(signup)).toContain('We could not reach the server.'));
  },
};

/** Opened standalone from the confirmation email (no `<portal-login>` on the page): choose a password, then "Your new account is ready". */
export const SetPasswordFromLink: Story = {
  parameters: portal('default', 'signup'),
  play: async ({ canvasElement }) => {
    const signup = canvasElement.querySelector<HTMLElement>('portal-signup')!;
    const step = within(signup);
    await waitFor(() => expect(signup.querySelector('portal-set-password h2')?.textContent).toBe('Choose your password'));
    await userEvent.type(step.getByLabelText('New password'), 'a long and quiet river');
    await userEvent.click(step.getByRole('button', { name: 'Save password and sign in' }));
    await waitFor(() => expect(signup.querySelector('[role=status]')?.textContent).toBe('Your new account is ready.'));
    await expect(signup.textContent).toContain('Signed in as Maria Garcia');
  },
};
