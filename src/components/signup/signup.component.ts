import { html, nothing, type PropertyDeclarations, type TemplateResult } from 'lit';
import type { ConstituentKind, FieldErrorCode, TokenFlow } from '../../api/contract.js';
import { PortalSignedInEvent } from '../../events/signed-in.js';
import { PortalSignupRequestEvent } from '../../events/signup-request.js';
import { PortalSignupRequestedEvent } from '../../events/signup-requested.js';
import { warmUp } from '../../api/warm.js';
import { PortalInboxElement } from '../../internal/inbox-element.js';
import type { PendingToken } from '../../session/store.js';
import componentStyles from '../../styles/component.styles.js';
import styles from './signup.styles.js';

/**
 * @summary Sign-up for an individual or a company; always answers "check your inbox".
 * @tagname portal-signup
 * @status experimental
 * @since 0.1
 * @dependency portal-set-password
 * @event portal-signup-request - Cancelable, before the sign-up is sent; `detail: { kind, firstName, lastName, companyName?, email }` (`preventDefault()` sends nothing).
 * @event portal-signup-requested - The sign-up was sent; `detail: { email, kind }`.
 * @event portal-signed-in - Opened from the emailed link, the person chose a password and is signed in; `detail: { profile, outcome, method }`.
 * @csspart base - The card around the form.
 * @cssproperty --portal-signup-gap - Space between fields (default `--portal-space-m`).
 * @cssproperty --portal-color-primary - Button and link colour (theme token; all tokens: docs/theming.md).
 * @cssstate submitting - A request is in flight.
 * @cssstate user-invalid - A submitted field is invalid.
 */
export default class PortalSignup extends PortalInboxElement {
  static override styles = [componentStyles, styles];
  static override get properties(): PropertyDeclarations {
    return {
      kind: { state: true, attribute: false },
      sentTo: { state: true, attribute: false },
      pending: { state: true, attribute: false },
      stepReady: { state: true, attribute: false },
      confirmed: { state: true, attribute: false },
    };
  }

  private kind: ConstituentKind = 'individual';
  private sentTo = '';
  /** An emailed link this page was opened with (when no `<portal-login>` took it first). */
  private pending?: PendingToken;
  private stepReady = false;
  private confirmed = false;

  override connectedCallback(): void {
    super.connectedCallback();
    // Issue 15 warm-up (src/api/warm.ts, H2), as in the login: the first keystroke readies the sign-up POST.
    this.addEventListener('input', () => warmUp(this.config?.api ?? this.api, this.config?.org ?? this.org, 'signup'), { once: true });
  }

  protected override sessionChanged(): void {
    super.sessionChanged();
    const pending = this.session?.takePendingToken();
    if (!pending) return;
    this.pending = pending;
    this.confirmed = false;
    void import('../set-password/set-password.js').then((m) => {
      m.default.define('portal-set-password');
      this.stepReady = true;
    });
  }

  private handlePasswordSet(event: CustomEvent<{ flow: TokenFlow }>): void {
    this.pending = undefined;
    this.confirmed = true;
    const snapshot = this.session?.snapshot;
    if (snapshot?.profile) this.emit(new PortalSignedInEvent({ profile: snapshot.profile, outcome: snapshot.outcome, method: event.detail.flow }));
  }

  private async handleSubmit(event: SubmitEvent): Promise<void> {
    event.preventDefault();
    const v = this.formValues(event.currentTarget as HTMLFormElement);
    const kind: ConstituentKind = v.kind === 'company' ? 'company' : 'individual';
    const extra: Record<string, FieldErrorCode> = kind === 'company' && !v.companyName?.trim() ? { companyName: 'required' } : {};
    const data = await this.validate(
      (m) => m.SignupRequest,
      {
        kind,
        firstName: v.firstName ?? '',
        lastName: v.lastName ?? '',
        companyName: kind === 'company' ? v.companyName : undefined,
        email: v.email ?? '',
      },
      extra,
    );
    const store = this.session;
    if (!data || !store) return;
    const { firstName, lastName, companyName, email } = data;
    if (!this.emit(new PortalSignupRequestEvent({ kind, firstName, lastName, companyName, email }))) return;
    const ok = await this.run(() => store.requestSignup({ ...data, locale: this.locale }));
    if (!ok) return;
    this.sentTo = data.email;
    this.startResendCooldown();
    this.emit(new PortalSignupRequestedEvent({ email: data.email, kind }));
    await this.updateComplete;
    this.querySelector<HTMLElement>('h2')?.focus();
  }

  protected override renderLight(): TemplateResult {
    if (this.pending) return this.renderSetPassword(this.pending);
    if (this.session?.exchangingToken) return html`<p class="portal-hint" role="status">${this.localize.term('loading')}</p>`;
    if (this.confirmed) return this.renderConfirmed();
    return this.sentTo ? this.renderSent() : this.renderForm();
  }

  private renderSetPassword(pending: PendingToken): TemplateResult {
    if (!this.stepReady) return html`<p class="portal-hint" role="status">${this.localize.term('loading')}</p>`;
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

  private renderConfirmed(): TemplateResult {
    const snapshot = this.session?.snapshot;
    const c = snapshot?.profile?.constituent;
    const outcome = snapshot?.outcome;
    const status =
      outcome === 'linked'
        ? this.localize.term('outcomeLinked')
        : outcome
          ? this.localize.term('outcomeCreated')
          : this.localize.term('passwordChanged');
    return html`<div class="portal-form">
      <p class="portal-status" role="status">${status}</p>
      ${c ? html`<p>${this.localize.term('signedInAs', `${c.firstName} ${c.lastName}`.trim())}</p>` : nothing}
    </div>`;
  }

  private renderForm(): TemplateResult {
    const t = this.localize;
    const company = this.kind === 'company';
    const radio = (value: ConstituentKind, label: string) => html`<span class="portal-check">
      <input type="radio" id=${`${this.uid}-kind-${value}`} name="kind" value=${value} .checked=${this.kind === value} @change=${() => (this.kind = value)} />
      <label for=${`${this.uid}-kind-${value}`}>${label}</label>
    </span>`;
    return html`<form class="portal-form" method="post" novalidate @submit=${this.handleSubmit}>
      <h2>${t.term('signupTitle')}</h2>
      ${this.renderAlert()}
      <fieldset>
        <legend>${t.term('accountType')}</legend>
        ${radio('individual', t.term('individual'))} ${radio('company', t.term('company'))}
      </fieldset>
      ${company ? this.renderField({ name: 'companyName', label: t.term('companyName'), autocomplete: 'organization' }) : nothing}
      <div class="portal-row">
        ${this.renderField({ name: 'firstName', label: t.term(company ? 'contactFirstName' : 'firstName'), autocomplete: 'given-name' })}
        ${this.renderField({ name: 'lastName', label: t.term(company ? 'contactLastName' : 'lastName'), autocomplete: 'family-name' })}
      </div>
      ${this.renderField({ name: 'email', label: t.term('email'), type: 'email', autocomplete: 'email', hint: t.term('signupReminder') })}
      <div class="portal-actions">
        <button type="submit" class="portal-primary" ?disabled=${this.busy || this.secondsToRetry > 0}>${t.term('signupSubmit')}</button>
      </div>
    </form>`;
  }

  private renderSent(): TemplateResult {
    return this.renderCheckInbox(this.localize.term('checkInboxSignup', this.sentTo), this.sentTo);
  }
}
