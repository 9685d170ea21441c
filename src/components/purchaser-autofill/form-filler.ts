import { PortalAutofillEvent, type AutofillSkipReason } from '../../events/autofill.js';
import { PortalAutofillRequestEvent, type AutofillPlanEntry } from '../../events/autofill-request.js';
import {
  byDocumentOrder,
  classifyControl,
  matchOption,
  planValues,
  resolveLines,
  type FieldClassification,
  type FillableControl,
  type PortalField,
  type ProfileValues,
} from './field-map.js';
import { isTrap, judge, reachable } from './judge.js';

import { FILLED_ATTRIBUTE } from './filled-attribute.js';

export { profileValues } from './field-map.js';

interface FilledRecord {
  /** What the element set. */
  readonly value: string;
  /** What the control held before, restored on sign-out. */
  readonly previous: string;
}

/** Where to look for controls: the elements to scan, and the node to watch for late-rendered forms. */
export interface FillTargets {
  readonly containers: readonly Element[];
  readonly watch: Node;
}

const CONTROL_SELECTOR = 'input, select, textarea';

function isControl(node: unknown): node is FillableControl {
  return node instanceof HTMLInputElement || node instanceof HTMLSelectElement || node instanceof HTMLTextAreaElement;
}

/** Sets a value the way a framework notices: the prototype's native setter, then `input` and `change`. */
function setNativeValue(control: FillableControl, value: string): void {
  const type =
    control instanceof HTMLSelectElement ? HTMLSelectElement : control instanceof HTMLTextAreaElement ? HTMLTextAreaElement : HTMLInputElement;
  Object.getOwnPropertyDescriptor(type.prototype, 'value')?.set?.call(control, value);
  control.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
  control.dispatchEvent(new Event('change', { bubbles: true }));
}

/** A select counts as empty while it shows its page-default choice or an empty value. */
function isEmpty(control: FillableControl): boolean {
  if (control instanceof HTMLSelectElement) {
    if (control.value === '') return true;
    const options = Array.from(control.options);
    const hasDefault = options.some((o) => o.defaultSelected);
    return hasDefault ? options.every((o) => o.selected === o.defaultSelected) : control.selectedIndex === 0;
  }
  return control.value.trim() === '';
}

/**
 * Finds, fills and later clears the purchaser fields of a host page's form(s) for
 * `<purchaser-autofill>`: one pass over controls not seen before, a cancelable request event, then
 * the report event; a MutationObserver picks up forms rendered later. Owns no DOM of its own.
 */
export class FormFiller {
  readonly #filled = new Map<FillableControl, FilledRecord>();
  #processed = new WeakSet<FillableControl>();
  /** Recognised fields nobody can see yet (a later step, a closed block); filled once they show. */
  #waiting = new Set<FillableControl>();
  /** Bumped by `stop()`, so a pass still waiting for a region list gives up. */
  #generation = 0;
  #values?: ProfileValues;
  /**
   * Filling as a company the account manages: its values. An organization's own block ("on behalf
   * of an organization") then gets them and the person's fields keep the person's; a form without
   * such a block gets them everywhere.
   */
  #company?: ProfileValues;
  #observer?: MutationObserver;
  #listeningOn?: Node;
  /** Aborts the listeners on `#listeningOn`. */
  #listening?: AbortController;
  readonly #host: HTMLElement;
  readonly #targets: () => FillTargets;
  readonly #onChange: () => void;
  /** Controls the person has typed in; the element starts collecting them before this loads. */
  readonly #touched: WeakSet<Element>;

  constructor(host: HTMLElement, targets: () => FillTargets, onChange: () => void, touched: WeakSet<Element> = new WeakSet()) {
    this.#host = host;
    this.#targets = targets;
    this.#onChange = onChange;
    this.#touched = touched;
  }

  /** How many fields currently hold a value this element set. */
  get filledCount(): number {
    return this.#filled.size;
  }

