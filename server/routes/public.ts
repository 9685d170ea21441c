/**
 * Public routes of one organization (mounted at `/v1/orgs/:org`): portal info and its QR code, the
 * tracked invitation link, sign-up by confirmed email, password reset. Every answer that could tell
 * whether an email has an account is the same 202.
 */
import { Hono, type Context } from 'hono';
import {
  CompleteRequest,
  PasswordResetRequest,
  ResendRequest,
  SignupRequest,
  TokenExchangeRequest,
  type Locale,
  type PortalInfo,
} from '../../src/api/contract.ts';
import type { SignupPayload } from '../db/schema.ts';
import { portalModules } from '../domain/accounts.ts';
import { portalQrPng, portalQrSvg, recordInvitationOpen } from '../domain/invitations.ts';
import { normalizeEmail } from '../domain/normalize.ts';
import { completePasswordReset, completeSignup, requestPasswordReset, requestSignup, resendSignup } from '../domain/signup.ts';
import { ApiError } from '../errors.ts';
import type { AppDeps, Env } from '../types.ts';
import { sessionSettings } from './guards.ts';
import { readJson } from './http.ts';
import { RouteLimits } from './limits.ts';
import { exchangeToken } from '../domain/links.ts';

const accepted = (c: Context<Env>) => c.json({ status: 'accepted' as const }, 202);

export function publicRoutes(deps: AppDeps): Hono<Env> {
  const { db, config } = deps;
  const app = new Hono<Env>();
  const mailQueued = () => deps.onMailQueued?.();
  const afterAnswer = deps.afterAnswer!;
  const limits = new RouteLimits(deps);

  app.get('/portal', (c) => {
    const org = c.get('org');
    const info: PortalInfo = {
      slug: org.slug,
      name: org.name,
      portalUrl: org.portal_url,
      tier: org.tier,
      modules: portalModules(org),
      signupKinds: ['individual', 'company'],
      branding: {
        ...(org.primary_color ? { primaryColor: org.primary_color } : {}),
        ...(org.logo_url ? { logoUrl: org.logo_url } : {}),
      },
    };
    return c.json(info);
  });

  app.get('/portal/qr.svg', async (c) => {
    const svg = await portalQrSvg(c.get('org').portal_url);
    c.header('Content-Type', 'image/svg+xml');
    c.header('Cache-Control', 'public, max-age=300');
    return c.body(svg);
  });

  /** The same QR code as PNG (print, slides, mail clients that block SVG). `?size=` 128–1024 px. */
  app.get('/portal/qr.png', async (c) => {
    const png = await portalQrPng(c.get('org').portal_url, Number.parseInt(c.req.query('size') ?? '', 10));
    c.header('Content-Type', 'image/png');
    c.header('Cache-Control', 'public, max-age=300');
    return c.body(png);
  });

  /** A tracked invitation link: records the open and redirects to the portal (unknown tokens too). */
  app.get('/invitations/:token', async (c) => {
    const org = c.get('org');
    await recordInvitationOpen(db, org.id, c.req.param('token'));
    c.header('Cache-Control', 'no-store');
    c.header('Referrer-Policy', 'no-referrer');
    return c.redirect(org.portal_url, 302);
  });

  app.post('/signup', async (c) => {
    const org = c.get('org');
    const body = await readJson(c, SignupRequest);
    if (body.kind === 'company' && !body.companyName) {
      throw new ApiError('invalid_input', undefined, { companyName: 'required' });
    }
    const emailNorm = normalizeEmail(body.email);
    await limits.signup(c, body.email);
    const payload: SignupPayload = {
      kind: body.kind,
      firstName: body.firstName,
      lastName: body.lastName,
      companyName: body.kind === 'company' ? (body.companyName ?? null) : null,
      locale: body.locale ?? 'en',
    };
    await requestSignup(db, org, body.email, emailNorm, payload, body.returnTo ?? null);
    mailQueued();
    return accepted(c);
  });

  app.post('/signup/resend', async (c) => {
    const org = c.get('org');
    const body = await readJson(c, ResendRequest);
    const emailNorm = normalizeEmail(body.email);
    await limits.resend(c, body.email);
    // After the answer: only a pending sign-up writes a token and mail (after-answer.ts).
    afterAnswer.run('resending a confirmation', async () => {
      if (await resendSignup(db, org, emailNorm, body.locale, body.returnTo)) mailQueued();
    });
    return accepted(c);
  });

  /**
   * The page opened from an emailed link trades its token at once (issue 9 items 8, 9): a short-lived
   * completion token and the masked email of the account; the emailed token is dead from then on.
   */
  app.post('/tokens/exchange', async (c) => {
    const body = await readJson(c, TokenExchangeRequest);
    return c.json(await exchangeToken(db, c.get('org'), body.token));
  });

  app.post('/signup/complete', async (c) => {
    const body = await readJson(c, CompleteRequest);
    return c.json(await completeSignup(db, c.get('org'), body.token, body.password, c.get('origin'), sessionSettings(config)));
  });

  app.post('/password-reset', async (c) => {
    const org = c.get('org');
    const body = await readJson(c, PasswordResetRequest);
    const emailNorm = normalizeEmail(body.email);
    await limits.reset(c, body.email);
    const locale: Locale = body.locale ?? 'en';
    // After the answer: only an account's email writes a token and mail (after-answer.ts).
    afterAnswer.run('a password-reset request', async () => {
      await requestPasswordReset(db, org, emailNorm, locale, body.returnTo);
      mailQueued();
    });
    return accepted(c);
  });

  app.post('/password-reset/complete', async (c) => {
    const body = await readJson(c, CompleteRequest);
    return c.json(await completePasswordReset(db, c.get('org'), body.token, body.password, c.get('origin'), sessionSettings(config)));
  });

  return app;
}
