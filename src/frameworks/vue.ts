/**
 * Vue 3 typings for the elements in templates (`<portal-login org="…" @portal-signed-in="onSignedIn">`):
 * `GlobalComponents` entries, so vue-tsc checks attributes, properties and `@portal-…` listeners.
 * The shape follows Vue's guide for typing custom elements. Derived from src/elements.ts; imported (for
 * its types only) by the package's main entry.
 */
import type { AllowedComponentProps, ComponentCustomProps, EmitFn, VNodeProps } from 'vue';
import type { EventsOf, PortalElements, PortalTagName, PropsOf } from '../elements.js';

type VueEmit<T extends Record<string, Event>> = EmitFn<{ [K in keyof T]: (event: T[K]) => void }>;

/** A Vue component type for element `T`: its props, attributes and typed emits. */
export type PortalVueElement<T extends PortalTagName> = new () => PortalElements[T]['element'] & {
  $props: PropsOf<T> & PortalElements[T]['attributes'] & VNodeProps & AllowedComponentProps & ComponentCustomProps;
  $emit: VueEmit<EventsOf<T>>;
};

declare module 'vue' {
  interface GlobalComponents {
    'portal-provider': PortalVueElement<'portal-provider'>;
    'portal-login': PortalVueElement<'portal-login'>;
    'portal-signup': PortalVueElement<'portal-signup'>;
    'portal-qr': PortalVueElement<'portal-qr'>;
    'purchaser-autofill': PortalVueElement<'purchaser-autofill'>;
  }
}
