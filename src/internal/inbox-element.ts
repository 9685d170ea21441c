/**
 * "Check your inbox" with Resend behind a visible cooldown, shared by the steps that send an email
 * (sign-up, forgot password, resending the confirmation). It loads with those steps, never with the
 * first load, and brings their English and styles (`step-setup.ts`).
 */
import { html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import { PortalFormElement } from './portal-form-element.js';
import { setUpSteps } from './step-setup.js';

setUpSteps();

export class PortalInboxElement extends PortalFormElement {
  static override get properties(): PropertyDeclarations {
    return { resendAt: { state: true, attribute: false }, resent: { state: true, attribute: false } };
  }

  /** Time (ms) when the confirmation email may be sent again. */
  protected resendAt = 0;
  /** The confirmation email was just sent again. */
  protected resent = false;

  /** Starts the visible wait before the confirmation email may be sent again. */
  protected startResendCooldown(): void {
    this.resendAt = Date.now() + this.resendCooldown * 1000;
    this.now = Date.now();
    void this.startTimer();
  }

  /** The resend cooldown still counts down (form-actions.ts keeps the timer ticking meanwhile). */
  protected counting(): boolean {
    return this.now < this.resendAt;
  }

  /** Sends the confirmation email (again) to `email`, then starts the cooldown. */
  protected async resendTo(email: string): Promise<boolean> {
    const store = this.session;
    if (!store || this.resendAt > Date.now()) return false;
    this.resent = false;
    const ok = await this.run(() => store.resendConfirmation(email, this.locale));
    if (ok) this.startResendCooldown();
    return ok;
  }

  private async handleResendAgain(email: string): Promise<void> {
    if (!(await this.resendTo(email))) return;
    this.resent = true;
    // The Resend button is now disabled for the cooldown: keep the focus in the step.
    void this.moveFocus(() => this.querySelector<HTMLElement>('h2'));
  }

  /** "Try again" outside a form: runs the failed request again. */
  private renderRetry(): TemplateResult {
    return html`<button type="button" class="portal-link" @click=${() => void this.run(this.retryAction!)}>${this.localize.term('tryAgain')}</button>`;
  }

  /**
   * "Check your inbox" (its `<h2>` takes the focus): `message`, then, with `resendEmail`, Resend behind
   * the visible cooldown; `footer` last (e.g. "Back to sign in").
   */
  protected renderCheckInbox(message: string, resendEmail?: string, footer: TemplateResult | typeof nothing = nothing): TemplateResult {
    const t = this.localize;
    const wait = Math.max(0, Math.ceil((this.resendAt - this.now) / 1000));
    return html`<div class="portal-form">
      <h2 tabindex="-1">${t.term('checkInboxTitle')}</h2>
      <p role="status">${message}</p>
      ${
        resendEmail
          ? html`${this.renderAlert(this.renderRetry())}
            <p class="portal-status" aria-live="polite">${this.resent ? t.term('resent') : ''}</p>
            <div class="portal-actions">
              <button type="button" class="portal-link" ?disabled=${this.busy || wait > 0 || this.secondsToRetry > 0} @click=${() => this.handleResendAgain(resendEmail)}>${t.term('resend')}</button>
              <span class="portal-hint">${wait > 0 ? t.term('resendIn', wait) : ''}</span>
            </div>`
          : nothing
      }
      ${footer}
    </div>`;
  }
}
