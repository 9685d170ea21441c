/**
 * Everything Storybook shows about an element comes from the Custom Elements Manifest
 * (custom-elements.json, `npm run analyze`), set once with `setCustomElementsManifest` in preview.ts:
 * the docs page's description, the rows and controls of its table (attributes, properties, events,
 * slots, parts, CSS custom properties, custom states), the story's rendering of those args, the events
 * logged to Actions and the usage snippets. Nothing here names an attribute or an event: a new one in
 * an element's JSDoc appears in Storybook without touching a story.
 */
import { getCustomElements } from '@storybook/web-components-vite';
import { nothing, type TemplateResult } from 'lit';
import { Directive, directive, PartType, type ElementPart, type PartInfo } from 'lit/directive.js';
import { unsafeStatic, html as staticHtml } from 'lit/static-html.js';

interface Typed {
  name: string;
  description?: string;
  type?: { text?: string };
  default?: string;
}
interface Member extends Typed {
  kind: string;
  privacy?: string;
  static?: boolean;
  readonly?: boolean;
  attribute?: string;
}
interface Attribute extends Typed {
  fieldName?: string;
}
export interface ElementDoc {
  tagName: string;
  name: string;
  summary?: string;
  description?: string;
  attributes?: Attribute[];
  members?: Member[];
  events?: Typed[];
  slots?: Typed[];
  cssParts?: Typed[];
  cssProperties?: Typed[];
  cssStates?: Typed[];
  superclass?: { name: string; module?: string };
}
interface Manifest {
  modules?: Array<{ declarations?: Array<ElementDoc & { customElement?: boolean }> }>;
}

const declarations = (): Array<ElementDoc & { customElement?: boolean }> =>
  ((getCustomElements() as Manifest | undefined)?.modules ?? []).flatMap((m) => m.declarations ?? []);

/** Merges by name, the element's own entry winning over an inherited one. */
function mergeByName<T extends { name: string }>(own: T[] = [], inherited: T[] = []): T[] {
  const names = new Set(own.map((x) => x.name));
  return [...own, ...inherited.filter((x) => !names.has(x.name))];
}

/** One element's manifest entry, with what it inherits from classes the manifest also describes. */
export function elementDoc(tag: string): ElementDoc | undefined {
  const all = declarations();
  const own = all.find((d) => d.tagName === tag);
  if (!own) return undefined;
  let doc: ElementDoc = { ...own };
  const seen = new Set<string>();
  for (let sup = own.superclass; sup && !seen.has(sup.name);) {
    seen.add(sup.name);
    const parent = all.find((d) => d.name === sup!.name);
    if (!parent) break;
    doc = {
      ...doc,
      attributes: mergeByName(doc.attributes, parent.attributes),
      members: mergeByName(doc.members, parent.members),
      events: mergeByName(doc.events, parent.events),
      slots: mergeByName(doc.slots, parent.slots),
      cssParts: mergeByName(doc.cssParts, parent.cssParts),
      cssProperties: mergeByName(doc.cssProperties, parent.cssProperties),
      cssStates: mergeByName(doc.cssStates, parent.cssStates),
    };
    sup = parent.superclass;
  }
  return doc;
}

/** Every element the manifest describes (tag names). */
export const elementTags = (): string[] => declarations().flatMap((d) => (d.customElement && d.tagName ? [d.tagName] : []));

/** Every public event of every element, for Actions. */
export const allEventNames = (): string[] => [...new Set(elementTags().flatMap((t) => (elementDoc(t)?.events ?? []).map((e) => e.name)))];

