/**
 * <purchaser-autofill> against purchaser forms modelled on real tools' markup (the source of each
 * is in its module). The session is a test double (FakeSession: a real EventTarget with a profile
 * snapshot) provided through the real portalContext: the field mapping is under test here, not the
 * server. Each fixture states every control's value after sign-in, the fields marked and reported
 * filled, and (newer ones) exactly what the reports say was left alone and why.
 */
import { expect } from '@open-wc/testing';
import type { PortalAutofillDetail, PortalAutofillEvent } from '../../src/events/autofill.js';
import * as fixtures from '../fixtures/purchaser-forms/index.js';
import { filledNames, makeProfile, mount, unmountAll, valuesOf } from '../fixtures/purchaser-forms/harness.js';

const list = Object.values(fixtures) as fixtures.PurchaserFormFixture[];
const KEY = `portal-autofill-as:${location.pathname}`;

/** Resolves with every report until the form holds `expected` (a page may rebuild a region list meanwhile). */
async function settle(autofill: HTMLElement, reports: PortalAutofillDetail[], expected: Record<string, string>): Promise<void> {
  // Event-driven: each report is a chance to be done; a region wait ends in a report too (the
  // engine bounds it at 1.5 s). The cap only stops a wrong fill from hanging the suite.
  for (let i = 0; i < 10; i++) {
    if (reports.length > 0 && JSON.stringify(valuesOf(autofill)) === JSON.stringify(expected)) return;
    const next = await Promise.race([
      new Promise<boolean>((resolve) => autofill.addEventListener('portal-autofill', () => resolve(true), { once: true })),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 2500)),
    ]);
    if (!next) return;
  }
}

describe('<purchaser-autofill> fixtures', () => {
  afterEach(() => {
    unmountAll();
    sessionStorage.removeItem(KEY);
  });

  for (const fixture of list) {
    it(`fills: ${fixture.title}`, async () => {
      if (fixture.fillAs) sessionStorage.setItem(KEY, fixture.fillAs);
      const { autofill, session } = await mount(fixture.markup);
      const a11y = { ignoredRules: [...(fixture.a11yIgnoredRules ?? [])] };
      await expect(autofill).to.be.accessible(a11y);
      fixture.behaviour?.(autofill);
      const before = valuesOf(autofill);
      const reports: PortalAutofillDetail[] = [];
      autofill.addEventListener('portal-autofill', (e) => reports.push((e as PortalAutofillEvent).detail));
      session.signIn(makeProfile(fixture.profile));
      await settle(autofill, reports, { ...fixture.expected });
      await autofill.updateComplete;

      expect(valuesOf(autofill)).to.deep.equal(fixture.expected);
      // Exactly the fields that changed are marked, and reported as filled.
      const changed = Object.keys(fixture.expected).filter((name) => fixture.expected[name] !== before[name]);
      const marked = filledNames(autofill);
      expect(marked.sort()).to.deep.equal([...changed].sort());
      expect(reports.flatMap((r) => r.filled.map((f) => f.name)).sort()).to.deep.equal([...changed].sort());
      if (fixture.skipped) {
        const skipped = Object.fromEntries(reports.flatMap((r) => r.skipped.map((s) => [s.name, s.reason])));
        expect(skipped).to.deep.equal(fixture.skipped);
      }
      await expect(autofill).to.be.accessible(a11y);
    });
  }
});
