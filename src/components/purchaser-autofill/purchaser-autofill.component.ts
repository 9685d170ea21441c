import { consume } from '@lit/context';
import { html, nothing, type PropertyValues } from 'lit';
import { property, state } from 'lit/decorators.js';
import { alongWithApi } from '../../api/load.js';
import { LocalizeController } from '../../internal/localize.js';
import { PortalElement, warn } from '../../internal/portal-element.js';
import { portalContext, type PortalConfig } from '../../session/context.js';
import { getSessionStore, releaseSessionStore, type SessionStore } from '../../session/store.js';
import type { SessionStoreLike } from '../../session/types.js';
import type { Profile } from '../../api/contract.js';
import type { FillTargets, FormFiller } from './form-filler.js';
import styles from './purchaser-autofill.styles.js';

export type { PortalField } from './field-map.js';
export { FILLED_ATTRIBUTE } from './filled-attribute.js';

type Engine = typeof import('./form-filler.js');

/**
 * The fill engine (field mapping, country tables, the filler) is only needed once someone is signed
 * in, so it is a chunk of its own: fetched together with the API client (a stored session, or the
 * person starting to sign in), or at the latest when the session becomes signed-in.
 */
let engine: Engine | undefined;
let engineLoading: Promise<Engine> | undefined;
function loadEngine(): Promise<Engine> {
  engineLoading ??= import('./form-filler.js').then(
    (m) => (engine = m),
    (error: unknown) => {
      engineLoading = undefined;
      throw error;
    },
  );
  return engineLoading;
}
const preloadEngine = () => loadEngine().catch(() => undefined);

/** sessionStorage key of the "Filling as" choice: one per page (path), for this tab. */
const fillingAsKey = () => `portal-autofill-as:${location.pathname}`;

/** The choice remembered for this page, when it still names a company the account manages. */
function readFillingAs(profile: Profile): string {
  let stored: string | null = null;
  try {
    stored = sessionStorage.getItem(fillingAsKey());
  } catch {
    // Storage refused: the choice lasts for the page.
  }
  return stored && profile.companies.some((c) => c.id === stored) ? stored : '';
}

