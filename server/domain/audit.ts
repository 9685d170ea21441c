/**
 * The one audit writer: every audited change goes through `audit()`, in the transaction of the
 * change itself, so the log never records a change that did not commit (or misses one that did).
 * `actor` is `account:<id>`, `admin-api-key`, `portal`, `cli` or another fixed word; `details` never
 * holds a password, token or secret.
 */
import type { Db } from '../types.ts';

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
}
