import { ContextProvider } from '@lit/context';
import type { KyInstance } from 'ky';
import { html, type PropertyDeclarations, type PropertyValues } from 'lit';
import { PortalElement } from '../../internal/portal-element.js';
import { portalContext, type PortalConfig } from '../../session/context.js';
import { getSessionStore, releaseSessionStore, type SessionStore } from '../../session/store.js';
import styles from './provider.styles.js';

/**
 * @summary Gives every portal element inside it the API, organization, session and language.
 * @tagname portal-provider
 * @status experimental
 * @since 0.1
 * @slot - The page content holding portal elements.
 */
export default class PortalProvider extends PortalElement {
  static override styles = styles;
  static override get properties(): PropertyDeclarations {
    return {
      config: { state: true, attribute: false },
      translations: { attribute: false },
      ky: { attribute: false },
    };
  }

  private store?: SessionStore;
  private readonly provider = new ContextProvider(this, { context: portalContext });

  config!: PortalConfig;

  /** Per-locale string overrides, e.g. `{ en: { signIn: 'Log in' } }` (property only). */
  translations?: PortalConfig['translations'];
  /** A ky instance to use for every request (stories and tests; property only, set before connecting). */
  ky?: KyInstance;

  /** The shared session store of this provider. */
  get session(): SessionStore | undefined {
    return this.store;
  }

  override connectedCallback(): void {
    super.connectedCallback();
    this.sync();
    // Frameworks may set the attributes right after connecting: judge them after this task.
    setTimeout(() => {
      // The message lives in the configuration check, loaded only when something is wrong.
      if (this.isConnected && (!this.api || !this.org))
        void import('../../internal/config-check.js').then((m) => m.providerMissing(this.api, this.org));
    });
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    if (this.store) releaseSessionStore(this.store);
    this.store = undefined;
    this.provide(undefined as unknown as PortalConfig);
  }

  protected override willUpdate(changed: PropertyValues): void {
    super.willUpdate(changed);
    if (changed.has('api') || changed.has('org') || changed.has('lang') || changed.has('translations')) this.sync();
  }

  private sync(): void {
    if (!this.isConnected) return;
    if (!this.api || !this.org) return;
    if (!this.store || this.store.base !== this.api || this.store.org !== this.org) {
      if (this.store) releaseSessionStore(this.store);
      this.store = getSessionStore(this.api, this.org, { ky: this.ky });
      void this.store.restore();
    }
    const { api, org, lang, translations, store } = this;
    const next: PortalConfig = { api, org, session: store, lang: lang || undefined, translations, checkConfig: !this.ky };
    const prev = this.config;
    if (!prev || prev.api !== api || prev.org !== org || prev.session !== store || prev.lang !== next.lang || prev.translations !== translations) {
      this.provide(next);
    }
  }

  /** Sets `config` and hands it to every consumer below (what `@provide` did, without the decorator). */
  private provide(config: PortalConfig): void {
    this.provider.setValue(config);
    this.config = config;
  }

  override render() {
    return html`<slot></slot>`;
  }
}
