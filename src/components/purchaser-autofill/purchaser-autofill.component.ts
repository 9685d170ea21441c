import { consume } from '@lit/context';
import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { PortalElement, warn } from '../../internal/portal-element.js';
import { portalContext, type PortalConfig } from '../../session/context.js';
import { getSessionStore, releaseSessionStore, type SessionStore } from '../../session/store.js';
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
  /** The page's shared store for `api` + `org`, when used without a provider. */
  private ownStore?: SessionStore;
  private accountId?: string;
  private internals?: ElementInternals;

  @consume({ context: portalContext, subscribe: true })
  @state()
  private config?: PortalConfig;

  @state() private filledCount = 0;

  /** `id` of the form to fill (in this element's document or shadow root); by default, the forms it wraps. */
  @property({ attribute: 'for' }) htmlFor = '';

  /** Base URL of the portal API, when used without a `<portal-provider>` (the provider wins when present). */
  @property() api = '';

  /** Organization slug, when used without a `<portal-provider>`. */
  @property() org = '';

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
    this.subscribe(this.resolveSession());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.subscribe(undefined);
    this.releaseOwnStore();
    this.filler.disconnect();
  }

  /** The provider's session, else the page's shared store for the `api` + `org` attributes. */
  private resolveSession(): SessionStoreLike | undefined {
    if (this.config?.session) {
      this.releaseOwnStore();
      return this.config.session;
    }
    if (!this.api || !this.org) return undefined;
    if (!this.ownStore || this.ownStore.base !== this.api || this.ownStore.org !== this.org) {
      this.releaseOwnStore();
      this.ownStore = getSessionStore(this.api, this.org);
      void this.ownStore.restore();
    }
    return this.ownStore;
  }

  private releaseOwnStore(): void {
    if (this.ownStore) releaseSessionStore(this.ownStore);
    this.ownStore = undefined;
  }

  private subscribe(session: SessionStoreLike | undefined): void {
    if (session === this.session) return;
    this.session?.removeEventListener('change', this.handleSessionChange);
    this.session = session;
    session?.addEventListener('change', this.handleSessionChange);
    // Losing the session (disconnect, provider gone) leaves the form as it is.
    if (session) this.handleSessionChange();
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
      if (this.htmlFor && !this.filler.hasTargets()) warn(`<purchaser-autofill for="${this.htmlFor}">: no element with that id (yet).`);
      if (this.accountId && this.accountId !== snapshot.profile.accountId) this.filler.stop();
      this.accountId = snapshot.profile.accountId;
      this.filler.start(profileValues(snapshot.profile));
    } else if (this.accountId && snapshot?.status === 'signed-out') {
      // Signed out: take back what is still untouched.
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

  private readonly handleNotYou = async (): Promise<void> => {
    // The button goes away with the fill: keyboard users continue at the form's first cleared field.
    const first = this.filler.firstFilled();
    try {
      await this.session?.signOut();
    } catch {
      // The store reports its own failures through its snapshot; nothing to add here.
    }
    if (first?.isConnected) first.focus();
  };

  override firstUpdated(): void {
    if (!this.session) warn('<purchaser-autofill> has no <portal-provider> above it and no api/org attributes: it will fill nothing.');
  }

  override updated(changed: PropertyValues): void {
    super.updated(changed);
    if ((changed.has('config') || changed.has('api') || changed.has('org')) && this.isConnected) {
      this.subscribe(this.resolveSession());
    }
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
