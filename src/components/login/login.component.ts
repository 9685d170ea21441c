import { html, nothing, type TemplateResult } from 'lit';
import { state } from 'lit/decorators.js';
import type { TokenFlow } from '../../api/contract.js';
import { PortalLoginRequestEvent } from '../../events/login-request.js';
import { PortalSignedInEvent } from '../../events/signed-in.js';
import { PortalSignedOutEvent } from '../../events/signed-out.js';
import { PortalFormElement } from '../../internal/portal-form-element.js';
import componentStyles from '../../styles/component.styles.js';
import type { PendingToken } from '../../session/store.js';
import { warmUp } from '../../api/warm.js';
import styles from './login.styles.js';

type View = 'signin' | 'forgot' | 'confirm' | 'set-password' | 'signup';

/** The forgot-password and resend-confirmation steps: loaded when first opened, preloaded on focus in the form. */
const loadEmailStep = () => import('../email-step/email-step.js').then((m) => m.default.define('portal-email-step'));

/**
 * @summary Email + password sign-in, with forgot-password, resending the sign-up confirmation, the emailed set-password step and sign-up.
 * @tagname portal-login
 * @status experimental
 * @since 0.1
 * @dependency portal-email-step
 * @dependency portal-set-password
 * @dependency portal-signup
 * @event portal-login-request - Cancelable, before the sign-in request; `detail: { email, remember }` (`preventDefault()` sends nothing).
 * @event portal-signed-in - The person signed in here; `detail: { profile, outcome?, method }`.
 * @event portal-signed-out - The person signed out here; `detail: { profile }`.
 * @csspart base - The card around the form (none with `without-card`).
 * @cssproperty --portal-login-gap - Space between fields (default `--portal-space-m`).
 * @cssproperty --portal-color-primary - Button and link colour (theme token; all tokens: docs/theming.md).
 * @cssstate submitting - A request is in flight.
 * @cssstate user-invalid - A submitted field is invalid.
 */
export default class PortalLogin extends PortalFormElement {
  static override styles = [componentStyles, styles];

  private pending?: PendingToken;
  /** The email typed in the sign-in form before opening the forgot or resend step. */
  private stepEmail = '';

  @state() private view: View = 'signin';
  @state() private viewReady = true;
  @state() private notice = '';

  override connectedCallback(): void {
    super.connectedCallback();
    // Like the API client: whoever focuses the form may open a step next, so it shows at once.
    this.addEventListener('focusin', () => loadEmailStep().catch(() => undefined), { once: true });
    // Issue 15 warm-up (src/api/warm.ts, H2): the first keystroke opens the API connection and caches the
    // preflight of the sign-in POST, so "Sign in" on a fresh page costs one round trip. Keep it on the first input.
    this.addEventListener('input', () => warmUp(this.config?.api ?? this.api, this.config?.org ?? this.org, 'sessions'), { once: true });
  }

  protected override sessionChanged(): void {
    super.sessionChanged();
    const pending = this.session?.takePendingToken();
    if (pending) {
      this.pending = pending;
      void this.show('set-password');
    }
  }

  private async show(view: View, focus = true): Promise<void> {
    // A step asking for the email starts from what was typed in the sign-in form.
    const emailStep = view === 'forgot' || view === 'confirm';
    if (emailStep) this.stepEmail = this.querySelector<HTMLInputElement>('input[name=email]')?.value ?? this.stepEmail;
    this.clearErrors();
    this.view = view;
    if (view !== 'signin') {
      this.viewReady = false;
      try {
        if (view === 'signup') (await import('../signup/signup.js')).default.define('portal-signup');
        else if (view === 'set-password') (await import('../set-password/set-password.js')).default.define('portal-set-password');
        else await loadEmailStep();
      } finally {
        this.viewReady = true;
      }
    }
    if (!focus) return;
    await this.updateComplete;
    // The step is an element of its own: wait for it to render its form too.
    await this.querySelector<PortalFormElement>('portal-email-step, portal-set-password, portal-signup')?.updateComplete;
    this.querySelector<HTMLElement>('input:not([type=hidden]), h2')?.focus();
  }

  private async handleSignIn(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const values = this.formValues(form);
    const data = await this.validate((m) => m.SignInRequest, {
      email: values.email ?? '',
      password: values.password ?? '',
      remember: values.remember === 'on',
    });
    const store = this.session;
    if (!data || !store) return;
    if (!this.emit(new PortalLoginRequestEvent({ email: data.email, remember: data.remember ?? false }))) return;
    this.notice = '';
    const ok = await this.run(() => store.signIn(data.email, data.password, data.remember));
    const profile = store.snapshot.profile;
    if (ok && profile) {
      form.reset();
      this.emit(new PortalSignedInEvent({ profile, method: 'password' }));
      void this.focusSignedIn();
    }
  }

  /** A wrong email or password marks no field: focus the password, to type it again. */
  protected override errorFocusTarget(): HTMLElement | null {
    if (this.error?.code === 'invalid_credentials') {
      const password = this.querySelector<HTMLInputElement>('input[name=password]');
      if (password) return password;
    }
    return super.errorFocusTarget();
  }

  /** The form was replaced by the signed-in view: focus its "Signed in as …" line. */
  private focusSignedIn(): Promise<void> {
    return this.moveFocus(() => this.querySelector<HTMLElement>('.portal-signed-in'));
  }

  private handlePasswordSet(event: CustomEvent<{ flow: TokenFlow }>): void {
    const profile = this.session?.snapshot.profile;
    this.pending = undefined;
    this.view = 'signin';
    this.notice = event.detail.flow === 'reset' ? this.localize.term('passwordChanged') : '';
    if (profile) {
      const outcome = this.session?.snapshot.outcome;
      this.emit(new PortalSignedInEvent({ profile, outcome, method: event.detail.flow }));
      void this.focusSignedIn();
    }
  }

