/**
 * What `<portal-login>` shows and does beyond the signed-out sign-in form (issue 15): sending the
 * sign-in, the signed-in view and signing out, and the steps it hosts (forgot password, resend the
 * confirmation, the emailed set-password step, sign-up). Loaded with the API client (whose `loadApi()`
 * waits for it), so the first load carries only the form a signed-out page paints; nothing here can be
 * needed before the client: a sign-in is validated with its schemas, a signed-in view follows a request,
 * and a step opens behind its own "Loading…" while its chunk arrives.
 */
import { html, type TemplateResult } from 'lit';
import type { TokenFlow } from '../../api/contract.js';
import { PortalLoginRequestEvent } from '../../events/login-request.js';
import { PortalSignedInEvent } from '../../events/signed-in.js';
import { PortalSignedOutEvent } from '../../events/signed-out.js';
import type { LocalizeController } from '../../internal/localize.js';
import type { ApiModule } from '../../api/load.js';
import type { PendingToken, SessionStore } from '../../session/store.js';
import type { PortalApiError } from '../../api/errors.js';

export type View = 'signin' | 'forgot' | 'confirm' | 'set-password' | 'signup';
type LinkLabel = 'forgotPassword' | 'confirmEmailMissing' | 'resendConfirmLink' | 'createAccount' | 'haveAccount';

/** The login's members this module works with (internal to the package). */
export interface LoginHost extends HTMLElement {
  readonly session: SessionStore | undefined;
  readonly localize: LocalizeController;
  readonly resendCooldown: number;
  readonly updateComplete: Promise<boolean>;
  error?: PortalApiError;
  pending?: PendingToken;
  stepEmail: string;
  view: View;
  viewReady: boolean;
  notice: string;
  formValues(form: HTMLFormElement): Record<string, string>;
  validate<T>(
    pick: (api: ApiModule) => {
      safeParse(d: unknown): { success: true; data: T } | { success: false; error: { issues: Array<{ path: PropertyKey[]; message: string }> } };
    },
    data: unknown,
  ): Promise<T | undefined>;
  run(action: () => Promise<void>): Promise<boolean>;
  emit(event: Event): boolean;
  moveFocus(target: () => HTMLElement | null | undefined): Promise<void>;
  show(view: View, focus?: boolean): Promise<void>;
  clearErrors(): void;
  renderLoading(): TemplateResult;
  renderLink(view: View, label: LinkLabel): TemplateResult;
  renderStorageRefused(): TemplateResult | symbol;
}

/** The forgot-password and resend-confirmation steps: loaded when first opened, preloaded on focus in the form. */
const loadEmailStep = () => import('../email-step/email-step.js').then((m) => m.default.define('portal-email-step'));

/** Preloads the email steps (someone focused the form: they may open one next, and it then shows at once). */
export function preloadEmailStep(): void {
  loadEmailStep().catch(() => undefined);
}

/** Opens `view` (the sign-in form, or a step once its chunk is here) and, with `focus`, focuses its first field. */
export async function show(el: LoginHost, view: View, focus: boolean): Promise<void> {
  // A step asking for the email starts from what was typed in the sign-in form.
  if (view === 'forgot' || view === 'confirm') el.stepEmail = el.querySelector<HTMLInputElement>('input[name=email]')?.value ?? el.stepEmail;
  el.clearErrors();
  el.view = view;
  if (view !== 'signin') {
    el.viewReady = false;
    try {
      await (view === 'signup'
        ? import('../signup/signup.js').then((m) => m.default.define('portal-signup'))
        : view === 'set-password'
          ? import('../set-password/set-password.js').then((m) => m.default.define('portal-set-password'))
          : loadEmailStep());
    } finally {
      el.viewReady = true;
    }
  }
  if (!focus) return;
  await el.updateComplete;
  // The step is an element of its own: wait for it to render its form too.
  await el.querySelector<HTMLElement & { updateComplete: Promise<boolean> }>('portal-email-step, portal-set-password, portal-signup')?.updateComplete;
  el.querySelector<HTMLElement>('input:not([type=hidden]), h2')?.focus();
}

