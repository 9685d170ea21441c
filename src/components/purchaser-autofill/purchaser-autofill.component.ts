import { consume } from '@lit/context';
import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { PortalElement } from '../../internal/portal-element.js';
import { portalContext, type PortalConfig } from '../../session/context.js';
import type { SessionStoreLike } from '../../session/types.js';
import { profileValues } from './field-map.js';
import { FormFiller, type FillTargets } from './form-filler.js';
import styles from './purchaser-autofill.styles.js';
import { term } from './translations.js';

export type { PortalField } from './field-map.js';
export { FILLED_ATTRIBUTE } from './form-filler.js';

/**
 * @summary Fills the host page's own purchaser form from the signed-in portal account.
 * @documentation DESIGN.md §6
 * @status experimental
 * @since 0.1
 * @slot - The host page's purchaser form(s) (light DOM; the element fills them in place).
 * @event portal-autofill-request - Cancelable, before filling; `detail: { fields: [{ field, name, control, value }] }` (change `value`, or `preventDefault()` to leave the form alone).
 * @event portal-autofill - After a form was filled; `detail: { filled: [{ field, name }], skipped: [{ field, name, reason }] }`.
 * @csspart base - Wrapper of the slot and the status line.
 * @csspart status - The "Filled from your portal account · Not you?" line (a polite live region).
 * @csspart not-you - The "Not you?" button, which signs out.
 * @cssproperty --portal-autofill-status-color - Text colour of the status line.
 * @cssproperty --portal-autofill-status-font-size - Font size of the status line.
 * @cssproperty --portal-autofill-status-gap - Space between the status text and the button.
 * @cssproperty --portal-autofill-status-margin - Margin above and below the status line.
 * @cssproperty --portal-autofill-link-color - Colour of the "Not you?" button.
 * @cssstate filled - Some field holds a value from the portal account.
 *
 * Filled controls get a `data-portal-filled` attribute, so the page can style them
 * (`input[data-portal-filled]`). Passwords, hidden inputs, payment-card fields and fields the person
 * typed in are never touched; nothing is ever written back to the person's record.
 */
export default class PurchaserAutofill extends PortalElement {
  static override styles = styles;

  private readonly filler = new FormFiller(this, () => this.targets(), () => this.handleFillChange());
  private session?: SessionStoreLike;
  private accountId?: string;
  private internals?: ElementInternals;

  @consume({ context: portalContext, subscribe: true })
  @state()
  private config?: PortalConfig;

  @state() private filledCount = 0;

  /** `id` of the form to fill (in this element's document or shadow root); by default, the forms it wraps. */
  @property({ attribute: 'for' }) htmlFor = '';

  constructor() {
    super();
    try {
      this.internals = this.attachInternals();
    } catch {
      this.internals = undefined;
    }
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.filler.connect();
    this.subscribe(this.config?.session);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.subscribe(undefined);
    this.filler.disconnect();
  }

  private subscribe(session: SessionStoreLike | undefined): void {
    if (session === this.session) return;
    this.session?.removeEventListener('change', this.handleSessionChange);
    this.session = session;
    session?.addEventListener('change', this.handleSessionChange);
    this.handleSessionChange();
  }

  private targets(): FillTargets {
    const root = this.getRootNode() as Document | ShadowRoot;
    if (this.htmlFor) {
      const target = root.getElementById?.(this.htmlFor);
      return { containers: target ? [target] : [], watch: root };
    }
    return { containers: [this], watch: this };
  }

  private readonly handleSessionChange = (): void => {
    const snapshot = this.session?.snapshot;
    if (snapshot?.status === 'signed-in' && snapshot.profile) {
      if (this.accountId && this.accountId !== snapshot.profile.accountId) this.filler.stop();
      this.accountId = snapshot.profile.accountId;
      this.filler.start(profileValues(snapshot.profile));
    } else if (this.accountId && snapshot?.status !== 'unknown') {
      // Signed out (or the session went away): take back what is still untouched.
      this.accountId = undefined;
      this.filler.stop();
    }
  };

  private handleFillChange(): void {
    this.filledCount = this.filler.filledCount;
    try {
      if (this.filledCount > 0) this.internals?.states.add('filled');
      else this.internals?.states.delete('filled');
    } catch {
      // Custom states are not supported in this browser; the attribute on the fields still says it.
    }
  }

  private readonly handleNotYou = (): void => {
    this.session?.signOut().catch(() => {
      // The store reports its own failures through its snapshot; nothing to add here.
    });
  };

  override updated(changed: PropertyValues): void {
    super.updated(changed);
    if (changed.has('config') && this.isConnected) this.subscribe(this.config?.session);
    if (changed.has('htmlFor') && changed.get('htmlFor') !== undefined) this.filler.refresh();
  }

  /** Own `lang`, then the nearest `[lang]` below `<html>`, then the provider's, then `<html lang>`. */
  private locale(): string {
    const near = this.parentElement?.closest('[lang]:not([lang=""])');
    const fromSection = near && near !== document.documentElement ? near.getAttribute('lang') : '';
    return this.lang || fromSection || this.config?.lang || document.documentElement.lang || 'en';
  }

  override render() {
    const locale = this.locale();
    const overrides = this.config?.translations;
    return html`<div part="base">
      <slot></slot>
      <div part="status" role="status">${this.filledCount > 0
        ? html`<span>${term(locale, 'autofillFilled', overrides)}</span> <span aria-hidden="true">·</span> <button part="not-you" type="button" @click=${this.handleNotYou}>${term(locale, 'autofillNotYou', overrides)}</button>`
        : nothing}</div>
    </div>`;
  }
}
