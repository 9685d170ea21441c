/**
 * Strings of `<purchaser-autofill>`, kept here until they are merged into the shared
 * `src/translations/` modules (STYLE §7): add `autofillFilled` to `Translation` (en/es/fr below),
 * use the existing `notYou`, switch the component to `LocalizeController`, and delete this file.
 * The "Not you?" texts already match the shared `notYou` strings.
 */
export interface AutofillStrings {
  readonly autofillFilled: string;
  readonly autofillNotYou: string;
}

const STRINGS: Readonly<Record<string, AutofillStrings>> = {
  en: { autofillFilled: 'Filled from your portal account', autofillNotYou: 'Not you?' },
  es: { autofillFilled: 'Completado con los datos de su cuenta del portal', autofillNotYou: '¿No es usted?' },
  fr: { autofillFilled: 'Rempli à partir de votre compte du portail', autofillNotYou: 'Ce n’est pas vous ?' },
};

/** The string for `key` in `locale` (language subtag), with per-instance overrides, falling back to English. */
export function term(
  locale: string,
  key: keyof AutofillStrings,
  overrides?: Readonly<Record<string, Readonly<Record<string, string>>>>,
): string {
  const lang = locale.toLowerCase().split('-')[0] ?? 'en';
  return overrides?.[locale]?.[key] ?? overrides?.[lang]?.[key] ?? (STRINGS[lang] ?? STRINGS.en)?.[key] ?? STRINGS.en![key];
}