/** Sends the sign-in form. */
export async function signIn(el: LoginHost, form: HTMLFormElement): Promise<void> {
  const values = el.formValues(form);
  const data = await el.validate((m) => m.SignInRequest, {
    email: values.email ?? '',
    password: values.password ?? '',
    remember: values.remember === 'on',
  });
  const store = el.session;
  if (!data || !store) return;
  if (!el.emit(new PortalLoginRequestEvent({ email: data.email, remember: data.remember ?? false }))) return;
  el.notice = '';
  const ok = await el.run(() => store.signIn(data.email, data.password, data.remember));
  const profile = store.snapshot.profile;
  if (ok && profile) {
    form.reset();
    el.emit(new PortalSignedInEvent({ profile, method: 'password' }));
    void focusSignedIn(el);
  }
}

/** The form was replaced by the signed-in view: focus its "Signed in as …" line. */
function focusSignedIn(el: LoginHost): Promise<void> {
  return el.moveFocus(() => el.querySelector<HTMLElement>('.portal-signed-in'));
}

function handlePasswordSet(el: LoginHost, event: CustomEvent<{ flow: TokenFlow }>): void {
  const profile = el.session?.snapshot.profile;
  el.pending = undefined;
  el.view = 'signin';
  el.notice = event.detail.flow === 'reset' ? el.localize.term('passwordChanged') : '';
  if (profile) {
    const outcome = el.session?.snapshot.outcome;
    el.emit(new PortalSignedInEvent({ profile, outcome, method: event.detail.flow }));
    void focusSignedIn(el);
  }
}

async function handleSignOut(el: LoginHost): Promise<void> {
  const store = el.session;
  if (!store) return;
  const profile = store.snapshot.profile;
  el.notice = '';
  await store.signOut();
  el.emit(new PortalSignedOutEvent({ profile }));
  // The signed-in view (and the focused button) is gone: focus the sign-in form's email field.
  await el.show('signin');
}

/** The step `el.view` names (not the sign-in form), or "Loading…" while its chunk arrives. */
export function renderStep(el: LoginHost): TemplateResult {
  if (!el.viewReady) return el.renderLoading();
  if (el.view === 'set-password') return el.pending ? renderSetPassword(el, el.pending) : el.renderLoading();
  if (el.view === 'signup') {
    return html`<div class="portal-form">
      <portal-signup without-card></portal-signup>
      ${el.renderLink('signin', 'haveAccount')}
    </div>`;
  }
  // Forgot password or resend the confirmation (`<portal-email-step>`), prefilled with what was typed to sign in.
  // The step tags are defined on demand by login.component.ts before a step shows (lit-analyzer warns
  // that this module does not import them; importing them here would put them in this chunk).
  return html`<portal-email-step
    without-card
    .flow=${el.view as 'forgot' | 'confirm'}
    .email=${el.stepEmail}
    .resendCooldown=${el.resendCooldown}
    @portal-step-back=${() => el.show('signin')}
  ></portal-email-step>`;
}

function renderSetPassword(el: LoginHost, pending: PendingToken): TemplateResult {
  return html`<portal-set-password
    without-card
    .token=${pending.token}
    .flow=${pending.flow}
    .accountEmail=${pending.email}
    .failure=${pending.failure}
    .email=${el.session?.rememberedEmail ?? ''}
    @portal-password-set=${(event: CustomEvent<{ flow: TokenFlow }>) => handlePasswordSet(el, event)}
  ></portal-set-password>`;
}

export function renderSignedIn(el: LoginHost): TemplateResult {
  const snapshot = el.session!.snapshot;
  const c = snapshot.profile!.constituent;
  const name = `${c.firstName} ${c.lastName}`.trim() || snapshot.profile!.email;
  const outcome = snapshot.outcome;
  const status = el.notice || (outcome === 'linked' ? el.localize.term('outcomeLinked') : outcome ? el.localize.term('outcomeCreated') : '');
  return html`<div class="portal-form">
    <p class="portal-status" role="status">${status}</p>
    <p class="portal-signed-in" tabindex="-1">${el.localize.term('signedInAs', name)}</p>
    ${el.renderStorageRefused()}
    <div class="portal-actions">
      <button type="button" class="portal-primary" @click=${() => handleSignOut(el)}>${el.localize.term('signOut')}</button>
      <button type="button" class="portal-link" @click=${() => handleSignOut(el)}>${el.localize.term('notYou')}</button>
    </div>
  </div>`;
}
