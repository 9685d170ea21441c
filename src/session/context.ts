import { createContext } from '@lit/context';
import type { SessionStoreLike } from './types.js';

/**
 * What `<portal-provider>` provides to every portal element below it (STYLE §8.35). Elements
 * consume it with `@consume({ context: portalContext, subscribe: true })`; without a provider they
 * build an equivalent from their own `api` / `org` attributes.
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
