/** `GET /v1/openapi.json`: an OpenAPI 3.1 description generated from the contract's zod schemas. */
import * as z from 'zod/mini';
import {
  Accepted,
  AuthResult,
  CompleteRequest,
  ErrorBody,
  OutboxList,
  PasswordResetRequest,
  PortalInfo,
  Profile,
  ProfilePatch,
  RefreshRequest,
  ResendRequest,
  SignInRequest,
  SignupRequest,
} from '../../src/api/contract.ts';
import {
  AccountActivity,
  AccountList,
  AccountResult,
  AdminPortalInfo,
  AuditList,
  ConstituentGrid,
  DuplicateList,
  InvitationList,
  InvitationPreview,
  InvitationRequest,
  InvitationResult,
  MergeRequest,
  WebhookCreateRequest,
  WebhookDeliveryList,
  WebhookEndpointCreated,
  WebhookEndpointList,
} from '../../src/api/admin.ts';

type Schema = z.ZodMiniType;

function json(schema: Schema, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _drop, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  void _drop;
  return rest;
}

export function buildOpenApi(includeDev: boolean): Record<string, unknown> {
  const schemas: Record<string, Record<string, unknown>> = {
    ErrorBody: json(ErrorBody, 'output'),
    PortalInfo: json(PortalInfo, 'output'),
    SignupRequest: json(SignupRequest, 'input'),
    ResendRequest: json(ResendRequest, 'input'),
    CompleteRequest: json(CompleteRequest, 'input'),
    SignInRequest: json(SignInRequest, 'input'),
    RefreshRequest: json(RefreshRequest, 'input'),
    PasswordResetRequest: json(PasswordResetRequest, 'input'),
    ProfilePatch: json(ProfilePatch, 'input'),
    Profile: json(Profile, 'output'),
    AuthResult: json(AuthResult, 'output'),
    Accepted: json(Accepted, 'output'),
    ConstituentGrid: json(ConstituentGrid, 'output'),
    DuplicateList: json(DuplicateList, 'output'),
    MergeRequest: json(MergeRequest, 'input'),
    InvitationRequest: json(InvitationRequest, 'input'),
    InvitationResult: json(InvitationResult, 'output'),
    InvitationList: json(InvitationList, 'output'),
    InvitationPreview: json(InvitationPreview, 'output'),
    AdminPortalInfo: json(AdminPortalInfo, 'output'),
    WebhookCreateRequest: json(WebhookCreateRequest, 'input'),
    WebhookEndpointCreated: json(WebhookEndpointCreated, 'output'),
    WebhookEndpointList: json(WebhookEndpointList, 'output'),
    WebhookDeliveryList: json(WebhookDeliveryList, 'output'),
    AuditList: json(AuditList, 'output'),
    AccountList: json(AccountList, 'output'),
    AccountResult: json(AccountResult, 'output'),
    AccountActivity: json(AccountActivity, 'output'),
    ...(includeDev ? { OutboxList: json(OutboxList, 'output') } : {}),
  };
  const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
  const body = (name: string) => ({ required: true, content: { 'application/json': { schema: ref(name) } } });
  const ok = (name: string, status = '200') => ({ [status]: { description: name, content: { 'application/json': { schema: ref(name) } } } });
  const errors = {
    default: { description: 'Error ({error:{code,message,fields?}})', content: { 'application/json': { schema: ref('ErrorBody') } } },
  };
  const org = { name: 'org', in: 'path', required: true, schema: { type: 'string' } };
  const bearer = [{ bearer: [] }];
  const op = (summary: string, extra: Record<string, unknown>) => ({ summary, parameters: [org], ...extra });
  const admin = [{ adminKey: [] }];
  const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };
  const q = (name: string, type: string) => ({ name, in: 'query', schema: { type } });

  const paths: Record<string, Record<string, unknown>> = {
    '/v1/orgs/{org}/portal': { get: op('Portal info', { responses: { ...ok('PortalInfo'), ...errors } }) },
    '/v1/orgs/{org}/signup': { post: op('Sign up (always 202)', { requestBody: body('SignupRequest'), responses: { ...ok('Accepted', '202'), ...errors } }) },
    '/v1/orgs/{org}/signup/resend': { post: op('Resend confirmation (always 202)', { requestBody: body('ResendRequest'), responses: { ...ok('Accepted', '202'), ...errors } }) },
    '/v1/orgs/{org}/signup/complete': { post: op('Confirm sign-up and set a password', { requestBody: body('CompleteRequest'), responses: { ...ok('AuthResult'), ...errors } }) },
    '/v1/orgs/{org}/sessions': {
      post: op('Sign in', { requestBody: body('SignInRequest'), responses: { ...ok('AuthResult'), ...errors } }),
      delete: op('Sign out everywhere', { security: bearer, responses: { '204': { description: 'Signed out' }, ...errors } }),
    },
    '/v1/orgs/{org}/sessions/refresh': { post: op('Rotate the refresh token', { requestBody: body('RefreshRequest'), responses: { ...ok('AuthResult'), ...errors } }) },
    '/v1/orgs/{org}/sessions/current': { delete: op('Sign out', { security: bearer, responses: { '204': { description: 'Signed out' }, ...errors } }) },
    '/v1/orgs/{org}/me': {
      get: op('Profile', { security: bearer, responses: { ...ok('Profile'), ...errors } }),
      patch: op('Update personal info', { security: bearer, requestBody: body('ProfilePatch'), responses: { ...ok('Profile'), ...errors } }),
    },
    '/v1/orgs/{org}/password-reset': { post: op('Request a reset link (always 202)', { requestBody: body('PasswordResetRequest'), responses: { ...ok('Accepted', '202'), ...errors } }) },
    '/v1/orgs/{org}/password-reset/complete': { post: op('Set a new password', { requestBody: body('CompleteRequest'), responses: { ...ok('AuthResult'), ...errors } }) },
    '/v1/orgs/{org}/admin/constituents': {
      get: op('Constituent grid search (admin API key)', {
        security: [{ adminKey: [] }],
        parameters: [org, { name: 'q', in: 'query', schema: { type: 'string' } }, { name: 'limit', in: 'query', schema: { type: 'integer' } }, { name: 'offset', in: 'query', schema: { type: 'integer' } }],
        responses: { ...ok('ConstituentGrid'), ...errors },
      }),
    },
    '/v1/orgs/{org}/admin/constituents/{id}': {
      get: op('One record; a merged-away one answers with mergedInto and its survivor (admin API key)', {
        security: [{ adminKey: [] }],
        parameters: [org, { name: 'id', in: 'path', required: true, schema: { type: 'string', format: 'uuid' } }],
        responses: { '200': { description: '{constituent, survivor?}' }, ...errors },
      }),
    },
    '/v1/orgs/{org}/admin/constituents.csv': {
      get: op('The constituent grid as CSV, formula-safe (admin API key)', {
        security: [{ adminKey: [] }],
        parameters: [org, { name: 'q', in: 'query', schema: { type: 'string' } }],
        responses: { '200': { description: 'CSV', content: { 'text/csv': {} } }, ...errors },
      }),
    },
    '/v1/orgs/{org}/admin/duplicates': { get: op('Duplicate candidates (admin API key)', { security: [{ adminKey: [] }], responses: { ...ok('DuplicateList'), ...errors } }) },
    '/v1/orgs/{org}/admin/merge': { post: op('Merge the old record into the new one (admin API key)', { security: [{ adminKey: [] }], requestBody: body('MergeRequest'), responses: { '200': { description: 'The survivor' }, ...errors } }) },
    '/v1/orgs/{org}/admin/invitations': {
      post: op('Send invitations by email or text message, with merge fields (admin API key)', { security: [{ adminKey: [] }], requestBody: body('InvitationRequest'), responses: { ...ok('InvitationResult', '201'), ...errors } }),
      get: op('Invitations and their tracking: sent, opened, signed up (admin API key)', { security: [{ adminKey: [] }], responses: { ...ok('InvitationList'), ...errors } }),
    },
    '/v1/orgs/{org}/admin/invitations/preview': {
      post: op('Preview invitations as they will read, who is skipped, and unknown merge fields; sends and stores nothing (admin API key)', { security: [{ adminKey: [] }], requestBody: body('InvitationRequest'), responses: { ...ok('InvitationPreview'), ...errors } }),
    },
    '/v1/orgs/{org}/admin/portal': { get: op('Portal URL, QR code URLs, merge fields and the default invitation texts (admin API key)', { security: [{ adminKey: [] }], responses: { ...ok('AdminPortalInfo'), ...errors } }) },
    '/v1/orgs/{org}/portal/qr.svg': { get: op('QR code of the portal URL', { responses: { '200': { description: 'SVG', content: { 'image/svg+xml': {} } } } }) },
    '/v1/orgs/{org}/portal/qr.png': {
      get: op('QR code of the portal URL as PNG', {
        parameters: [org, { name: 'size', in: 'query', schema: { type: 'integer', minimum: 128, maximum: 1024 } }],
        responses: { '200': { description: 'PNG', content: { 'image/png': {} } } },
      }),
    },
    '/v1/orgs/{org}/invitations/{token}': { get: op('Tracked invitation link: records the open, redirects to the portal', { responses: { '302': { description: 'To the portal URL' } } }) },
    '/v1/orgs/{org}/admin/webhooks': {
      get: op('Webhook endpoints (admin API key)', { security: admin, responses: { ...ok('WebhookEndpointList'), ...errors } }),
      post: op('Add a webhook endpoint; the answer is the only time its signing secret is shown (admin API key)', { security: admin, requestBody: body('WebhookCreateRequest'), responses: { ...ok('WebhookEndpointCreated', '201'), ...errors } }),
    },
    '/v1/orgs/{org}/admin/webhooks/{id}': { delete: op('Remove a webhook endpoint and its queued deliveries (admin API key)', { security: admin, parameters: [org, idParam], responses: { '204': { description: 'Removed' }, ...errors } }) },
    '/v1/orgs/{org}/admin/webhooks/{id}/deliveries': { get: op('Recent deliveries of one endpoint: status, attempts, last error (admin API key)', { security: admin, parameters: [org, idParam], responses: { ...ok('WebhookDeliveryList'), ...errors } }) },
    '/v1/orgs/{org}/admin/audit': {
      get: op('The audit log, newest first; page with before=<last id> (admin API key)', {
        security: admin,
        parameters: [org, q('limit', 'integer'), q('before', 'string'), q('action', 'string'), q('subjectId', 'string')],
        responses: { ...ok('AuditList'), ...errors },
      }),
    },
    '/v1/orgs/{org}/admin/accounts': {
      get: op('Portal accounts: search, status filter (admin API key)', { security: admin, parameters: [org, q('q', 'string'), q('status', 'string'), q('limit', 'integer'), q('offset', 'integer')], responses: { ...ok('AccountList'), ...errors } }),
    },
    '/v1/orgs/{org}/admin/accounts/{id}/activity': { get: op("An account's recent sessions and audit entries (admin API key)", { security: admin, parameters: [org, idParam], responses: { ...ok('AccountActivity'), ...errors } }) },
    '/v1/orgs/{org}/admin/accounts/{id}/block': { post: op('Block an account: no sign-in, every session ends (admin API key)', { security: admin, parameters: [org, idParam], responses: { ...ok('AccountResult'), ...errors } }) },
    '/v1/orgs/{org}/admin/accounts/{id}/unblock': { post: op('Unblock an account (admin API key)', { security: admin, parameters: [org, idParam], responses: { ...ok('AccountResult'), ...errors } }) },
    '/v1/orgs/{org}/admin/accounts/{id}/unlink': { post: op('Unlink an account from its matched record: it moves to a new record of its own (admin API key)', { security: admin, parameters: [org, idParam], responses: { ...ok('AccountResult'), ...errors } }) },
  };
  paths['/healthz'] = { get: { summary: 'Liveness: the process is up', responses: { '200': { description: '{"status":"ok"}' } } } };
  paths['/readyz'] = {
    get: { summary: 'Readiness: database reachable, migrations current, outbox and webhook backlog', responses: { '200': { description: 'Ready' }, '503': { description: 'Not ready, or draining for shutdown' } } },
  };
  if (includeDev) {
    paths['/dev/outbox'] = {
      get: { summary: 'Captured mail (development only)', parameters: [{ name: 'to', in: 'query', schema: { type: 'string' } }], responses: { ...ok('OutboxList') } },
    };
  }
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
