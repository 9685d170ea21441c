import type { StoryObj } from '@storybook/web-components-vite';
import { html } from 'lit';
import { expect, userEvent, waitFor, within } from 'storybook/test';
import { maskedEmail, portal, rawServerError, withPortal } from './fixtures.ts';
import { alertText, renderOf, expectActions, expectConsoleErrors, ready, strings } from './support.ts';

const form = (root: HTMLElement) => ready(root, 'portal-login');

/** Fills the sign-in form of the story's `<portal-login>` and submits it. */
async function signIn(root: HTMLElement, remember = false): Promise<HTMLElement> {
  const t = strings(root);
  const login = await form(root);
  await userEvent.type(login.querySelector('input[name=email]')!, 'maria.garcia@example.org');
  await userEvent.type(login.querySelector('input[name=password]')!, 'not the password');
  if (remember) await userEvent.click(within(login).getByLabelText(t.rememberMe));
  await userEvent.click(login.querySelector('button[type=submit]')!);
  return login;
}

/** `<portal-login>`: email + password sign-in, forgot password, the emailed set-password step, sign-up. */
const meta = { title: 'Elements/portal-login', component: 'portal-login', render: renderOf('portal-login'), decorators: [withPortal] };
export default meta;
type Story = StoryObj;

// Playground ------------------------------------------------------------------------------------

/** Change any control and try it; every answer comes from recorded fixtures. */
export const Playground: Story = {};

// Overview --------------------------------------------------------------------------------------

/** The three languages side by side (each element's own `lang`); Spanish and French load on demand. */
export const Languages: Story = {
  render: () => html`<div style="display:grid;gap:1rem;grid-template-columns:repeat(auto-fit,minmax(18rem,1fr))">
    <portal-login lang="en"></portal-login><portal-login lang="es"></portal-login><portal-login lang="fr"></portal-login>
  </div>`,
  play: async ({ canvasElement }) => {
    await waitFor(() => expect(canvasElement.querySelector('portal-login[lang=es] button[type=submit]')?.textContent).toBe('Iniciar sesión'));
    await waitFor(() => expect(canvasElement.querySelector('portal-login[lang=fr] button[type=submit]')?.textContent).toBe('Se connecter'));
  },
};

// Anatomy ---------------------------------------------------------------------------------------

/** `without-card`: no border, background or padding, for a page that already draws its own card. */
export const WithoutCard: Story = {
  args: { 'without-card': true },
  render: (args, context) => html`<div style="max-width:28rem;padding:1.25rem;border:1px solid #767676;border-radius:10px">
    <h2 style="margin-top:0">Have a portal account?</h2>
    ${meta.render!(args, context)}
  </div>`,
};

/**
 * An element hook and tokens set by the page on an ancestor (docs/theming.md), not through Storybook;
 * colours as `light-dark()` pairs, so they stay readable when the page is dark.
 */
export const ThemedByThePage: Story = {
  render: () => html`<div
    style="--portal-color-primary:light-dark(#0b5c6b,#6fd3d3);--portal-color-primary-contrast:light-dark(#fff,#04262b);--portal-radius-m:0;--portal-font-family:Georgia,serif;--portal-login-gap:1.25rem"
  >
    <portal-login></portal-login>
  </div>`,
};

/** The page's `color-scheme` decides: here a page section that opts into dark, whatever the toolbar says. */
export const DarkPage: Story = {
  render: () => html`<div style="color-scheme:dark;background:Canvas;color:CanvasText;padding:1rem">
    <portal-login></portal-login>
  </div>`,
};

// Sign-in states --------------------------------------------------------------------------------

/** The empty form: no error shown before the person submits. */
export const Empty: Story = {
  play: async ({ canvasElement }) => {
    const t = strings(canvasElement);
    const login = await form(canvasElement);
    await expect(login.querySelector('.portal-field-error')).toBeNull();
    await expect(alertText(login)).toBe('');
    await expect(within(login).getByLabelText(t.rememberMe)).not.toBeChecked();
  },
};

