/**
 * A signed-out page shows its sign-in form in the first frame (issue 15): with nothing stored and no
 * emailed token in the URL, the session store settles "signed out" at construction, so the login's
 * first render is the form (never a "Loading…" frame first), and no Web Lock is taken (the lock is
 * only for refreshing a stored session). Nothing here waits for a timer or the network.
 */
import { expect, fixture, html } from '@open-wc/testing';
import '../../src/components/login/login.js';
import '../../src/components/provider/provider.js';
import type PortalLogin from '../../src/components/login/login.component.js';
import { SessionStore } from '../../src/session/store.js';
import { ORG, apiBase, clearStorage } from './helpers.js';

/** Counts Web Lock requests made while `run` and the tasks after it run. */
async function lockRequests(run: () => Promise<void>): Promise<string[]> {
  const names: string[] = [];
  const locks = navigator.locks as LockManager & { request: LockManager['request'] };
  const original = locks.request;
  locks.request = function (this: LockManager, name: string, ...rest: unknown[]) {
    names.push(name);
    return (original as (...args: unknown[]) => Promise<unknown>).call(this, name, ...rest);
  } as LockManager['request'];
  try {
    await run();
    // Let anything the elements scheduled (a restore, a lock grant) happen.
    await new Promise((r) => setTimeout(r, 50));
  } finally {
    delete (locks as { request?: unknown }).request;
    if (locks.request !== original) locks.request = original;
  }
  return names;
}

/** What the element's light DOM shows right now. */
const shows = (login: PortalLogin) => ({
  email: login.querySelector('input[name=email][autocomplete=username]') !== null,
  password: login.querySelector('input[name=password][autocomplete=current-password]') !== null,
  loading: login.querySelector('[role=status]')?.textContent?.includes('Loading') ?? false,
});

describe('<portal-login> first frame, signed out', () => {
  beforeEach(() => clearStorage());
  afterEach(() => clearStorage());

  it('inside a provider: the first update already renders the sign-in form, and no Web Lock is taken', async () => {
    let login!: PortalLogin;
    const locks = await lockRequests(async () => {
      const provider = await fixture(html`<portal-provider api=${apiBase()} org=${ORG}><portal-login></portal-login></portal-provider>`);
      login = provider.querySelector<PortalLogin>('portal-login')!;
      await login.updateComplete;
      expect(shows(login), 'after the first update').to.deep.equal({ email: true, password: true, loading: false });
      expect(login.session?.snapshot.status).to.equal('signed-out');
    });
    expect(locks, 'Web Locks requested').to.deep.equal([]);
    expect(shows(login)).to.deep.equal({ email: true, password: true, loading: false });
  });

  it('with its own api and org: the form in the first update too', async () => {
    const locks = await lockRequests(async () => {
      const login = await fixture<PortalLogin>(html`<portal-login api=${apiBase()} org=${ORG}></portal-login>`);
      await login.updateComplete;
      expect(shows(login)).to.deep.equal({ email: true, password: true, loading: false });
    });
    expect(locks).to.deep.equal([]);
  });

  it('the store is signed out at construction when nothing is stored, and unknown until restored when something is', async () => {
    const empty = new SessionStore(apiBase(), ORG);
    expect(empty.snapshot.status).to.equal('signed-out');
    empty.dispose();
    sessionStorage.setItem(`portal-widgets:${apiBase()}|${ORG}`, 'not-a-real-token');
    const stored = new SessionStore(apiBase(), ORG);
    expect(stored.snapshot.status, 'a stored session is checked with the server first').to.equal('unknown');
    const locks = await lockRequests(() => stored.restore());
    expect(locks, 'the refresh takes the lock').to.have.length(1);
    expect(stored.snapshot.status).to.equal('signed-out');
    stored.dispose();
  });
});
