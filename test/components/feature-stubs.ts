// Take a browser feature away (or make it refuse) for one test file, to test the elements'
// fallbacks in every engine, whether or not that engine has the feature (issue 13).

/** The error Firefox throws for storage, BroadcastChannel and Web Locks when site data is blocked. */
export const refused = (): DOMException => new DOMException('The operation is insecure.', 'SecurityError');

/** Redefines `name` on `target`; returns a function that puts the original back. */
export function override(target: object, name: string, descriptor: PropertyDescriptor): () => void {
  const own = Object.getOwnPropertyDescriptor(target, name);
  Object.defineProperty(target, name, { configurable: true, ...descriptor });
  return () => {
    if (own) Object.defineProperty(target, name, own);
    else delete (target as Record<string, unknown>)[name];
  };
}
