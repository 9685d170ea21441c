/**
 * Invitations (DESIGN §1.1): staff invite constituents by email or text message, with merge fields;
 * each invitation is tracked — sent, opened link, signed up. The portal QR code is served as SVG.
 *
 * Merge fields: {{firstName}} {{lastName}} {{companyName}} {{email}} (primary email) {{portalUrl}}
 * (the tracked link) {{qrCodeUrl}} {{orgName}}. The tracked link is
 * `<PUBLIC_API_URL>/v1/orgs/{org}/invitations/{token}`: it records the open and redirects to the
 * org's portal URL (any unknown token redirects the same way, so it reveals nothing).
 */
import type { Hono } from 'hono';
import type { Kysely, Selectable, Transaction } from 'kysely';
import QRCode from 'qrcode';
import * as z from 'zod/mini';
import type { Org } from './accounts.ts';
import type { AppDeps, Env } from './app.ts';
import { requireAdmin } from './admin.ts';
import { randomToken, sha256 } from './crypto.ts';
import type { DB } from './db/index.ts';
import type { ConstituentsTable, InvitationsTable } from './db/schema.ts';
import { readJson } from './http.ts';
import { escapeHtml } from './mail.ts';
import { enqueueEmail, enqueueSms } from './outbox.ts';

export const InvitationRequest = z.object({
  constituentIds: z.array(z.uuid({ error: 'invalid' })).check(z.minLength(1, { error: 'required' }), z.maxLength(500, { error: 'too_long' })),
  channel: z.enum(['email', 'sms']),
  /** Email subject (merge fields allowed); a default is used when absent. */
  subject: z.optional(z.string().check(z.trim(), z.maxLength(200, { error: 'too_long' }))),
  /** Plain text with merge fields; a default is used when absent. */
  message: z.optional(z.string().check(z.trim(), z.maxLength(5000, { error: 'too_long' }))),
});
type InvitationRequest = z.infer<typeof InvitationRequest>;

export const AdminPortalInfo = z.object({
  slug: z.string(),
  name: z.string(),
  portalUrl: z.string(),
  qrCodeUrl: z.string(),
  qrCodePngUrl: z.string(),
  tier: z.enum(['advanced', 'basic']),
  matchPolicy: z.enum(['email-and-name', 'verified-email']),
  mergeFields: z.array(z.string()),
  invitationDefaults: z.object({ subject: z.string(), email: z.string(), sms: z.string() }),
});
export type AdminPortalInfo = z.infer<typeof AdminPortalInfo>;

export const InvitationStatus = z.enum(['sent', 'opened', 'signed_up']);

export const Invitation = z.object({
  id: z.string(),
  constituentId: z.string(),
  channel: z.enum(['email', 'sms']),
  to: z.string(),
  status: InvitationStatus,
  sentAt: z.string(),
  openedAt: z.nullable(z.string()),
  signedUpAt: z.nullable(z.string()),
});
export type Invitation = z.infer<typeof Invitation>;

const Skipped = z.object({ constituentId: z.string(), reason: z.enum(['not_found', 'no_email', 'no_phone', 'has_account']) });
type Skipped = z.infer<typeof Skipped>;

export const InvitationResult = z.object({
  invitations: z.array(Invitation),
  skipped: z.array(Skipped),
});

export const InvitationPreview = z.object({
  previews: z.array(
    z.object({
      constituentId: z.string(),
      channel: z.enum(['email', 'sms']),
      to: z.string(),
      subject: z.nullable(z.string()),
      text: z.string(),
      html: z.nullable(z.string()),
    }),
  ),
  skipped: z.array(Skipped),
  /** Merge fields written in the subject or message that do not exist; they would be sent as written. */
  unknownFields: z.array(z.string()),
});
export type InvitationPreview = z.infer<typeof InvitationPreview>;
export const InvitationList = z.object({
  invitations: z.array(Invitation),
  summary: z.object({ sent: z.number(), opened: z.number(), signedUp: z.number() }),
});

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

