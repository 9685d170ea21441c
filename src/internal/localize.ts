/**
 * A thin localize controller (STYLE §7): typed translations that register themselves, English
 * fallback. Every element resolves its language in the same order: its own `lang`, the provider's
 * `lang`, the nearest ancestor's `lang`, `<html lang>`, then English. Spanish and French load on
 * demand. Provider overrides replace single strings (`{0}` stands for a function's argument); keys
 * of nested tables are dotted (`errors.rate_limited`). English arrives in parts: what the first load
 * shows, then the strings of each lazily loaded step with that step (`extendTranslation`).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import type { PortalConfig } from '../session/context.js';
import en, { type Translation } from '../translations/en.js';

/** Registered strings by language; English is partial until the lazy steps add theirs. */
const translations = new Map<string, Partial<Translation>>([['en', en]]);
const loaders: Record<string, () => Promise<unknown>> = {
  es: () => import('../translations/es.js').then((m) => registerTranslation(m.default)),
  fr: () => import('../translations/fr.js').then((m) => registerTranslation(m.default)),
};
const loading = new Map<string, Promise<unknown>>();
/** Languages already reported as unsupported (once per page each). */
const unsupported = new Set<string>();
const connected = new Set<ReactiveControllerHost>();
let observer: MutationObserver | undefined;

/** Adds (or replaces) a translation. Translation modules call this when imported. */
export function registerTranslation(...list: Translation[]): void {
  for (const t of list) translations.set(t.$code.toLowerCase(), t);
  for (const host of connected) host.requestUpdate();
}

/**
 * Adds strings to a registered language without replacing any it has: a lazily loaded step brings
 * its English this way, and a translation the page registered for `code` keeps its own wording.
 */
export function extendTranslation(code: string, strings: Partial<Translation>): void {
  const key = code.toLowerCase();
  translations.set(key, { ...strings, ...translations.get(key) });
  for (const host of connected) host.requestUpdate();
}

type Host = ReactiveControllerHost & HTMLElement & { config?: PortalConfig };
type Fn<K extends keyof Translation> = Translation[K] extends (arg: infer A) => string ? A : never;

export class LocalizeController implements ReactiveController {
  constructor(private readonly host: Host) {
    host.addController(this);
  }

  hostConnected(): void {
    connected.add(this.host);
    if (!observer && typeof MutationObserver !== 'undefined') {
      observer = new MutationObserver(() => connected.forEach((h) => h.requestUpdate()));
      observer.observe(document.documentElement, { attributes: true, attributeFilter: ['lang', 'dir'] });
    }
  }

  hostDisconnected(): void {
    connected.delete(this.host);
  }

  /** The resolved language tag, lower case, e.g. `es-mx`. */
  lang(): string {
    const host = this.host;
    const lang =
      host.lang ||
      host.config?.lang ||
      host.parentElement?.closest<HTMLElement>('[lang]:not([lang=""])')?.lang ||
      document.documentElement.lang ||
      'en';
    return lang.toLowerCase();
  }

  /** The language whose strings are shown: a registered one, else English. */
  code(): string {
    const lang = this.lang();
    const base = lang.split('-')[0]!;
    if (translations.has(lang)) return lang;
    if (translations.has(base)) return base;
    const load = loaders[base];
    if (load && !loading.has(base))
      loading.set(
        base,
        load().catch(() => undefined),
      );
    if (!load && !unsupported.has(lang)) {
      unsupported.add(lang);
      const available = [...new Set([...translations.keys(), ...Object.keys(loaders)])];
      // The message lives in the configuration check, loaded only when it is needed.
      void import('./config-check.js').then((m) => m.unsupportedLanguage(lang, available));
    }
    return 'en';
  }

  /** Resolves once the strings of the resolved language are registered (or failed to load). */
  loaded(): Promise<unknown> {
    this.code();
    return loading.get(this.lang().split('-')[0]!) ?? Promise.resolve();
  }

  /** A translated string. */
  term<K extends keyof Translation>(key: K, ...args: Translation[K] extends (arg: never) => string ? [Fn<K>] : []): string {
    const code = this.code();
    const override = this.override(code, key);
    const value = (translations.get(code)?.[key] ?? translations.get('en')?.[key]) as unknown;
    if (override !== undefined) return override.replace('{0}', String(args[0] ?? ''));
    if (typeof value === 'function') return (value as (a: unknown) => string)(args[0]);
    return typeof value === 'string' ? value : String(key);
  }

  /** A translated entry of a nested table (`errors`, `fieldErrors`). */
  table<K extends 'errors' | 'fieldErrors'>(table: K, key: keyof Translation[K]): string {
    const code = this.code();
    const override = this.override(code, `${table}.${String(key)}`);
    if (override !== undefined) return override;
    const english = translations.get('en')![table]!;
    const t = translations.get(code)?.[table] ?? english;
    return (t as Record<string, string>)[key as string] ?? (english as Record<string, string>)[key as string] ?? '';
  }

  /** Formats a number with `Intl`. */
  number(value: number): string {
    return new Intl.NumberFormat(this.code()).format(value);
  }

  private override(code: string, key: string): string | undefined {
    const table = this.host.config?.translations;
    return table?.[code]?.[key] ?? table?.[this.lang()]?.[key];
  }
}
