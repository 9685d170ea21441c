/**
 * `GET /v1/openapi.json`: an OpenAPI 3.1 description generated from the route tables (`ROUTES` in
 * src/api/routes.ts, `ADMIN_ROUTES` in src/api/admin.ts) and the contract's zod schemas they name.
 * Only the summaries are written here.
 */
import * as z from 'zod/mini';
import * as adminShapes from '../../src/api/admin.ts';
import { ADMIN_ROUTES } from '../../src/api/admin.ts';
import * as contract from '../../src/api/contract.ts';
import { ROUTES, type RouteSpec } from '../../src/api/routes.ts';

type Schema = z.ZodMiniType;

const SUMMARIES: Record<string, string> = {
  portal: 'Portal info',
  portalQrSvg: 'QR code of the portal URL (SVG)',
  portalQrPng: 'QR code of the portal URL as PNG (?size=128–1024)',
  invitationLink: 'Tracked invitation link: records the open, redirects to the portal',
  signup: 'Sign up (always 202)',
  signupResend: 'Resend confirmation (always 202)',
  signupComplete: 'Confirm sign-up and set a password',
  tokenExchange: 'Trade an emailed token for a short-lived completion token (the emailed one dies)',
  sessions: 'Sign in',
  sessionsAll: 'Sign out everywhere',
  sessionsRefresh: 'Rotate the refresh token',
  sessionsCurrent: 'Sign out',
  me: 'Profile',
  meUpdate: 'Update personal info',
  passwordReset: 'Request a reset link (always 202)',
  passwordResetComplete: 'Set a new password',
  openapi: 'This document',
  healthz: 'Liveness: the process is up',
  readyz: 'Readiness: database reachable, migrations current, outbox and webhook backlog (503 when not ready or draining)',
  devOutbox: 'Captured mail (development only)',
  devFixtures: 'Create a record (and account) directly (development only)',
  constituents: 'Constituent grid search',
  constituent: 'One record; a merged-away one answers with mergedInto and its survivor',
  constituentsCsv: 'The constituent grid as CSV, formula-safe',
  duplicates: 'Duplicate candidates',
  duplicateDismiss: 'Dismiss a duplicate candidate',
  merge: 'Merge the old record into the new one',
  invitationsPreview: 'Preview invitations as they will read, who is skipped, and unknown merge fields; sends and stores nothing',
  invitationsSend: 'Send invitations by email or text message, with merge fields',
  invitations: 'Invitations and their tracking: sent, opened, signed up',
  portal_admin: 'Portal URL, QR code URLs, merge fields and the default invitation texts',
  confirmationPages: 'The exact confirmation pages emailed links may lead to',
  confirmationPagesSet: 'Replace the confirmation pages',
  webhooks: 'Webhook endpoints',
  webhookCreate: 'Add a webhook endpoint; the answer is the only time its signing secret is shown',
  webhookDelete: 'Remove a webhook endpoint and its queued deliveries',
  webhookDeliveries: 'Recent deliveries of one endpoint: status, attempts, last error',
  audit: 'The audit log, newest first; page with before=<last id>',
  accounts: 'Portal accounts: search, status filter',
  accountActivity: "An account's recent sessions and audit entries",
  accountBlock: 'Block an account: no sign-in by any path, every session ends',
  accountUnblock: 'Unblock an account',
  accountUnlink: 'Unlink an account from its matched record: it moves to a new record of its own',
};

/** Every zod schema the tables may name. */
const REGISTRY: Record<string, unknown> = { ...contract, ...adminShapes };

function schemaOf(name: string | undefined): Schema | undefined {
  const s = name ? REGISTRY[name] : undefined;
  return s && typeof s === 'object' && '_zod' in s ? (s as Schema) : undefined;
}

function json(schema: Schema, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  void _drop;
  return rest;
}

export function buildOpenApi(includeDev: boolean): Record<string, unknown> {
  const schemas: Record<string, Record<string, unknown>> = { ErrorBody: json(contract.ErrorBody, 'output') };
  const ref = (name: string, io: 'input' | 'output') => {
    const s = schemaOf(name);
    if (!s) return undefined;
    schemas[name] ??= json(s, io);
    return { $ref: `#/components/schemas/${name}` };
  };
  const errors = {
    default: {
      description: 'Error ({error:{code,message,fields?}})',
      content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBody' } } },
    },
  };
  const security = { none: undefined, dev: undefined, session: [{ bearer: [] }], admin: [{ adminKey: [] }] } as const;

  const paths: Record<string, Record<string, unknown>> = {};
  const add = (name: string, r: RouteSpec, summaryKey = name) => {
    if (r.auth === 'dev' && !includeDev) return;
    const parameters: Record<string, unknown>[] = [...r.path.matchAll(/\{(\w+)\}/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    const query = schemaOf(r.query);
    if (query) {
      const props = (json(query, 'input').properties ?? {}) as Record<string, Record<string, unknown>>;
      for (const [q, s] of Object.entries(props)) parameters.push({ name: q, in: 'query', schema: s });
    }
    const status = String(r.status ?? 200);
    const response = ref(r.response ?? '', 'output');
    const success = response
      ? { description: r.response, content: { 'application/json': { schema: response } } }
      : r.produces
        ? { description: r.produces, content: { [r.produces]: {} } }
        : { description: status === '204' ? 'No content' : status === '302' ? 'Redirect' : 'OK' };
    const request = ref(r.request ?? '', 'input');
    const auth = security[r.auth];
    const summary = SUMMARIES[summaryKey] ?? name;
    paths[r.path] ??= {};
    paths[r.path]![r.method.toLowerCase()] = {
      operationId: name,
      summary: r.auth === 'admin' ? `${summary} (admin API key)` : summary,
      ...(parameters.length ? { parameters } : {}),
      ...(auth ? { security: auth } : {}),
      ...(request ? { requestBody: { required: true, content: { 'application/json': { schema: request } } } } : {}),
      responses: { [status]: success, ...errors },
    };
  };
  for (const [name, r] of Object.entries(ROUTES)) add(name, r);
  for (const [name, r] of Object.entries(ADMIN_ROUTES)) add(`admin_${name}`, r, name === 'portal' ? 'portal_admin' : name);

  return {
    openapi: '3.1.0',
    info: { title: 'portal-widgets reference portal API', version: '1.0.0' },
    paths,
    components: {
      schemas,
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'Access token from an AuthResult (5 minutes).' },
        adminKey: { type: 'http', scheme: 'bearer', description: 'Per-organization admin API key.' },
      },
    },
  };
}
