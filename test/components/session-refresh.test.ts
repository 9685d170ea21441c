/**
 * Silent refresh: an access token the server no longer accepts costs one refresh and a retry, and
 * concurrent callers (in one tab, or tabs sharing one refresh token through Web Locks) never race.
 * Real API; a counting fetch records what went over the wire.
 */
import { expect } from '@open-wc/testing';
import ky from 'ky';
import { SessionStore } from '../../src/session/store.js';
import { ORG, apiBase, clearStorage, createPerson, uniqueEmail } from './helpers.js';

const PASSWORD = 'correct horse battery staple';

interface Sent {
  method: string;
  path: string;
  status?: number;
  refreshToken?: string;
  start: number;
  end?: number;
}

function countingKy(log: Sent[]) {
  const counting: typeof fetch = async (input, init) => {
    const request = input instanceof Request ? input : new Request(input, init);
    const entry: Sent = { method: request.method, path: new URL(request.url).pathname.replace(/^.*\/v1\/orgs\/[^/]+/, ''), start: performance.now() };
    if (entry.path === '/sessions/refresh') entry.refreshToken = ((await request.clone().json()) as { refreshToken: string }).refreshToken;
    log.push(entry);
    const response = await fetch(request);
    entry.status = response.status;
    entry.end = performance.now();
    return response;
  };
  return ky.create({ prefixUrl: apiBase(), timeout: 10_000, retry: 0, fetch: counting });
}

describe('silent refresh', () => {
  const stores: SessionStore[] = [];
  const make = (log: Sent[]) => {
    const store = new SessionStore(apiBase(), ORG, { ky: countingKy(log) });
    stores.push(store);
    return store;
  };
  let email = '';
  beforeEach(async () => {
    clearStorage();
    email = uniqueEmail('refresh');
    await createPerson({ firstName: 'Rey', lastName: 'Fresh', email, password: PASSWORD });
  });
  afterEach(() => {
    stores.splice(0).forEach((s) => s.dispose());
    clearStorage();
  });

  it('a 401 on an authenticated call refreshes once and retries; the retried request succeeds', async () => {
    const log: Sent[] = [];
    const store = make(log);
    await store.signIn(email, PASSWORD, false);
    // The server no longer accepts the access token the store holds (as when it has expired).
    (store as unknown as { accessToken: string }).accessToken = 'expired-access-token';
    log.length = 0;
    const profile = await (await store.api()).me();
    expect(profile.email).to.equal(email);
    expect(log.map((s) => `${s.method} ${s.path} ${s.status}`)).to.deep.equal(['GET /me 401', 'POST /sessions/refresh 200', 'GET /me 200']);
    expect(store.snapshot.status).to.equal('signed-in');
  });

  it('an expired access token is refreshed before use: two concurrent callers share one refresh', async () => {
    const log: Sent[] = [];
    const store = make(log);
    await store.signIn(email, PASSWORD, false);
    (store as unknown as { accessExpiresAt: number }).accessExpiresAt = 0;
    log.length = 0;
    const api = await store.api();
    const [a, b] = await Promise.all([api.me(), api.me()]);
    expect(a.email).to.equal(email);
    expect(b.email).to.equal(email);
    expect(log.filter((s) => s.path === '/sessions/refresh')).to.have.length(1);
    expect(log.filter((s) => s.path === '/me').map((s) => s.status)).to.deep.equal([200, 200]);
  });

  it('two tabs refreshing at once take turns through Web Locks: each uses the token the other rotated', async () => {
    const log: Sent[] = [];
    await make([]).signIn(email, PASSWORD, true);
    const [tabA, tabB] = [make(log), make(log)];
    await Promise.all([tabA.restore(), tabB.restore()]);
    expect(tabA.snapshot.status).to.equal('signed-in');
    expect(tabB.snapshot.status).to.equal('signed-in');
    const refreshes = log.filter((s) => s.path === '/sessions/refresh');
    expect(refreshes.map((s) => s.status)).to.deep.equal([200, 200]);
    // Serialised: the second starts after the first answered, with the token the first one received.
    expect(refreshes[1]!.start).to.be.at.least(refreshes[0]!.end!);
    expect(refreshes[1]!.refreshToken).not.to.equal(refreshes[0]!.refreshToken);
    // Nothing was revoked by a reused token: a third tab still restores.
    const later = make([]);
    await later.restore();
    expect(later.snapshot.status).to.equal('signed-in');
  });

  it('signing out while a refresh is on its way stays signed out when the refresh answers', async () => {
    // The refresh's answer reaches the page only after the person clicked "Sign out".
    const slow: typeof fetch = async (input, init) => {
      const response = await fetch(input, init);
      if (new URL(input instanceof Request ? input.url : String(input)).pathname.endsWith('/sessions/refresh')) {
        await new Promise((r) => setTimeout(r, 400));
      }
      return response;
    };
    const store = new SessionStore(apiBase(), ORG, { ky: ky.create({ prefixUrl: apiBase(), timeout: 10_000, retry: 0, fetch: slow }) });
    stores.push(store);
    await store.signIn(email, PASSWORD, true);
    const flows = (store as unknown as { flowsLoaded: { refresh(onUse: boolean): Promise<boolean> } }).flowsLoaded;
    const refreshing = flows.refresh(false);
    await new Promise((r) => setTimeout(r, 50));
    await store.signOut();
    expect(store.snapshot.status).to.equal('signed-out');
    await refreshing;
    expect(store.snapshot.status, 'the late refresh answer does not sign the person back in').to.equal('signed-out');
    expect(store.storedRefreshToken(), 'nor store its token').to.equal(null);
  });
});
