import { expect } from '@open-wc/testing';
import { SessionStore } from '../../src/session/store.js';
import { apiBase, clearStorage, createPerson, ORG, uniqueEmail, waitUntil } from './helpers.js';

const PASSWORD = 'correct horse battery staple';

async function person(): Promise<string> {
  const email = uniqueEmail('session');
  await createPerson({ firstName: 'Sam', lastName: 'Tab', email, password: PASSWORD });
  return email;
}

describe('SessionStore', () => {
  const stores: SessionStore[] = [];
  const make = () => {
    const store = new SessionStore(apiBase(), ORG);
    stores.push(store);
    return store;
  };
  beforeEach(() => clearStorage());
  afterEach(() => {
    stores.splice(0).forEach((s) => s.dispose());
    clearStorage();
  });

  it('keeps the refresh token in sessionStorage, or localStorage when remembered, never the access token', async () => {
    const email = await person();
    const a = make();
    await a.signIn(email, PASSWORD, false);
    const keys = (s: Storage) => Object.keys(s).filter((k) => k.startsWith('portal-widgets:'));
    expect(keys(sessionStorage)).to.have.length(1);
    expect(keys(localStorage)).to.have.length(0);
    await a.signOut();
    await a.signIn(email, PASSWORD, true);
    expect(keys(sessionStorage)).to.have.length(0);
    expect(keys(localStorage)).to.have.length(1);
    const stored = [...keys(localStorage).map((k) => localStorage.getItem(k))].join();
    expect(stored).not.to.contain('.'); // opaque refresh token, not a signed access token
  });

  it('restores the session on load with one refresh (profile included)', async () => {
    const email = await person();
    await make().signIn(email, PASSWORD, false);
    const b = make();
    expect(b.snapshot.status).to.equal('unknown');
    await b.restore();
    expect(b.snapshot.status).to.equal('signed-in');
    expect(b.snapshot.profile?.email).to.equal(email);
  });

  it('restores as signed out without a stored token', async () => {
    const a = make();
    await a.restore();
    expect(a.snapshot.status).to.equal('signed-out');
  });

  it('takes turns refreshing through Web Locks, so tabs never race one refresh token', async () => {
    const email = await person();
    await make().signIn(email, PASSWORD, true);
    const tabs = [make(), make(), make()];
    await Promise.all(tabs.map((t) => t.restore()));
    for (const t of tabs) expect(t.snapshot.status).to.equal('signed-in');
    const later = make();
    await later.restore();
    expect(later.snapshot.status, 'session not revoked by a reused token').to.equal('signed-in');
  });

  it('signs out every tab when one signs out', async () => {
    const email = await person();
    const a = make();
    await a.signIn(email, PASSWORD, true);
    const b = make();
    await b.restore();
    expect(b.snapshot.status).to.equal('signed-in');
    await a.signOut();
    await waitUntil(() => b.snapshot.status === 'signed-out', 'other tab signed out');
    const c = make();
    await c.restore();
    expect(c.snapshot.status).to.equal('signed-out');
  });

  it('reads and strips the emailed token from the URL fragment, and exchanges it at once', async () => {
    history.replaceState(null, '', `${location.pathname}${location.search}#portal-token=abcdefghijklmnopqrstuvwxyz&portal-flow=reset`);
    const a = make();
    expect(location.hash).to.equal('');
    expect(a.exchangingToken).to.equal(true);
    await waitUntil(() => !a.exchangingToken, 'exchanged');
    // The server does not know this token: the link cannot be used, and the step will say so.
    expect(a.pendingToken).to.deep.equal({ token: '', flow: 'reset', email: '', failure: 'token_invalid' });
    expect(a.takePendingToken()?.flow).to.equal('reset');
    expect(a.pendingToken).to.be.undefined;
  });
});
