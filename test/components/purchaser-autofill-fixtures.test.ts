/**
 * <purchaser-autofill> against purchaser forms modelled on real tools' markup. The session is a
 * test double (FakeSession: a real EventTarget with a profile snapshot) provided through the real
 * portalContext: the field mapping is under test here, not the server.
 */
import { expect, oneEvent } from '@open-wc/testing';
import type { PortalAutofillEvent } from '../../src/events/autofill.js';
import * as fixtures from '../fixtures/purchaser-forms/index.js';
import { makeProfile, mount, unmountAll, valuesOf } from '../fixtures/purchaser-forms/harness.js';

const list = Object.values(fixtures) as fixtures.PurchaserFormFixture[];

describe('<purchaser-autofill> fixtures', () => {
  afterEach(() => unmountAll());

  for (const fixture of list) {
    it(`fills: ${fixture.title}`, async () => {
      const { autofill, session } = await mount(fixture.markup);
      const a11y = { ignoredRules: [...(fixture.a11yIgnoredRules ?? [])] };
      await expect(autofill).to.be.accessible(a11y);
      const before = valuesOf(autofill);
      const done = oneEvent(autofill, 'portal-autofill');
      session.signIn(makeProfile(fixture.profile));
      const { detail } = (await done) as PortalAutofillEvent;
      await autofill.updateComplete;

      expect(valuesOf(autofill)).to.deep.equal(fixture.expected);
      // Exactly the fields that changed are marked, and reported as filled.
      const changed = Object.keys(fixture.expected).filter((name) => fixture.expected[name] !== before[name]);
      const marked = Array.from(autofill.querySelectorAll('[data-portal-filled]')).map((el) => el.getAttribute('name') || el.id);
      expect(marked.sort()).to.deep.equal([...changed].sort());
      expect(detail.filled.map((f) => f.name).sort()).to.deep.equal([...changed].sort());
      await expect(autofill).to.be.accessible(a11y);
    });
  }
});
