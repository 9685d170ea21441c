/**
 * The staff admin page (demo/admin.html), end to end in Chromium against the running demo:
 *   portal info and QR code → search the grid → select Tom Baker → compose an email invitation with
 *   merge fields → preview (filled in, nothing sent) → send → tracked as "sent" → the mailed link is
 *   opened → Refresh shows "opened";
 *   and a duplicate candidate (a sign-up with a seeded email under another name) merged from the page.
 */
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { OutboxList } from '../../src/api/contract.ts';
import { useDemo, watch } from './support.ts';

const demo = useDemo();
const ORG = 'riverside-arts';

async function outbox(to: string) {
  const res = await fetch(`${demo.stack.apiUrl}/dev/outbox?to=${encodeURIComponent(to)}`);
  return OutboxList.parse(await res.json()).messages;
}

/** Polls the development outbox until a message to `to` matches `pattern`; returns the match. */
async function mailed(to: string, pattern: RegExp): Promise<RegExpExecArray> {
  for (let i = 0; i < 50; i++) {
    for (const m of await outbox(to)) {
      const match = pattern.exec(m.text);
      if (match) return match;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing matching ${pattern} was mailed to ${to}`);
}

describe('staff admin page', () => {
  test('portal info, search, invite with merge fields (preview, send), tracking: sent → opened', async () => {
    const context = await demo.browser.newContext();
    const page = await context.newPage();
    const problems = watch(page);
    const { demoUrl, apiUrl } = demo.stack;
    await page.goto(`${demoUrl}/admin.html`);

    // a. Portal info: the portal URL as a link, and the QR code image actually loaded.
    await page
      .locator('#portal-info')
      .getByRole('link', { name: `${demoUrl}/portal.html` })
      .waitFor();
    await page.waitForFunction(() => {
      const img = document.getElementById('qr-image') as HTMLImageElement;
      return img.complete && img.naturalWidth > 0;
    });
    assert.match((await page.locator('#qr-image').getAttribute('alt')) ?? '', /QR code/);

    // b. Search the grid, select Tom.
    await page.getByLabel('Search by name, email or company').fill('tom');
    await page.locator('#grid-status').filter({ hasText: '1 constituent matching “tom”' }).waitFor();
    const rows = page.locator('#grid-body tr');
    assert.equal(await rows.count(), 1);
    assert.match(await rows.first().innerText(), /Tom Baker[\s\S]*tom\.baker@example\.org/);
    await page.getByLabel('Select Tom Baker').check();
    await page.locator('#selection-summary').filter({ hasText: '1 person selected' }).waitFor();

    // c. Compose: email, a message with merge fields inserted at the cursor by the buttons.
    await page.getByRole('radio', { name: 'Email' }).check();
    const message = page.getByRole('textbox', { name: 'Message' });
    // An empty message sends the API's default, which the field shows as its placeholder.
    assert.match((await message.getAttribute('placeholder')) ?? '', /^Hello \{\{firstName\}\},/);
    await page.getByRole('radio', { name: 'Text message' }).check();
    assert.match((await message.getAttribute('placeholder')) ?? '', /create your portal account with \{\{email\}\} at \{\{portalUrl\}\}/);
    await page.getByRole('radio', { name: 'Email' }).check();
    await message.fill('Dear ');
    await page.getByRole('button', { name: 'First name {{firstName}}' }).click();
    await message.pressSequentially(', your own portal link: ');
    await page.getByRole('button', { name: 'Portal link {{portalUrl}}' }).click();
    assert.equal(await message.inputValue(), 'Dear {{firstName}}, your own portal link: {{portalUrl}}');

    await page.getByRole('button', { name: 'Preview' }).click();
    const previewText = page.locator('#preview .preview-text');
    await previewText.first().waitFor();
    assert.equal(await previewText.count(), 1);
    const text = await previewText.innerText();
    assert.match(text, /^Dear Tom, your own portal link: /);
    assert.ok(!text.includes('{{firstName}}'), 'merge fields are filled in');
    assert.ok(text.includes(`${demoUrl}/portal.html`), 'the preview shows the portal link');
    assert.equal(await page.locator('#preview iframe').getAttribute('sandbox'), '', 'the HTML email is shown in a fully sandboxed frame');
    await page.locator('#invite-status').filter({ hasText: 'nothing sent yet' }).waitFor();
    assert.deepEqual(await outbox('tom.baker@example.org'), [], 'a preview sends nothing');

    // Send: one invitation; the invitations table shows Tom as "sent".
    await page.getByRole('button', { name: 'Send invitations' }).click();
    await page.locator('#invite-status').filter({ hasText: '1 invitation sent by email' }).waitFor();
    const tomRow = page.locator('#invitations-body tr').filter({ hasText: 'Tom Baker' });
    await tomRow.locator('.status', { hasText: /^sent$/ }).waitFor();
    assert.match(await tomRow.innerText(), /tom\.baker@example\.org/);

    // The mail carries Tom's tracked link; opening it lands on the portal page.
    const [link] = await mailed('tom.baker@example.org', new RegExp(`${apiUrl.replace(/[.]/g, '\\.')}/v1/orgs/${ORG}/invitations/[A-Za-z0-9_-]+`));
    const mail = (await outbox('tom.baker@example.org'))[0]!;
    assert.match(mail.text, /^Dear Tom, your own portal link: /);
    const reader = await context.newPage();
    const readerProblems = watch(reader);
    await reader.goto(link);
    await reader.waitForURL(`${demoUrl}/portal.html`);
    await reader.close();

    // Back on the admin page: Refresh shows the invitation opened.
    await page.locator('#invitations').getByRole('button', { name: 'Refresh' }).click();
    await tomRow.locator('.status', { hasText: /^opened$/ }).waitFor();
    const summary = await page.locator('#invitations-summary').innerText();
    assert.match(summary, /Sent\s*1/);
    assert.match(summary, /Opened\s*1/);

    assert.deepEqual(problems, []);
    assert.deepEqual(readerProblems, []);
    await context.close();
  });

  test('a possible duplicate is listed side by side and merged into the existing record', async () => {
    const { demoUrl, apiUrl } = demo.stack;
    // Maria's email under another name (with markup in it, which must stay text): a new record plus
    // a duplicate candidate, once the sign-up is confirmed.
    const signup = await fetch(`${apiUrl}/v1/orgs/${ORG}/signup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: demoUrl },
      body: JSON.stringify({ kind: 'individual', firstName: 'Mary <em>M.</em>', lastName: 'Garcia', email: 'maria.garcia@example.org' }),
    });
    assert.equal(signup.status, 202);
    const [, token] = await mailed('maria.garcia@example.org', /portal-token=([A-Za-z0-9_-]+)&portal-flow=signup/);
    const complete = await fetch(`${apiUrl}/v1/orgs/${ORG}/signup/complete`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: demoUrl },
      body: JSON.stringify({ token, password: 'paper lanterns on the water' }),
    });
    assert.equal(complete.status, 200);
    assert.equal(((await complete.json()) as { outcome: string }).outcome, 'created_possible_duplicate');

    const context = await demo.browser.newContext();
    const page = await context.newPage();
    const problems = watch(page);
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.accept();
    });
    await page.goto(`${demoUrl}/admin.html`);

    const pair = page.locator('#duplicates-list article.dup').filter({ hasText: 'Mary <em>M.</em> Garcia' });
    await pair.waitFor();
    const shown = await pair.innerText();
    assert.match(shown, /New record[\s\S]*Mary <em>M\.<\/em> Garcia[\s\S]*Existing record[\s\S]*Maria Garcia/);
    assert.match(shown, /maria\.garcia@example\.org[\s\S]*maria\.garcia@example\.org/);
    assert.equal(await pair.locator('em').count(), 0, 'a name is text, never markup');

    await pair.getByRole('button', { name: 'Merge into existing' }).click();
    await page.locator('#duplicates-status').filter({ hasText: 'Merged' }).waitFor();
    await pair.waitFor({ state: 'detached' });
    assert.equal(dialogs.length, 1);
    assert.match(dialogs[0]!, /Mary <em>M\.<\/em> Garcia[\s\S]*Maria Garcia/);
    assert.match(await page.locator('#duplicates-status').innerText(), /No possible duplicates/);

    // The grid now has one Garcia: the existing record, which holds the account.
    await page.getByLabel('Search by name, email or company').fill('garcia');
    await page.locator('#grid-status').filter({ hasText: '1 constituent matching “garcia”' }).waitFor();
    const row = page.locator('#grid-body tr');
    assert.match(await row.innerText(), /Maria Garcia[\s\S]*Yes/);

    assert.deepEqual(problems, []);
    await context.close();
  });
});