  /** The first field (in document order) holding a value this element set. */
  firstFilled(): FillableControl | undefined {
    return [...this.#filled.keys()].sort(byDocumentOrder)[0];
  }

  /** Whether there is anything to look in (a `for=` target may not exist yet). */
  hasTargets(): boolean {
    return this.#targets().containers.length > 0;
  }

  /** Starts noticing what the person types (call on connect). */
  connect(): void {
    const root = this.#host.getRootNode();
    if (this.#listeningOn === root) return;
    this.disconnect();
    this.#listeningOn = root;
    const options = { capture: true, signal: (this.#listening = new AbortController()).signal };
    root.addEventListener('input', this.#handleUserInput, options);
    root.addEventListener('change', this.#handleUserInput, options);
    root.addEventListener('reset', this.#handleReset, options);
    if (this.#values) this.#observe();
  }

  /** Stops listening and observing (call on disconnect). Leaves the form as it is. */
  disconnect(): void {
    this.#listening?.abort();
    this.#listeningOn = undefined;
    this.#observer?.disconnect();
    this.#observer = undefined;
  }

  /** Fills every recognised empty field with `values`, now and in forms that appear later. */
  start(values: ProfileValues, company?: ProfileValues): void {
    this.#values = values;
    this.#company = company;
    // Observe first: the page may react to the fill (show a step) before this pass returns.
    if (this.#listeningOn) this.#observe();
    this.#fillNew();
  }

  /** Looks again for controls not seen yet (e.g. after the target changed). */
  refresh(): void {
    if (this.#values) {
      this.#observe();
      this.#fillNew();
    }
  }

  /** Stops filling and clears the fields that still hold exactly what this element set. */
  stop(): void {
    this.#values = undefined;
    this.#observer?.disconnect();
    this.#observer = undefined;
    for (const [control, record] of this.#filled) {
      if (control.isConnected && !this.#touched.has(control) && control.value === record.value) {
        setNativeValue(control, record.previous);
      }
      control.removeAttribute(FILLED_ATTRIBUTE);
    }
    this.#filled.clear();
    this.#processed = new WeakSet();
    this.#waiting.clear();
    this.#generation += 1;
    this.#onChange();
  }

  #observe(): void {
    this.#observer?.disconnect();
    // Attribute changes matter only around a field waiting to be shown (a later step, an opened
    // block): a busy page's class and style changes elsewhere cost one `contains` each.
    this.#observer = new MutationObserver((records) => {
      const waiting = [...this.#waiting];
      if (records.some((r) => r.type === 'childList' || waiting.some((w) => r.target.contains(w)))) this.#fillNew();
    });
    this.#observer.observe(this.#targets().watch, {
      childList: true,
      subtree: true,
      attributes: true,
      attributeFilter: ['style', 'class', 'hidden', 'aria-hidden', 'inert', 'open', 'tabindex'],
    });
  }

  readonly #handleUserInput = (event: Event): void => {
    if (!event.isTrusted) return;
    const target = event.composedPath()[0];
    if (!isControl(target)) return;
    this.#touched.add(target);
    if (this.#filled.has(target)) {
      target.removeAttribute(FILLED_ATTRIBUTE);
      this.#filled.delete(target);
      this.#onChange();
    }
  };

  /** A form reset puts the page's defaults back: those fields no longer hold what this element set. */
  readonly #handleReset = (event: Event): void => {
    const form = event.composedPath()[0];
    if (!(form instanceof HTMLFormElement)) return;
    let changed = false;
    for (const control of [...this.#filled.keys()]) {
      if (control.form === form) {
        control.removeAttribute(FILLED_ATTRIBUTE);
        this.#filled.delete(control);
        changed = true;
      }
    }
    if (changed) this.#onChange();
  };

  #collect(): FillableControl[] {
    const seen = new Set<FillableControl>();
    for (const container of this.#targets().containers) {
      if (isControl(container)) seen.add(container);
      for (const el of Array.from(container.querySelectorAll(CONTROL_SELECTOR))) if (isControl(el)) seen.add(el);
      if (container instanceof HTMLFormElement) {
        for (const el of Array.from(container.elements)) if (isControl(el)) seen.add(el);
      }
    }
    return [...seen];
  }

  /**
   * One pass over controls not seen since sign-in: classify every control (what it is), keep those
   * a person can reach, judge whose each is (judge.ts), plan values for the purchaser's own new ones,
   * ask the page (`portal-autofill-request`), fill the country first and the region after it (waiting,
   * bounded, for a region list the country repopulates), then report (`portal-autofill`).
   */
  #fillNew(): void {
    const values = this.#values;
    if (!values) return;
    // Controls a framework has thrown away are forgotten, not cleared.
    for (const control of this.#filled.keys()) if (!control.isConnected) this.#filled.delete(control);
    for (const control of this.#waiting) if (!control.isConnected) this.#waiting.delete(control);
    const all = this.#collect();
    // Fast path for the many mutations (re-renders, messages) that add no control.
    if (this.#waiting.size === 0 && all.every((control) => this.#processed.has(control))) return;

    type Item = { control: FillableControl; classification: FieldClassification };
    const fields: Item[] = [];
    const skipped: Array<{ field: PortalField; name: string; reason: AutofillSkipReason }> = [];
    // A control's name in the reports; its id when it shares its name (`billing[street][]` twice).
    const names = new Map<string, number>();
    for (const control of all) {
      const name = control.getAttribute('name');
      if (name) names.set(name, (names.get(name) ?? 0) + 1);
    }
    const hiding = new Map<Element, boolean>();
    const nameOf = (control: FillableControl) => {
      const name = control.getAttribute('name') ?? '';
      return (names.get(name) ?? 0) > 1 && control.id ? control.id : name || control.id;
    };
    for (const control of all) {
      const fresh = !this.#processed.has(control);
      if (!fresh && !this.#waiting.has(control)) continue;
      this.#processed.add(control);
      const classification = classifyControl(control);
      if (classification.kind !== 'field') continue;
      // A spam trap stays unfilled for good, seen or not; anything else hidden is filled if it shows
      // later (a next step, an opened block).
      const reason = isTrap(control) ? 'trap' : reachable(control, hiding) ? undefined : 'not-visible';
      if (reason && fresh) skipped.push({ field: classification.field, name: nameOf(control), reason });
      if (reason === 'not-visible') this.#waiting.add(control);
      else this.#waiting.delete(control);
      if (!reason) fields.push({ control, classification });
    }
    // Whose: judged with the fields filled before, so a repeated "Email" is seen as repeated.
    const earlier: Item[] = [...this.#filled.keys()].flatMap((control) => {
      const c = classifyControl(control);
      return c.kind === 'field' ? [{ control, classification: c }] : [];
    });
    const { reasons: verdicts, organization } = judge([...earlier, ...fields], all, !!this.#company);
    const own = fields.filter((item) => {
      const reason = verdicts.get(item.control);
      if (reason) skipped.push({ field: item.classification.field, name: nameOf(item.control), reason });
      return !reason;
    });
    if (own.length === 0 && skipped.length === 0) return;

    const lines = resolveLines([...earlier.filter((i) => !verdicts.get(i.control)), ...own], organization);
    // As a company: its values in its own block, or everywhere when the form has none.
    const company = this.#company;
    const valuesFor = (control: FillableControl) => (company && (organization.size === 0 || organization.has(control)) ? company : values);
    const countrySections = new Set(own.filter((i) => i.classification.field === 'country').map((i) => i.classification.section));
    const planned: AutofillPlanEntry[] = [];
    const dependent = new Set<FillableControl>();
    const reasonFor = (control: FillableControl, field: PortalField, value: string): AutofillSkipReason | undefined =>
      control.disabled
        ? 'disabled'
        : 'readOnly' in control && control.readOnly
          ? 'readonly'
          : this.#touched.has(control)
            ? 'user-edited'
            : !isEmpty(control)
              ? 'not-empty'
              : value !== ''
                ? undefined
                : control instanceof HTMLSelectElement && valuesFor(control)[field]
                  ? 'no-option'
                  : 'no-value';
    const plans = [values, company]
      .flatMap((v) =>
        v
          ? planValues(
              own.filter((i) => valuesFor(i.control) === v),
              v,
              lines,
            )
          : [],
      )
      .sort((a, b) => byDocumentOrder(a.control, b.control));
    for (const item of plans) {
      const { control, field } = item;
      const name = nameOf(control);
      // A region list that the country about to be set repopulates: planned now, matched after.
      const own_ = valuesFor(control);
      const waitsForCountry = field === 'region' && control instanceof HTMLSelectElement && countrySections.has(item.section) && !!own_.region;
      if (waitsForCountry) {
        dependent.add(control);
        planned.push({ field, name, control, value: item.value || (own_.region ?? '') });
        continue;
      }
      const reason = reasonFor(control, field, item.value);
      if (reason) skipped.push({ field, name, reason });
      else planned.push({ field, name, control, value: item.value });
    }

    const filled: Array<{ field: PortalField; name: string; control: FillableControl }> = [];
    const report = () => {
      if (filled.length === 0 && skipped.length === 0) return;
      // In document order, whatever order they were set in.
      filled.sort((a, b) => byDocumentOrder(a.control, b.control));
      this.#host.dispatchEvent(new PortalAutofillEvent({ filled: filled.map(({ field, name }) => ({ field, name })), skipped }));
      this.#onChange();
    };
    if (planned.length === 0) return report();
    const request = new PortalAutofillRequestEvent({ fields: planned });
    this.#host.dispatchEvent(request);
    if (request.defaultPrevented) return;
    // The country first, so the page can rebuild its region list before the region is set.
    const entries = [...request.detail.fields].sort(
      (a, b) => Number(b.field === 'country') - Number(a.field === 'country') || Number(dependent.has(a.control)) - Number(dependent.has(b.control)),
    );
    const put = (entry: AutofillPlanEntry, value: string): boolean => {
      const { control, field, name } = entry;
      const previous = control.value;
      setNativeValue(control, value);
      if (control.value === previous) {
        skipped.push({ field, name, reason: control instanceof HTMLSelectElement ? 'no-option' : 'not-accepted' });
        return false;
      }
      control.setAttribute(FILLED_ATTRIBUTE, '');
      this.#filled.set(control, { value: control.value, previous });
      filled.push({ field, name, control });
      return true;
    };
    const later: AutofillPlanEntry[] = [];
    for (const entry of entries) {
      const { control, field, name } = entry;
      const value = String(entry.value ?? '');
      // A control the page replaced meanwhile (a region input swapped for a select) is a new control.
      if (!control.isConnected) continue;
      if (dependent.has(control)) {
        later.push(entry);
        continue;
      }
      if (!value || this.#touched.has(control) || !isEmpty(control)) {
        skipped.push({ field, name, reason: value ? 'not-empty' : 'vetoed' });
        continue;
      }
      // A select that already shows the purchaser's choice (a page default) needs nothing.
      if (control instanceof HTMLSelectElement && control.value === value) continue;
      put(entry, value);
    }
    if (later.length === 0) return report();
    const generation = this.#generation;
    // The region after the country: now if its list has the value, else once the page has rebuilt
    // the list (a MutationObserver on the select), for at most REGION_WAIT_MS.
    const tryRegion = (entry: AutofillPlanEntry): boolean | undefined => {
      const { control, field, name } = entry;
      if (!control.isConnected || generation !== this.#generation) return true;
      const wanted = String(entry.value ?? '');
      const value = wanted && control instanceof HTMLSelectElement ? matchOption(control, 'region', wanted, valuesFor(control).country) : wanted;
      // No option for it yet, or the page has not enabled the list yet (it does after the country).
      if (!value || control.disabled) return undefined;
      const reason = reasonFor(control, field, value);
      if (reason) {
        skipped.push({ field, name, reason });
        return true;
      }
      if (put(entry, value) && control instanceof HTMLSelectElement) {
        // A region set from a list the page was still about to rebuild for the new country (a list
        // of every country's regions, replaced a moment later) loses its value: for REGION_WAIT_MS,
        // set it again when the list changes under it, unless the person has chosen one meanwhile.
        void watch(control, { childList: true, subtree: true }, () => {
          const record = this.#filled.get(control);
          if (generation !== this.#generation || !record || this.#touched.has(control) || !control.isConnected) return true;
          const again = control.value === record.value ? undefined : matchOption(control, 'region', wanted, valuesFor(control).country);
          if (again) {
            setNativeValue(control, again);
            this.#filled.set(control, { value: control.value, previous: record.previous });
          }
          return false;
        });
      }
      return true;
    };
    const pending = later.filter((entry) => !tryRegion(entry));
    if (pending.length === 0) return report();
    const scope = (c: FillableControl) => c.form ?? c.parentElement ?? c;
    const options = { childList: true, subtree: true, attributes: true, attributeFilter: ['disabled'] };
    void Promise.all(
      pending.map((entry) => watch(scope(entry.control), options, () => !entry.control.isConnected || tryRegion(entry) === true)),
    ).then((done) => {
      if (generation !== this.#generation) return;
      pending.forEach((entry, i) => {
        if (!done[i]) skipped.push({ field: entry.field, name: entry.name, reason: entry.control.disabled ? 'disabled' : 'no-option' });
      });
      report();
    });
  }
}

/** How long a region `<select>` may take to get its options after the country changed. */
const REGION_WAIT_MS = 1500;

/** Calls `settled` after each change under `node` until it returns true (resolves `true`), for at most REGION_WAIT_MS (`false`). */
function watch(node: Node, options: MutationObserverInit, settled: () => boolean): Promise<boolean> {
  return new Promise((resolve) => {
    const finish = (ok: boolean) => {
      observer.disconnect();
      clearTimeout(timer);
      resolve(ok);
    };
    const observer = new MutationObserver(() => {
      if (settled()) finish(true);
    });
    observer.observe(node, options);
    const timer = setTimeout(() => finish(false), REGION_WAIT_MS);
  });
}
