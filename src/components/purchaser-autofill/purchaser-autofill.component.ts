import { html, type PropertyDeclarations, type PropertyValues } from 'lit';
import { alongWithApi } from '../../api/load.js';
import { LocalizeController, loadMoreEnglish } from '../../internal/localize.js';
import { PortalElement, warn } from '../../internal/portal-element.js';
import { consumeConfig, type PortalConfig } from '../../session/context.js';
import { getSessionStore, releaseSessionStore, type SessionStore } from '../../session/store.js';
import type { SessionStoreLike } from '../../session/types.js';
import type { AutofillHost, AutofillView } from './autofill-view.js';
import styles from './purchaser-autofill.styles.js';

export type { PortalField } from './field-map.js';
export { FILLED_ATTRIBUTE } from './filled-attribute.js';

/**
 * Filling (the engine: field mapping, country tables, the filler) and what shows once someone is signed
 * in (the view: chooser, status line) are only needed then, so they are chunks of their own: fetched
 * together with the API client (a stored session, or the person starting to sign in), or at the latest
 * when the session becomes signed-in. The element in the first load is a thin shell.
 */
type Loaded = [typeof import('./form-filler.js'), typeof import('./autofill-view.js'), unknown];
let loaded: Loaded | undefined;
let loading: Promise<Loaded> | undefined;
function loadEngine(): Promise<Loaded> {
  loading ??= Promise.all([import('./form-filler.js'), import('./autofill-view.js'), loadMoreEnglish()]).then(
    (m) => (loaded = m),
    (error: unknown) => {
      loading = undefined;
      throw error;
    },
  );
  return loading;
}
const preloadEngine = () => loadEngine().catch(() => undefined);

/**
 * @summary Fills the host page's own purchaser form from the signed-in portal account.
 * @tagname purchaser-autofill
 * @documentation DESIGN.md §6
 * @status experimental
 * @since 0.1
 * @slot - The host page's purchaser form(s) (light DOM; the element fills them in place).
 * @event portal-autofill-request - Cancelable, before filling; `detail: { fields: [{ field, name, control, value }] }` (change `value`, or `preventDefault()` to leave the form alone).
 * @event portal-autofill - After a form was filled; `detail: { filled: [{ field, name }], skipped: [{ field, name, reason }] }`.
 * @csspart base - Wrapper of the slot and the status line.
 * @csspart status - The "Filled from your portal account · Not you?" line (a polite live region).
 * @csspart not-you - The "Not you?" button, which signs out.
 * @csspart filling-as - The "Filling as" chooser (a `<select>`), shown when the account manages a company.
 * @cssproperty --portal-autofill-status-color - Text colour of the status line.
 * @cssproperty --portal-autofill-status-font-size - Font size of the status line.
 * @cssproperty --portal-autofill-status-gap - Space between the status text and the button.
 * @cssproperty --portal-autofill-status-margin - Margin above and below the status line.
 * @cssproperty --portal-autofill-link-color - Colour of the "Not you?" button.
 * @cssstate filled - Some field holds a value from the portal account.
 *
 * Filled controls get a `data-portal-filled` attribute, so the page can style them
 * (`input[data-portal-filled]`). Passwords, hidden inputs, payment-card fields and fields the person
 * typed in are never touched, nor fields that belong to someone else (honoree, guest, second
 * attendee, emergency contact, a different ship-to recipient) or that nobody can see (honeypots);
 * `data-portal-field`, `data-portal-skip` and `data-portal-person` let the page decide
 * (docs/autofill.md). An account that manages a company chooses whom it fills as. Nothing is ever
 * written back to the person's record.
 */
export default class PurchaserAutofill extends PortalElement {
  static override styles = styles;
  static override get properties(): PropertyDeclarations {
    return { config: { state: true, attribute: false }, htmlFor: { attribute: 'for' } };
  }