/** Requests take 1.5 s: see the busy state, then the signed-in view. */
export const Loading: Story = {
  parameters: { ...portal('slow'), ...expectActions('portal-login-request', 'portal-signed-in') },
  play: async ({ canvasElement }) => {
    const t = strings(canvasElement);
    const login = await signIn(canvasElement);
    await waitFor(() => expect(within(login).getByRole('button', { name: t.signingIn })).toBeDisabled());
    await waitFor(() => expect(login.textContent).toContain(t.signedInAs('Maria Garcia')), { timeout: 5000 });
  },
};

/** The sign-in request never answers: the button stays busy ("Signing in…", disabled, `:state(submitting)`). */
export const Submitting: Story = {
  parameters: portal('pending'),
  play: async ({ canvasElement }) => {
    const t = strings(canvasElement);
    const login = await signIn(canvasElement);
    const button = login.querySelector<HTMLButtonElement>('button[type=submit]')!;
    await waitFor(() => expect(button.textContent?.trim()).toBe(t.signingIn));
    await expect(button.disabled).toBe(true);
    await expect(login.matches(':state(submitting)')).toBe(true);
    await expect(alertText(login)).toBe('');
  },
};

/** Submit empty: each field says what is missing only after submit, is `aria-invalid`, and the first takes the focus. */
export const FieldErrors: Story = {
  play: async ({ canvasElement }) => {
    const t = strings(canvasElement);
    const login = await form(canvasElement);
    const f = within(login);
    const email = f.getByLabelText<HTMLInputElement>(t.email);
    const password = f.getByLabelText<HTMLInputElement>(t.password);
    await expect(email).toHaveAttribute('aria-invalid', 'false');
    await userEvent.click(f.getByRole('button', { name: t.signIn }));
    await waitFor(() => expect(email).toHaveAttribute('aria-invalid', 'true'));
    await expect(password).toHaveAttribute('aria-invalid', 'true');
    await expect(email).toHaveAccessibleDescription(t.fieldErrors.required);
    await expect(password).toHaveAccessibleDescription(t.fieldErrors.required);
    await waitFor(() => expect(document.activeElement).toBe(email));
    await expect(login.matches(':state(user-invalid)')).toBe(true);
  },
};

/** Submit any password to see the kind message for wrong credentials, with the way to resend the confirmation. */
export const WrongPassword: Story = {
  parameters: portal('wrong-password'),
  play: async ({ canvasElement }) => {
    const t = strings(canvasElement);
    const login = await signIn(canvasElement);
    await waitFor(() => expect(alertText(login)).toContain(t.errors.invalid_credentials));
    await expect(login.textContent).toContain(t.neverConfirmed);
  },
};

/** An unknown 500 from the server: a kind message with "Try again", never the raw code or developer text. */
export const ServerError: Story = {
  parameters: portal('server-error'),
  play: async ({ canvasElement }) => {
    const t = strings(canvasElement);
    const login = await signIn(canvasElement);
    await waitFor(() => expect(alertText(login)).toContain(t.errors.server_error));
    await expect(within(login).getByRole('button', { name: t.tryAgain })).toBeVisible();
    await expect(login.textContent).not.toContain(rawServerError.code);
    await expect(login.textContent).not.toContain(rawServerError.message);
    await expect(login.textContent).not.toContain('500');
  },
};

/** The API answers 429 with Retry-After: the rate-limit message, and Sign in waits. */
export const RateLimited: Story = {
  parameters: portal('rate-limited'),
  play: async ({ canvasElement }) => {
    const t = strings(canvasElement);
    const login = await signIn(canvasElement);
    await waitFor(() => expect(alertText(login)).toContain(t.errors.rate_limited));
    await expect(alertText(login)).toContain(t.retryIn(30));
    await expect(within(login).getByRole('button', { name: t.signIn })).toBeDisabled();
  },
};

/** No network: the offline message with "Try again". */
export const Offline: Story = {
  parameters: portal('offline'),
  play: async ({ canvasElement }) => {
    const t = strings(canvasElement);
    const login = await signIn(canvasElement);
    await waitFor(() => expect(alertText(login)).toContain(t.errors.network_error));
    await expect(within(login).getByRole('button', { name: t.tryAgain })).toBeVisible();
  },
};

