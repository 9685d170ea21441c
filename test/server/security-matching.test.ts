/**
 * Issue 9, items 10 and 15: a company sign-up links to the primary contact's personal record only
 * when the contact named is that person; names match after NFKC, full case folding (ß/SS, Turkish
 * İ/ı) and apostrophe folding; invisible fillers are invalid_characters everywhere a name goes in.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { paths } from '../../src/api/contract.ts';
import { ORG, authResult, errorFields, uniqueEmail, serverForFile } from './helpers.ts';

const { api } = await serverForFile();

async function fixture(firstName: string, lastName: string, email = uniqueEmail('match')): Promise<{ id: string; email: string }> {
  const r = await api.post(`dev/orgs/${ORG}/fixtures`, { firstName, lastName, email });
  assert.equal(r.status, 201, r.text);
  return { id: (r.body as { constituentId: string }).constituentId, email };
}

async function confirm(body: Record<string, unknown>) {
  const s = await api.signup(body);
  assert.equal(s.status, 202, s.text);
  return authResult(await api.complete(await api.latestToken(String(body.email))));
}

describe('company sign-up and the primary contact (item 10)', () => {
  test('a stranger naming the company with its shared email gets the company record, not the contact’s own', async () => {
    // Seed: Harbor Lights Design shares jane@harborlights.example with its primary contact Jane Doe.
    const done = await confirm({
      kind: 'company',
      companyName: 'Harbor Lights Design',
      firstName: 'Mallory',
      lastName: 'Intruder',
      email: 'jane@harborlights.example',
    });
    assert.equal(done.outcome, 'linked');
    assert.equal(done.profile.constituent.kind, 'company', 'not Jane’s personal record');
    assert.equal(done.profile.constituent.companyName, 'Harbor Lights Design');
  });
});

describe('name matching folds case and punctuation (item 15)', () => {
  for (const [stored, typed] of [
    [
      ['Jürgen', 'Strauß'],
      ['JÜRGEN', 'STRAUSS'],
    ],
    [
      ['Işıl', 'Yıldız'],
      ['IŞIL', 'YILDIZ'],
    ],
    [
      ['İpek', 'Şahin'],
      ['ipek', 'şahin'],
    ],
    [
      ['Seán', 'O’Brien'],
      ['Seán', "O'Brien"],
    ],
    [
      ['Anne-Marie', 'Smith‐Jones'],
      ['anne–marie', 'smith-jones'],
    ],
    [
      ['Ｍaria', 'Ｇarcia'],
      ['Maria', 'Garcia'],
    ],
  ] as const) {
    test(`${stored.join(' ')} is found as ${typed.join(' ')}`, async () => {
      const record = await fixture(stored[0], stored[1]);
      const done = await confirm({ firstName: typed[0], lastName: typed[1], email: record.email });
      assert.equal(done.outcome, 'linked');
      assert.equal(done.profile.constituent.id, record.id);
    });
  }

  test('a different name is still a possible duplicate, not a link', async () => {
    const record = await fixture('José', 'Núñez');
    const done = await confirm({ firstName: 'Jose', lastName: 'Nunez', email: record.email });
    assert.equal(done.outcome, 'created_possible_duplicate');
  });
});

describe('invisible fillers are refused in every name field (item 15)', () => {
  const fillers = ['\u3164', '\u115f', '\u1160', '\u2800', '\uffa0', '\u200b', '\u034f'];

  test('sign-up: first, last and company name', async () => {
    for (const f of fillers) {
      for (const field of ['firstName', 'lastName', 'companyName'] as const) {
        const body = {
          kind: 'company',
          firstName: 'Ann',
          lastName: 'Lee',
          companyName: 'Acme',
          email: uniqueEmail('filler'),
          [field]: field === 'companyName' ? `Ac${f}me` : f,
        };
        const r = await api.signup(body);
        assert.equal(r.status, 400, `${field} ${JSON.stringify(f)}`);
        assert.equal(errorFields(r)?.[field], 'invalid_characters', `${field} ${JSON.stringify(f)}`);
      }
    }
  });

  test('PATCH /me names', async () => {
    const { result } = await api.newAccount();
    for (const f of fillers) {
      const r = await api.request('PATCH', paths.me(ORG), { json: { firstName: `${f}${f}` }, headers: api.bearer(result.session.accessToken) });
      assert.equal(r.status, 400, JSON.stringify(f));
      assert.equal(errorFields(r)?.firstName, 'invalid_characters');
    }
  });
});
