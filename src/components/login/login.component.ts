import { html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import { withApi } from '../../api/load.js';
import { warmUp } from '../../api/warm.js';
import { PortalFormElement } from '../../internal/portal-form-element.js';
import componentStyles from '../../styles/component.styles.js';
import type { PendingToken } from '../../session/store.js';
import type { LoginHost, View } from './login-views.js';
import styles from './login.styles.js';

/**
 * Sending the sign-in, the signed-in view and the steps (login-views.ts): loaded with the API client,
 * which waits for them, so the first load carries only the signed-out form.
 */
let views: typeof import('./login-views.js') | undefined;
let viewsLoading: Promise<typeof import('./login-views.js')> | undefined;
const loadViews = () =>
  (viewsLoading ??= import('./login-views.js').then(
    (m) => (views = m),
    (error: unknown) => {
      viewsLoading = undefined;
      throw error;
    },
  ));
withApi(loadViews);

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
  static override get properties(): PropertyDeclarations {
    return {
      view: { state: true, attribute: false },
      viewReady: { state: true, attribute: false },
      notice: { state: true, attribute: false },
    };
  }

  private pending?: PendingToken;
  /** The email typed in the sign-in form before opening the forgot or resend step. */
  protected stepEmail = '';

  private view: View = 'signin';
  // Read by login-views.ts (the steps, the signed-in view).
  protected viewReady = true;
  protected notice = '';

  override connectedCallback(): void {
    super.connectedCallback();
    // Like the API client: whoever focuses the form may open a step next, so it shows at once.
    this.addEventListener(
      'focusin',
      () =>
        loadViews().then(
          (v) => v.preloadEmailStep(),
          () => undefined,
        ),
      { once: true },
    );
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

  /** Opens `view` (the sign-in form, or a step) and focuses its first field (login-views.ts). */
  private show(view: View, focus = true): Promise<void> {
    return loadViews().then((v) => v.show(this.host(), view, focus));
  }

  private async handleSignIn(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    (await loadViews()).signIn(this.host(), form);
  }

  /** This element as login-views.ts works with it. */
  private host(): LoginHost {
    return this as unknown as LoginHost;
  }

  protected override renderLight(): TemplateResult {
    const snapshot = this.session?.snapshot;
    if (this.view === 'set-password' && this.pending) return this.withViews((v) => v.renderStep(this.host()));
    // Opened from an emailed link: its token is being exchanged (one request) before the step shows.
    if (this.session?.exchangingToken) return this.renderLoading();
    if (snapshot?.status === 'signed-in' && snapshot.profile) return this.withViews((v) => v.renderSignedIn(this.host()));
    if (!snapshot || snapshot.status === 'unknown') return this.renderLoading();
    if (this.view !== 'signin') return this.withViews((v) => v.renderStep(this.host()));
    return this.renderSignIn();
  }

  /**
   * Renders with login-views.ts, or "Loading…" until it is here. It normally is (the API client waits
   * for it), but a provider already in the page upgrades, and may start restoring a session, before
   * this module has registered it with the client.
   */
  private withViews(render: (v: typeof import('./login-views.js')) => TemplateResult): TemplateResult {
    if (views) return render(views);
    loadViews().then(
      () => this.requestUpdate(),
      () => undefined,
    );
    return this.renderLoading();
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
}
