/**
 * The admin API of one organization (mounted at `/v1/orgs/:org`; DESIGN §3), the org's admin API
 * key as bearer: constituent grid (search, CSV), one record, duplicate candidates, merge,
 * invitations (preview, send, tracking), portal info for the admin page, signed webhooks, the audit
 * log, and staff tools for portal accounts (list, block / unblock, unlink, activity). Keys are
 * stored as SHA-256 (`admin_api_keys`, `orgs.api_key_hash`).
 */
import { Hono } from 'hono';
import * as z from 'zod/mini';
import { AccountsQuery, AuditQuery, GridQuery, InvitationRequest, MergeRequest, WebhookCreateRequest } from '../../src/api/admin.ts';
import { constituentsCsv, dismissDuplicate, getConstituent, listDuplicates, mergeConstituents, searchConstituents } from '../domain/constituents.ts';
import { adminPortalInfo, listInvitations, previewInvitations, sendInvitations } from '../domain/invitations.ts';
import { accountActivity, blockAccount, listAccounts, listAudit, unblockAccount, unlinkAccount } from '../domain/staff.ts';
import { createEndpoint, deleteEndpoint, listDeliveries, listEndpoints, WebhookError } from '../domain/webhooks.ts';
import { ApiError } from '../errors.ts';
import type { AppDeps, Env } from '../types.ts';
import { requireAdmin } from './guards.ts';
import { parseWith, readJson } from './http.ts';

export function adminRoutes(deps: AppDeps): Hono<Env> {
  const { db, config } = deps;
  const app = new Hono<Env>();

  // Every admin route: the org's admin API key as bearer.
  app.use('/admin/*', async (c, next) => {
    await requireAdmin(c, deps);
    await next();
  });

  app.get('/admin/constituents', async (c) => {
    return c.json(await searchConstituents(db, c.get('org').id, parseWith(GridQuery, c.req.query())));
  });

  /**
   * One record. A merged-away record still answers — as merged: `mergedInto` set and `survivor` the
   * record it now lives in (followed through chains of merges).
   */
  app.get('/admin/constituents/:id', async (c) => {
    const id = parseWith(z.uuid({ error: 'invalid' }), c.req.param('id'));
    const found = await getConstituent(db, c.get('org').id, id);
    if (!found) throw new ApiError('not_found');
    return c.json(found);
  });

  /** The grid as CSV (same filters, up to 10 000 rows); cells are neutralised against formula injection. */
  app.get('/admin/constituents.csv', async (c) => {
    const org = c.get('org');
    const csv = await constituentsCsv(db, org.id, parseWith(GridQuery, c.req.query()));
    c.header('Content-Type', 'text/csv; charset=utf-8');
    c.header('Content-Disposition', `attachment; filename="${org.slug}-constituents.csv"`);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Cache-Control', 'no-store');
    return c.body(csv);
  });

  app.get('/admin/duplicates', async (c) => {
    const status = parseWith(z.optional(z.enum(['open', 'merged', 'dismissed'])), c.req.query('status')) ?? 'open';
    return c.json(await listDuplicates(db, c.get('org').id, status));
  });

  app.post('/admin/duplicates/:id/dismiss', async (c) => {
    if (!(await dismissDuplicate(db, c.get('org').id, parseWith(z.uuid(), c.req.param('id'))))) throw new ApiError('not_found');
    return c.body(null, 204);
  });

  app.post('/admin/merge', async (c) => {
    const body = await readJson(c, MergeRequest);
    return c.json({ constituent: await mergeConstituents(db, c.get('org').id, body, 'admin-api-key') });
  });

  /**
   * What sending would do, without sending or storing anything: each message as it will read, who is
   * skipped and why, and merge fields that do not exist.
   */
  app.post('/admin/invitations/preview', async (c) => {
    const body = await readJson(c, InvitationRequest);
    return c.json(await previewInvitations(db, c.get('org'), body, config.publicUrl()));
  });

  app.post('/admin/invitations', async (c) => {
    const body = await readJson(c, InvitationRequest);
    const result = await sendInvitations(db, c.get('org'), body, config.publicUrl());
    if (result.invitations.length) deps.onMailQueued?.();
    return c.json(result, 201);
  });

  /** Portal info for the admin page (DESIGN §1.1): the portal URL, its QR code and the merge fields. */
  app.get('/admin/portal', (c) => {
    return c.json(adminPortalInfo(c.get('org'), config.publicUrl()));
  });

  app.get('/admin/invitations', async (c) => {
    return c.json(await listInvitations(db, c.get('org').id));
  });

  // ----- webhooks --------------------------------------------------------------------------------
  app.get('/admin/webhooks', async (c) => c.json({ endpoints: await listEndpoints(db, c.get('org').id) }));

  /** Creates an endpoint; the answer is the only time its signing secret is shown. */
  app.post('/admin/webhooks', async (c) => {
    const body = await readJson(c, WebhookCreateRequest);
    try {
      return c.json(await createEndpoint(db, c.get('org').id, body.url, body.events ?? [], config.webhookAllowPrivate === true), 201);
    } catch (err) {
      if (err instanceof WebhookError) throw new ApiError('invalid_input', err.message, { url: 'invalid_url' });
      throw err;
    }
  });

  app.delete('/admin/webhooks/:id', async (c) => {
    if (!(await deleteEndpoint(db, c.get('org').id, c.req.param('id')))) throw new ApiError('not_found');
    return c.body(null, 204);
  });

  app.get('/admin/webhooks/:id/deliveries', async (c) => {
    const deliveries = await listDeliveries(db, c.get('org').id, c.req.param('id'));
    if (!deliveries) throw new ApiError('not_found');
    return c.json({ deliveries });
  });

  // ----- audit log ---------------------------------------------------------------------------------
  app.get('/admin/audit', async (c) => c.json(await listAudit(db, c.get('org').id, parseWith(AuditQuery, c.req.query()))));

  // ----- staff tools for portal accounts -----------------------------------------------------------
  app.get('/admin/accounts', async (c) => c.json(await listAccounts(db, c.get('org').id, parseWith(AccountsQuery, c.req.query()))));

  app.get('/admin/accounts/:id/activity', async (c) => c.json(await accountActivity(db, c.get('org').id, c.req.param('id'))));

  app.post('/admin/accounts/:id/block', async (c) =>
    c.json({ account: await blockAccount(db, c.get('org').id, c.req.param('id'), 'admin-api-key') }),
  );

  app.post('/admin/accounts/:id/unblock', async (c) =>
    c.json({ account: await unblockAccount(db, c.get('org').id, c.req.param('id'), 'admin-api-key') }),
  );

  app.post('/admin/accounts/:id/unlink', async (c) => c.json({ account: await unlinkAccount(db, c.get('org'), c.req.param('id'), 'admin-api-key') }));

  return app;
}
