import { ContextConsumer, createContext } from '@lit/context';
import type { ReactiveElement } from 'lit';
import type { SessionStoreLike } from './types.js';

/**
 * What `<portal-provider>` provides to every portal element below it (STYLE §8.35). Elements
 * consume it with {@link consumeConfig}; without a provider they build an equivalent from their own
 * `api` / `org` attributes.
 */
export interface PortalConfig {
  /** Base URL of the portal API, e.g. `https://api.example.org/`. */
  readonly api: string;
  /** The organization's slug, e.g. `riverside-arts`. */
  readonly org: string;
  /** The shared session of this page (one per api + org). */
  readonly session: SessionStoreLike;
  /** Locale requested by the provider (`lang`), if any. */
  readonly lang?: string;
  /** Per-instance string overrides, keyed by locale then message key. */
  readonly translations?: Readonly<Record<string, Readonly<Record<string, string>>>>;
  /**
   * False when the provider was given its own ky instance (stories, tests): its answers are not the
   * real API's, so the elements run no configuration check against it.
   */
  readonly checkConfig?: boolean;
}

export const portalContext = createContext<PortalConfig>(Symbol.for('portal.config'));

/**
 * Keeps `host.config` (a reactive property of the host) equal to what the nearest `<portal-provider>`
 * provides, now and after every change: what `@consume({ context: portalContext, subscribe: true })`
 * does, without the decorator helpers in the first load (issue 15). Call it in the constructor.
 */
export function consumeConfig(host: ReactiveElement & { config?: PortalConfig }): void {
  new ContextConsumer(host, {
    context: portalContext,
    subscribe: true,
    callback: (value) => {
      host.config = value;
    },
  });
}
