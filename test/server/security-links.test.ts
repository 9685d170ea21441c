/**
 * Issue 9, items 1, 5, 8 and 9: emailed links come only from server configuration (the portal URL,
 * or exact confirmation pages staff registered), `returnTo` travels separately and is used only
 * after completion, the emailed token is exchanged at once for a short-lived completion token (a
 * history entry is then useless) that names the account (masked), and mail to an unproven address
 * echoes no text a stranger typed.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TokenExchange, paths } from '../../src/api/contract.ts';
import { Client, ORG, authResult, errorCode, errorFields, uniqueEmail, serverForFile } from './helpers.ts';

const KEY = 'links-admin-key-0123456789';
const admin = { authorization: `Bearer ${KEY}` };
const PORTAL = 'http://localhost:5173/portal.html';

const { server, api } = await serverForFile({ adminApiKeys: { [ORG]: KEY } });

/** The one link in the newest mail to `to`. */
async function mailedLink(to: string): Promise<URL> {
  const mail = (await api.outbox(to))[0];
  assert.ok(mail, `a mail to ${to}`);
  const links = mail.text.match(/https?:\/\/\S+/g) ?? [];
  assert.equal(links.length, 1, mail.text);
  return new URL(links[0]!);
}

function tokenOf(link: URL): string {
  const token = new URLSearchParams(link.hash.slice(1)).get('portal-token');
  assert.ok(token, link.href);
  return token;
}

async function exchange(token: string, client = api) {
  return client.post(paths.tokenExchange(client.org), { token });
}

describe('emailed links are built from configuration only (item 1)', () => {
  test('a returnTo on an allowed origin that nobody registered never receives the token', async () => {
    for (const returnTo of [
      'http://localhost:5173/redirect?to=https://evil.example/',
      'http://localhost:5173/uploads/attacker.html',
      'http://127.0.0.1:5173/portal.html?x=1',
      `${PORTAL}/`,
      `${PORTAL}?next=//evil.example`,
    ]) {
      const email = uniqueEmail('rt');
      assert.equal((await api.signup({ firstName: 'Rita', lastName: 'Turner', email, returnTo })).status, 202);
      const link = await mailedLink(email);
      assert.equal(`${link.origin}${link.pathname}${link.search}`, PORTAL, returnTo);
      const mail = (await api.outbox(email))[0]!;
      assert.doesNotMatch(mail.text + (mail.html ?? ''), /redirect|attacker|next=|evil/, returnTo);
      // The unregistered page is not handed back after completion either.
      const done = authResult(await api.complete(tokenOf(link)));
      assert.equal(done.returnTo, undefined, returnTo);
    }
  });

  test('the same holds for password reset links and resent confirmations', async () => {
    const { email } = await api.newAccount();
    await api.post(paths.passwordReset(ORG), { email, returnTo: 'http://localhost:5173/open-redirect?u=x' });
    const reset = await mailedLink(email);
    assert.equal(`${reset.origin}${reset.pathname}${reset.search}`, PORTAL);
    assert.equal(new URLSearchParams(reset.hash.slice(1)).get('portal-flow'), 'reset');
    const pending = uniqueEmail('resend');
    await api.signup({ firstName: 'Res', lastName: 'End', email: pending });
    await api.post(paths.signupResend(ORG), { email: pending, returnTo: 'http://localhost:5173/evil.html' });
    const resent = await mailedLink(pending);
    assert.equal(`${resent.origin}${resent.pathname}${resent.search}`, PORTAL);
  });

  test('staff register exact confirmation pages; a registered returnTo gets the link, and completion hands it back', async () => {
    const donate = 'http://localhost:5173/donate.html?campaign=7';
    const put = await api.request('PUT', `v1/orgs/${ORG}/admin/confirmation-pages`, { json: { urls: [donate] }, headers: admin });
    assert.equal(put.status, 200, put.text);
    assert.deepEqual((await api.get(`v1/orgs/${ORG}/admin/confirmation-pages`, admin)).body, { urls: [donate] });

    const email = uniqueEmail('registered');
    await api.signup({ firstName: 'Reg', lastName: 'Istered', email, returnTo: donate });
    const link = await mailedLink(email);
    assert.equal(`${link.origin}${link.pathname}${link.search}`, donate);
    const done = authResult(await api.complete(tokenOf(link)));
    assert.equal(done.returnTo, donate);

    // Exactly: another query, a longer path or a different case of the path is not the registered page.
    for (const near of [
      'http://localhost:5173/donate.html?campaign=8',
      'http://localhost:5173/donate.html',
      'http://localhost:5173/DONATE.html?campaign=7',
      'http://localhost:5173/donate.html?campaign=7&x=1',
    ]) {
      const other = uniqueEmail('near');
      await api.signup({ firstName: 'Ne', lastName: 'Ar', email: other, returnTo: near });
      const l = await mailedLink(other);
      assert.equal(`${l.origin}${l.pathname}${l.search}`, PORTAL, near);
      assert.equal(authResult(await api.complete(tokenOf(l))).returnTo, undefined, near);
    }
  });

  test('confirmation pages must be on an allowed origin, without fragment or credentials; the key is required', async () => {
    for (const url of [
      'https://evil.example/confirm',
      'http://localhost:5173/c#x',
      'http://user:pw@localhost:5173/c',
      'javascript:alert(1)',
      'not a url',
    ]) {
      const r = await api.request('PUT', `v1/orgs/${ORG}/admin/confirmation-pages`, { json: { urls: [url] }, headers: admin });
      assert.equal(r.status, 400, url);
      assert.equal(errorCode(r), 'invalid_input', url);
    }
    const r = await api.request('PUT', `v1/orgs/${ORG}/admin/confirmation-pages`, { json: { urls: [] } });
    assert.equal(r.status, 401);
  });
});

