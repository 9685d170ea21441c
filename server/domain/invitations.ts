/**
 * Invitations (DESIGN §1.1; no HTTP here): staff invite constituents by email or text message, with merge fields;
 * each invitation is tracked — sent, opened link, signed up. The portal QR code is served as SVG.
 *
 * Merge fields: {{firstName}} {{lastName}} {{companyName}} {{email}} (primary email) {{portalUrl}}
 * (the tracked link) {{qrCodeUrl}} {{orgName}}. The tracked link is
 * `<PUBLIC_API_URL>/v1/orgs/{org}/invitations/{token}`: it records the open and redirects to the
 * org's portal URL (any unknown token redirects the same way, so it reveals nothing).
 */
import type { Kysely, Selectable } from 'kysely';
import QRCode from 'qrcode';
import type {
  AdminPortalInfo,
  Invitation,
  InvitationList,
  InvitationPreview,
  InvitationRequest,
  InvitationResult,
  InvitationSkipped,
} from '../../src/api/admin.ts';
import type { ConstituentsTable, DB, InvitationsTable } from '../db/schema.ts';
import type { Db, Org } from '../types.ts';
import { randomToken, sha256 } from './crypto.ts';
import { escapeHtml } from './mail.ts';
import { enqueueEmail, enqueueSms } from './outbox.ts';

const DEFAULT_SUBJECT = 'Join the {{orgName}} portal';
const DEFAULT_EMAIL = `Hello {{firstName}},

You are invited to create your {{orgName}} portal account. When you sign up, please use your primary email address ({{email}}) and the name on your record, so your account is linked to your membership history:

{{portalUrl}}

Choose "Sign up", not "Sign in".`;
const DEFAULT_SMS = '{{orgName}}: create your portal account with {{email}} at {{portalUrl}}';

type Fields = Record<string, string>;

export const MERGE_FIELDS = ['firstName', 'lastName', 'companyName', 'email', 'portalUrl', 'qrCodeUrl', 'orgName'] as const;

/** Names inside {{…}} that are not merge fields, each once, in order of appearance. */
export function unknownMergeFields(template: string): string[] {
  const known = new Set<string>(MERGE_FIELDS);
  return [...new Set([...template.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]!))].filter((name) => !known.has(name));
}

export function fillMergeFields(template: string, fields: Fields): string {
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (whole, name: string) => (name in fields ? fields[name]! : whole));
}

function toInvitation(r: Selectable<InvitationsTable>): Invitation {
  return {
    id: r.id,
    constituentId: r.constituent_id,
    channel: r.channel,
    to: r.to_address,
    status: r.signed_up_at ? 'signed_up' : r.opened_at ? 'opened' : 'sent',
    sentAt: new Date(r.sent_at).toISOString(),
    openedAt: r.opened_at ? new Date(r.opened_at).toISOString() : null,
    signedUpAt: r.signed_up_at ? new Date(r.signed_up_at).toISOString() : null,
  };
}

/** Called in the sign-up completion transaction. */
export async function markInvitationsSignedUp(trx: Db, orgId: string, constituentId: string, emailNorm: string): Promise<void> {
  await trx
    .updateTable('invitations')
    .set({ signed_up_at: new Date() })
    .where('org_id', '=', orgId)
    .where('signed_up_at', 'is', null)
    .where((eb) => eb.or([eb('constituent_id', '=', constituentId), eb('to_address', '=', emailNorm)]))
    .execute();
}

/** Where the portal's QR code is served (an absolute URL under this API's public base URL). */
export function portalQrUrl(publicUrl: string, slug: string): string {
  return `${publicUrl}/v1/orgs/${slug}/portal/qr.svg`;
}

/** The tracked invitation link for a token. */
export function trackedLink(publicUrl: string, slug: string, token: string): string {
  return `${publicUrl}/v1/orgs/${slug}/invitations/${token}`;
}

