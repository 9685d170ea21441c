/**
 * Small tables of country and region names for matching `<select>` options and writing country
 * names into text fields (DESIGN §6). Countries by ISO 3166-1 alpha-2, with alpha-3 and their names
 * in English, Spanish and French; US states and Canadian provinces by postal code and name.
 */

interface Country {
  readonly alpha3: string;
  readonly en: string;
  readonly es: string;
  readonly fr: string;
  readonly aliases?: readonly string[];
}

const COUNTRIES: Readonly<Record<string, Country>> = {
  US: {
    alpha3: 'USA',
    en: 'United States',
    es: 'Estados Unidos',
    fr: 'États-Unis',
    aliases: ['United States of America', 'USA', 'U.S.A.', 'U.S.', 'Estados Unidos de América', "États-Unis d'Amérique", 'EEUU', 'EE. UU.', 'EE.UU.'],
  },
  CA: { alpha3: 'CAN', en: 'Canada', es: 'Canadá', fr: 'Canada' },
  GB: {
    alpha3: 'GBR',
    en: 'United Kingdom',
    es: 'Reino Unido',
    fr: 'Royaume-Uni',
    aliases: ['UK', 'Great Britain', 'Britain', 'United Kingdom of Great Britain and Northern Ireland', 'Gran Bretaña', 'Grande-Bretagne'],
  },
  MX: { alpha3: 'MEX', en: 'Mexico', es: 'México', fr: 'Mexique', aliases: ['Méjico', 'Estados Unidos Mexicanos'] },
  ES: { alpha3: 'ESP', en: 'Spain', es: 'España', fr: 'Espagne' },
  FR: { alpha3: 'FRA', en: 'France', es: 'Francia', fr: 'France' },
  DE: { alpha3: 'DEU', en: 'Germany', es: 'Alemania', fr: 'Allemagne' },
  IT: { alpha3: 'ITA', en: 'Italy', es: 'Italia', fr: 'Italie' },
  PT: { alpha3: 'PRT', en: 'Portugal', es: 'Portugal', fr: 'Portugal' },
  IE: { alpha3: 'IRL', en: 'Ireland', es: 'Irlanda', fr: 'Irlande' },
  BE: { alpha3: 'BEL', en: 'Belgium', es: 'Bélgica', fr: 'Belgique' },
  CH: { alpha3: 'CHE', en: 'Switzerland', es: 'Suiza', fr: 'Suisse' },
  NL: { alpha3: 'NLD', en: 'Netherlands', es: 'Países Bajos', fr: 'Pays-Bas', aliases: ['Holland', 'The Netherlands', 'Holanda'] },
  AU: { alpha3: 'AUS', en: 'Australia', es: 'Australia', fr: 'Australie' },
  NZ: { alpha3: 'NZL', en: 'New Zealand', es: 'Nueva Zelanda', fr: 'Nouvelle-Zélande' },
  BR: { alpha3: 'BRA', en: 'Brazil', es: 'Brasil', fr: 'Brésil' },
  AR: { alpha3: 'ARG', en: 'Argentina', es: 'Argentina', fr: 'Argentine' },
  CL: { alpha3: 'CHL', en: 'Chile', es: 'Chile', fr: 'Chili' },
  CO: { alpha3: 'COL', en: 'Colombia', es: 'Colombia', fr: 'Colombie' },
  PE: { alpha3: 'PER', en: 'Peru', es: 'Perú', fr: 'Pérou' },
  PR: { alpha3: 'PRI', en: 'Puerto Rico', es: 'Puerto Rico', fr: 'Porto Rico' },
  JP: { alpha3: 'JPN', en: 'Japan', es: 'Japón', fr: 'Japon' },
  IN: { alpha3: 'IND', en: 'India', es: 'India', fr: 'Inde' },
  CN: { alpha3: 'CHN', en: 'China', es: 'China', fr: 'Chine' },
};