describe('the emailed token is exchanged at once (items 8, 9)', () => {
  test('exchange names the account (masked), and the emailed token is dead afterwards', async () => {
    const email = uniqueEmail('exchange');
    await api.signup({ firstName: 'Ex', lastName: 'Change', email });
    const token = await api.latestToken(email);
    const r = await exchange(token);
    assert.equal(r.status, 200, r.text);
    const x = TokenExchange.parse(r.body);
    assert.equal(x.flow, 'signup');
    assert.equal(x.email, `${email.slice(0, 2)}•••@example.test`);
    assert.ok(!x.email.includes(email.split('@')[0]!), 'the local part is not shown whole');
    assert.notEqual(x.completionToken, token);
    const ttl = Date.parse(x.expiresAt) - Date.now();
    assert.ok(ttl > 0 && ttl <= 15 * 60_000, String(ttl));

    // A replayed history entry: the emailed token no longer works anywhere.
    assert.equal(errorCode(await exchange(token)), 'token_invalid');
    const replay = await api.complete(token);
    assert.equal(replay.status, 400);
    assert.equal(errorCode(replay), 'token_invalid');

    const done = authResult(await api.complete(x.completionToken));
    assert.equal(done.profile.email, email);
    assert.equal(done.outcome, 'created');
    assert.equal(errorCode(await api.complete(x.completionToken)), 'token_invalid', 'single use');
  });

  test('reset links exchange too, naming the account; an expired completion token is token_invalid', async () => {
    const { email } = await api.newAccount();
    await api.post(paths.passwordReset(ORG), { email });
    const token = await api.latestToken(email, 'reset');
    const x = TokenExchange.parse((await exchange(token)).body);
    assert.equal(x.flow, 'reset');
    assert.equal(x.email, `${email.slice(0, 2)}•••@example.test`);
    await server.db
      .updateTable('password_resets')
      .set({ completion_expires_at: new Date(Date.now() - 1000) })
      .where('completion_expires_at', 'is not', null)
      .execute();
    const late = await api.post(paths.passwordResetComplete(ORG), { token: x.completionToken, password: 'a long new passphrase' });
    assert.equal(errorCode(late), 'token_invalid');
  });

  test('wrong org, unknown and malformed tokens are token_invalid or invalid_input, never a hint', async () => {
    const email = uniqueEmail('xorg');
    await api.signup({ firstName: 'X', lastName: 'Org', email });
    const token = await api.latestToken(email);
    assert.equal(errorCode(await exchange(token, new Client(server.url, 'northside-choir'))), 'token_invalid');
    assert.equal(errorCode(await exchange('A'.repeat(43))), 'token_invalid');
    assert.equal(errorCode(await exchange('bad token!')), 'invalid_input');
    // The wrong-org try did not spend it.
    assert.equal((await exchange(token)).status, 200);
  });

  test('a completion token cannot be exchanged again, and a sign-up token does not complete a reset', async () => {
    const email = uniqueEmail('cross');
    await api.signup({ firstName: 'Cr', lastName: 'Oss', email });
    const x = TokenExchange.parse((await exchange(await api.latestToken(email))).body);
    assert.equal(errorCode(await exchange(x.completionToken)), 'token_invalid');
    const wrongFlow = await api.post(paths.passwordResetComplete(ORG), { token: x.completionToken, password: 'a long new passphrase' });
    assert.equal(errorCode(wrongFlow), 'token_invalid');
    assert.equal(authResult(await api.complete(x.completionToken)).profile.email, email);
  });
});

describe('mail to an unproven address echoes nothing a stranger typed (item 5)', () => {
  test('the confirmation mail carries no part of the typed names', async () => {
    const email = uniqueEmail('phish');
    const firstName = 'Your account is locked, visit https://evil.example/login now';
    const lastName = 'call +1 555 0100 or write help@evil.example';
    const r = await api.signup({ firstName: firstName.slice(0, 100), lastName, email });
    assert.equal(r.status, 202, r.text);
    const mail = (await api.outbox(email))[0]!;
    for (const body of [mail.text, mail.html ?? '', mail.subject ?? '']) {
      assert.doesNotMatch(body, /evil|locked|0100|Your account/, body);
    }
    assert.match(mail.text, /^Hello,/);
  });

  test('nor a company name', async () => {
    const email = uniqueEmail('phishco');
    await api.signup({ kind: 'company', companyName: 'Refund desk: www.evil.example', firstName: 'A', lastName: 'B', email });
    const mail = (await api.outbox(email))[0]!;
    assert.doesNotMatch(mail.text + (mail.html ?? ''), /evil|Refund/);
  });

  test('names are still validated (invisible fillers are invalid_characters)', async () => {
    for (const name of ['\u3164', 'Ma\u3164ria', '\u115f\u1160', 'Ma\u2800ria', 'Ma\uffa0ria', 'Ma\u200bria']) {
      const r = await api.signup({ firstName: name, lastName: 'Garcia', email: uniqueEmail('filler') });
      assert.equal(r.status, 400, JSON.stringify(name));
      assert.equal(errorFields(r)?.firstName, 'invalid_characters', JSON.stringify(name));
    }
  });
});
