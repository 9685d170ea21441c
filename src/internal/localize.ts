/**
 * A thin localize controller (STYLE §7): typed translations that register themselves, English
 * fallback. Every element resolves its language in the same order: its own `lang`, the provider's
 * `lang`, the nearest ancestor's `lang`, `<html lang>`, then English. Spanish and French load on
 * demand. Provider overrides replace single strings (`{0}` stands for a function's argument); keys
 * of nested tables are dotted (`errors.rate_limited`). English arrives in parts: what the signed-out
 * sign-in form shows, then errors and the signed-in view with the API client (`en-more.ts`), then the
 * strings of each lazily loaded step with that step (`extendTranslation`).
 */
import type { ReactiveController, ReactiveControllerHost } from 'lit';
import { withApi } from '../api/load.js';
import type { PortalConfig } from '../session/context.js';
import en, { type Translation } from '../translations/en.js';

/** Registered strings by language; English is partial until the lazy steps add theirs. */
const translations = new Map<string, Partial<Translation>>([['en', en as Partial<Translation>]]);
const loaders: Record<string, () => Promise<unknown>> = {
  es: () => import('../translations/es.js').then((m) => registerTranslation(m.default)),
  fr: () => import('../translations/fr.js').then((m) => registerTranslation(m.default)),
};
const loading = new Map<string, Promise<unknown>>();
let more: Promise<unknown> | undefined;
/**
 * The English of errors, the signed-in view and the autofill status (`en-more.ts`): loaded with the API
 * client, which waits for it, and by anything else that shows those strings first (the autofill view).
 */
export function loadMoreEnglish(): Promise<unknown> {
  more ??= import('../translations/en-more.js').then(
    (m) => extendTranslation('en', m.default),
    (error: unknown) => {
      more = undefined;
      throw error;
    },
  );
  return more;
}
withApi(loadMoreEnglish);
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
  const had = translations.get(key);
  const merged: Partial<Translation> = { ...strings, ...had };
  // The tables merge entry by entry: the first load's English has one error message of its own.
  if (had?.errors && strings.errors) merged.errors = { ...strings.errors, ...had.errors };
  if (had?.fieldErrors && strings.fieldErrors) merged.fieldErrors = { ...strings.fieldErrors, ...had.fieldErrors };
  translations.set(key, merged);
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
    const english = (translations.get('en')?.[table] ?? {}) as Record<string, string>;
    const t = (translations.get(code)?.[table] ?? english) as Record<string, string>;
    return t[key as string] ?? english[key as string] ?? '';
  }

  private override(code: string, key: string): string | undefined {
    const table = this.host.config?.translations;
    return table?.[code]?.[key] ?? table?.[this.lang()]?.[key];
  }
}