/** A session restored from a stored refresh token on load. */
export const SignedIn: Story = {
  parameters: portal('signed-in'),
  play: async ({ canvasElement }) => {
    const t = strings(canvasElement);
    await waitFor(() => expect(canvasElement.querySelector('portal-login')?.textContent).toContain(t.signedInAs('Maria Garcia')));
  },
};

/** "Keep me signed in" ticked: the request says `remember: true` (see Actions) and the session outlives the tab. */
export const KeepMeSignedIn: Story = {
  parameters: expectActions('portal-login-request', 'portal-signed-in'),
  play: async ({ canvasElement }) => {
    const t = strings(canvasElement);
    const login = await signIn(canvasElement, true);
    await waitFor(() => expect(login.textContent).toContain(t.signedInAs('Maria Garcia')));
    await expect(Object.keys(localStorage).some((k) => k.startsWith('portal-widgets:'))).toBe(true);
  },
};

/** Signed in, then "Not you?": back to an empty sign-in form (see `portal-signed-out` in Actions). */
export const NotYou: Story = {
  parameters: { ...portal('signed-in'), ...expectActions('portal-signed-out') },
  play: async ({ canvasElement }) => {
    const t = strings(canvasElement);
    const login = canvasElement.querySelector<HTMLElement>('portal-login')!;
    await waitFor(() => expect(login.textContent).toContain(t.signedInAs('Maria Garcia')));
    await userEvent.click(within(login).getByRole('button', { name: t.notYou }));
    await waitFor(() => expect(within(login).getByLabelText(t.email)).toHaveValue(''));
  },
};

// Other steps -----------------------------------------------------------------------------------

/** "Forgot your password?" (the typed email carried over), "Send reset link", then "Check your inbox". */
export const ForgotPassword: Story = {
  play: async ({ canvasElement }) => {
    const t = strings(canvasElement);
    const login = await form(canvasElement);
    await userEvent.type(within(login).getByLabelText(t.email), 'maria.garcia@example.org');
    await userEvent.click(within(login).getByRole('button', { name: t.forgotPassword }));
    await waitFor(() => expect(login.querySelector('h2')?.textContent).toBe(t.forgotTitle));
    await expect(within(login).getByLabelText(t.email)).toHaveValue('maria.garcia@example.org');
    await userEvent.click(within(login).getByRole('button', { name: t.sendResetLink }));
    await waitFor(() => expect(login.querySelector('h2')?.textContent).toBe(t.checkInboxTitle));
    await expect(login.querySelector('[role=status]')?.textContent).toBe(t.checkInboxReset('maria.garcia@example.org'));
    await waitFor(() => expect(document.activeElement).toBe(login.querySelector('h2')));
    await expect(within(login).getByRole('button', { name: t.backToSignIn })).toBeVisible();
  },
};

/** Signed up but never confirmed: "Didn't get the confirmation email?" asks for a new link, then "Check your inbox" with Resend after a cooldown. */
export const ResendConfirmation: Story = {
  play: async ({ canvasElement }) => {
    const t = strings(canvasElement);
    const login = await form(canvasElement);
    await userEvent.type(login.querySelector('input[name=email]')!, 'maria.garcia@example.org');
    await userEvent.click(within(login).getByRole('button', { name: t.confirmEmailMissing }));
    await waitFor(() => expect(login.querySelector('h2')?.textContent).toBe(t.confirmTitle));
    await userEvent.click(login.querySelector('button[type=submit]')!);
    await waitFor(() => expect(login.querySelector('[role=status]')?.textContent).toBe(t.checkInboxConfirm('maria.garcia@example.org')));
    await expect(within(login).getByRole('button', { name: t.resend })).toBeDisabled();
  },
};