const unquote = (s = '') => s.trim().replace(/^(['"`])(.*)\1$/, '$2');
/** `'a' | 'b'` → ['a', 'b'] when the type is a union of string literals only. */
function literalOptions(type = ''): string[] | undefined {
  const parts = type.split('|').map((p) => p.trim());
  return parts.length > 1 && parts.every((p) => /^(['"]).*\1$/.test(p)) ? parts.map((p) => unquote(p)) : undefined;
}
function defaultValue(type: string, value?: string): unknown {
  if (value === undefined) return undefined;
  if (type === 'boolean') return value === 'true';
  if (type === 'number') return Number(value);
  return unquote(value);
}

/** A public field a designer can set without code: a string, number, boolean or a union of string literals. */
function controlFor(type: string): { type: string; options?: string[] } | false {
  const clean = type.replace(/\s*\|\s*undefined$/, '');
  const options = literalOptions(clean);
  if (options) return { type: 'select', options };
  if (clean === 'boolean') return { type: 'boolean' };
  if (clean === 'number') return { type: 'number' };
  if (clean === 'string') return { type: 'text' };
  return false;
}

/** `dir` is typed `string`; it means one of these. */
const KNOWN_OPTIONS: Record<string, string[]> = { dir: ['', 'ltr', 'rtl'] };

export interface ArgSpec {
  /** Attributes by arg name (the attribute name). */
  attributes: Record<string, { type: string }>;
  /** Properties with no attribute, by name. */
  properties: Record<string, { type: string }>;
}

/** What of an element args can set: its attributes, and its public properties that have no attribute. */
export function argSpec(tag: string): ArgSpec {
  const doc = elementDoc(tag);
  const spec: ArgSpec = { attributes: {}, properties: {} };
  const fieldsWithAttribute = new Set((doc?.attributes ?? []).map((a) => a.fieldName ?? a.name));
  for (const a of doc?.attributes ?? []) spec.attributes[a.name] = { type: a.type?.text ?? 'string' };
  for (const m of doc?.members ?? []) {
    if (m.kind !== 'field' || m.privacy === 'private' || m.privacy === 'protected' || m.static || m.readonly || m.name.startsWith('#')) continue;
    if (fieldsWithAttribute.has(m.name) || m.attribute) continue;
    spec.properties[m.name] = { type: m.type?.text ?? 'unknown' };
  }
  return spec;
}

type ArgType = Record<string, unknown>;

/**
 * Storybook's `extractArgTypes` for an element (the docs table and the Controls panel): one row per
 * attribute (with the property it sets), property, event, slot, part, CSS custom property and custom
 * state, each with a control when a designer can set it.
 */
export function extractArgTypes(tag: string): Record<string, ArgType> | null {
  const doc = elementDoc(tag);
  if (!doc) return null;
  const rows: Record<string, ArgType> = {};
  const row = (key: string, category: string, item: Typed, extra: ArgType = {}) => {
    rows[key] = {
      name: key,
      description: item.description ?? '',
      table: { category, type: { summary: item.type?.text ?? '' }, defaultValue: item.default === undefined ? undefined : { summary: item.default } },
      control: false,
      ...extra,
    };
  };
  const spec = argSpec(tag);
  for (const a of doc.attributes ?? []) {
    const type = a.type?.text ?? 'string';
    const control = KNOWN_OPTIONS[a.name] ? { type: 'select', options: KNOWN_OPTIONS[a.name] } : controlFor(type);
    const property = a.fieldName && a.fieldName !== a.name ? ` (property \`${a.fieldName}\`)` : '';
    row(
      a.name,
      'attributes',
      { ...a, description: `${a.description ?? ''}${property}` },
      control ? { control, ...(control.options ? { options: control.options } : {}) } : {},
    );
  }
  for (const [name] of Object.entries(spec.properties)) {
    const m = doc.members!.find((x) => x.name === name)!;
    const control = controlFor(m.type?.text ?? '');
    row(
      name,
      'properties',
      m,
      control
        ? { control, ...(control.options ? { options: control.options } : {}) }
        : { description: `${m.description ?? ''} (an object: set from script, not from Controls)` },
    );
  }
  for (const e of doc.events ?? []) row(e.name, 'events', { ...e, description: `${e.description ?? ''} — logged in the Actions panel.` });
  for (const s of doc.slots ?? []) row(s.name ? `slot: ${s.name}` : 'default slot', 'slots', s);
  for (const p of doc.cssParts ?? []) row(`::part(${p.name})`, 'css shadow parts', p);
  for (const c of doc.cssProperties ?? []) row(c.name, 'css custom properties', c, { control: { type: isColorToken(c.name) ? 'color' : 'text' } });
  for (const s of doc.cssStates ?? []) row(`:state(${s.name})`, 'custom states', s);
  return rows;
}

/** The element's description for its docs page: the summary, then any longer text. */
export function extractComponentDescription(tag: string): string {
  const doc = elementDoc(tag);
  return [doc?.summary, doc?.description].filter(Boolean).join('\n\n');
}

/** Colour tokens get a colour picker. */
export function isColorToken(name: string): boolean {
  return /-(color|colour)(-|$)/.test(name) || /-qr-(dark|light)$/.test(name);
}

/** The args of a story that are the element's attributes and properties (not theme tokens, not story options). */
export function elementArgs(
  tag: string,
  args: Record<string, unknown>,
): { attributes: Record<string, unknown>; properties: Record<string, unknown> } {
  const spec = argSpec(tag);
  const attributes: Record<string, unknown> = {};
  const properties: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(args)) {
    if (k in spec.attributes) attributes[k] = v;
    else if (k in spec.properties && v !== undefined) properties[k] = v;
  }
  return { attributes, properties };
}

class ApplyArgs extends Directive {
  constructor(part: PartInfo) {
    super(part);
    if (part.type !== PartType.ELEMENT) throw new Error('applyArgs goes on an element');
  }
  render(_tag: string, _args: Record<string, unknown>) {
    return nothing;
  }
  override update(part: ElementPart, [tag, args]: [string, Record<string, unknown>]) {
    const el = part.element as HTMLElement & Record<string, unknown>;
    const { attributes, properties } = elementArgs(tag, args);
    for (const [name, value] of Object.entries(attributes)) {
      // An empty string, false or nothing means "not set": the element's own default (or the provider's) applies.
      if (value === undefined || value === null || value === false || value === '') el.removeAttribute(name);
      else el.setAttribute(name, value === true ? '' : String(value));
    }
    for (const [name, value] of Object.entries(properties)) el[name] = value;
    return nothing;
  }
}
const applyArgs = directive(ApplyArgs);

/** Renders `<tag>` with the story's args as its attributes and properties, around optional content. */
export function renderElement(tag: string, args: Record<string, unknown>, content: TemplateResult | typeof nothing = nothing): TemplateResult {
  const t = unsafeStatic(tag);
  return staticHtml`<${t} ${applyArgs(tag, args)}>${content}</${t}>`;
}

/** The attributes of a story's args that differ from the element's defaults, for snippets. */
export function changedAttributes(tag: string, args: Record<string, unknown>): Array<[string, string | true]> {
  const doc = elementDoc(tag);
  const out: Array<[string, string | true]> = [];
  for (const a of doc?.attributes ?? []) {
    const value = args[a.name];
    if (value === undefined || value === '' || value === false || value === null) continue;
    if (value === defaultValue(a.type?.text ?? 'string', a.default)) continue;
    out.push([a.name, value === true ? true : String(value)]);
  }
  return out;
}
