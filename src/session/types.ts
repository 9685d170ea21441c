import type { MatchOutcome, Profile } from '../api/contract.js';

/** `unknown` until the store has tried to restore a session on load. */
export type SessionStatus = 'unknown' | 'signed-out' | 'signed-in';

export interface SessionSnapshot {
  readonly status: SessionStatus;
  /** The signed-in person's profile, when `status` is `signed-in`. */
  readonly profile?: Profile;
  /** Set once, right after a sign-up confirmation, so elements can greet kindly. */
  readonly outcome?: MatchOutcome;
}

/**
 * What every element may rely on from the session store (implemented in `store.ts`). The store is an
 * EventTarget that dispatches a plain `change` event (not composed, not bubbling) after every snapshot
 * change; read `snapshot` then.
 */
export interface SessionStoreLike extends EventTarget {
  readonly snapshot: SessionSnapshot;
  /** Ends the session on the server and in every tab; resolves once local state is cleared. */
  signOut(): Promise<void>;
}
