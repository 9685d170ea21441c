/**
 * `portal-widgets/react`: React components for the five elements, made with `@lit/react`, with typed
 * `onPortal…` event props (`<PortalLogin onPortalSignedIn={(e) => e.detail.profile}>`). Importing this
 * module defines every element (sign-up and QR included). The event props come from the one table of
 * events in src/elements.ts. React 19 can also use the tags directly (`<portal-login>`), typed by the
 * main entry.
 */
import { createComponent, type EventName, type ReactWebComponent } from '@lit/react';
import * as React from 'react';
import '../index.js';
import '../components/signup/signup.js';
import '../components/qr/qr.js';
import PortalLoginElement from '../components/login/login.component.js';
import PortalProviderElement from '../components/provider/provider.component.js';
import PurchaserAutofillElement from '../components/purchaser-autofill/purchaser-autofill.component.js';
import PortalQrElement from '../components/qr/qr.component.js';
import PortalSignupElement from '../components/signup/signup.component.js';
import { ELEMENT_EVENTS, type EventsOf, type PascalCase, type PortalTagName } from '../elements.js';

/** `{ onPortalSignedIn: 'portal-signed-in' }` for the events of element `T`, typed for @lit/react. */
export type ReactEvents<T extends PortalTagName> = {
  [E in keyof EventsOf<T> & string as `on${PascalCase<E>}`]: EventName<EventsOf<T>[E]>;
};

const pascal = (name: string) => name.replace(/(^|-)([a-z])/g, (_m, _dash: string, c: string) => c.toUpperCase());

function eventsOf<T extends PortalTagName>(tag: T): ReactEvents<T> {
  const events: Record<string, string> = {};
  for (const name of ELEMENT_EVENTS[tag] as readonly string[]) events[`on${pascal(name)}`] = name;
  return events as ReactEvents<T>;
}

function wrap<T extends PortalTagName, I extends HTMLElement>(tagName: T, elementClass: new () => I): ReactWebComponent<I, ReactEvents<T>> {
  return createComponent({ react: React, tagName, elementClass, events: eventsOf(tagName) });
}

export const PortalProvider = wrap('portal-provider', PortalProviderElement);
export const PortalLogin = wrap('portal-login', PortalLoginElement);
export const PortalSignup = wrap('portal-signup', PortalSignupElement);
export const PortalQr = wrap('portal-qr', PortalQrElement);
export const PurchaserAutofill = wrap('purchaser-autofill', PurchaserAutofillElement);
