/**
 * Defines the lazily loaded elements (`<portal-signup>`, `<portal-qr>`) the first time their tag
 * appears in the document, so a page that never shows them never downloads them (DESIGN §8).
 */
const loaders: Record<string, () => Promise<unknown>> = {
  // Define explicitly: bundlers may drop a define file's top-level call under "sideEffects".
  'portal-signup': () => import('../components/signup/signup.js').then((m) => m.default.define('portal-signup')),
  'portal-qr': () => import('../components/qr/qr.js').then((m) => m.default.define('portal-qr')),
};

function scan(root: ParentNode): void {
  for (const tag of Object.keys(loaders)) {
    if (!customElements.get(tag) && root.querySelector(tag)) {
      const load = loaders[tag]!;
      delete loaders[tag];
      void load();
    }
  }
}

let observer: MutationObserver | undefined;

/** Starts watching the document for lazily loaded tags. Idempotent. */
export function startAutoloader(root: Document = document): void {
  if (observer || typeof MutationObserver === 'undefined') return;
  scan(root);
  observer = new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node instanceof Element) {
          const tag = node.localName;
          if (tag in loaders) scan(node.parentNode ?? root);
          else if (node.firstElementChild) scan(node);
        }
      }
    }
    if (Object.keys(loaders).length === 0) observer?.disconnect();
  });
  observer.observe(root.documentElement, { childList: true, subtree: true });
}
