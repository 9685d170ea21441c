/**
 * The one audit writer: every audited change goes through `audit()`, in the transaction of the
 * change itself, so the log never records a change that did not commit (or misses one that did).
 * `actor` is `account:<id>`, `admin-api-key`, `portal`, `cli` or another fixed word; `details` never
 * holds a password, token or secret. The audited changes a CRM cares about also queue their signed
 * webhook here, in the same transaction (webhooks.ts): one place decides what happened.
 */
import type { Db } from '../types.ts';
import { queueEvent, type WebhookEvent } from './webhooks.ts';

export interface AuditEntry {
  orgId: string;
  actor: string;
  action: string;
  subjectId?: string | null;
  details?: Record<string, unknown>;
}

export async function audit(db: Db, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('audit_log')
    .values({
      org_id: entry.orgId,
      actor: entry.actor,
      action: entry.action,
      subject_id: entry.subjectId ?? null,
      ...(entry.details !== undefined ? { details: JSON.stringify(entry.details) } : {}),
    })
    .execute();
  await webhooksFor(db, entry);
}

async function constituentData(db: Db, id: string | null | undefined) {
  if (!id) return null;
  const c = await db.selectFrom('constituents').selectAll().where('id', '=', id).executeTakeFirst();
  if (!c) return null;
  return {
    id: c.id,
    kind: c.kind,
    firstName: c.first_name,
    lastName: c.last_name,
    companyName: c.company_name,
    email: c.email,
    phone: c.phone,
    address: { line1: c.address_line1, line2: c.address_line2, city: c.city, region: c.region, postalCode: c.postal_code, country: c.country },
    externalId: c.external_id?.startsWith('id:') ? c.external_id.slice(3) : null,
  };
}

/** The webhook events an audited change stands for (none for most actions). */
async function webhooksFor(db: Db, entry: AuditEntry): Promise<void> {
  const emit = (event: WebhookEvent, data: Record<string, unknown>) => queueEvent(db, entry.orgId, event, data);
  const accountId = entry.actor.startsWith('account:') ? entry.actor.slice('account:'.length) : null;
  const details = entry.details ?? {};
  if (entry.action === 'account.created' && accountId) {
    const account = await db.selectFrom('accounts').select(['email', 'created_at']).where('id', '=', accountId).executeTakeFirst();
    const constituent = await constituentData(db, entry.subjectId);
    const outcome = details.outcome;
    const data = { accountId, email: account?.email ?? null, outcome, constituent };
    await emit('account.created', data);
    if (outcome === 'linked') await emit('account.linked', data);
    else await emit('constituent.created', { constituent, source: 'signup', accountId, possibleDuplicate: outcome === 'created_possible_duplicate' });
  } else if (entry.action === 'profile.updated') {
    await emit('profile.updated', { accountId, fields: details.fields ?? [], constituent: await constituentData(db, entry.subjectId) });
  } else if (entry.action === 'constituent.merged') {
    await emit('constituents.merged', {
      sourceId: details.sourceId,
      targetId: details.targetId,
      filled: details.filled ?? [],
      survivor: await constituentData(db, entry.subjectId),
    });
  }
}
