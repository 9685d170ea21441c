/**
 * React 19 typings for the elements used as tags (`<portal-login onportal-signed-in={(e) => …}>`):
 * React 19 sets a known property (`translations`, `withoutCard`) as a property, anything else as an
 * attribute, and `on<event-name>` props as listeners of that exact event. Derived from src/elements.ts.
 * Imported (for its types only) by the package's main entry, so no consumer declaration is needed.
 */
import type { DetailedHTMLProps, HTMLAttributes } from 'react';
import type { EventsOf, PortalElements, PortalTagName, PropsOf } from '../elements.js';

/** `onportal-signed-in`-style listener props of element `T` (React 19 native custom-element events). */
export type ReactEventProps<T extends PortalTagName> = {
  [E in keyof EventsOf<T> & string as `on${E}`]?: (event: EventsOf<T>[E]) => void;
};

/** Everything a TSX tag of element `T` accepts. */
export type PortalJsxProps<T extends PortalTagName> = DetailedHTMLProps<HTMLAttributes<PortalElements[T]['element']>, PortalElements[T]['element']> &
  PropsOf<T> &
  PortalElements[T]['attributes'] &
  ReactEventProps<T>;

declare module 'react' {
  namespace JSX {
    interface IntrinsicElements {
      'portal-provider': PortalJsxProps<'portal-provider'>;
      'portal-login': PortalJsxProps<'portal-login'>;
      'portal-signup': PortalJsxProps<'portal-signup'>;
      'portal-qr': PortalJsxProps<'portal-qr'>;
      'purchaser-autofill': PortalJsxProps<'purchaser-autofill'>;
    }
  }
}
