import { html, type PropertyDeclarations, type TemplateResult } from 'lit';
import { PortalInboxElement } from '../../internal/inbox-element.js';
import componentStyles from '../../styles/component.styles.js';

/** Which email the step sends: a password-reset link, or the sign-up confirmation again. */
export type EmailStepFlow = 'forgot' | 'confirm';

/**
 * @summary Internal: the forgot-password or resend-confirmation step of `<portal-login>`, then its "check your inbox".
 * @status experimental
 * @since 0.1
 * @event portal-step-back - Internal (not composed): "Back to sign in" was chosen.
 * @csspart base - The card around the form.
 */
export default class PortalEmailStep extends PortalInboxElement {
  static override styles = componentStyles;
  static override get properties(): PropertyDeclarations {
    return { flow: {}, email: {}, sentTo: { state: true, attribute: false } };
  }

  flow: EmailStepFlow = 'forgot';
  /** The email typed before the step opened: the field starts from it. */
  email = '';
  /** Where the link was sent, once it was. */
  private sentTo = '';

  /** Submits the step: the answer never says whether the email is known. */
  private async handleSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const values = this.formValues(event.currentTarget as HTMLFormElement);
    const data = await this.validate((m) => m.PasswordResetRequest, { email: values.email ?? '' });
    const store = this.session;
    if (!data || !store) return;
    const ok = this.flow === 'forgot' ? await this.run(() => store.requestPasswordReset(data.email, this.locale)) : await this.resendTo(data.email);
    if (!ok) return;
    this.email = data.email;
    this.sentTo = data.email;
    this.resent = false;
    await this.updateComplete;
    this.querySelector<HTMLElement>('h2')?.focus();
  }

  protected override renderLight(): TemplateResult {
    const t = this.localize;
    const forgot = this.flow === 'forgot';
    const back = html`<button type="button" class="portal-link" @click=${() => this.dispatchEvent(new Event('portal-step-back'))}>${t.term('backToSignIn')}</button>`;
    if (this.sentTo) {
      return forgot
        ? this.renderCheckInbox(t.term('checkInboxReset', this.sentTo), undefined, back)
        : this.renderCheckInbox(t.term('checkInboxConfirm', this.sentTo), this.sentTo, back);
    }
    return html`<form class="portal-form" method="post" novalidate @submit=${this.handleSubmit}>
      <h2 tabindex="-1">${t.term(forgot ? 'forgotTitle' : 'confirmTitle')}</h2>
      <p>${t.term(forgot ? 'forgotIntro' : 'confirmIntro')}</p>
      ${this.renderAlert()}
      ${this.renderField({ name: 'email', label: t.term('email'), type: 'email', autocomplete: 'username', value: this.email })}
      <div class="portal-actions">
        <button type="submit" class="portal-primary" ?disabled=${this.busy || this.secondsToRetry > 0}>${t.term(forgot ? 'sendResetLink' : 'sendConfirmLink')}</button>
        ${back}
      </div>
    </form>`;
  }
}
