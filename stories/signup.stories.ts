import type { StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { maskedEmail, portal, rawServerError, withPortal } from './fixtures.ts';
import { alertText, pattern, renderOf, expectActions, expectConsoleErrors, ready, strings } from './support.ts';

const form = (root: HTMLElement) => ready(root, 'portal-signup');

/** Fills the individual sign-up form and submits it. */
async function signUp(root: HTMLElement): Promise<HTMLElement> {
  const t = strings(root);
  const signup = await form(root);
  const f = within(signup);
  await userEvent.type(f.getByLabelText(t.firstName), 'Rosa');
  await userEvent.type(f.getByLabelText(t.lastName), 'Delgado');
  await userEvent.type(f.getByLabelText(t.email), 'rosa@example.org');
  await userEvent.click(f.getByRole('button', { name: t.signupSubmit }));
  return signup;
}

/** `<portal-signup>`: individual or company sign-up; always answers "check your inbox". */
const meta = { title: 'Elements/portal-signup', component: 'portal-signup', render: renderOf('portal-signup'), decorators: [withPortal] };
export default meta;
type Story = StoryObj;

// Playground ------------------------------------------------------------------------------------

/** Fill in and submit to reach "Check your inbox" with the resend cooldown. */
export const Playground: Story = {};

/** All three languages. */
export const Languages: Story = {
  render: () => html`<div style="display:grid;gap:1rem;grid-template-columns:repeat(auto-fit,minmax(20rem,1fr))">
    <portal-signup lang="en"></portal-signup><portal-signup lang="es"></portal-signup><portal-signup lang="fr"></portal-signup>
  </div>`,
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(canvasElement.querySelectorAll('portal-signup form')).toHaveLength(3));
  },
};

// Account types ---------------------------------------------------------------------------------

/** Individual (the default): names and email, with the reminder to use the email and name on their record. */
export const Individual: Story = {
  play: async ({ canvasElement }) => {
    const t = strings(canvasElement);
    const signup = await form(canvasElement);
    const f = within(signup);
    await expect(f.getByLabelText(t.individual)).toBeChecked();
    await expect(f.getByLabelText(t.email)).toHaveAccessibleDescription(expect.stringContaining(t.signupReminder));
    await expect(f.getByLabelText(t.firstName)).toHaveAttribute('autocomplete', 'given-name');
  },
};

/** Account type "Company": a company name field appears and the names become the contact person's. */
export const Company: Story = {
  play: async ({ canvasElement }) => {
    const t = strings(canvasElement);
    const signup = await form(canvasElement);
    const f = within(signup);
    await expect(f.queryByLabelText(t.companyName)).toBeNull();
    await userEvent.click(f.getByLabelText(t.company));
    const company = await waitFor(() => f.getByLabelText(t.companyName));
    await expect(company).toHaveAttribute('autocomplete', 'organization');
    await expect(f.getByLabelText(t.contactFirstName)).toBeVisible();
    await expect(f.getByLabelText(t.contactLastName)).toBeVisible();
    await expect(f.queryByLabelText(t.firstName)).toBeNull();
    await expect(f.getByLabelText(t.email)).toHaveAccessibleDescription(expect.stringContaining(t.signupReminder));
    await userEvent.type(company, 'Delgado Print Works');
    await userEvent.type(f.getByLabelText(t.contactFirstName), 'Rosa');
    await userEvent.type(f.getByLabelText(t.contactLastName), 'Delgado');
    await userEvent.type(f.getByLabelText(t.email), 'rosa@delgado-print.example');
  },
};

// States ----------------------------------------------------------------------------------------

/** Submit with a missing last name and a bad email: each says what is wrong, is `aria-invalid`, and the first invalid one takes the focus. */
export const FieldErrors: Story = {
  play: async ({ canvasElement }) => {
    const t = strings(canvasElement);
    const signup = await form(canvasElement);
    const f = within(signup);
    const first = f.getByLabelText<HTMLInputElement>(t.firstName);
    const last = f.getByLabelText<HTMLInputElement>(t.lastName);
    const email = f.getByLabelText<HTMLInputElement>(t.email);
    await userEvent.type(first, 'Rosa');
    await userEvent.type(email, 'rosa@');
    await expect(signup.querySelector('.portal-field-error')).toBeNull();
    await userEvent.click(f.getByRole('button', { name: t.signupSubmit }));
    await waitFor(() => expect(last).toHaveAttribute('aria-invalid', 'true'));
    await expect(email).toHaveAttribute('aria-invalid', 'true');
    await expect(first).toHaveAttribute('aria-invalid', 'false');
    await expect(last).toHaveAccessibleDescription(t.fieldErrors.required);
    await expect(email).toHaveAccessibleDescription(expect.stringContaining(t.fieldErrors.invalid_email));
    await waitFor(() => expect(document.activeElement).toBe(last));
    await expect(signup.matches(':state(user-invalid)')).toBe(true);
  },
};

