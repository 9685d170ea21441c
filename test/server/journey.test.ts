/** The constituent journey over HTTP: portal info, sign-up, confirm, match or create, sign-in. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Accepted, PortalInfo, Profile, paths } from '../../src/api/contract.ts';
import { Client, ORG, authResult, errorCode, errorFields, uniqueEmail, serverForFile } from './helpers.ts';

const { server, api } = await serverForFile();

describe('portal info', () => {
  test('advanced org lists its modules', async () => {
    const r = await api.get(paths.portal(ORG));
    assert.equal(r.status, 200);
    const info = PortalInfo.parse(r.body);
    assert.equal(info.name, 'Riverside Arts Association');
    assert.equal(info.tier, 'advanced');
    assert.deepEqual(info.modules, ['memberships', 'events', 'donations', 'invoices']);
    assert.deepEqual(info.signupKinds, ['individual', 'company']);
  });

  test('basic org shows only invoices, auctions and peer-to-peer', async () => {
    const info = PortalInfo.parse((await api.get(paths.portal('northside-choir'))).body);
    assert.equal(info.tier, 'basic');
    assert.deepEqual(info.modules, ['invoices', 'auctions', 'peer_to_peer']);
  });

  test('unknown org is 404 not_found', async () => {
    const r = await api.get(paths.portal('no-such-org'));
    assert.equal(r.status, 404);
    assert.equal(errorCode(r), 'not_found');
  });
});

describe('sign-up and confirmation', () => {
  test('new person: 202, confirmation mail, no record until confirmed, then created', async () => {
    const email = uniqueEmail('new');
    const r = await api.signup({ firstName: 'Ada', lastName: 'Lovelace', email, locale: 'en' });
    assert.equal(r.status, 202);
    assert.deepEqual(Accepted.parse(r.body), { status: 'accepted' });
    const mails = await api.outbox(email);
    assert.equal(mails.length, 1);
    assert.match(mails[0]!.subject ?? '', /Confirm your Riverside Arts Association portal account/);
    assert.match(mails[0]!.text, /^Hello,/, 'no typed name in mail to an unproven address');
    assert.match(mails[0]!.text, /http:\/\/localhost:5173\/portal\.html#portal-token=[A-Za-z0-9_-]{43}&portal-flow=signup/);
    assert.ok(mails[0]!.html?.includes('portal-token='));
    const before = await server.db.selectFrom('constituents').select('id').where('email_norm', '=', email).execute();
    assert.equal(before.length, 0, 'no constituent record at sign-up');

    const done = authResult(await api.complete(await api.latestToken(email)));
    assert.equal(done.outcome, 'created');
    assert.equal(done.profile.email, email);
    assert.equal(done.profile.constituent.firstName, 'Ada');
    assert.deepEqual(done.profile.memberships, []);
    assert.equal(done.session.remember, false);
    const me = await api.me(done.session.accessToken);
    assert.equal(me.status, 200);
    assert.equal(Profile.parse(me.body).accountId, done.profile.accountId);
  });

  test('seeded person with matching email and name (normalised) is linked and sees the current membership', async () => {
    const r = await api.signup({ firstName: '  MARIA ', lastName: 'garcia', email: 'Maria.Garcia@Example.org' });
    assert.equal(r.status, 202);
    const done = authResult(await api.complete(await api.latestToken('maria.garcia@example.org')));
    assert.equal(done.outcome, 'linked');
    assert.equal(done.profile.constituent.firstName, 'Maria');
    assert.equal(done.profile.constituent.address.city, 'Springfield');
    assert.equal(done.profile.constituent.phone, '+1 555 0100');
    assert.equal(done.profile.memberships.length, 1);
    assert.equal(done.profile.memberships[0]!.name, 'Household Membership');
    assert.equal(done.profile.memberships[0]!.status, 'current');
  });

  test('email matches a record but the name does not: new record + duplicate candidate', async () => {
    await api.signup({ firstName: 'Thomas', lastName: 'Baker', email: 'tom.baker@example.org' });
    const done = authResult(await api.complete(await api.latestToken('tom.baker@example.org')));
    assert.equal(done.outcome, 'created_possible_duplicate');
    assert.deepEqual(done.profile.memberships, [], 'the new record has no memberships');
    const dups = await server.db
      .selectFrom('duplicate_candidates')
      .innerJoin('constituents as existing', 'existing.id', 'duplicate_candidates.existing_id')
      .select(['duplicate_candidates.constituent_id', 'existing.first_name'])
      .where('duplicate_candidates.constituent_id', '=', done.profile.constituent.id)
      .execute();
    assert.equal(dups.length, 1);
    assert.equal(dups[0]!.first_name, 'Tom');
  });

  test('company sign-up is matched by email and company name', async () => {
    const email = uniqueEmail('co');
    const first = await api.newAccount({ kind: 'company', companyName: 'Acme  Widgets', firstName: 'Wile', lastName: 'Coyote', email });
    assert.equal(first.result.outcome, 'created');
    assert.equal(first.result.profile.constituent.kind, 'company');
    assert.equal(first.result.profile.constituent.companyName, 'Acme  Widgets');
  });

  test('company sign-up without a company name is invalid_input', async () => {
    const r = await api.signup({ kind: 'company', firstName: 'A', lastName: 'B', email: uniqueEmail() });
    assert.equal(r.status, 400);
    assert.deepEqual(errorFields(r), { companyName: 'required' });
  });

  test('primary contact sharing the company email manages the company', async () => {
    await api.signup({ firstName: 'Jane', lastName: 'Doe', email: 'jane@harborlights.example' });
    const done = authResult(await api.complete(await api.latestToken('jane@harborlights.example')));
    assert.equal(done.outcome, 'linked');
    assert.equal(done.profile.constituent.kind, 'individual');
    assert.equal(done.profile.companies.length, 1);
    assert.equal(done.profile.companies[0]!.companyName, 'Harbor Lights Design');
    assert.equal(done.profile.companies[0]!.memberships[0]!.status, 'current');
    // The company record's own phone and address, so a purchaser form can be filled as the company (issue #10).
    assert.equal(done.profile.companies[0]!.phone, '+1 555 0103');
    assert.deepEqual(done.profile.companies[0]!.address, {
      line1: '1 Harbor Way',
      line2: 'Suite 200',
      city: 'Springfield',
      region: 'IL',
      postalCode: '62703',
      country: 'US',
    });
  });

  test('same status and body for known and unknown emails on sign-up, resend and reset', async () => {
    const known = (await api.newAccount()).email;
    const unknown = uniqueEmail('unknown');
    for (const [path, extra] of [
      [paths.signup(ORG), { kind: 'individual', firstName: 'X', lastName: 'Y' }],
      [paths.signupResend(ORG), {}],
      [paths.passwordReset(ORG), {}],
    ] as const) {
      const a = await api.post(path, { ...extra, email: known });
      const b = await api.post(path, { ...extra, email: unknown });
      assert.equal(a.status, 202, path);
      assert.equal(b.status, a.status, path);
      assert.equal(b.text, a.text, path);
      assert.deepEqual([...b.headers.keys()].sort(), [...a.headers.keys()].sort(), path);
    }
  });

  test('sign-up for an email that already has an account sends "you already have an account"', async () => {
    const { email } = await api.newAccount();
    const r = await api.signup({ firstName: 'Other', lastName: 'Name', email });
    assert.equal(r.status, 202);
    const newest = (await api.outbox(email))[0]!;
    assert.match(newest.subject ?? '', /You already have a Riverside Arts Association portal account/);
    assert.doesNotMatch(newest.text, /portal-token=/);
    assert.match(newest.text, /sign in|Sign in/);
  });

  test('resend mails a fresh link for a pending sign-up', async () => {
    const email = uniqueEmail('resend');
    await api.signup({ firstName: 'Re', lastName: 'Send', email });
    const first = await api.latestToken(email);
    assert.equal((await api.post(paths.signupResend(ORG), { email, locale: 'fr' })).status, 202);
    const mails = await api.outbox(email);
    assert.equal(mails.length, 2);
    assert.match(mails[0]!.subject ?? '', /Confirmez votre compte/);
    const second = await api.latestToken(email);
    assert.notEqual(first, second);
    assert.equal(authResult(await api.complete(second)).outcome, 'created');
  });

  test('mail is in the requested locale (es)', async () => {
    const email = uniqueEmail('es');
    await api.signup({ firstName: 'Lucía', lastName: 'Pérez', email, locale: 'es' });
    const m = (await api.outbox(email))[0]!;
    assert.match(m.subject ?? '', /Confirma tu cuenta/);
    assert.match(m.text, /^Hola:/);
  });

  test('returnTo picks a registered confirmation page exactly, and is ignored otherwise', async () => {
    const a = uniqueEmail('rt');
    // The demo registers its pages (donate.html …) as confirmation pages.
    await api.signup({ firstName: 'R', lastName: 'T', email: a, returnTo: 'http://127.0.0.1:5173/donate.html' });
    assert.match((await api.outbox(a))[0]!.text, /http:\/\/127\.0\.0\.1:5173\/donate\.html#portal-token=/);
    const q = uniqueEmail('rt');
    await api.signup({ firstName: 'R', lastName: 'T', email: q, returnTo: 'http://127.0.0.1:5173/donate.html?campaign=7' });
    assert.match((await api.outbox(q))[0]!.text, /http:\/\/localhost:5173\/portal\.html#portal-token=/, 'not registered: the portal URL');
    const b = uniqueEmail('rt');
    await api.signup({ firstName: 'R', lastName: 'T', email: b, returnTo: 'https://evil.example/phish' }, { host: 'evil.example' });
    const text = (await api.outbox(b))[0]!.text;
    assert.doesNotMatch(text, /evil/);
    assert.match(text, /http:\/\/localhost:5173\/portal\.html#portal-token=/);
  });

  test('a used, unknown or wrong-org token is token_invalid', async () => {
    const email = uniqueEmail('reuse');
    await api.signup({ firstName: 'Re', lastName: 'Use', email });
    const token = await api.latestToken(email);
    const choir = new Client(server.url, 'northside-choir');
    const wrongOrg = await choir.complete(token);
    assert.equal(wrongOrg.status, 400);
    assert.equal(errorCode(wrongOrg), 'token_invalid');
    assert.equal((await api.complete(token)).status, 200);
    const again = await api.complete(token);
    assert.equal(again.status, 400);
    assert.equal(errorCode(again), 'token_invalid');
    const garbage = await api.complete('A'.repeat(43));
    assert.equal(errorCode(garbage), 'token_invalid');
  });

  test('common and short passwords are refused with field codes', async () => {
    const email = uniqueEmail('pw');
    await api.signup({ firstName: 'P', lastName: 'W', email });
    const token = await api.latestToken(email);
    const common = await api.complete(token, 'Password123');
    assert.equal(common.status, 400);
    assert.deepEqual(errorFields(common), { password: 'password_common' });
    const short = await api.complete(token, 'short');
    assert.deepEqual(errorFields(short), { password: 'password_too_short' });
    assert.equal((await api.complete(token, 'a fine long passphrase')).status, 200, 'the token survived the refusals');
  });
});

describe('sign-in', () => {
  test('good credentials give session and profile in one round trip', async () => {
    const { email, password } = await api.newAccount({ firstName: 'Sign', lastName: 'In' });
    const r = authResult(await api.signIn(email.toUpperCase(), password, true));
    assert.equal(r.profile.email, email);
    assert.equal(r.session.remember, true);
    assert.ok(Date.parse(r.session.refreshTokenExpiresAt) > Date.now() + 29 * 86_400_000);
    assert.equal(r.outcome, undefined);
  });

  test('wrong password and unknown email are both invalid_credentials', async () => {
    const { email } = await api.newAccount();
    const wrong = await api.signIn(email, 'not the password');
    const unknown = await api.signIn(uniqueEmail('nobody'), 'not the password');
    assert.equal(wrong.status, 401);
    assert.equal(unknown.status, 401);
    assert.equal(errorCode(wrong), 'invalid_credentials');
    assert.equal(wrong.text, unknown.text);
  });

  test('PATCH /me updates only allowed fields', async () => {
    const { result } = await api.newAccount();
    const r = await api.request('PATCH', paths.me(ORG), {
      json: { phone: ' +1 555 0199 ', address: { city: 'Shelbyville', country: 'us' }, email: 'hijack@example.test', kind: 'company' },
      headers: api.bearer(result.session.accessToken),
    });
    assert.equal(r.status, 200);
    const p = Profile.parse(r.body);
    assert.equal(p.constituent.phone, '+1 555 0199');
    assert.equal(p.constituent.address.city, 'Shelbyville');
    assert.equal(p.constituent.address.country, 'US');
    assert.equal(p.constituent.kind, 'individual');
    assert.equal(p.email, result.profile.email);
  });
});
