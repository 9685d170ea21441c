/** Text folding shared by the autofill engine's modules (field-map, judge, places). */

/** Lower case, accents removed. */
export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Folded, punctuation-free text for comparing option values, labels and table names. */
export function comparable(text: string): string {
  return fold(text)
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}
