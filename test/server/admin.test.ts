/** Admin API (grid, duplicates, merge), the verified-email policy, companies, OpenAPI. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Profile, paths } from '../../src/api/contract.ts';
import { ConstituentGrid, DuplicateList } from '../../src/api/admin.ts';
import { AdminPortalInfo, InvitationList, InvitationPreview, InvitationResult } from '../../src/api/admin.ts';
import { Client, ORG, authResult, errorCode, uniqueEmail, serverForFile } from './helpers.ts';

const KEY = 'test-admin-key-0123456789';
const admin = () => ({ authorization: `Bearer ${KEY}` });

const { server, api } = await serverForFile({ adminApiKeys: { [ORG]: KEY } });

describe('admin API', () => {
  test('needs the org API key', async () => {
    for (const headers of [
      {} as Record<string, string>,
      { authorization: 'Bearer wrong' },
      { authorization: 'Bearer dev-admin-key-riverside-arts' },
    ]) {
      const r = await api.get(`v1/orgs/${ORG}/admin/constituents`, headers);
      assert.equal(r.status, 401);
      assert.equal(errorCode(r), 'unauthorized');
    }
    const other = await api.get('v1/orgs/northside-choir/admin/constituents', admin());
    assert.equal(other.status, 401, 'a key works for its own org only');
    const { result } = await api.newAccount();
    const withUserToken = await api.get(`v1/orgs/${ORG}/admin/constituents`, api.bearer(result.session.accessToken));
    assert.equal(withUserToken.status, 401);
  });

  test('grid search by name, email or company', async () => {
    const grid = ConstituentGrid.parse((await api.get(`v1/orgs/${ORG}/admin/constituents?q=garcia`, admin())).body);
    assert.equal(grid.total, 1);
    assert.equal(grid.constituents[0]!.email, 'maria.garcia@example.org');
    const company = ConstituentGrid.parse((await api.get(`v1/orgs/${ORG}/admin/constituents?q=harbor%20lights`, admin())).body);
    assert.equal(company.constituents[0]!.companyName, 'Harbor Lights Design');
    const wild = ConstituentGrid.parse((await api.get(`v1/orgs/${ORG}/admin/constituents?q=%25`, admin())).body);
    assert.equal(wild.total, 0, 'LIKE wildcards are escaped');
    const bad = await api.get(`v1/orgs/${ORG}/admin/constituents?limit=5000`, admin());
    assert.equal(errorCode(bad), 'invalid_input');
  });

  test('duplicate candidate → merge: the person now sees current and expired memberships', async () => {
    // An existing record with an expired membership and an address...
    const email = uniqueEmail('merge');
    const fx = await api.post(`dev/orgs/${ORG}/fixtures`, {
      firstName: 'Robert',
      lastName: 'Smith',
      email,
      address: { line1: '5 Old Road', city: 'Oldtown' },
      phone: '+1 555 0123',
      membership: { name: 'Old Membership', status: 'expired' },
    });
    const oldId = (fx.body as { constituentId: string }).constituentId;
    // ...and a second old record with a current one.
    await server.db
      .insertInto('memberships')
      .values({ constituent_id: oldId, name: 'Current Membership', starts_on: '2020-01-01', ends_on: '2999-12-31' })
      .execute();
    // The person signs up as "Bob": a new record and a duplicate candidate.
    const { result } = await api.newAccount({ firstName: 'Bob', lastName: 'Smith', email });
    assert.equal(result.outcome, 'created_possible_duplicate');
    const newId = result.profile.constituent.id;

    const list = DuplicateList.parse((await api.get(`v1/orgs/${ORG}/admin/duplicates`, admin())).body);
    const dup = list.duplicates.find((d) => d.constituent.id === newId);
    assert.ok(dup);
    assert.equal(dup.existing.id, oldId);
    assert.equal(dup.constituent.hasAccount, true);

    const merge = await api.post(`v1/orgs/${ORG}/admin/merge`, { sourceId: oldId, targetId: newId }, admin());
    assert.equal(merge.status, 200, merge.text);

    const me = Profile.parse((await api.me(result.session.accessToken)).body);
    assert.equal(me.constituent.id, newId);
    assert.equal(me.constituent.firstName, 'Bob', 'filled values are not overwritten');
    assert.equal(me.constituent.address.city, 'Oldtown', 'empty values are filled from the old record');
    assert.equal(me.constituent.phone, '+1 555 0123');
    assert.deepEqual(me.memberships.map((m) => m.status).sort(), ['current', 'expired']);

    const after = DuplicateList.parse((await api.get(`v1/orgs/${ORG}/admin/duplicates?status=merged`, admin())).body);
    assert.ok(after.duplicates.some((d) => d.id === dup.id));
    const again = await api.post(`v1/orgs/${ORG}/admin/merge`, { sourceId: oldId, targetId: newId }, admin());
    assert.equal(errorCode(again), 'invalid_input');
    const audit = await server.db
      .selectFrom('audit_log')
      .select('action')
      .where('subject_id', '=', newId)
      .where('action', '=', 'constituent.merged')
      .execute();
    assert.equal(audit.length, 1);
    const grid = ConstituentGrid.parse((await api.get(`v1/orgs/${ORG}/admin/constituents?q=${encodeURIComponent(email)}`, admin())).body);
    assert.deepEqual(
      grid.constituents.map((c) => c.id),
      [newId],
      'merged records leave the grid',
    );
  });

  test('merge moves donations, invoices and invitations; filled fields win; the merged record answers as merged', async () => {
    const mk = async (first: string, extra: Record<string, unknown>) => {
      const r = await api.post(`dev/orgs/${ORG}/fixtures`, { firstName: first, lastName: 'Chain', email: uniqueEmail('chain'), ...extra });
      assert.equal(r.status, 201, r.text);
      return (r.body as { constituentId: string }).constituentId;
    };
    const a = await mk('Alpha', { phone: '+1 555 0001', address: { city: 'Oldtown', postalCode: '11111' } });
    const b = await mk('Beta', { phone: '+1 555 0002' });
    const c = await mk('Gamma', {});
    await server.db.insertInto('donations').values({ constituent_id: a, amount_cents: 5000, donated_on: '2024-05-01' }).execute();
    await server.db.insertInto('invoices').values({ constituent_id: a, number: 'INV-A', amount_cents: 1200, issued_on: '2024-06-01' }).execute();
    const inv = await api.post(`v1/orgs/${ORG}/admin/invitations`, { constituentIds: [a], channel: 'email' }, admin());
    assert.equal(inv.status, 201, inv.text);

    assert.equal((await api.post(`v1/orgs/${ORG}/admin/merge`, { sourceId: a, targetId: b }, admin())).status, 200);
    const one = await api.get(`v1/orgs/${ORG}/admin/constituents/${b}`, admin());
    const survivorB = (one.body as { constituent: { phone: string; address: { city: string; postalCode: string } } }).constituent;
    assert.equal(survivorB.phone, '+1 555 0002', 'a filled field is never overwritten');
    assert.equal(survivorB.address.city, 'Oldtown', 'an empty one is filled');
    assert.equal(survivorB.address.postalCode, '11111');

    assert.equal((await api.post(`v1/orgs/${ORG}/admin/merge`, { sourceId: b, targetId: c }, admin())).status, 200);
    for (const table of ['donations', 'invoices', 'invitations'] as const) {
      const rows = await server.db.selectFrom(table).select('constituent_id').where('constituent_id', 'in', [a, b, c]).execute();
      assert.ok(rows.length >= 1, table);
      assert.ok(
        rows.every((r) => r.constituent_id === c),
        `${table} moved along the chain`,
      );
    }
    const gamma = (await api.get(`v1/orgs/${ORG}/admin/constituents/${c}`, admin())).body as {
      constituent: { phone: string; address: { city: string } };
      survivor?: unknown;
    };
    assert.equal(gamma.constituent.phone, '+1 555 0002');
    assert.equal(gamma.constituent.address.city, 'Oldtown');
    assert.equal(gamma.survivor, undefined);

    const merged = await api.get(`v1/orgs/${ORG}/admin/constituents/${a}`, admin());
    assert.equal(merged.status, 200);
    const m = merged.body as { constituent: { id: string; mergedInto: string }; survivor: { id: string } };
    assert.equal(m.constituent.id, a);
    assert.equal(m.constituent.mergedInto, b);
    assert.equal(m.survivor.id, c, 'followed through the chain');
    assert.equal(errorCode(await api.post(`v1/orgs/${ORG}/admin/merge`, { sourceId: a, targetId: c }, admin())), 'invalid_input');
    assert.equal((await api.get(`v1/orgs/${ORG}/admin/constituents/00000000-0000-4000-8000-000000000000`, admin())).status, 404);
    assert.equal((await api.get(`v1/orgs/${ORG}/admin/constituents/not-a-uuid`, admin())).status, 400);
    assert.equal((await api.get(`v1/orgs/${ORG}/admin/constituents/${a}`)).status, 401);
  });

  test('merging a record that has an account keeps the account link', async () => {
    const a = await api.newAccount({ firstName: 'Keep', lastName: 'Link' });
    const b = await api.post(`dev/orgs/${ORG}/fixtures`, { firstName: 'Keep', lastName: 'Link', email: uniqueEmail('survivor') });
    const target = (b.body as { constituentId: string }).constituentId;
    const r = await api.post(`v1/orgs/${ORG}/admin/merge`, { sourceId: a.result.profile.constituent.id, targetId: target }, admin());
    assert.equal(r.status, 200);
    const me = authResult(await api.signIn(a.email, a.password));
    assert.equal(me.profile.constituent.id, target);
  });
});

describe('verified-email policy', () => {
  test('the proven email alone links to the single record that has it', async () => {
    const org = await server.db
      .insertInto('orgs')
      .values({
        slug: 'verified-org',
        name: 'Verified Org',
        portal_url: 'http://localhost:5173/portal.html',
        tier: 'advanced',
        modules: ['memberships'],
        allowed_origins: [],
        match_policy: 'verified-email',
        primary_color: null,
        logo_url: null,
        api_key_hash: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const email = uniqueEmail('verified');
    const rec = await server.db
      .insertInto('constituents')
      .values({
        org_id: org.id,
        kind: 'individual',
        first_name: 'Katherine',
        last_name: 'Jones',
        company_name: null,
        email,
        email_norm: email,
        phone: null,
        address_line1: null,
        address_line2: null,
        city: null,
        region: null,
        postal_code: null,
        country: null,
        merged_into: null,
        source: 'staff',
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const v = new Client(server.url, 'verified-org');
    const { result } = await v.newAccount({ firstName: 'Kate', lastName: 'Jones', email });
    assert.equal(result.outcome, 'linked');
    assert.equal(result.profile.constituent.id, rec.id);
    const noted = await server.db.selectFrom('audit_log').select('action').where('subject_id', '=', rec.id).execute();
    assert.ok(
      noted.some((n) => n.action === 'match.linked_name_differs'),
      'name difference noted for staff',
    );
  });
});

describe('companies', () => {
  test('a company signs up with its own email and is linked by email + company name', async () => {
    const email = uniqueEmail('company');
    const fx = await api.post(`dev/orgs/${ORG}/fixtures`, {
      kind: 'company',
      firstName: 'Pat',
      lastName: 'Lee',
      companyName: 'Lee & Sons Ltd',
      email,
      membership: { name: 'Corporate', status: 'current' },
    });
    const id = (fx.body as { constituentId: string }).constituentId;
    const { result } = await api.newAccount({ kind: 'company', companyName: ' lee &  sons LTD ', firstName: 'Someone', lastName: 'Else', email });
    assert.equal(result.outcome, 'linked');
    assert.equal(result.profile.constituent.id, id);
    assert.equal(result.profile.constituent.kind, 'company');
    assert.equal(result.profile.memberships[0]!.name, 'Corporate');
  });

  test("a company sharing its email with its primary contact signs up into the contact's account", async () => {
    const { result } = await api.newAccount({
      kind: 'company',
      companyName: 'Harbor Lights Design',
      firstName: 'Jane',
      lastName: 'Doe',
      email: 'jane@harborlights.example',
    });
    assert.equal(result.outcome, 'linked');
    assert.equal(result.profile.constituent.kind, 'individual');
    assert.equal(result.profile.constituent.firstName, 'Jane');
    assert.deepEqual(
      result.profile.companies.map((c) => c.companyName),
      ['Harbor Lights Design'],
    );
  });

  test('a company sign-up with the company email of a contact who has an account gets "already have an account"', async () => {
    const email = uniqueEmail('shared');
    await api.newAccount({ firstName: 'Contact', lastName: 'Person', email });
    const r = await api.signup({ kind: 'company', companyName: 'Shared Email Co', firstName: 'Contact', lastName: 'Person', email });
    assert.equal(r.status, 202);
    assert.match((await api.outbox(email))[0]!.subject ?? '', /already have/);
  });

  test('basic tier profile shows only basic modules and no memberships', async () => {
    const choir = new Client(server.url, 'northside-choir');
    const { result } = await choir.newAccount();
    assert.equal(result.profile.portal.tier, 'basic');
    assert.deepEqual(result.profile.portal.modules, ['invoices', 'auctions', 'peer_to_peer']);
  });
});

describe('invitations', () => {
  test('email invitation with merge fields → opened link → signed up', async () => {
    const email = uniqueEmail('invitee');
    const fx = await api.post(`dev/orgs/${ORG}/fixtures`, { firstName: 'Ivy', lastName: 'Invitee', email, phone: '+1 555 0177' });
    const id = (fx.body as { constituentId: string }).constituentId;
    const r = await api.post(
      `v1/orgs/${ORG}/admin/invitations`,
      {
        constituentIds: [id, '00000000-0000-4000-8000-000000000000'],
        channel: 'email',
        subject: 'Hi {{firstName}}',
        message: 'Dear {{firstName}} {{lastName}}, sign up with {{email}}: {{portalUrl}} QR {{qrCodeUrl}} {{unknown}}',
      },
      admin(),
    );
    assert.equal(r.status, 201, r.text);
    const result = InvitationResult.parse(r.body);
    assert.equal(result.invitations.length, 1);
    assert.deepEqual(result.skipped, [{ constituentId: '00000000-0000-4000-8000-000000000000', reason: 'not_found' }]);
    const mail = (await api.outbox(email))[0]!;
    assert.equal(mail.subject, 'Hi Ivy');
    assert.match(mail.text, new RegExp(`^Dear Ivy Invitee, sign up with ${email.replace(/\./g, '\\.')}: `));
    assert.match(mail.text, /\{\{unknown\}\}/, 'unknown fields are left as they are');
    const link = /(http:\/\/\S+\/invitations\/[A-Za-z0-9_-]+)/.exec(mail.text)![1]!;
    assert.ok(link.startsWith(server.url), 'tracked link on the configured API URL');
    assert.match(mail.html ?? '', /portal\/qr\.svg/);

    const opened = await fetch(link, { redirect: 'manual' });
    assert.equal(opened.status, 302);
    assert.equal(opened.headers.get('location'), 'http://localhost:5173/portal.html');
    const unknown = await fetch(link.replace(/[^/]+$/, 'x'.repeat(43)), { redirect: 'manual' });
    assert.equal(unknown.status, 302, 'unknown tokens redirect the same way');

    await api.newAccount({ firstName: 'Ivy', lastName: 'Invitee', email });
    const list = InvitationList.parse((await api.get(`v1/orgs/${ORG}/admin/invitations`, admin())).body);
    const mine = list.invitations.find((i) => i.constituentId === id)!;
    assert.equal(mine.status, 'signed_up');
    assert.ok(mine.openedAt && mine.signedUpAt);
    assert.ok(list.summary.signedUp >= 1);

    const again = InvitationResult.parse(
      (await api.post(`v1/orgs/${ORG}/admin/invitations`, { constituentIds: [id], channel: 'email' }, admin())).body,
    );
    assert.deepEqual(again.skipped, [{ constituentId: id, reason: 'has_account' }]);
  });

  test('text-message invitations go to the phone number; people without one are skipped', async () => {
    const withPhone = (
      await api.post(`dev/orgs/${ORG}/fixtures`, { firstName: 'Sam', lastName: 'Sms', email: uniqueEmail('sms'), phone: '+1 555 0188' })
    ).body as { constituentId: string };
    const without = (await api.post(`dev/orgs/${ORG}/fixtures`, { firstName: 'No', lastName: 'Phone', email: uniqueEmail('nophone') })).body as {
      constituentId: string;
    };
    const r = InvitationResult.parse(
      (
        await api.post(
          `v1/orgs/${ORG}/admin/invitations`,
          { constituentIds: [withPhone.constituentId, without.constituentId], channel: 'sms' },
          admin(),
        )
      ).body,
    );
    assert.equal(r.invitations.length, 1);
    assert.equal(r.invitations[0]!.to, '+1 555 0188');
    assert.deepEqual(r.skipped, [{ constituentId: without.constituentId, reason: 'no_phone' }]);
    const sms = (await api.outbox('+1 555 0188'))[0]!;
    assert.equal(sms.channel, 'sms');
    assert.match(sms.text, /Riverside Arts Association: create your portal account with .* at http:\/\//);
  });

  test('preview: each message as it will read, who is skipped and why, unknown merge fields; nothing sent or stored', async () => {
    const email = uniqueEmail('preview');
    const person = (await api.post(`dev/orgs/${ORG}/fixtures`, { firstName: 'Pia', lastName: '<b>Preview</b>', email })).body as {
      constituentId: string;
    };
    const member = await api.newAccount({ firstName: 'Has', lastName: 'Account', email: uniqueEmail('hasaccount') });
    const memberId = ConstituentGrid.parse((await api.get(`v1/orgs/${ORG}/admin/constituents?q=${encodeURIComponent(member.email)}`, admin())).body)
      .constituents[0]!.id;
    const missing = '00000000-0000-4000-8000-000000000001';
    const request = {
      constituentIds: [person.constituentId, memberId, missing],
      channel: 'email',
      subject: 'Hi {{firstName}}',
      message: 'Dear {{ firstName }} {{lastName}} of {{orgName}}, {{portalUrl}} {{fristName}} {{fristName}} {{qrCode}}',
    };
    const before = InvitationList.parse((await api.get(`v1/orgs/${ORG}/admin/invitations`, admin())).body).invitations.length;

    const r = await api.post(`v1/orgs/${ORG}/admin/invitations/preview`, request, admin());
    assert.equal(r.status, 200, r.text);
    const preview = InvitationPreview.parse(r.body);
    assert.equal(preview.previews.length, 1);
    const [p] = preview.previews;
    assert.deepEqual(
      { constituentId: p!.constituentId, channel: p!.channel, to: p!.to, subject: p!.subject },
      { constituentId: person.constituentId, channel: 'email', to: email, subject: 'Hi Pia' },
    );
    assert.equal(
      p!.text,
      'Dear Pia <b>Preview</b> of Riverside Arts Association, http://localhost:5173/portal.html {{fristName}} {{fristName}} {{qrCode}}',
    );
    assert.match(p!.html!, /Dear Pia &#60;b&#62;Preview&#60;\/b&#62; of/, 'the HTML body escapes what the record holds');
    assert.deepEqual(preview.skipped, [
      { constituentId: memberId, reason: 'has_account' },
      { constituentId: missing, reason: 'not_found' },
    ]);
    assert.deepEqual(preview.unknownFields, ['fristName', 'qrCode']);

    assert.equal((await api.outbox(email)).length, 0, 'a preview sends nothing');
    const after = InvitationList.parse((await api.get(`v1/orgs/${ORG}/admin/invitations`, admin())).body).invitations.length;
    assert.equal(after, before, 'a preview stores no invitation');

    // Sending the same request sends what the preview showed, with the tracked link in place of the portal URL.
    const sent = InvitationResult.parse((await api.post(`v1/orgs/${ORG}/admin/invitations`, request, admin())).body);
    assert.deepEqual(sent.skipped, preview.skipped);
    const mail = (await api.outbox(email))[0]!;
    assert.equal(mail.subject, p!.subject);
    assert.equal(mail.text.replace(/http:\/\/\S+\/invitations\/[A-Za-z0-9_-]+/, 'http://localhost:5173/portal.html'), p!.text);
  });

  test('preview of text messages: no subject or HTML; people without a phone are skipped; bad input is 400', async () => {
    const withPhone = (
      await api.post(`dev/orgs/${ORG}/fixtures`, { firstName: 'Tex', lastName: 'Ter', email: uniqueEmail('smsprev'), phone: '+1 555 0199' })
    ).body as { constituentId: string };
    const without = (await api.post(`dev/orgs/${ORG}/fixtures`, { firstName: 'No', lastName: 'Phone', email: uniqueEmail('smsprev2') })).body as {
      constituentId: string;
    };
    const preview = InvitationPreview.parse(
      (
        await api.post(
          `v1/orgs/${ORG}/admin/invitations/preview`,
          { constituentIds: [withPhone.constituentId, without.constituentId], channel: 'sms' },
          admin(),
        )
      ).body,
    );
    assert.equal(preview.previews.length, 1);
    assert.deepEqual(
      { to: preview.previews[0]!.to, subject: preview.previews[0]!.subject, html: preview.previews[0]!.html },
      { to: '+1 555 0199', subject: null, html: null },
    );
    assert.match(
      preview.previews[0]!.text,
      /^Riverside Arts Association: create your portal account with \S+ at http:\/\/localhost:5173\/portal\.html$/,
    );
    assert.deepEqual(preview.skipped, [{ constituentId: without.constituentId, reason: 'no_phone' }]);
    assert.deepEqual(preview.unknownFields, []);

    const bad = await api.post(`v1/orgs/${ORG}/admin/invitations/preview`, { constituentIds: ['not-a-uuid'], channel: 'fax' }, admin());
    assert.equal(bad.status, 400);
    assert.equal(errorCode(bad), 'invalid_input');
    const noKey = await api.post(`v1/orgs/${ORG}/admin/invitations/preview`, { constituentIds: [withPhone.constituentId], channel: 'sms' });
    assert.equal(noKey.status, 401);
  });

  test('invitations need the admin key; the QR code is public SVG', async () => {
    const r = await api.post(`v1/orgs/${ORG}/admin/invitations`, { constituentIds: [], channel: 'email' });
    assert.equal(r.status, 401);
    const info = await api.get(`v1/orgs/${ORG}/admin/portal`, admin());
    assert.equal(info.status, 200);
    const portal = AdminPortalInfo.parse(info.body);
    assert.equal(portal.qrCodeUrl, `${server.url}/v1/orgs/${ORG}/portal/qr.svg`);
    assert.equal(portal.qrCodePngUrl, `${server.url}/v1/orgs/${ORG}/portal/qr.png`);
    assert.deepEqual(portal.mergeFields, ['firstName', 'lastName', 'companyName', 'email', 'portalUrl', 'qrCodeUrl', 'orgName']);
    assert.match(portal.invitationDefaults.email, /^Hello \{\{firstName\}\},/, 'the default texts staff see are the ones sent');
    assert.match(portal.invitationDefaults.sms, /\{\{portalUrl\}\}/);
    const qr = await fetch(`${server.url}/v1/orgs/${ORG}/portal/qr.svg`);
    assert.equal(qr.status, 200);
    assert.equal(qr.headers.get('content-type'), 'image/svg+xml');
    assert.match(await qr.text(), /^<svg/);
  });
});

describe('OpenAPI', () => {
  test('GET /v1/openapi.json describes every contract path', async () => {
    const r = await api.get('v1/openapi.json');
    assert.equal(r.status, 200);
    const doc = r.body as { openapi: string; paths: Record<string, unknown>; components: { schemas: Record<string, unknown> } };
    assert.equal(doc.openapi, '3.1.0');
    for (const p of [
      paths.portal,
      paths.signup,
      paths.signupResend,
      paths.signupComplete,
      paths.sessions,
      paths.sessionsRefresh,
      paths.sessionsCurrent,
      paths.me,
      paths.passwordReset,
      paths.passwordResetComplete,
    ]) {
      assert.ok(doc.paths[`/${p('{org}')}`], p('{org}'));
    }
    assert.ok(doc.components.schemas.AuthResult);
    assert.ok(doc.components.schemas.SignupRequest);
    assert.ok(doc.paths['/v1/orgs/{org}/admin/invitations/preview'], 'admin routes are described too');
    assert.ok(doc.components.schemas.InvitationPreview);
  });
});
