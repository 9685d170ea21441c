/**
 * Storage refused in a real setting (issue 13): the demo donation page embedded in another site's
 * page, as a third-party iframe. playwright-core's Chromium turns storage partitioning off, so there
 * the iframe's localStorage, sessionStorage and BroadcastChannel throw SecurityError, as they do in
 * browsers that block third-party storage. The page and its own form must render, sign-in must work
 * for the life of the page, and the widget must say once why the sign-in will not last.
 * (The same in Firefox with "block all cookies": test/journey-engines.)
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createPerson, useDemo, watch } from './support.ts';

const demo = useDemo();

test('the donation page in a cross-site iframe, with storage refused: renders, signs in, says why once', async () => {
  const person = await createPerson(demo.stack.apiUrl.replace(/\/$/, ''), { firstName: 'Tomas', lastName: 'Framed' });
  const context = await demo.browser.newContext();
  const page = await context.newPage();
  const problems = watch(page);
  const warnings: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'warning') warnings.push(m.text());
  });
  // Another site's page that embeds the donation page, served for real on 127.0.0.1 (another site than
  // localhost, the demo's host; both loopback, so Chromium's local-network checks let the frame load).
  const partner = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(
      `<!doctype html><html lang="en"><title>A partner site</title><iframe title="Donate" src="${demo.stack.demoUrl}/donate.html" style="width:100%;height:1400px"></iframe></html>`,
    );
  });
  await new Promise<void>((resolve) => partner.listen(0, '127.0.0.1', resolve));
  partner.unref();
  const { port } = partner.address() as AddressInfo;
  await page.goto(`http://127.0.0.1:${port}/`);
  const frame = page.frameLocator('iframe');
  // The page's own donation form renders.
  await frame.locator('#d-given').waitFor();
  const inner = page.frames().find((f) => f.url().includes('/donate.html'));
  assert.ok(inner, 'the donation page loaded in the iframe');
  assert.match(
    await inner.evaluate(() => {
      try {
        localStorage.getItem('x');
        return 'allowed';
      } catch (e) {
        return String(e);
      }
    }),
    /SecurityError/,
    'storage really is refused in this iframe',
  );

  // The sign-in form renders (not "Loading…" forever) and says why the sign-in will not last.
  const login = frame.locator('portal-login');
  await login.getByLabel('Email').waitFor();
  await login.getByText('block this site from saving data').waitFor();
  assert.equal(await login.getByLabel('Keep me signed in').count(), 0, 'no promise the browser will not keep');

  await login.getByLabel('Email').fill(person.email);
  await login.getByLabel('Password', { exact: true }).fill(person.password);
  await login.getByRole('button', { name: 'Sign in' }).click();
  await login.getByText('Signed in as Tomas Framed').waitFor();
  await inner.waitForFunction(() => (document.getElementById('d-given') as HTMLInputElement).value === 'Tomas');
  assert.equal(await frame.locator('.portal-storage-refused').count(), 1, 'said once');

  // The console says why, once.
  const ours = warnings.filter((w) => w.includes('[portal-widgets]'));
  assert.equal(ours.length, 1, ours.join('\n'));
  assert.match(ours[0]!, /SecurityError/);

  // Sign out works too.
  await login.getByRole('button', { name: 'Sign out' }).click();
  await inner.waitForFunction(() => (document.getElementById('d-given') as HTMLInputElement).value === '');
  assert.deepEqual(problems, []);
  await context.close();
  partner.close();
});