export function portalQrSvg(portalUrl: string): Promise<string> {
  return QRCode.toString(portalUrl, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
}

/** The QR code as PNG, `size` px square (clamped to 128–1024). */
export async function portalQrPng(portalUrl: string, size: number): Promise<Uint8Array<ArrayBuffer>> {
  const px = Math.min(1024, Math.max(128, size || 512));
  return new Uint8Array(await QRCode.toBuffer(portalUrl, { type: 'png', margin: 2, width: px, errorCorrectionLevel: 'M' }));
}

/** Records the first open of a tracked link; unknown or malformed tokens change nothing. */
export async function recordInvitationOpen(db: Db, orgId: string, token: string): Promise<void> {
  if (!/^[A-Za-z0-9_-]{16,128}$/.test(token)) return;
  await db
    .updateTable('invitations')
    .set({ opened_at: new Date() })
    .where('org_id', '=', orgId)
    .where('tracking_hash', '=', sha256(token))
    .where('opened_at', 'is', null)
    .execute();
}

/**
 * Who of the chosen can be invited on this channel, and who is skipped and why. The same pass
 * serves the preview and the send, so the preview shows exactly what sending will do.
 */
async function eligible(conn: Db, orgId: string, body: InvitationRequest) {
  const ids = [...new Set(body.constituentIds)];
  const people = await conn
    .selectFrom('constituents')
    .selectAll()
    .where('org_id', '=', orgId)
    .where('merged_into', 'is', null)
    .where('id', 'in', ids)
    .execute();
  const withAccount = new Set(
    (await conn.selectFrom('accounts').select('constituent_id').where('org_id', '=', orgId).where('constituent_id', 'in', ids).execute()).map(
      (a) => a.constituent_id,
    ),
  );
  const byId = new Map(people.map((p) => [p.id, p]));
  const invitees: Array<{ person: Selectable<ConstituentsTable>; to: string }> = [];
  const skipped: InvitationSkipped[] = [];
  for (const id of ids) {
    const person = byId.get(id);
    const to = body.channel === 'email' ? person?.email_norm : (person?.phone ?? '').trim();
    const reason = !person ? 'not_found' : withAccount.has(id) ? 'has_account' : !to ? (body.channel === 'email' ? 'no_email' : 'no_phone') : null;
    if (reason) skipped.push({ constituentId: id, reason });
    else invitees.push({ person: person!, to: to! });
  }
  return { invitees, skipped };
}

/** One invitation's message: merge fields filled, the HTML body escaped from the text. */
function compose(org: Org, body: InvitationRequest, person: Selectable<ConstituentsTable>, portalUrl: string, qrCodeUrl: string) {
  const fields: Fields = {
    firstName: person.first_name,
    lastName: person.last_name,
    companyName: person.company_name ?? '',
    email: person.email,
    portalUrl,
    qrCodeUrl,
    orgName: org.name,
  };
  if (body.channel === 'sms') return { subject: null, text: fillMergeFields(body.message || DEFAULT_SMS, fields), html: null };
  const text = fillMergeFields(body.message || DEFAULT_EMAIL, fields);
  const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5">
<p>${escapeHtml(text).replace(/\n/g, '<br>')}</p>
<p><img src="${escapeHtml(fields.qrCodeUrl!)}" alt="QR code of the portal" width="160" height="160"></p>
</body></html>`;
  return { subject: fillMergeFields(body.subject || DEFAULT_SUBJECT, fields), text, html };
}

/**
 * What sending would do, without sending or storing anything: each message as it will read, who is
 * skipped and why, and merge fields that do not exist (a typo such as {{fristName}} would otherwise
 * reach people as written). The link shown is the portal URL; the sent one is a tracked link to it.
 */
export async function previewInvitations(db: Db, org: Org, body: InvitationRequest, publicUrl: string): Promise<InvitationPreview> {
  const { invitees, skipped } = await eligible(db, org.id, body);
  const qr = portalQrUrl(publicUrl, org.slug);
  const previews = invitees.map(({ person, to }) => ({
    constituentId: person.id,
    channel: body.channel,
    to,
    ...compose(org, body, person, org.portal_url, qr),
  }));
  return { previews, skipped, unknownFields: unknownMergeFields(`${body.subject ?? ''}\n${body.message ?? ''}`) };
}

/** Sends (queues in the outbox, in one transaction) one tracked invitation per eligible person. */
export async function sendInvitations(db: Kysely<DB>, org: Org, body: InvitationRequest, publicUrl: string): Promise<InvitationResult> {
  const qr = portalQrUrl(publicUrl, org.slug);
  return db.transaction().execute(async (trx) => {
    const { invitees, skipped } = await eligible(trx, org.id, body);
    const invitations: Invitation[] = [];
    for (const { person, to } of invitees) {
      const token = randomToken();
      const inserted = await trx
        .insertInto('invitations')
        .values({
          org_id: org.id,
          constituent_id: person.id,
          channel: body.channel,
          to_address: to,
          tracking_hash: sha256(token),
          opened_at: null,
          signed_up_at: null,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      const message = compose(org, body, person, trackedLink(publicUrl, org.slug, token), qr);
      if (message.subject !== null && message.html !== null) {
        await enqueueEmail(trx, {
          orgId: org.id,
          to: person.email,
          template: 'invitation',
          content: { subject: message.subject, text: message.text, html: message.html },
        });
      } else {
        await enqueueSms(trx, { orgId: org.id, to, template: 'invitation', text: message.text });
      }
      invitations.push(toInvitation(inserted));
    }
    return { invitations, skipped };
  });
}

/** Portal info for the admin page (DESIGN §1.1): the portal URL, its QR code and the merge fields. */
export function adminPortalInfo(org: Org, publicUrl: string): AdminPortalInfo {
  const qr = portalQrUrl(publicUrl, org.slug);
  return {
    slug: org.slug,
    name: org.name,
    portalUrl: org.portal_url,
    qrCodeUrl: qr,
    qrCodePngUrl: qr.replace(/\.svg$/, '.png'),
    tier: org.tier,
    matchPolicy: org.match_policy,
    mergeFields: [...MERGE_FIELDS],
    /** What an invitation says when staff leave the subject or message empty. */
    invitationDefaults: { subject: DEFAULT_SUBJECT, email: DEFAULT_EMAIL, sms: DEFAULT_SMS },
  };
}

export async function listInvitations(db: Db, orgId: string): Promise<InvitationList> {
  const rows = await db.selectFrom('invitations').selectAll().where('org_id', '=', orgId).orderBy('sent_at', 'desc').limit(1000).execute();
  const invitations = rows.map(toInvitation);
  return {
    invitations,
    summary: {
      sent: invitations.length,
      opened: invitations.filter((i) => i.openedAt).length,
      signedUp: invitations.filter((i) => i.signedUpAt).length,
    },
  };
}