/** "Create an account" opens the sign-up form in place, with the way back to sign in. */
export const CreateAccount: Story = {
  play: async ({ canvasElement }) => {
    const t = strings(canvasElement);
    const login = await form(canvasElement);
    await userEvent.click(within(login).getByRole('button', { name: t.createAccount }));
    await waitFor(() => expect(login.querySelector('portal-signup form')).not.toBeNull());
    await expect(within(login).getByRole('button', { name: t.haveAccount })).toBeVisible();
  },
};

// The emailed link ------------------------------------------------------------------------------

/** The set-password step of the story's `<portal-login>`, once it shows the account the link is for. */
async function setPasswordStep(root: HTMLElement, title: string): Promise<HTMLElement> {
  const login = root.querySelector<HTMLElement>('portal-login')!;
  await waitFor(() => expect(login.querySelector('portal-set-password h2')?.textContent).toBe(title));
  return login;
}

/** Confirms the account is one's own and saves `password`. */
async function savePassword(login: HTMLElement, password = 'a long and quiet river'): Promise<void> {
  const t = strings(login);
  const step = within(login);
  await userEvent.click(step.getByLabelText(t.confirmAccount));
  await userEvent.type(step.getByLabelText(t.newPassword), password);
  await userEvent.click(step.getByRole('button', { name: t.savePassword }));
}

/** Opened from the confirmation email: the masked account, confirm it, choose a password; the outcome is "created". */
export const SetPasswordAfterSignup: Story = {
  parameters: { ...portal('default', 'signup'), ...expectActions('portal-signed-in') },
  play: async ({ canvasElement }) => {
    const t = strings(canvasElement);
    const login = await setPasswordStep(canvasElement, t.setPasswordTitle);
    await waitFor(() => expect(login.textContent).toContain(maskedEmail));
    await savePassword(login);
    await waitFor(() => expect(login.querySelector('[role=status]')?.textContent).toBe(t.outcomeCreated));
    await expect(login.textContent).toContain(t.signedInAs('Maria Garcia'));
  },
};

/** Saving without ticking "This is my email address": the step asks for it first. */
export const SetPasswordUnconfirmed: Story = {
  parameters: portal('default', 'signup'),
  play: async ({ canvasElement }) => {
    const t = strings(canvasElement);
    const login = await setPasswordStep(canvasElement, t.setPasswordTitle);
    const step = within(login);
    await userEvent.type(step.getByLabelText(t.newPassword), 'a long and quiet river');
    await userEvent.click(step.getByRole('button', { name: t.savePassword }));
    await waitFor(() => expect(step.getByLabelText(t.confirmAccount)).toHaveAttribute('aria-invalid', 'true'));
    await expect(login.textContent).toContain(t.confirmAccountMissing);
  },
};

/** Opened from the confirmation email of someone already in the records: "Welcome back". */
export const SetPasswordLinked: Story = {
  parameters: portal('linked', 'signup'),
  play: async ({ canvasElement }) => {
    const t = strings(canvasElement);
    const login = await setPasswordStep(canvasElement, t.setPasswordTitle);
    await savePassword(login);
    await waitFor(() => expect(login.querySelector('[role=status]')?.textContent).toBe(t.outcomeLinked));
  },
};

/** The records hold someone who may be the same person: the account is created (staff review the match later). */
export const SetPasswordPossibleDuplicate: Story = {
  parameters: { ...portal('possible-duplicate', 'signup'), ...expectActions('portal-signed-in') },
  play: async ({ canvasElement }) => {
    const t = strings(canvasElement);
    const login = await setPasswordStep(canvasElement, t.setPasswordTitle);
    await savePassword(login);
    await waitFor(() => expect(login.querySelector('[role=status]')?.textContent).toBe(t.outcomeCreated));
  },
};

/** Opened from a password reset email: "Your password has been changed". */
export const SetPasswordAfterReset: Story = {
  parameters: portal('default', 'reset'),
  play: async ({ canvasElement }) => {
    const t = strings(canvasElement);
    const login = await setPasswordStep(canvasElement, t.forgotTitle);
    await savePassword(login);
    await waitFor(() => expect(login.querySelector('[role=status]')?.textContent).toBe(t.passwordChanged));
  },
};

