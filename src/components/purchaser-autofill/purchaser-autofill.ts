import PurchaserAutofill from './purchaser-autofill.component.js';

export * from './purchaser-autofill.component.js';
export default PurchaserAutofill;

PurchaserAutofill.define('purchaser-autofill');

declare global {
  interface HTMLElementTagNameMap {
    'purchaser-autofill': PurchaserAutofill;
  }
}
