/**
 * Small tables of country and region names for matching `<select>` options and writing country
 * names into text fields (DESIGN §6). Countries by ISO 3166-1 alpha-2, with alpha-3 and their names
 * in English, Spanish and French; US states, Canadian provinces and Mexican states by code and name.
 * The tables are strings split once, on first use (an object per country cost 1 kB of the engine).
 */
import { comparable } from './text.js';

/**
 * The countries: alpha-2 and alpha-3 together (`USUSA`), `;`-separated; `|` then aliases. Their names
 * in en/es/fr come from `Intl.DisplayNames` (CLDR, the same in every engine for these countries; the
 * table of names cost 0.5 kB gzip), pinned by test/components/purchaser-autofill-places.test.ts.
 */
const COUNTRIES =
  "USUSA|United States of America|USA|U.S.A.|U.S.|Estados Unidos de América|États-Unis d'Amérique|EEUU|EE. UU.|EE.UU.;CACAN;" +
  'GBGBR|UK|Great Britain|Britain|United Kingdom of Great Britain and Northern Ireland|Gran Bretaña|Grande-Bretagne;' +
  'MXMEX|Méjico|Estados Unidos Mexicanos;ESESP;FRFRA;DEDEU;ITITA;PTPRT;IEIRL;BEBEL;CHCHE;NLNLD|Holland|The Netherlands|Holanda;' +
  'AUAUS;NZNZL;BRBRA;ARARG;CLCHL;COCOL;PEPER;PRPRI;JPJPN;ININD;CNCHN';

/** `;`-separated `code:Name|Alias` lists per country; names in en, then es/fr where they differ. */
const REGIONS: Readonly<Record<string, string>> = {
  US: 'AL:Alabama;AK:Alaska;AZ:Arizona;AR:Arkansas|Arkansas;CA:California|Californie;CO:Colorado;CT:Connecticut;DE:Delaware;DC:District of Columbia|Washington DC|Distrito de Columbia|District de Columbia;FL:Florida|Floride;GA:Georgia|Géorgie;HI:Hawaii|Hawái|Hawaï;ID:Idaho;IL:Illinois;IN:Indiana;IA:Iowa;KS:Kansas;KY:Kentucky;LA:Louisiana|Luisiana|Louisiane;ME:Maine;MD:Maryland;MA:Massachusetts;MI:Michigan;MN:Minnesota;MS:Mississippi|Misisipi;MO:Missouri|Misuri;MT:Montana;NE:Nebraska;NV:Nevada;NH:New Hampshire|Nuevo Hampshire;NJ:New Jersey|Nueva Jersey;NM:New Mexico|Nuevo México|Nouveau-Mexique;NY:New York|Nueva York|État de New York;NC:North Carolina|Carolina del Norte|Caroline du Nord;ND:North Dakota|Dakota del Norte|Dakota du Nord;OH:Ohio;OK:Oklahoma;OR:Oregon;PA:Pennsylvania|Pensilvania|Pennsylvanie;RI:Rhode Island;SC:South Carolina|Carolina del Sur|Caroline du Sud;SD:South Dakota|Dakota del Sur|Dakota du Sud;TN:Tennessee;TX:Texas;UT:Utah;VT:Vermont;VA:Virginia|Virginie;WA:Washington;WV:West Virginia|Virginia Occidental|Virginie-Occidentale;WI:Wisconsin;WY:Wyoming;PR:Puerto Rico|Porto Rico',
  CA: 'AB:Alberta;BC:British Columbia|Columbia Británica|Colombie-Britannique;MB:Manitoba;NB:New Brunswick|Nuevo Brunswick|Nouveau-Brunswick;NL:Newfoundland and Labrador|Terranova y Labrador|Terre-Neuve-et-Labrador|Newfoundland;NS:Nova Scotia|Nueva Escocia|Nouvelle-Écosse;NT:Northwest Territories|Territorios del Noroeste|Territoires du Nord-Ouest;NU:Nunavut;ON:Ontario;PE:Prince Edward Island|Isla del Príncipe Eduardo|Île-du-Prince-Édouard;QC:Quebec|Québec|PQ;SK:Saskatchewan;YT:Yukon',
  MX: 'CMX:Ciudad de México|Mexico City|CDMX|Distrito Federal;JAL:Jalisco;NLE:Nuevo León|Nuevo Leon;BCN:Baja California;YUC:Yucatán;PUE:Puebla;OAX:Oaxaca;VER:Veracruz;GUA:Guanajuato;QUE:Querétaro;ROO:Quintana Roo;CHH:Chihuahua;SON:Sonora',
};

/** Parsed on first use: per country `[alpha2, alpha3, en, es, fr, ...aliases]`. */
let countries: string[][] | undefined;
/** Parsed on first use: per country code, its regions as `[code, ...names]`. */
const regions = new Map<string, string[][]>();

function findCountry(value: string): string[] | undefined {
  if (!countries) {
    const names = ['en', 'es', 'fr'].map((lang) => new Intl.DisplayNames(lang, { type: 'region' }));
    countries = COUNTRIES.split(';').map((entry) => {
      const [codes = '', ...aliases] = entry.split('|');
      const code = codes.slice(0, 2);
      return [code, codes.slice(2), ...names.map((n) => n.of(code) ?? code), ...aliases];
    });
  }
  const upper = value.trim().toUpperCase();
  const wanted = comparable(value);
  return countries.find((c) => c[0] === upper) ?? countries.find((c) => c.some((n, i) => i > 0 && comparable(n) === wanted));
}

/** Every spelling that may stand for a country: ISO alpha-2 and alpha-3, en/es/fr names, aliases. */
export function countryCandidates(value: string): string[] {
  return findCountry(value) ?? [value];
}

/** The country's name in `lang` (en, es or fr; English otherwise), or undefined when not in the table. */
export function countryName(value: string, lang: string): string | undefined {
  return findCountry(value)?.[lang === 'es' ? 3 : lang === 'fr' ? 4 : 2];
}

/** Every spelling that may stand for a region (code, `US-CA` style code, names), within `country` when known. */
export function regionCandidates(value: string, country?: string): string[] {
  const upper = country?.toUpperCase() ?? '';
  const wanted = comparable(value);
  for (const cc of REGIONS[upper] ? [upper] : Object.keys(REGIONS)) {
    let list = regions.get(cc);
    if (!list) regions.set(cc, (list = REGIONS[cc]!.split(';').map((entry) => entry.replace(':', '|').split('|'))));
    const entry = list.find((names) => names.some((n) => comparable(n) === wanted));
    if (entry) return [...entry, `${cc}-${entry[0]}`];
  }
  return [value];
}
