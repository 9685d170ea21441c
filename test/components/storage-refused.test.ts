// Storage refused, made to happen in whichever engine runs this file (issue 13): the storage getters
// throw SecurityError as Firefox's do with cookies blocked, BroadcastChannel's constructor throws,
// and Web Locks reject — then the page must still render, sign in and say why.
// The same checks run in real blocked-storage browsers in blocked/storage.test.ts.
import { expect } from '@open-wc/testing';
import { override, refused } from './feature-stubs.js';
import { spyWarnings, storageRefusedChecks } from './storage-refused-checks.js';

describe('storage refused (page-level: storage, BroadcastChannel and Web Locks throw)', () => {
  const restores: Array<() => void> = [];
  const spy = spyWarnings();

  before(() => {
    const RealChannel = BroadcastChannel;
    restores.push(
      override(window, 'localStorage', {
        get: () => {
          throw refused();
        },
      }),
      override(window, 'sessionStorage', {
        get: () => {
          throw refused();
        },
      }),
      override(window, 'BroadcastChannel', {
        writable: true,
        value: class extends RealChannel {
          constructor(name: string) {
            super(name);
            throw refused();
          }
        },
      }),
      override(navigator, 'locks', { get: () => ({ request: () => Promise.reject(refused()), query: () => Promise.reject(refused()) }) }),
    );
  });

  after(() => {
    for (const restore of restores.reverse()) restore();
    spy.restore();
  });

  it('the page really refuses storage here', () => {
    expect(() => window.localStorage).to.throw();
    expect(() => new BroadcastChannel('x')).to.throw();
  });

  storageRefusedChecks(spy.warnings);
});
