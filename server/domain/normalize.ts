/** Normalisation for matching (DESIGN §1.4): trim, Unicode NFKC, case-fold, inner spaces collapsed. */

export function normalizeName(value: string | null | undefined): string {
  return (value ?? '').normalize('NFKC').trim().replace(/\s+/gu, ' ').toLocaleLowerCase('und');
}

/** Email addresses compare the same way (the whole address is case-folded, as people expect). */
export function normalizeEmail(value: string): string {
  return normalizeName(value);
}
