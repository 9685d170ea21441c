import { html, nothing, type PropertyDeclarations, type PropertyValues, type TemplateResult } from 'lit';
import type { TokenFlow } from '../../api/contract.js';
import { PortalApiError, type ClientErrorCode } from '../../api/errors.js';
import { maskEmail } from '../../api/mask.js';
import { PortalFormElement } from '../../internal/portal-form-element.js';
import { setUpSteps } from '../../internal/step-setup.js';
import componentStyles from '../../styles/component.styles.js';
import styles from './set-password.styles.js';

setUpSteps();

/**
 * @summary Internal: chooses a password with a token from an emailed link, then signs in.
 * @status experimental
 * @since 0.1
 * @event portal-password-set - Internal (not composed): the password is set and the person signed in; `detail: { flow, returnTo? }`.
 * @csspart base - The card around the form.
 */
export default class PortalSetPassword extends PortalFormElement {
  static override styles = [componentStyles, styles];
  static override get properties(): PropertyDeclarations {
    return {
      token: { attribute: false },
      flow: {},
      accountEmail: { attribute: false },
      failure: { attribute: false },
      email: {},
    };
  }

  /** The completion token the session store exchanged the emailed link's token for. */
  token = '';
  /** Which flow the token belongs to. */
  flow: TokenFlow = 'signup';
  /**
   * The account the link is for, masked by the server (`ma•••@example.org`). It is shown, and the
   * person confirms it is theirs before choosing a password: a page opened with someone else's link
   * (login CSRF) never silently signs them into a stranger's account.
   */
  accountEmail = '';
  /** Why the link cannot be used, when the exchange failed (`token_invalid`, `network_error`, …). */
  failure?: ClientErrorCode;
  /**
   * The email this browser last asked a link for: given to password managers (hidden username) only
   * when it is the account the link is for.
   */
  email = '';

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    if (changed.has('failure') && this.failure) {
      this.error = new PortalApiError(this.failure);
      const store = this.session;
      this.retryAction =
        this.failure !== 'token_invalid' && store
          ? async () => {
              await store.retryExchange();
            }
          : undefined;
    }
  }

  private async handleSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    if (this.failure) {
      // "Try again" after a failed exchange: the store exchanges the link again.
      if (this.retryAction) await this.run(this.retryAction);
      return;
    }
    const form = event.currentTarget as HTMLFormElement;
    const values = this.formValues(form);
    const data = await this.validate(
      (m) => m.CompleteRequest,
      { token: this.token, password: values.password ?? '' },
      values.confirmAccount === 'on' ? {} : { confirmAccount: 'required' },
    );
    const store = this.session;
    if (!data || !store) return;
    let returnTo: string | undefined;
    const ok = await this.run(async () => {
      if (this.flow === 'reset') ({ returnTo } = await store.completeReset(data.token, data.password));
      else ({ returnTo } = await store.completeSignup(data.token, data.password));
    });
    if (!ok) return;
    this.dispatchEvent(new CustomEvent('portal-password-set', { detail: { flow: this.flow, ...(returnTo ? { returnTo } : {}) } }));
    // Only now, and only to a page the org registered (the server matched it exactly): back to where
    // the person started. The session is in this tab's storage, so they arrive signed in.
    if (returnTo && returnTo !== `${location.origin}${location.pathname}${location.search}`) location.assign(returnTo);
  }

  /** The remembered email, only when it is the account this link is for. */
  private get username(): string {
    return this.email && this.accountEmail && maskEmail(this.email) === this.accountEmail ? this.email : '';
  }

  protected override renderLight(): TemplateResult {
    const expired = this.error?.code === 'token_invalid';
    const unusable = Boolean(this.failure);
    const id = `${this.uid}-confirmAccount`;
    const missing = this.fieldErrors.confirmAccount !== undefined;
    return html`<form class="portal-form" method="post" novalidate @submit=${this.handleSubmit}>
      <h2 tabindex="-1">${this.localize.term(this.flow === 'reset' ? 'forgotTitle' : 'setPasswordTitle')}</h2>
      ${unusable ? nothing : html`<p>${this.localize.term(this.flow === 'reset' ? 'setPasswordIntroReset' : 'setPasswordIntroSignup')}</p>`}
      ${this.renderAlert()}
      ${
        unusable
          ? nothing
          : html`<p class="portal-account">${this.localize.term('accountFor', this.accountEmail)}</p>
            <div class="portal-check">
              <input
                type="checkbox"
                id=${id}
                name="confirmAccount"
                required
                aria-invalid=${missing ? 'true' : 'false'}
                aria-describedby=${missing ? `${id}-error` : nothing}
                @change=${() => (this.fieldErrors = {})}
              />
              <label for=${id}>${this.localize.term('confirmAccount')}</label>
            </div>
            ${missing ? html`<span class="portal-field-error" id=${`${id}-error`}>${this.localize.term('confirmAccountMissing')}</span>` : nothing}
            <input type="email" name="username" autocomplete="username" .value=${this.username} hidden readonly />
            ${this.renderField({
              name: 'password',
              label: this.localize.term('newPassword'),
              type: 'password',
              autocomplete: 'new-password',
              hint: this.localize.term('passwordHint'),
            })}
            <div class="portal-actions">
              <button type="submit" class="portal-primary" ?disabled=${this.busy || expired || this.secondsToRetry > 0}>${this.localize.term('savePassword')}</button>
            </div>`
      }
    </form>`;
  }
}
