/**
 * Confirmation pages (issue 9 item 1), admin API key as bearer: the exact pages of the org's site
 * that emailed links may lead to — and that a person returns to after completing — besides the
 * portal URL. `GET` lists them; `PUT {urls}` replaces the list. Each must be on one of the org's
 * allowed origins, without fragment or credentials (https; http only for localhost in development).
 */
import { Hono } from 'hono';
import * as z from 'zod/mini';
import { checkConfirmationUrl, setConfirmationUrls } from '../domain/links.ts';
import { ApiError } from '../errors.ts';
import type { AppDeps, Env } from '../types.ts';
import { requireAdmin } from './guards.ts';
import { readJson } from './http.ts';

export const ConfirmationPages = z.object({
  urls: z.array(z.string().check(z.maxLength(2048, { error: 'too_long' }))).check(z.maxLength(100, { error: 'too_long' })),
});

export function confirmationPageRoutes(deps: AppDeps): Hono<Env> {
  const app = new Hono<Env>();

  app.get('/admin/confirmation-pages', async (c) => {
    await requireAdmin(c, deps);
    return c.json({ urls: c.get('org').confirmation_urls ?? [] });
  });

  app.put('/admin/confirmation-pages', async (c) => {
    await requireAdmin(c, deps);
    const org = c.get('org');
    const body = await readJson(c, ConfirmationPages);
    const urls: string[] = [];
    for (const url of body.urls) {
      const checked = checkConfirmationUrl(org, url, deps.config.production);
      if (!checked.ok)
        throw new ApiError('invalid_input', 'Each URL must be a page on one of the org’s allowed origins, without fragment or credentials.', {
          urls: 'invalid_url',
        });
      urls.push(checked.url);
    }
    return c.json({ urls: await setConfirmationUrls(deps.db, org, urls) });
  });

  return app;
}
