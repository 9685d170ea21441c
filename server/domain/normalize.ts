/**
 * Normalisation for matching (DESIGN §1.4): trim, Unicode NFKC, full case fold, inner spaces
 * collapsed, look-alike punctuation folded (issue 9 item 15).
 */

/** Apostrophes and quote-like marks people type for ' (O’Brien, O'Brien, Oʼ Brien). */
const APOSTROPHES = /[\u2018\u2019\u201A\u201B\u02BB\u02BC\u02B9\u0060\u00B4\u2032\u2035\uFF07]/gu;
/** Hyphens and dashes people type for - (Smith‐Jones, Smith–Jones). */
const DASHES = /[\u2010\u2011\u2012\u2013\u2014\u2015\u2212\uFE58\uFE63\uFF0D]/gu;

/**
 * A name as matching compares it. Full case folding: `ß` and `SS` are one, as are Turkish `İ`/`i`
 * and `ı`/`I` (upper- then lower-casing folds the special cases; the dot that lower-casing `İ`
 * leaves is dropped).
 */
export function normalizeName(value: string | null | undefined): string {
  return (value ?? '')
    .normalize('NFKC')
    .replace(APOSTROPHES, "'")
    .replace(DASHES, '-')
    .trim()
    .replace(/\s+/gu, ' ')
    .toLocaleUpperCase('und')
    .toLocaleLowerCase('und')
    .replace(/i\u0307/gu, 'i')
    .normalize('NFC');
}

/**
 * Email addresses: trimmed, NFKC, lower-cased (the stored `email_norm` of every account and record;
 * unchanged so existing rows still match). Rate limits fold further (`+tags`): ratelimit.ts.
 */
export function normalizeEmail(value: string): string {
  return value.normalize('NFKC').trim().replace(/\s+/gu, ' ').toLocaleLowerCase('und');
}
