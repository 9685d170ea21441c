/**
 * Match or create at confirmation (DESIGN §1.4). `email-and-name`: link to the record whose primary
 * email AND name match after normalisation (company: company name); otherwise create a new record,
 * and when the email matched but the name did not, record a duplicate candidate for staff.
 * `verified-email`: the proven email alone links to the single record that has it; a name
 * difference is noted for staff in the audit log.
 */
import type { Transaction } from 'kysely';
import type { MatchOutcome } from '../../src/api/contract.ts';
import type { DB } from '../db/index.ts';
import type { SignupPayload } from '../db/schema.ts';
import type { Org } from '../types.ts';
import { audit } from './audit.ts';
import { normalizeName } from './normalize.ts';
import { survivorId } from './accounts.ts';

export async function matchOrCreate(
  trx: Transaction<DB>,
  org: Org,
  email: string,
  emailNorm: string,
  p: SignupPayload,
): Promise<{ constituentId: string; outcome: MatchOutcome }> {
  // Every record with this email, merged-away ones too (they lead to their survivor).
  const readAll = () =>
    trx
      .selectFrom('constituents')
      .select(['id', 'first_name', 'last_name', 'company_name', 'merged_into'])
      .where('org_id', '=', org.id)
      .where('email_norm', '=', emailNorm)
      .where('kind', '=', p.kind)
      .orderBy('created_at')
      .orderBy('id')
      .execute();
  // A company sharing its email with its primary contact: that contact's own (individual) record.
  const readContacts = (companyIds: string[]) =>
    p.kind !== 'company' || companyIds.length === 0
      ? Promise.resolve([])
      : trx
          .selectFrom('company_contacts as cc')
          .innerJoin('constituents as ct', 'ct.id', 'cc.contact_id')
          .select(['cc.company_id', 'ct.id', 'ct.first_name', 'ct.last_name'])
          .where('cc.company_id', 'in', companyIds)
          .where('cc.is_primary', '=', true)
          .where('ct.kind', '=', 'individual')
          .where('ct.email_norm', '=', emailNorm)
          .where('ct.merged_into', 'is', null)
          .execute();

  let all = await readAll();
  let contacts = await readContacts(all.filter((c) => !c.merged_into).map((c) => c.id));
  const involved = [...new Set([...all.filter((c) => !c.merged_into).map((c) => c.id), ...contacts.map((c) => c.id)])];
  if (involved.length > 0) {
    // Lock every record this confirmation may link to, in one statement in id order — the order a
    // merge locks its two records in — then read again: a merge that committed meanwhile has moved
    // the records, and one still running waits for us (or we for it). Either way the account never
    // lands on a merged-away record (issue 9 item 13).
    await trx.selectFrom('constituents').select('id').where('id', 'in', involved).orderBy('id').forUpdate().execute();
    all = await readAll();
    contacts = await readContacts(all.filter((c) => !c.merged_into).map((c) => c.id));
  }
  const candidates = all.filter((c) => !c.merged_into);

  const nameMatches = (c: (typeof candidates)[number]) =>
    p.kind === 'company'
      ? normalizeName(c.company_name) === normalizeName(p.companyName)
      : normalizeName(c.first_name) === normalizeName(p.firstName) && normalizeName(c.last_name) === normalizeName(p.lastName);

  const exact = candidates.find(nameMatches);
  if (exact) {
    if (p.kind === 'company') {
      // Managed from the contact's own account only when the contact named is that person: a
      // stranger typing the company's name and email gets the company record, never someone's
      // personal one (issue 9 item 10).
      const contact = contacts.find(
        (ct) =>
          ct.company_id === exact.id &&
          normalizeName(ct.first_name) === normalizeName(p.firstName) &&
          normalizeName(ct.last_name) === normalizeName(p.lastName),
      );
      if (contact) return { constituentId: contact.id, outcome: 'linked' };
    }
    return { constituentId: exact.id, outcome: 'linked' };
  }
  // The person's record was merged into another (perhaps a moment ago, while we waited for the
  // merge's lock): the account belongs on the survivor, which now holds everything of theirs.
  const merged = all.find((c) => c.merged_into && nameMatches(c));
  if (merged) return { constituentId: await survivorId(trx, merged.id), outcome: 'linked' };

  if (org.match_policy === 'verified-email' && candidates.length === 1) {
    const only = candidates[0]!;
    await audit(trx, {
      orgId: org.id,
      actor: 'portal',
      action: 'match.linked_name_differs',
      subjectId: only.id,
      details: { given: { firstName: p.firstName, lastName: p.lastName, companyName: p.companyName } },
    });
    return { constituentId: only.id, outcome: 'linked' };
  }

  const created = await trx
    .insertInto('constituents')
    .values({
      org_id: org.id,
      kind: p.kind,
      first_name: p.firstName,
      last_name: p.lastName,
      company_name: p.kind === 'company' ? p.companyName : null,
      email,
      email_norm: emailNorm,
      phone: null,
      address_line1: null,
      address_line2: null,
      city: null,
      region: null,
      postal_code: null,
      country: null,
      merged_into: null,
      source: 'portal',
    })
    .returning('id')
    .executeTakeFirstOrThrow();

  if (candidates.length === 0) return { constituentId: created.id, outcome: 'created' };
  await trx
    .insertInto('duplicate_candidates')
    .values(candidates.map((c) => ({ org_id: org.id, constituent_id: created.id, existing_id: c.id, reason: 'email_match_name_differs' })))
    .execute();
  return { constituentId: created.id, outcome: 'created_possible_duplicate' };
}