/** Company chosen, company name left empty: the company field says so and takes the focus. */
export const CompanyFieldErrors: Story = {
  play: async ({ canvasElement }) => {
    const t = strings(canvasElement);
    const signup = await form(canvasElement);
    const f = within(signup);
    await userEvent.click(f.getByLabelText(t.company));
    const company = await waitFor(() => f.getByLabelText<HTMLInputElement>(t.companyName));
    await userEvent.type(f.getByLabelText(t.contactFirstName), 'Rosa');
    await userEvent.type(f.getByLabelText(t.contactLastName), 'Delgado');
    await userEvent.type(f.getByLabelText(t.email), 'rosa@delgado-print.example');
    await userEvent.click(f.getByRole('button', { name: t.signupSubmit }));
    await waitFor(() => expect(company).toHaveAttribute('aria-invalid', 'true'));
    await expect(company).toHaveAccessibleDescription(t.fieldErrors.required);
    await waitFor(() => expect(document.activeElement).toBe(company));
  },
};

/** The sign-up request never answers: "Create account" stays busy and disabled. */
export const Submitting: Story = {
  parameters: portal('pending'),
  play: async ({ canvasElement }) => {
    const signup = await signUp(canvasElement);
    await waitFor(() => expect(signup.matches(':state(submitting)')).toBe(true));
    await expect(signup.querySelector('button[type=submit]')).toBeDisabled();
  },
};

/** After submit: "Check your inbox", with Resend after a visible cooldown (`resend-cooldown`, 30 s by default). */
export const CheckYourInbox: Story = {
  parameters: expectActions('portal-signup-request', 'portal-signup-requested'),
  play: async ({ canvasElement }) => {
    const t = strings(canvasElement);
    const signup = await signUp(canvasElement);
    await waitFor(() => expect(signup.textContent).toContain(t.checkInboxTitle));
    await expect(signup.querySelector('[role=status]')?.textContent).toBe(t.checkInboxSignup('rosa@example.org'));
    await expect(signup.textContent).toMatch(pattern(t.resendIn));
    await expect(within(signup).getByRole('button', { name: t.resend })).toBeDisabled();
  },
};

/** With `resend-cooldown="0"` Resend is ready at once: "We sent the email again." */
export const Resent: Story = {
  render: () => html`<portal-signup resend-cooldown="0"></portal-signup>`,
  play: async ({ canvasElement }) => {
    const t = strings(canvasElement);
    const signup = await signUp(canvasElement);
    const resend = await waitFor(() => within(signup).getByRole('button', { name: t.resend }));
    await waitFor(() => expect(resend).toBeEnabled());
    await userEvent.click(resend);
    await waitFor(() => expect(signup.textContent).toContain(t.resent));
  },
};

/** An unknown 500 from the server: a kind message with "Try again", never the raw code or developer text. */
export const ServerError: Story = {
  parameters: portal('server-error'),
  play: async ({ canvasElement }) => {
    const t = strings(canvasElement);
    const signup = await signUp(canvasElement);
    await waitFor(() => expect(alertText(signup)).toContain(t.errors.server_error));
    await expect(within(signup).getByRole('button', { name: t.tryAgain })).toBeVisible();
    await expect(signup.textContent).not.toContain(rawServerError.code);
    await expect(signup.textContent).not.toContain(rawServerError.message);
    await expect(signup.textContent).not.toContain('500');
  },
};

/** The API answers 429 with Retry-After: the rate-limit message. */
export const RateLimited: Story = {
  parameters: portal('rate-limited'),
  play: async ({ canvasElement }) => {
    const t = strings(canvasElement);
    const signup = await signUp(canvasElement);
    await waitFor(() => expect(alertText(signup)).toContain(t.errors.rate_limited));
    await expect(alertText(signup)).toContain(t.retryIn(30));
  },
};

/** No network: the offline message. */
export const Offline: Story = {
  parameters: portal('offline'),
  play: async ({ canvasElement }) => {
    const t = strings(canvasElement);
    const signup = await signUp(canvasElement);
    await waitFor(() => expect(alertText(signup)).toContain(t.errors.network_error));
  },
};

/** Opened standalone from the confirmation email (no `<portal-login>` on the page): confirm the account, choose a password, then "Your new account is ready". */
export const SetPasswordFromLink: Story = {
  parameters: { ...portal('default', 'signup'), ...expectActions('portal-signed-in') },
  play: async ({ canvasElement }) => {
    const t = strings(canvasElement);
    const signup = canvasElement.querySelector<HTMLElement>('portal-signup')!;
    const step = within(signup);
    await waitFor(() => expect(signup.querySelector('portal-set-password h2')?.textContent).toBe(t.setPasswordTitle));
    await waitFor(() => expect(signup.textContent).toContain(maskedEmail));
    await userEvent.click(step.getByLabelText(t.confirmAccount));
    await userEvent.type(step.getByLabelText(t.newPassword), 'a long and quiet river');
    await userEvent.click(step.getByRole('button', { name: t.savePassword }));
    await waitFor(() => expect(signup.querySelector('[role=status]')?.textContent).toBe(t.outcomeCreated));
    await expect(signup.textContent).toContain(t.signedInAs('Maria Garcia'));
  },
};

/** The API does not know the organization: sign-up says it isn't available instead of a form that cannot work. */
export const Unavailable: Story = {
  tags: ['!autodocs'],
  parameters: { ...portal('org-not-found'), ...expectConsoleErrors('has no organization "riverside-arts"') },
  play: async ({ canvasElement }) => {
    const t = strings(canvasElement);
    const signup = await ready(canvasElement, 'portal-signup', '.portal-unavailable');
    await expect(signup.querySelector('.portal-unavailable')?.textContent?.trim()).toBe(t.unavailable);
    await expect(signup.querySelector('form')).toBeNull();
  },
};
