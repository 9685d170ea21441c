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
import type { Selectable, Transaction } from 'kysely';
import QRCode from 'qrcode';
import * as z from 'zod/mini';
import type { AppDeps, Env } from './app.ts';
import { requireAdmin } from './admin.ts';
import { randomToken, sha256 } from './crypto.ts';
import type { DB } from './db/index.ts';
import type { InvitationsTable } from './db/schema.ts';
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

export const InvitationResult = z.object({
  invitations: z.array(Invitation),
  skipped: z.array(z.object({ constituentId: z.string(), reason: z.enum(['not_found', 'no_email', 'no_phone', 'has_account']) })),
});
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

  app.post('/v1/orgs/:org/admin/invitations', async (c) => {
    requireAdmin(c);
    const org = c.get('org');
    const body = await readJson(c, InvitationRequest);
    const ids = [...new Set(body.constituentIds)];
    const result = await db.transaction().execute(async (trx) => {
      const people = await trx
        .selectFrom('constituents')
        .selectAll()
        .where('org_id', '=', org.id)
        .where('merged_into', 'is', null)
        .where('id', 'in', ids)
        .execute();
      const withAccount = new Set(
        (await trx.selectFrom('accounts').select('constituent_id').where('org_id', '=', org.id).where('constituent_id', 'in', ids).execute()).map(
          (a) => a.constituent_id,
        ),
      );
      const byId = new Map(people.map((p) => [p.id, p]));
      const invitations: Invitation[] = [];
      const skipped: z.infer<typeof InvitationResult>['skipped'] = [];
      for (const id of ids) {
        const p = byId.get(id);
        if (!p) {
          skipped.push({ constituentId: id, reason: 'not_found' });
          continue;
        }
        if (withAccount.has(id)) {
          skipped.push({ constituentId: id, reason: 'has_account' });
          continue;
        }
        const to = body.channel === 'email' ? p.email_norm : (p.phone ?? '').trim();
        if (!to) {
          skipped.push({ constituentId: id, reason: body.channel === 'email' ? 'no_email' : 'no_phone' });
          continue;
        }
        const token = randomToken();
        const inserted = await trx
          .insertInto('invitations')
          .values({ org_id: org.id, constituent_id: p.id, channel: body.channel, to_address: to, tracking_hash: sha256(token), opened_at: null, signed_up_at: null })
          .returningAll()
          .executeTakeFirstOrThrow();
        const fields: Fields = {
          firstName: p.first_name,
          lastName: p.last_name,
          companyName: p.company_name ?? '',
          email: p.email,
          portalUrl: `${config.publicUrl()}/v1/orgs/${org.slug}/invitations/${token}`,
          qrCodeUrl: qrUrl(org.slug),
          orgName: org.name,
        };
        if (body.channel === 'email') {
          const text = fillMergeFields(body.message || DEFAULT_EMAIL, fields);
          const html = `<!doctype html><html><body style="font-family:system-ui,sans-serif;line-height:1.5">
<p>${escapeHtml(text).replace(/\n/g, '<br>')}</p>
<p><img src="${escapeHtml(fields.qrCodeUrl!)}" alt="QR code of the portal" width="160" height="160"></p>
</body></html>`;
          await enqueueEmail(trx, {
            orgId: org.id,
            to: p.email,
            template: 'invitation',
            content: { subject: fillMergeFields(body.subject || DEFAULT_SUBJECT, fields), text, html },
          });
        } else {
          await enqueueSms(trx, { orgId: org.id, to, template: 'invitation', text: fillMergeFields(body.message || DEFAULT_SMS, fields) });
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
      mergeFields: MERGE_FIELDS,
    });
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
