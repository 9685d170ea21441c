/**
 * Web Locks for the session store's refresh (DESIGN §4), apart from storage.ts so that only the
 * lazily loaded flows (flows.ts) carry it: a signed-out page never takes a lock.
 */
/**
 * Runs `task` holding the Web Lock `name`, so tabs take turns; where Web Locks are missing or refused
 * (Firefox rejects `request` with `SecurityError` when site data is blocked), runs it without one.
 * The task runs once either way: a failure of the task itself is not retried.
 */
export async function withWebLock<T>(name: string, task: () => Promise<T>): Promise<T> {
  let locks: LockManager | undefined;
  try {
    locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  } catch {
    locks = undefined;
  }
  if (!locks || typeof locks.request !== 'function') return task();
  let started = false;
  try {
    return (await locks.request(name, () => {
      started = true;
      return task();
    })) as T;
  } catch (error) {
    if (started) throw error;
    return task();
  }
}