  private async handleSignOut(): Promise<void> {
    const store = this.session;
    if (!store) return;
    const profile = store.snapshot.profile;
    this.notice = '';
    await store.signOut();
    this.emit(new PortalSignedOutEvent({ profile }));
    // The signed-in view (and the focused button) is gone: focus the sign-in form's email field.
    await this.show('signin');
  }

  protected override renderLight(): TemplateResult {
    const snapshot = this.session?.snapshot;
    if (this.view === 'set-password' && this.pending) return this.renderSetPassword(this.pending);
    // Opened from an emailed link: its token is being exchanged (one request) before the step shows.
    if (this.session?.exchangingToken) return this.renderLoading();
    if (snapshot?.status === 'signed-in' && snapshot.profile) return this.renderSignedIn();
    if (!snapshot || snapshot.status === 'unknown') return this.renderLoading();
    switch (this.view) {
      case 'forgot':
      case 'confirm':
        return this.renderEmailStep(this.view);
      case 'signup':
        return this.renderSignup();
      default:
        return this.renderSignIn();
    }
  }

  private renderSignIn(): TemplateResult {
    const seconds = this.secondsToRetry;
    return html`<form class="portal-form" method="post" novalidate @submit=${this.handleSignIn}>
      ${this.renderAlert()} ${this.renderStorageRefused()}
      ${
        this.error?.code === 'invalid_credentials'
          ? html`<p class="portal-hint">${this.localize.term('neverConfirmed')} ${this.renderLink('confirm', 'resendConfirmLink')}</p>`
          : nothing
      }
      ${this.renderField({ name: 'email', label: this.localize.term('email'), type: 'email', autocomplete: 'username' })}
      ${this.renderField({ name: 'password', label: this.localize.term('password'), type: 'password', autocomplete: 'current-password' })}
      ${
        this.session?.persistent === false
          ? nothing
          : html`<div class="portal-check">
            <input type="checkbox" id=${`${this.uid}-remember`} name="remember" />
            <label for=${`${this.uid}-remember`}>${this.localize.term('rememberMe')}</label>
          </div>`
      }
      <div class="portal-actions">
        <button type="submit" class="portal-primary" ?disabled=${this.busy || seconds > 0}>${this.busy ? this.localize.term('signingIn') : this.localize.term('signIn')}</button>
        ${this.renderLink('forgot', 'forgotPassword')}
      </div>
      ${this.renderLink('confirm', 'confirmEmailMissing')} ${this.renderLink('signup', 'createAccount')}
    </form>`;
  }

  /**
   * The browser refuses site storage (store.ts → storage.ts): say once, in whichever view shows, that
   * sign-in lasts only for this page. The console says why.
   */
  private renderStorageRefused(): TemplateResult | typeof nothing {
    if (this.session?.persistent !== false) return nothing;
    return html`<p class="portal-hint portal-storage-refused">${this.localize.term('storageRefused')}</p>`;
  }

  private renderLoading(): TemplateResult {
    return html`<p class="portal-hint" role="status">${this.localize.term('loading')}</p>`;
  }

  /** A link-style button to another step. */
  private renderLink(
    view: View,
    label: 'forgotPassword' | 'confirmEmailMissing' | 'resendConfirmLink' | 'createAccount' | 'haveAccount',
  ): TemplateResult {
    return html`<button type="button" class="portal-link" @click=${() => this.show(view)}>${this.localize.term(label)}</button>`;
  }

  /** Forgot password or resend the confirmation (`<portal-email-step>`), prefilled with what was typed to sign in. */
  private renderEmailStep(flow: 'forgot' | 'confirm'): TemplateResult {
    if (!this.viewReady) return this.renderLoading();
    return html`<portal-email-step
      without-card
      .flow=${flow}
      .email=${this.stepEmail}
      .resendCooldown=${this.resendCooldown}
      @portal-step-back=${() => this.show('signin')}
    ></portal-email-step>`;
  }

  private renderSetPassword(pending: PendingToken): TemplateResult {
    if (!this.viewReady) return this.renderLoading();
    return html`<portal-set-password
      without-card
      .token=${pending.token}
      .flow=${pending.flow}
      .accountEmail=${pending.email}
      .failure=${pending.failure}
      .email=${this.session?.rememberedEmail ?? ''}
      @portal-password-set=${this.handlePasswordSet}
    ></portal-set-password>`;
  }

  private renderSignup(): TemplateResult {
    if (!this.viewReady) return this.renderLoading();
    return html`<div class="portal-form">
      <portal-signup without-card></portal-signup>
      ${this.renderLink('signin', 'haveAccount')}
    </div>`;
  }

  private renderSignedIn(): TemplateResult {
    const snapshot = this.session!.snapshot;
    const c = snapshot.profile!.constituent;
    const name = `${c.firstName} ${c.lastName}`.trim() || snapshot.profile!.email;
    const outcome = snapshot.outcome;
    const status = this.notice || (outcome === 'linked' ? this.localize.term('outcomeLinked') : outcome ? this.localize.term('outcomeCreated') : '');
    return html`<div class="portal-form">
      <p class="portal-status" role="status">${status}</p>
      <p class="portal-signed-in" tabindex="-1">${this.localize.term('signedInAs', name)}</p>
      ${this.renderStorageRefused()}
      <div class="portal-actions">
        <button type="button" class="portal-primary" @click=${() => this.handleSignOut()}>${this.localize.term('signOut')}</button>
        <button type="button" class="portal-link" @click=${() => this.handleSignOut()}>${this.localize.term('notYou')}</button>
      </div>
    </div>`;
  }
}