function rememberFillingAs(as: string): void {
  try {
    if (as) sessionStorage.setItem(fillingAsKey(), as);
    else sessionStorage.removeItem(fillingAsKey());
  } catch {
    // Storage refused: the choice lasts for the page.
  }
}

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

  private readonly localize = new LocalizeController(this);
  /** Created when the engine has loaded. */
  private filler?: FormFiller;
  /** Controls the person typed in, collected from connect on (the engine may load later). */
  private readonly touched = new WeakSet<Element>();
  private listeningOn?: Node;
  /** The engine load a signed-in session is waiting for; `updateComplete` waits for it too. */
  private engineWait?: Promise<unknown>;
  private session?: SessionStoreLike;
  /** The page's shared store for `api` + `org`, when used without a provider. */
  private ownStore?: SessionStore;
  private accountId?: string;
  private internals?: ElementInternals;

  /** What the nearest `<portal-provider>` provides (session, language, string overrides). */
  @consume({ context: portalContext, subscribe: true })
  @state()
  config?: PortalConfig;

  @state() private filledCount = 0;
  /** Whom the form is filled as: `''` for the person, else the id of a company the account manages. */
  @state() private fillingAs = '';
  /** The signed-in profile, while it manages companies (the "Filling as" chooser shows then). */
  @state() private chooserProfile?: Profile;

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
    alongWithApi(preloadEngine);
    this.listeningOn = this.getRootNode();
    for (const type of ['input', 'change']) this.listeningOn.addEventListener(type, this.handleUserInput, true);
    this.filler?.connect();
    this.subscribe(this.resolveSession());
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.subscribe(undefined);
    this.releaseOwnStore();
    for (const type of ['input', 'change']) this.listeningOn?.removeEventListener(type, this.handleUserInput, true);
    this.filler?.disconnect();
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
    // Until the first render the slot does not exist, so the wrapped form is not shown (and a
    // person could reach none of it): the fill waits for firstUpdated.
    if (!this.hasUpdated) return;
    if (snapshot?.status === 'signed-in' && snapshot.profile) {
      if (!engine) {
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
      if (!this.filler) {
        this.filler = new engine.FormFiller(
          this,
          () => this.targets(),
          () => this.handleFillChange(),
          this.touched,
        );
        this.filler.connect();
      }
      if (this.htmlFor && !this.filler.hasTargets()) warn(`<purchaser-autofill for="${this.htmlFor}">: no element with that id (yet).`);
      const profile = snapshot.profile;
      if (this.accountId && this.accountId !== profile.accountId) this.filler.stop();
      if (this.accountId !== profile.accountId) this.fillingAs = readFillingAs(profile);
      this.accountId = profile.accountId;
      this.chooserProfile = profile.companies.length > 0 ? profile : undefined;
      this.filler.start(engine.profileValues(profile), this.fillingAs ? engine.profileValues(profile, this.fillingAs) : undefined);
    } else if (this.accountId && snapshot?.status === 'signed-out') {
      // Signed out: take back what is still untouched.
      this.accountId = undefined;
      this.chooserProfile = undefined;
      this.filler?.stop();
    }
  };

  private handleFillChange(): void {
    this.filledCount = this.filler?.filledCount ?? 0;
    try {
      if (this.filledCount > 0) this.internals?.states.add('filled');
      else this.internals?.states.delete('filled');
    } catch {
      // Custom states are not supported in this browser; the attribute on the fields still says it.
    }
  }

  /** The person picked whom to fill as: take back what is untouched, fill again, remember it for this page. */
  private readonly handleFillingAs = (event: Event): void => {
    const as = (event.target as HTMLSelectElement).value;
    const profile = this.chooserProfile;
    if (!profile || !engine || !this.filler) return;
    this.fillingAs = as;
    rememberFillingAs(as);
    this.filler.stop();
    this.filler.start(engine.profileValues(profile), as ? engine.profileValues(profile, as) : undefined);
  };

  private readonly handleNotYou = async (): Promise<void> => {
    // The button goes away with the fill: keyboard users continue at the form's first cleared field.
    const first = this.filler?.firstFilled();
    try {
      await this.session?.signOut();
    } catch {
      // The store reports its own failures through its snapshot; nothing to add here.
    }
    if (first?.isConnected) first.focus();
  };

  override firstUpdated(): void {
    if (this.session) this.handleSessionChange();
    // Loud, always (issue 11): without a provider's session or its own api + org it can never fill.
    if (!this.session) {
      const provider = this.closest('portal-provider');
      const [api, org] = provider ? [provider.getAttribute('api') ?? '', provider.getAttribute('org') ?? ''] : [this.api, this.org];
      void import('../../internal/config-check.js').then(
        (m) => m.missingConfig(this.localName, provider ? 'incomplete' : 'none', api, org),
        () => warn('<purchaser-autofill> has no <portal-provider> above it and no api/org attributes: it will fill nothing.'),
      );
    }
  }

  override updated(changed: PropertyValues): void {
    super.updated(changed);
    if ((changed.has('config') || changed.has('api') || changed.has('org')) && this.isConnected) {
      this.subscribe(this.resolveSession());
    }
    if (changed.has('htmlFor') && changed.get('htmlFor') !== undefined) this.filler?.refresh();
  }

  override render() {
    const profile = this.chooserProfile;
    const person = profile ? [profile.constituent.firstName, profile.constituent.lastName].filter(Boolean).join(' ') || profile.email : '';
    const as = profile?.companies.find((c) => c.id === this.fillingAs)?.companyName ?? person;
    return html`<div part="base">
      <slot></slot>
      ${
        profile
          ? html`<label part="filling-as"
              >${this.localize.term('fillingAs')}
              <select @change=${this.handleFillingAs}>
                <option value="" ?selected=${!this.fillingAs}>${person}</option>
                ${profile.companies.map((c) => html`<option value=${c.id} ?selected=${c.id === this.fillingAs}>${c.companyName}</option>`)}
              </select></label
            >`
          : nothing
      }
      <div part="status" role="status">
        ${
          this.filledCount > 0
            ? html`<span>${profile ? this.localize.term('autofillFilledAs', as) : this.localize.term('autofillFilled')}</span>
                <span aria-hidden="true">·</span>
                <button part="not-you" type="button" @click=${this.handleNotYou}>${this.localize.term('notYou')}</button>`
            : nothing
        }
      </div>
    </div>`;
  }
}