/** Too short is caught in the browser; a common password is refused by the server, on the field. */
export const WeakPassword: Story = {
  parameters: portal('weak-password', 'signup'),
  play: async ({ canvasElement }) => {
    const t = strings(canvasElement);
    const login = await setPasswordStep(canvasElement, t.setPasswordTitle);
    const password = within(login).getByLabelText<HTMLInputElement>(t.newPassword);
    await savePassword(login, 'short');
    await waitFor(() => expect(password).toHaveAccessibleDescription(expect.stringContaining(t.fieldErrors.password_too_short)));
    await userEvent.clear(password);
    await userEvent.type(password, 'password1234');
    await userEvent.click(within(login).getByRole('button', { name: t.savePassword }));
    await waitFor(() => expect(password).toHaveAccessibleDescription(expect.stringContaining(t.fieldErrors.password_common)));
    await expect(password).toHaveAttribute('aria-invalid', 'true');
  },
};

/** The link's token could not be exchanged (no network): the message with "Try again", and nothing to save yet. */
export const LinkOffline: Story = {
  parameters: portal('offline', 'signup'),
  play: async ({ canvasElement }) => {
    const t = strings(canvasElement);
    const login = await setPasswordStep(canvasElement, t.setPasswordTitle);
    await waitFor(() => expect(alertText(login)).toContain(t.errors.network_error));
    await expect(within(login).getByRole('button', { name: t.tryAgain })).toBeVisible();
    await expect(within(login).queryByLabelText(t.newPassword)).toBeNull();
  },
};

/** A used or expired link: the kind message, and nothing to save. */
export const LinkExpired: Story = {
  parameters: portal('link-expired', 'signup'),
  play: async ({ canvasElement }) => {
    const t = strings(canvasElement);
    const login = await setPasswordStep(canvasElement, t.setPasswordTitle);
    await waitFor(() => expect(alertText(login)).toContain(t.errors.token_invalid));
    await expect(within(login).queryByLabelText(t.newPassword)).toBeNull();
  },
};

// Sign-in isn't available on this page -----------------------------------------------------------

/** The visitor's message when the page's setup cannot work; the console names the problem and the fix. */
async function unavailable(root: HTMLElement): Promise<HTMLElement> {
  const t = strings(root);
  const login = await ready(root, 'portal-login', '.portal-unavailable');
  await expect(login.querySelector('.portal-unavailable')?.textContent?.trim()).toBe(t.unavailable);
  await expect(login.matches(':state(unavailable)')).toBe(true);
  await expect(login.querySelector('form')).toBeNull();
  return login;
}

/** `org` is a slug the API does not know (a typo): "Sign-in isn't available", and the console says which slug. */
export const UnavailableUnknownOrg: Story = {
  tags: ['!autodocs'],
  parameters: { ...portal('org-not-found'), ...expectConsoleErrors('has no organization "riverside-arts"') },
  play: async ({ canvasElement }) => void (await unavailable(canvasElement)),
};

/** The organization does not allow this page's origin: the console names the origin to add. */
export const UnavailableOriginRefused: Story = {
  tags: ['!autodocs'],
  parameters: { ...portal('origin-refused'), ...expectConsoleErrors("refused this page's origin") },
  play: async ({ canvasElement }) => void (await unavailable(canvasElement)),
};

/** Nothing answers at `api`: the console says so (and the element checks again when the browser is back online). */
export const UnavailableApiDown: Story = {
  tags: ['!autodocs'],
  parameters: { ...portal('api-down'), ...expectConsoleErrors('did not answer') },
  play: async ({ canvasElement }) => void (await unavailable(canvasElement)),
};

/** No `<portal-provider>` and no `api`/`org`: the console says how to wrap it. */
export const UnavailableNoProvider: Story = {
  tags: ['!autodocs'],
  parameters: { portal: { provider: false }, ...expectConsoleErrors('no <portal-provider> around it') },
  play: async ({ canvasElement }) => void (await unavailable(canvasElement)),
};