  private readonly localize = new LocalizeController(this);
  /** Created when the engine and the view have loaded (someone signed in). */
  private view?: AutofillView;
  /** Controls the person typed in, collected from connect on (the engine may load later). */
  private readonly touched = new WeakSet<Element>();
  private listeningOn?: Node;
  /** The engine load a signed-in session is waiting for; `updateComplete` waits for it too. */
  private engineWait?: Promise<unknown>;
  private session?: SessionStoreLike;
  /** The page's shared store for `api` + `org`, when used without a provider. */
  private ownStore?: SessionStore;
  // Read by autofill-view.ts (the `filled` custom state), like `touched`, `localize` and `session`.
  protected internals?: ElementInternals;

  /** What the nearest `<portal-provider>` provides (session, language, string overrides). */
  config?: PortalConfig;

  /** `id` of the form to fill (in this element's document or shadow root); by default, the forms it wraps. */
  htmlFor = '';

  constructor() {
    super();
    consumeConfig(this);
    try {
      this.internals = this.attachInternals();
    } catch {
      this.internals = undefined;
    }
  }

  override connectedCallback(): void {
    super.connectedCallback();
    alongWithApi(preloadEngine);
    this.listeningOn = this.getRootNode();
    for (const type of ['input', 'change']) this.listeningOn.addEventListener(type, this.handleUserInput, true);
    this.view?.connect();
    this.subscribe(this.resolveSession());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.subscribe(undefined);
    this.releaseOwnStore();
    for (const type of ['input', 'change']) this.listeningOn?.removeEventListener(type, this.handleUserInput, true);
    this.view?.disconnect();
  }

  /** Also waits for a fill that waits for the engine, and for the page language's strings. */
  protected override async getUpdateComplete(): Promise<boolean> {
    let result = await super.getUpdateComplete();
    while (this.engineWait) {
      await this.engineWait;
      result = await super.getUpdateComplete();
    }
    // Spanish and French strings load on first use.
    await this.localize.loaded();
    return (await super.getUpdateComplete()) && result;
  }

  private readonly handleUserInput = (event: Event): void => {
    const target = event.composedPath()[0];
    if (event.isTrusted && target instanceof Element) this.touched.add(target);
  };

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

  private readonly handleSessionChange = (): void => {
    const snapshot = this.session?.snapshot;
    // Until the first render the slot does not exist, so the wrapped form is not shown (and a
    // person could reach none of it): the fill waits for firstUpdated.
    if (!this.hasUpdated) return;
    if (!this.view && snapshot?.status === 'signed-in' && snapshot.profile) {
      if (!loaded) {
        // Fills as soon as the engine is here, from whatever the session is by then.
        this.engineWait ??= loadEngine().then(
          () => {
            this.engineWait = undefined;
            if (this.isConnected) this.handleSessionChange();
          },
          () => {
            this.engineWait = undefined;
            warn('<purchaser-autofill> could not load its fill engine.');
          },
        );
        return;
      }
      const [engine, { AutofillView }] = loaded;
      this.view = new AutofillView(this as unknown as AutofillHost, engine);
    }
    const warning = this.view?.sessionChanged(snapshot);
    if (warning) warn(warning);
  };

  override firstUpdated(): void {
    if (this.session) this.handleSessionChange();
    // Loud, always (issue 11): without a provider's session or its own api + org it can never fill.
    if (!this.session) {
      void import('../../internal/config-check.js').then(
        (m) => m.unconfigured(this, this.api, this.org),
        () => warn('<purchaser-autofill> has no <portal-provider> above it and no api/org attributes: it will fill nothing.'),
      );
    }
  }

  override updated(changed: PropertyValues): void {
    super.updated(changed);
    if ((changed.has('config') || changed.has('api') || changed.has('org')) && this.isConnected) {
      this.subscribe(this.resolveSession());
    }
    if (changed.has('htmlFor') && changed.get('htmlFor') !== undefined) this.view?.refresh();
  }

  override render() {
    const view = this.view;
    return html`<div part="base"><slot></slot>${view?.renderChooser()}<div part="status" role="status">${view?.renderStatus()}</div></div>`;
  }
}
