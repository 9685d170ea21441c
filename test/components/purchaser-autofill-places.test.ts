/**
 * The autofill engine's country names come from `Intl.DisplayNames` rather than a table of its own:
 * this pins every country it knows to the name it had in that table, in en/es/fr, in every engine.
 */
import { expect } from '@open-wc/testing';
import { countryName } from '../../src/components/purchaser-autofill/places.js';

const NAMES = [
  ['US', 'United States', 'Estados Unidos', 'États-Unis'],
  ['CA', 'Canada', 'Canadá', 'Canada'],
  ['GB', 'United Kingdom', 'Reino Unido', 'Royaume-Uni'],
  ['MX', 'Mexico', 'México', 'Mexique'],
  ['ES', 'Spain', 'España', 'Espagne'],
  ['FR', 'France', 'Francia', 'France'],
  ['DE', 'Germany', 'Alemania', 'Allemagne'],
  ['IT', 'Italy', 'Italia', 'Italie'],
  ['PT', 'Portugal', 'Portugal', 'Portugal'],
  ['IE', 'Ireland', 'Irlanda', 'Irlande'],
  ['BE', 'Belgium', 'Bélgica', 'Belgique'],
  ['CH', 'Switzerland', 'Suiza', 'Suisse'],
  ['NL', 'Netherlands', 'Países Bajos', 'Pays-Bas'],
  ['AU', 'Australia', 'Australia', 'Australie'],
  ['NZ', 'New Zealand', 'Nueva Zelanda', 'Nouvelle-Zélande'],
  ['BR', 'Brazil', 'Brasil', 'Brésil'],
  ['AR', 'Argentina', 'Argentina', 'Argentine'],
  ['CL', 'Chile', 'Chile', 'Chili'],
  ['CO', 'Colombia', 'Colombia', 'Colombie'],
  ['PE', 'Peru', 'Perú', 'Pérou'],
  ['PR', 'Puerto Rico', 'Puerto Rico', 'Porto Rico'],
  ['JP', 'Japan', 'Japón', 'Japon'],
  ['IN', 'India', 'India', 'Inde'],
  ['CN', 'China', 'China', 'Chine'],
] as const;

describe('purchaser-autofill country names', () => {
  for (const [code, en, es, fr] of NAMES) {
    it(`names ${code} ${en} / ${es} / ${fr}, and knows it by each name`, () => {
      expect([countryName(code, 'en'), countryName(code, 'es'), countryName(code, 'fr'), countryName(code, 'de')]).to.deep.equal([en, es, fr, en]);
      for (const name of [en, es, fr]) expect(countryName(name.toUpperCase(), 'en'), name).to.equal(en);
    });
  }

  it('knows a country by its alpha-3 code and its aliases, and no other', () => {
    expect(countryName('usa', 'fr')).to.equal('États-Unis');
    expect(countryName('Estados Unidos de América', 'en')).to.equal('United States');
    expect(countryName('Great Britain', 'es')).to.equal('Reino Unido');
    expect(countryName('NLD', 'es')).to.equal('Países Bajos');
    expect(countryName('ZZ', 'en')).to.equal(undefined);
    expect(countryName('Atlantis', 'en')).to.equal(undefined);
  });
});
