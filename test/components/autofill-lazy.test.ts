/**
 * The autofill engine is not part of the first load (DESIGN §8): `<purchaser-autofill>` registers and
 * watches the session without it, fetches it together with the API client when someone starts to
 * sign in, so "Sign in" click → filled form stays one API round trip.
 */
import { expect, fixture, html, oneEvent } from '@open-wc/testing';
import '../../src/components/login/login.js';
import '../../src/components/provider/provider.js';
import '../../src/components/purchaser-autofill/purchaser-autofill.js';
import type PortalLogin from '../../src/components/login/login.component.js';
import { apiBase, clearStorage, createPerson, ORG, submit, type, uniqueEmail, waitUntil } from './helpers.js';

const PASSWORD = 'correct horse battery staple';
const loaded = (part: RegExp) =>
  (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter((e) => part.test(new URL(e.name).pathname));

describe('<purchaser-autofill> loads its engine lazily', () => {
  beforeEach(() => clearStorage());
  afterEach(() => clearStorage());

  it('registers without the engine, loads it with the API client, and fills after one sign-in request', async () => {
    const email = uniqueEmail('lazy');
    await createPerson({ firstName: 'Lea', lastName: 'Lazy', email, password: PASSWORD });
    const engine = /purchaser-autofill\/(form-filler|field-map|places)\./;
    expect(loaded(engine), 'engine not loaded by the element modules').to.deep.equal([]);

    const provider = await fixture(html`<portal-provider api=${apiBase()} org=${ORG}>
      <portal-login></portal-login>
      <purchaser-autofill><form><label for="lz-email">Email</label><input id="lz-email" name="email" autocomplete="email"></form></purchaser-autofill>
    </portal-provider>`);
    const login = provider.querySelector<PortalLogin>('portal-login')!;
    await waitUntil(() => login.querySelector('input[name=password]'), 'sign-in form');
    expect(customElements.get('purchaser-autofill')).to.exist;
    expect(loaded(engine), 'signed out: no engine').to.deep.equal([]);

    // Focusing the form starts the API client, and the engine with it.
    login.querySelector<HTMLInputElement>('input[name=email]')!.focus();
    await waitUntil(() => loaded(/purchaser-autofill\/form-filler\./).length === 1, 'engine requested with the client');
    type(login, 'input[name=email]', email);
    type(login, 'input[name=password]', PASSWORD);
    const filled = oneEvent(provider.querySelector('purchaser-autofill')!, 'portal-autofill');
    // Typing sent the login's warm-up (an inert OPTIONS to the same URL); count what the click adds.
    // By count, not by start time: Firefox coarsens performance.now(), and typing and clicking share a millisecond.
    await waitUntil(() => loaded(/\/sessions$/).length === 1, 'the warm-up answered', { timeout: 5000 });
    submit(login);
    await filled;
    expect(provider.querySelector<HTMLInputElement>('#lz-email')!.value).to.equal(email);
    const signIns = loaded(/\/sessions$/).slice(1);
    expect(signIns, 'one API round trip').to.have.length(1);
    // The engine was already here when the sign-in answered.
    expect(loaded(/purchaser-autofill\/form-filler\./)[0]!.responseEnd).to.be.below(signIns[0]!.responseEnd);
    await expect(provider.querySelector('purchaser-autofill')).to.be.accessible();
    await login.session!.signOut();
  });
});
