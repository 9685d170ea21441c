/** Helpers shared by the end-to-end files. */
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { chromium, type Browser, type Page } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../../scripts/lib/browser.ts';
import { ROOT, freePort } from '../../scripts/lib/proc.ts';
import { pgliteCopy } from '../../scripts/lib/pglite-template.mjs';
import { startStack, type Stack } from '../../scripts/lib/stack.ts';

/** Where the journeys leave screenshots for a person to look at (git-ignored). */
export const SHOTS = join(ROOT, '.tmp', 'screenshots');

/**
 * The demo (reference API + the demo pages on their own origin) on a database of its own: a fresh
 * copy of the migrated PGlite template (scripts/lib/pglite-template.mjs), removed when it stops.
 * The journeys run on the embedded default; the PostgreSQL path is covered by the server suite.
 */
export async function startDemoStack(): Promise<Stack> {
  const copy = await pgliteCopy();
  try {
    const stack = await startStack({ port: await freePort(), apiPort: 0, dataDir: copy.dir, apiEnv: { DATABASE_URL: undefined } });
    return { ...stack, close: () => stack.close().finally(() => copy.remove()) };
  } catch (err) {
    copy.remove();
    throw err;
  }
}

/** Starts the demo ({@link startDemoStack}) and Chromium once for the file, and stops both after it. */
export function useDemo(): { readonly stack: Stack; readonly browser: Browser } {
  const demo = {} as { stack: Stack; browser: Browser };
  before(async () => {
    mkdirSync(SHOTS, { recursive: true });
    [demo.stack, demo.browser] = await Promise.all([startDemoStack(), chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS })]);
  });
  after(async () => {
    await demo.browser?.close();
    await demo.stack?.close();
  });
  return demo;
}

/** Collects uncaught page errors and console errors (a broken element must not pass quietly). */
export function watch(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/favicon/.test(m.location().url)) problems.push(`console: ${m.text()}`);
  });
  return problems;
}

export interface FixturePerson {
  firstName: string;
  lastName: string;
  email: string;
  password: string;
  phone?: string;
  address?: { line1?: string; line2?: string; city?: string; region?: string; postalCode?: string; country?: string };
}

let n = 0;

/** A person with a record and a signed-up account (dev fixture endpoint of the reference API). */
export async function createPerson(apiUrl: string, overrides: Partial<FixturePerson> = {}): Promise<FixturePerson> {
  const person: FixturePerson = {
    firstName: 'Ada',
    lastName: 'Okafor',
    email: `ada.okafor.${process.pid}.${Date.now()}.${++n}@example.net`,
    password: 'copper kettle on the river',
    phone: '+1 555 0100',
    address: { line1: '12 Mill Lane', city: 'Riverside', region: 'CA', postalCode: '92501', country: 'US' },
    ...overrides,
  };
  const res = await fetch(`${apiUrl}/dev/orgs/riverside-arts/fixtures`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(person),
  });
  assert.ok(res.ok, `fixture: ${res.status} ${await res.clone().text()}`);
  const body = (await res.json()) as { accountId?: string };
  assert.ok(body.accountId, 'the fixture has an account (it was given a password)');
  return person;
}

const AXE_SOURCE = join(ROOT, 'node_modules', 'axe-core', 'axe.min.js');

/**
 * Runs axe-core (WCAG 2.x A and AA rules, open shadow roots included) on the page as it is now and
 * returns one line per violation (rule, impact, where), so a failing assertion says what to fix.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.addScriptTag({ path: AXE_SOURCE });
  return page.evaluate(async () => {
    const axe = (
      window as unknown as {
        axe: {
          run(ctx: Document, opts: object): Promise<{ violations: Array<{ id: string; impact: string; nodes: Array<{ target: unknown[] }> }> }>;
        };
      }
    ).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
    return result.violations.map(
      (v) =>
        `${v.id} (${v.impact}): ${v.nodes
          .map((n) => JSON.stringify(n.target))
          .slice(0, 4)
          .join(' ')}`,
    );
  });
}
