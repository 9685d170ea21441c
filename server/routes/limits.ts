/**
 * The rate limits each public route applies (issue 9; the numbers are in domain/ratelimit.ts and
 * docs/security.md). Every key carries the org, so one org's crowd never touches another org; client
 * keys are the address from `clientIp` (trusted proxies only, IPv6 by /64); email keys fold case and
 * `+tags`. Refresh has no limit at all: it needs a valid refresh token, and a signed-in guest who
 * reloads on a busy network must stay signed in.
 */
import type { Context } from 'hono';
import { emailLimitKey, fail, hit, type Limit, type RateLimits } from '../domain/ratelimit.ts';
import type { SignInGate } from '../domain/sessions.ts';
import type { AppDeps, Env } from '../types.ts';
import { clientIp } from './http.ts';

type Pick = (l: RateLimits) => Limit | undefined;

export class RouteLimits {
  constructor(private readonly deps: AppDeps) {}

  private get limits(): RateLimits | null {
    return this.deps.config.rateLimits;
  }

  private client(c: Context<Env>): string {
    return clientIp(c, this.deps.config.trustProxy);
  }

  private async ceiling(key: string, pick: Pick): Promise<void> {
    const l = this.limits && pick(this.limits);
    if (l) await hit(this.deps.db, key, l);
  }

  /** A sign-up: a high per-client ceiling, and the real limit per mailbox. */
  async signup(c: Context<Env>, email: string): Promise<void> {
    const org = c.get('org').id;
    await this.ceiling(`signup:ip:${org}:${this.client(c)}`, (l) => l.signupPerIp);
    await this.ceiling(`signup:email:${org}:${emailLimitKey(email)}`, (l) => l.signupPerEmail);
  }

  /** A resend: per mailbox only (not on the per-client sign-up ceiling). */
  async resend(c: Context<Env>, email: string): Promise<void> {
    await this.ceiling(`resend:email:${c.get('org').id}:${emailLimitKey(email)}`, (l) => l.resendPerEmail);
  }

  /** A reset request: a high per-client ceiling, and the real limit per mailbox. */
  async reset(c: Context<Env>, email: string): Promise<void> {
    const org = c.get('org').id;
    await this.ceiling(`reset:ip:${org}:${this.client(c)}`, (l) => l.resetPerIp);
    await this.ceiling(`reset:email:${org}:${emailLimitKey(email)}`, (l) => l.resetPerEmail);
  }

  /**
   * A sign-in: `attempt` is handed the gate it must pass in its own read — the per-client ceiling,
   * and the failure keys that refuse it while blocked — and the key its write clears on success (one
   * statement each with the account read and the new session, issue 15). A wrong password then counts
   * against the client, the (email, client) pair and the email, each slowing down on its own.
   */
  async signIn<T>(c: Context<Env>, email: string, attempt: (gate: SignInGate | undefined) => Promise<T>): Promise<T> {
    const limits = this.limits;
    if (!limits) return attempt(undefined);
    const org = c.get('org').id;
    const client = this.client(c);
    const mailbox = emailLimitKey(email);
    const pairKey = `signin:fail:email-client:${org}:${mailbox}|${client}`;
    const keys: [string, Limit | undefined][] = [
      [`signin:fail:ip:${org}:${client}`, limits.signInFailuresPerIp],
      [pairKey, limits.signInPerEmailClient],
      [`signin:fail:email:${org}:${mailbox}`, limits.signInPerEmail],
    ];
    const active = keys.filter((k): k is [string, Limit] => k[1] !== undefined);
    const gate: SignInGate = {
      ...(limits.signInPerIp ? { ceiling: { key: `signin:ip:${org}:${client}`, limit: limits.signInPerIp } } : {}),
      blockedKeys: active.map(([k]) => k),
      // The person at this client got it right: their own slow-down ends (the others drain by themselves).
      clearKey: pairKey,
    };
    try {
      return await attempt(gate);
    } catch (err) {
      if ((err as { code?: unknown }).code === 'invalid_credentials') {
        for (const [key, l] of active) await fail(this.deps.db, key, l);
      }
      throw err;
    }
  }
}
