import { ContextRoot } from '@lit/context';
import { LitElement, type PropertyDeclarations } from 'lit';

/** Reflects a string attribute only when non-empty: `lang=""` would mean "unknown language". */
const omitEmpty = { toAttribute: (value: string) => value || null };

/** Replaced with package.json's `version` by the Vite build (vite.config.ts `define`). */
declare const __PORTAL_VERSION__: string | undefined;

/** Library version, stamped into every element class: package.json's, or `0.0.0-dev` from unbuilt sources. */
export const VERSION: string = typeof __PORTAL_VERSION__ === 'string' ? __PORTAL_VERSION__ : '0.0.0-dev';

/**
 * Base class of every portal element (STYLE §2.5): versioned, idempotent `define`, reactive
 * `api` / `org` (where the portal API is) and `lang` / `dir`. Never extend LitElement directly.
 */
export class PortalElement extends LitElement {
  static readonly version = VERSION;

  /**
   * Reactive properties are declared here rather than with decorators (issue 15: the decorator helpers
   * and one call per property cost the first load about 0.3 kB); subclasses list their own the same way.
   */
  static override get properties(): PropertyDeclarations {
    return {
      api: {},
      org: {},
      lang: { reflect: true, converter: omitEmpty },
      dir: { reflect: true, converter: omitEmpty },
    };
  }

  /** Registers the element under `tag`, once. Warns when another version already owns the tag. */
  static define(tag: string, ctor: CustomElementConstructor = this): void {
    attachContextRoot();
    const existing = customElements.get(tag) as (CustomElementConstructor & { version?: string }) | undefined;
    if (existing) {
      // The console text lives in the configuration check, loaded only then.
      if (existing.version !== VERSION && isDebug()) void import('./config-check.js').then((m) => m.versionClash(tag, existing.version, VERSION));
      return;
    }
    customElements.define(tag, ctor);
  }

  /**
   * Base URL of the portal API, e.g. `https://api.example.org/`. Set it on `<portal-provider>`; on
   * another element it is used only when no provider is above it.
   */
  api = '';
  /** Organization slug, e.g. `riverside-arts`; like `api`, the provider's wins when there is one. */
  org = '';

  /** Language of this element's text; falls back to the provider's, the nearest ancestor's, `<html lang>`, English. */
  override lang = '';
  /** Text direction; falls back to the document's. */
  override dir = '';
}

/**
 * Lets consumers that upgrade before their provider still find it (lit.dev#1185). Runs before the
 * first element is defined, whatever order a page imports the define files in. Idempotent.
 */
export function attachContextRoot(): void {
  const root = globalThis as { __portalContextRoot?: ContextRoot };
  if (typeof document === 'undefined' || root.__portalContextRoot) return;
  root.__portalContextRoot = new ContextRoot();
  root.__portalContextRoot.attach(document.documentElement);
}

/** Dev warnings show when `window.__portalDebug` is true (STYLE §2.10). */
export function isDebug(): boolean {
  return Boolean((globalThis as { __portalDebug?: boolean }).__portalDebug);
}

export function warn(message: string): void {
  if (isDebug()) console.warn(`[portal-widgets] ${message}`);
}
