import { html, type TemplateResult } from 'lit';
import { property } from 'lit/decorators.js';
import type { TokenFlow } from '../../api/contract.js';
import { PortalFormElement } from '../../internal/portal-form-element.js';
import { setUpSteps } from '../../internal/step-setup.js';
import componentStyles from '../../styles/component.styles.js';
import styles from './set-password.styles.js';

setUpSteps();

/**
 * @summary Internal: chooses a password with a token from an emailed link, then signs in.
 * @status experimental
 * @since 0.1
 * @event portal-password-set - Internal (not composed): the password is set and the person signed in; `detail: { flow }`.
 * @csspart base - The card around the form.
 */
export default class PortalSetPassword extends PortalFormElement {
  static override styles = [componentStyles, styles];

  /** The single-use token from the link. */
  @property({ attribute: false }) token = '';
  /** Which flow the token belongs to. */
  @property() flow: TokenFlow = 'signup';
  /** The account's email, when known, so password managers save it with the new password. */
  @property() email = '';

  private async handleSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const values = this.formValues(event.currentTarget as HTMLFormElement);
    const data = await this.validate((m) => m.CompleteRequest, { token: this.token, password: values.password ?? '' });
    const store = this.session;
    if (!data || !store) return;
    const ok = await this.run(async () => {
      if (this.flow === 'reset') await store.completeReset(data.token, data.password);
      else await store.completeSignup(data.token, data.password);
    });
    if (ok) this.dispatchEvent(new CustomEvent('portal-password-set', { detail: { flow: this.flow } }));
  }

  protected override renderLight(): TemplateResult {
    const expired = this.error?.code === 'token_invalid';
    return html`<form class="portal-form" method="post" novalidate @submit=${this.handleSubmit}>
      <h2 tabindex="-1">${this.localize.term(this.flow === 'reset' ? 'forgotTitle' : 'setPasswordTitle')}</h2>
      <p>${this.localize.term(this.flow === 'reset' ? 'setPasswordIntroReset' : 'setPasswordIntroSignup')}</p>
      ${this.renderAlert()}
      <input type="email" name="username" autocomplete="username" .value=${this.email} hidden readonly />
      ${this.renderField({
        name: 'password',
        label: this.localize.term('newPassword'),
        type: 'password',
        autocomplete: 'new-password',
        hint: this.localize.term('passwordHint'),
      })}
      <div class="portal-actions">
        <button type="submit" class="portal-primary" ?disabled=${this.busy || expired || this.secondsToRetry > 0}>${this.localize.term('savePassword')}</button>
      </div>
    </form>`;
  }
}