function row(r: Selectable<InvitationsTable>): Invitation {
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
export async function markInvitationsSignedUp(trx: Transaction<DB>, orgId: string, constituentId: string, emailNorm: string): Promise<void> {
  await trx
    .updateTable('invitations')
    .set({ signed_up_at: new Date() })
    .where('org_id', '=', orgId)
    .where('signed_up_at', 'is', null)
    .where((eb) => eb.or([eb('constituent_id', '=', constituentId), eb('to_address', '=', emailNorm)]))
    .execute();
}

export function mountInvitations(app: Hono<Env>, deps: AppDeps): void {
  const { db, config } = deps;
  const qrUrl = (slug: string) => `${config.publicUrl()}/v1/orgs/${slug}/portal/qr.svg`;

  app.get('/v1/orgs/:org/portal/qr.svg', async (c) => {
    const svg = await QRCode.toString(c.get('org').portal_url, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
    c.header('Content-Type', 'image/svg+xml');
    c.header('Cache-Control', 'public, max-age=300');
    return c.body(svg);
  });

  /** The same QR code as PNG (print, slides, mail clients that block SVG). `?size=` 128–1024 px. */
  app.get('/v1/orgs/:org/portal/qr.png', async (c) => {
    const size = Math.min(1024, Math.max(128, Number.parseInt(c.req.query('size') ?? '', 10) || 512));
    const png = await QRCode.toBuffer(c.get('org').portal_url, { type: 'png', margin: 2, width: size, errorCorrectionLevel: 'M' });
    c.header('Content-Type', 'image/png');
    c.header('Cache-Control', 'public, max-age=300');
    return c.body(new Uint8Array(png));
  });

  app.get('/v1/orgs/:org/invitations/:token', async (c) => {
    const org = c.get('org');
    const token = c.req.param('token');
    if (/^[A-Za-z0-9_-]{16,128}$/.test(token)) {
      await db
        .updateTable('invitations')
        .set({ opened_at: new Date() })
        .where('org_id', '=', org.id)
        .where('tracking_hash', '=', sha256(token))
        .where('opened_at', 'is', null)
        .execute();
    }
    c.header('Cache-Control', 'no-store');
    c.header('Referrer-Policy', 'no-referrer');
    return c.redirect(org.portal_url, 302);
  });

  /**
   * Who of the chosen can be invited on this channel, and who is skipped and why. The same pass
   * serves the preview and the send, so the preview shows exactly what sending will do.
   */
  async function eligible(conn: Kysely<DB>, orgId: string, body: InvitationRequest) {
    const ids = [...new Set(body.constituentIds)];
    const people = await conn.selectFrom('constituents').selectAll().where('org_id', '=', orgId).where('merged_into', 'is', null).where('id', 'in', ids).execute();
    const withAccount = new Set(
      (await conn.selectFrom('accounts').select('constituent_id').where('org_id', '=', orgId).where('constituent_id', 'in', ids).execute()).map((a) => a.constituent_id),
    );
    const byId = new Map(people.map((p) => [p.id, p]));
    const invitees: Array<{ person: Selectable<ConstituentsTable>; to: string }> = [];
    const skipped: Skipped[] = [];
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
  function compose(org: Org, body: InvitationRequest, person: Selectable<ConstituentsTable>, portalUrl: string) {
    const fields: Fields = {
      firstName: person.first_name,
      lastName: person.last_name,
      companyName: person.company_name ?? '',
      email: person.email,
      portalUrl,
      qrCodeUrl: qrUrl(org.slug),
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
  app.post('/v1/orgs/:org/admin/invitations/preview', async (c) => {
    requireAdmin(c);
    const org = c.get('org');
    const body = await readJson(c, InvitationRequest);
    const { invitees, skipped } = await eligible(db, org.id, body);
    const previews = invitees.map(({ person, to }) => ({ constituentId: person.id, channel: body.channel, to, ...compose(org, body, person, org.portal_url) }));
    return c.json({ previews, skipped, unknownFields: unknownMergeFields(`${body.subject ?? ''}\n${body.message ?? ''}`) } satisfies InvitationPreview);
  });

  app.post('/v1/orgs/:org/admin/invitations', async (c) => {
    requireAdmin(c);
    const org = c.get('org');
    const body = await readJson(c, InvitationRequest);
    const result = await db.transaction().execute(async (trx) => {
      const { invitees, skipped } = await eligible(trx, org.id, body);
      const invitations: Invitation[] = [];
      for (const { person, to } of invitees) {
        const token = randomToken();
        const inserted = await trx
          .insertInto('invitations')
          .values({ org_id: org.id, constituent_id: person.id, channel: body.channel, to_address: to, tracking_hash: sha256(token), opened_at: null, signed_up_at: null })
          .returningAll()
          .executeTakeFirstOrThrow();
        const message = compose(org, body, person, `${config.publicUrl()}/v1/orgs/${org.slug}/invitations/${token}`);
        if (message.subject !== null && message.html !== null) {
          await enqueueEmail(trx, { orgId: org.id, to: person.email, template: 'invitation', content: { subject: message.subject, text: message.text, html: message.html } });
        } else {
          await enqueueSms(trx, { orgId: org.id, to, template: 'invitation', text: message.text });
        }
        invitations.push(row(inserted));
      }
      return { invitations, skipped };
    });
    if (result.invitations.length) deps.onMailQueued?.();
    return c.json(result, 201);
  });

  /** Portal info for the admin page (DESIGN §1.1): the portal URL, its QR code and the merge fields. */
  app.get('/v1/orgs/:org/admin/portal', (c) => {
    requireAdmin(c);
    const org = c.get('org');
    return c.json({
      slug: org.slug,
      name: org.name,
      portalUrl: org.portal_url,
      qrCodeUrl: qrUrl(org.slug),
      qrCodePngUrl: qrUrl(org.slug).replace(/\.svg$/, '.png'),
      tier: org.tier,
      matchPolicy: org.match_policy,
      mergeFields: [...MERGE_FIELDS],
      /** What an invitation says when staff leave the subject or message empty. */
      invitationDefaults: { subject: DEFAULT_SUBJECT, email: DEFAULT_EMAIL, sms: DEFAULT_SMS },
    } satisfies AdminPortalInfo);
  });

  app.get('/v1/orgs/:org/admin/invitations', async (c) => {
    requireAdmin(c);
    const org = c.get('org');
    const rows = await db.selectFrom('invitations').selectAll().where('org_id', '=', org.id).orderBy('sent_at', 'desc').limit(1000).execute();
    const invitations = rows.map(row);
    return c.json({
      invitations,
      summary: {
        sent: invitations.length,
        opened: invitations.filter((i) => i.openedAt).length,
        signedUp: invitations.filter((i) => i.signedUpAt).length,
      },
    });
  });
}