/** `code:Name|Alias` lists; names in en, then es/fr where they differ. */
const REGIONS: Readonly<Record<string, string>> = {
  US: 'AL:Alabama;AK:Alaska;AZ:Arizona;AR:Arkansas|Arkansas;CA:California|Californie;CO:Colorado;CT:Connecticut;DE:Delaware;DC:District of Columbia|Washington DC|Distrito de Columbia|District de Columbia;FL:Florida|Floride;GA:Georgia|Géorgie;HI:Hawaii|Hawái|Hawaï;ID:Idaho;IL:Illinois;IN:Indiana;IA:Iowa;KS:Kansas;KY:Kentucky;LA:Louisiana|Luisiana|Louisiane;ME:Maine;MD:Maryland;MA:Massachusetts;MI:Michigan;MN:Minnesota;MS:Mississippi|Misisipi;MO:Missouri|Misuri;MT:Montana;NE:Nebraska;NV:Nevada;NH:New Hampshire|Nuevo Hampshire;NJ:New Jersey|Nueva Jersey;NM:New Mexico|Nuevo México|Nouveau-Mexique;NY:New York|Nueva York|État de New York;NC:North Carolina|Carolina del Norte|Caroline du Nord;ND:North Dakota|Dakota del Norte|Dakota du Nord;OH:Ohio;OK:Oklahoma;OR:Oregon;PA:Pennsylvania|Pensilvania|Pennsylvanie;RI:Rhode Island;SC:South Carolina|Carolina del Sur|Caroline du Sud;SD:South Dakota|Dakota del Sur|Dakota du Sud;TN:Tennessee;TX:Texas;UT:Utah;VT:Vermont;VA:Virginia|Virginie;WA:Washington;WV:West Virginia|Virginia Occidental|Virginie-Occidentale;WI:Wisconsin;WY:Wyoming;PR:Puerto Rico|Porto Rico',
  CA: 'AB:Alberta;BC:British Columbia|Columbia Británica|Colombie-Britannique;MB:Manitoba;NB:New Brunswick|Nuevo Brunswick|Nouveau-Brunswick;NL:Newfoundland and Labrador|Terranova y Labrador|Terre-Neuve-et-Labrador|Newfoundland;NS:Nova Scotia|Nueva Escocia|Nouvelle-Écosse;NT:Northwest Territories|Territorios del Noroeste|Territoires du Nord-Ouest;NU:Nunavut;ON:Ontario;PE:Prince Edward Island|Isla del Príncipe Eduardo|Île-du-Prince-Édouard;QC:Quebec|Québec|PQ;SK:Saskatchewan;YT:Yukon',
  MX: 'CMX:Ciudad de México|Mexico City|CDMX|Distrito Federal;JAL:Jalisco;NLE:Nuevo León|Nuevo Leon;BCN:Baja California;YUC:Yucatán;PUE:Puebla;OAX:Oaxaca;VER:Veracruz;GUA:Guanajuato;QUE:Querétaro;ROO:Quintana Roo;CHH:Chihuahua;SON:Sonora',
};

const parsedRegions = new Map<string, ReadonlyArray<readonly string[]>>();
function regionsOf(country: string): ReadonlyArray<readonly string[]> {
  let list = parsedRegions.get(country);
  if (!list) {
    list = (REGIONS[country] ?? '')
      .split(';')
      .filter(Boolean)
      .map((entry) => {
        const [code = '', names = ''] = entry.split(':');
        return [code, ...names.split('|')];
      });
    parsedRegions.set(country, list);
  }
  return list;
}

function same(a: string, b: string): boolean {
  const f = (s: string) =>
    s
      .normalize('NFD')
      .replace(/\p{M}/gu, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, ' ')
      .trim();
  return f(a) === f(b);
}

function findCountry(value: string): [string, Country] | undefined {
  const upper = value.trim().toUpperCase();
  const byCode = COUNTRIES[upper];
  if (byCode) return [upper, byCode];
  for (const [code, c] of Object.entries(COUNTRIES)) {
    if ([c.alpha3, c.en, c.es, c.fr, ...(c.aliases ?? [])].some((n) => same(n, value))) return [code, c];
  }
  return undefined;
}

/** Every spelling that may stand for a country: ISO alpha-2 and alpha-3, en/es/fr names, aliases. */
export function countryCandidates(value: string): string[] {
  const found = findCountry(value);
  if (!found) return [value];
  const [code, c] = found;
  return [code, c.alpha3, c.en, c.es, c.fr, ...(c.aliases ?? [])];
}

/** The country's name in `lang` (en, es or fr; English otherwise), or undefined when not in the table. */
export function countryName(value: string, lang: string): string | undefined {
  const found = findCountry(value);
  if (!found) return undefined;
  const c = found[1];
  return lang === 'es' ? c.es : lang === 'fr' ? c.fr : c.en;
}

/** Every spelling that may stand for a region (code, `US-CA` style code, names), within `country` when known. */
export function regionCandidates(value: string, country?: string): string[] {
  const countries = country && REGIONS[country.toUpperCase()] ? [country.toUpperCase()] : Object.keys(REGIONS);
  for (const cc of countries) {
    for (const entry of regionsOf(cc)) {
      if (entry.some((n) => same(n, value))) {
        const code = entry[0] ?? '';
        return [...entry, `${cc}-${code}`];
      }
    }
  }
  return [value];
}
