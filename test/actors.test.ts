// Actors: the reference article's actors table (../shared/seeds/EXPECTED.md) row by row, and small
// texts written for these tests (title + name, apposition, possessive, pronouns, variants, aliases).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { segment } from '../src/analyze/segment.js';
import { findActors } from '../src/analyze/actors/index.js';
import { loadActorLexicon, type ActorLexicon } from '../src/analyze/actors/lexicon.js';
import { dataDir } from '../src/analyze/lexicons.js';
import { nameKey } from '../src/analyze/actors/names.js';
import { tag, tagSlow } from '../src/analyze/actors/ner.js';
import { DEV_RANGE, inRange, readGmb } from '../scripts/actor-gmb.js';
import type { Actor } from '../src/analyze/types.js';
import { SHARED, sharedAvailable } from './helpers.js';

const lex: ActorLexicon = loadActorLexicon(dataDir());

function run(text: string, l: ActorLexicon = lex): { actors: Actor[]; text: string; forms: (a: Actor) => string[] } {
  const actors = findActors(segment(text), l);
  return { actors, text, forms: (a) => a.mentions.map((m) => text.slice(m.start, m.end)) };
}
const byName = (actors: Actor[], re: RegExp): Actor | undefined => actors.find((a) => re.test(a.name));

/** Every span slices back, mentions are sorted, and no two mentions (of any actors) overlap. */
function invariants(actors: Actor[], text: string): void {
  const all = actors.flatMap((a) => a.mentions.map((m) => ({ ...m, id: a.id })));
  for (const a of actors) {
    const starts = a.mentions.map((m) => m.start);
    expect(starts).toEqual([...starts].sort((x, y) => x - y));
    for (const m of a.mentions) {
      expect(m.start).toBeLessThan(m.end);
      expect(text.slice(m.start, m.end).trim()).toBe(text.slice(m.start, m.end));
      expect(m.rule.length).toBeGreaterThan(0);
    }
  }
  all.sort((x, y) => x.start - y.start);
  for (let i = 1; i < all.length; i++) expect(all[i]!.start, `${all[i - 1]!.id} and ${all[i]!.id} overlap`).toBeGreaterThanOrEqual(all[i - 1]!.end);
  expect(new Set(actors.map((a) => a.id)).size).toBe(actors.length);
}

// ---- The reference article ----------------------------------------------------------------
const SEED = 'seeds/000_a309f49bf0c5d612.txt';
const haveSeed = sharedAvailable(SEED) && sharedAvailable('seeds/EXPECTED.md');

interface Row { actor: string; kind: string; title: string; country: string; forms: string[] }

/** The "Actors" table of EXPECTED.md. */
function expectedRows(): Row[] {
  const md = fs.readFileSync(path.join(SHARED, 'seeds/EXPECTED.md'), 'utf8');
  const table = md.split('## Actors')[1]!.split('\n## ')[0]!;
  return table
    .split('\n')
    .filter((l) => l.startsWith('|') && !/^\|\s*(actor|---)/.test(l))
    .map((l) => l.split('|').slice(1, -1).map((c) => c.trim()))
    .map(([actor, kind, title, country, forms]) => ({
      actor: actor!, kind: kind!, title: title!, country: country!,
      forms: [...forms!.matchAll(/"([^"]+)"/g)].map((m) => m[1]!),
    }));
}

describe.skipIf(!haveSeed)('actors on the reference article', () => {
  const text = haveSeed ? fs.readFileSync(path.join(SHARED, SEED), 'utf8') : '';
  const { actors } = haveSeed ? run(text) : { actors: [] as Actor[] };
  const rows = haveSeed ? expectedRows() : [];

  it('reads the expected table', () => expect(rows.length).toBeGreaterThanOrEqual(10));

  /** The actor a row describes: by country for countries, by a word of its name otherwise. */
  function find(row: Row): Actor | undefined {
    if (row.kind === 'country') return actors.find((a) => a.kind === 'country' && a.country === row.country);
    if (row.kind === 'group') return actors.find((a) => a.kind === 'group' && a.name.toLowerCase().includes(row.actor.split(/[ /]/)[0]!.toLowerCase()));
    if (/unnamed/.test(row.actor)) return actors.find((a) => a.kind === 'person' && (a.title ?? '').toLowerCase() === row.title.toLowerCase() && a.country === row.country);
    const words = row.actor.split(/\s+/).map(nameKey);
    return actors.find((a) => a.kind === row.kind && a.name.split(/\s+/).some((w) => words.includes(nameKey(w))));
  }

  for (const row of rows) {
    it(`${row.actor}: ${row.kind}${row.title ? ', ' + row.title : ''}${/^[A-Z]{3}$/.test(row.country) ? ', ' + row.country : ''}`, () => {
      const a = find(row);
      expect(a, `an actor for ${row.actor}`).toBeDefined();
      expect(a!.kind).toBe(row.kind);
      if (row.title) expect((a!.title ?? '').toLowerCase()).toBe(row.title.toLowerCase());
      if (/^[A-Z]{3}$/.test(row.country)) expect(a!.country).toBe(row.country);
      // Each surface form: at least one occurrence is (or contains) a mention of this actor.
      for (const form of row.forms) {
        const re = new RegExp(`(?<![\\p{L}])${form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}])`, 'gu');
        let occ = [...text.matchAll(re)].map((m) => ({ start: m.index!, end: m.index! + form.length }));
        // The table lists some forms in both cases ("The/the Ukrainian leader"); match the one written.
        if (!occ.length) occ = [...text.matchAll(new RegExp(re.source, 'giu'))].map((m) => ({ start: m.index!, end: m.index! + form.length }));
        expect(occ.length, `"${form}" occurs in the text`).toBeGreaterThan(0);
        const hit = occ.some((o) => a!.mentions.some((m) => m.start >= o.start && m.end <= o.end && m.end > m.start));
        expect(hit, `"${form}" is a mention of ${a!.name}`).toBe(true);
      }
    });
  }

  it('holds without the known-people list, except the one country the text never gives (Putin\'s)', () => {
    const bare = run(text, { ...lex, people: [] }).actors;
    const p = (re: RegExp): Actor => bare.find((a) => a.kind === 'person' && re.test(a.name))!;
    expect([p(/Zelensk/).title, p(/Zelensk/).country]).toEqual(['President', 'UKR']);
    expect([p(/Trump/).title, p(/Trump/).country]).toEqual(['President', 'USA']);
    expect([p(/Lavrov/).title, p(/Lavrov/).country]).toEqual(['Foreign Minister', 'RUS']);
    expect([p(/Driscoll/).title, p(/Driscoll/).country]).toEqual(['Army Secretary', 'USA']);
    expect([p(/Leavitt/).title, p(/Leavitt/).country]).toEqual(['press secretary', 'USA']);
    expect(p(/Putin/).title).toBe('President');
  });

  it('finds the places with their countries', () => {
    for (const [name, cc] of [['Alaska', 'USA'], ['Anchorage', 'USA'], ['Abu Dhabi', 'ARE']] as const) {
      const p = actors.find((a) => a.kind === 'place' && a.name === name);
      expect(p, name).toBeDefined();
      expect(p!.country).toBe(cc);
    }
  });

  it('resolves each pronoun that is a quote source to the right person', () => {
    const who = (needle: string, nth = 0): string | undefined => {
      let at = -1;
      for (let i = 0; i <= nth; i++) at = text.indexOf(needle, at + 1);
      const off = at + needle.search(/\b(he|He|She|his)\b/);
      return actors.find((a) => a.mentions.some((m) => m.start === off))?.name;
    };
    expect(who('what he termed')).toMatch(/Zelensk/);
    expect(who('He stressed')).toMatch(/Zelensk/);
    expect(who('He warned')).toMatch(/Zelensk/);
    expect(who('though he provided')).toMatch(/Trump/);
    expect(who('She described')).toMatch(/Leavitt/);
    expect(who('During his address')).toMatch(/Zelensk/);
  });

  it('keeps mentions disjoint, sorted and slicing back; ids are stable', () => {
    invariants(actors, text);
    expect(run(text).actors).toEqual(actors);
    expect(actors.find((a) => a.country === 'UKR' && a.kind === 'country')!.id).toBe('country:UKR');
  });
});

// ---- Small texts written for these tests ---------------------------------------------------
describe('actors on small texts', () => {
  it('title + name with a demonym: title and country', () => {
    const { actors, forms, text } = run('Kenyan Foreign Minister Amara Odhiambo said on Monday that talks would resume. Odhiambo did not give a date.');
    const p = byName(actors, /Odhiambo/)!;
    expect(p.name).toBe('Amara Odhiambo');
    expect(p.kind).toBe('person');
    expect(p.title).toBe('Foreign Minister');
    expect(p.country).toBe('KEN');
    expect(forms(p)).toEqual(['Amara Odhiambo', 'Odhiambo']);
    expect(forms(actors.find((a) => a.id === 'country:KEN')!)).toEqual(['Kenyan']);
    invariants(actors, text);
  });

  it('apposition: "X, the defence minister," gives title, country and a descriptor mention', () => {
    const { actors, forms } = run('Tomas Berglund, the Swedish defence minister, said the exercise would go ahead. The minister spoke in Stockholm.');
    const p = byName(actors, /Berglund/)!;
    expect(p.title).toBe('defence minister');
    expect(p.country).toBe('SWE');
    expect(forms(p)).toContain('the Swedish defence minister');
    expect(forms(p)).toContain('The minister');
  });

  it('possessive: the mention is the name without "\'s"', () => {
    const { actors, forms } = run("Defense Secretary Laura Kemper's visit to the base was cancelled, officials said.");
    const p = byName(actors, /Kemper/)!;
    expect(forms(p)).toEqual(['Laura Kemper']);
    expect(p.title).toBe('Defense Secretary');
  });

  it('pronouns across sentences go to the person of the right gender', () => {
    const text = 'Prime Minister Anna Lindqvist met President Marcus Hale in Geneva on Friday. She said the talks had been useful. He declined to comment, and his aides left early.';
    const { actors, forms } = run(text);
    expect(forms(byName(actors, /Lindqvist/)!)).toEqual(['Anna Lindqvist', 'She']);
    expect(forms(byName(actors, /Hale/)!)).toEqual(['Marcus Hale', 'He', 'his']);
  });

  it('a pronoun goes to the subject of the previous sentence over a later object', () => {
    const { actors, forms } = run('Senator Ruth Okafor questioned Admiral Jane Pryce for an hour. She then told reporters the hearing was over.');
    expect(forms(byName(actors, /Okafor/)!)).toContain('She');
    expect(forms(byName(actors, /Pryce/)!)).not.toContain('She');
  });

  it('namesakes: "Mrs. X" goes to the woman of that surname, a bare surname to the last one named', () => {
    const text = 'Bill Hartley and Susan Hartley arrived together on Monday. Mrs. Hartley said the trip was long. Bill Hartley disagreed, and Hartley left.';
    const { actors, forms } = run(text);
    expect(forms(byName(actors, /Susan/)!)).toEqual(['Susan Hartley', 'Hartley']);
    expect(forms(byName(actors, /Bill/)!)).toEqual(['Bill Hartley', 'Bill Hartley', 'Hartley']);
  });

  it('merges transliteration variants of a surname', () => {
    const { actors } = run('Andriy Kovalskyy, a Ukrainian negotiator, arrived on Sunday. Kovalsky said the talks were hard. Later Kovalskiy left.');
    const ps = actors.filter((a) => a.kind === 'person');
    expect(ps).toHaveLength(1);
    expect(ps[0]!.name).toBe('Andriy Kovalskyy');
    expect(ps[0]!.mentions.filter((m) => m.type === 'name')).toHaveLength(3);
    expect(ps[0]!.variants).toEqual(expect.arrayContaining(['Kovalsky', 'Kovalskiy']));
  });

  it('a capital stands for its country; after "in" it is the city', () => {
    const { actors, forms } = run('Warsaw rejected the proposal on Tuesday. Talks in Warsaw will resume next week, Poland said.');
    const pol = actors.find((a) => a.id === 'country:POL')!;
    expect(forms(pol)).toEqual(['Warsaw', 'Poland']);
    expect(pol.mentions[0]!.type).toBe('alias');
    const city = actors.find((a) => a.kind === 'place' && a.name === 'Warsaw')!;
    expect(city.country).toBe('POL');
  });

  it('international organisations from the gazetteer, with their abbreviations', () => {
    const { actors, forms } = run('The North Atlantic Treaty Organization said it would meet. NATO declined to comment, and the U.N. said nothing.');
    const nato = actors.find((a) => a.kind === 'organization' && /North Atlantic Treaty/.test(a.name))!;
    expect(forms(nato)).toEqual(['North Atlantic Treaty Organization', 'NATO']);
    expect(nato.variants).toContain('NATO');
    expect(actors.find((a) => a.kind === 'organization' && a.name === 'United Nations')).toBeDefined();
  });

  it('descriptors: "a … negotiator" is a new unnamed person, "the negotiator" refers back to it', () => {
    const { actors, forms } = run('A Chilean negotiator said the draft was close to final. "We are nearly there," the negotiator added.');
    const p = actors.find((a) => a.kind === 'person')!;
    expect(p.title).toBe('negotiator');
    expect(p.country).toBe('CHL');
    expect(forms(p)).toEqual(['A Chilean negotiator', 'the negotiator']);
  });

  it('groups: "<demonym> officials" is a group with a country; a region\'s demonym is the region', () => {
    const { actors, forms } = run('Kenyan officials said the vote would be delayed. European leaders welcomed the decision, and they urged calm.');
    const g = actors.find((a) => a.kind === 'group' && a.country === 'KEN')!;
    expect(forms(g)).toEqual(['Kenyan officials']);
    const eu = actors.find((a) => a.kind === 'group' && a.name === 'Europe')!;
    expect(forms(eu)).toEqual(['European leaders', 'they']);
  });

  it('"<leader> administration" is the leader\'s country', () => {
    const { actors, forms } = run('French President Lucien Marchetti spoke on Monday. The Marchetti administration later denied the report.');
    expect(forms(actors.find((a) => a.id === 'country:FRA')!)).toEqual(['French', 'Marchetti administration']);
  });

  it('relative "who", a name before a speech verb, and "the company" back to an organisation', () => {
    const text = 'The Vantor Mining Company cut 300 jobs on Monday. The company said demand had fallen. Okonkwo said the cuts were unfair. Grace Mbeki, who leads the union, disagreed.';
    const { actors, forms } = run(text);
    const org = actors.find((a) => a.kind === 'organization')!;
    expect(forms(org)).toContain('The company');
    expect(actors.find((a) => a.kind === 'person' && a.name === 'Okonkwo')).toBeDefined();
    expect(forms(byName(actors, /Mbeki/)!)).toEqual(['Grace Mbeki', 'who']);
  });

  it('headlines: a person named in the body is found in the headline too', () => {
    const text = 'Odhiambo Rejects Offer\n\nKenyan Foreign Minister Amara Odhiambo rejected the offer on Monday.';
    const { actors, forms } = run(text);
    expect(forms(byName(actors, /Odhiambo/)!)).toEqual(['Odhiambo', 'Amara Odhiambo']);
  });

  it('"the president" is a title mention of the president named before', () => {
    const text = 'President Amadou Diallo met reporters on Monday. The president said the vote would go ahead.';
    const { actors } = run(text);
    const p = byName(actors, /Diallo/)!;
    const m = p.mentions.find((x) => text.slice(x.start, x.end) === 'The president');
    expect(m?.type).toBe('title');
  });

  it('"they" goes to a group and "its" to an organisation or country', () => {
    const text = 'Kenyan officials met the World Health Organization on Monday. They said its report was late.';
    const { actors, forms } = run(text);
    expect(forms(actors.find((a) => a.kind === 'group' && a.country === 'KEN')!)).toEqual(['Kenyan officials', 'They']);
    expect(forms(actors.find((a) => a.kind === 'organization')!)).toEqual(['World Health Organization', 'its']);
  });

  it('takes a user alias file (the lexicon is passed in, not imported)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'parley-actors-'));
    fs.mkdirSync(path.join(dir, 'actors'));
    fs.writeFileSync(path.join(dir, 'actors', 'aliases.json'), JSON.stringify({ countries: { 'Foggy Bottom': 'USA' }, demonyms: {}, people: [] }));
    const custom = loadActorLexicon(dir);
    const { actors, forms } = run('Foggy Bottom issued a statement.', custom);
    expect(forms(actors.find((a) => a.id === 'country:USA')!)).toEqual(['Foggy Bottom']);
    expect(run('Foggy Bottom issued a statement.').actors.find((a) => a.id === 'country:USA')).toBeUndefined();
  });

  it('is deterministic and survives odd input', () => {
    const text = 'He said. "They" — it — she? ’s Mr. . President , the the officials';
    expect(run(text).actors).toEqual(run(text).actors);
    invariants(run(text).actors, text);
    expect(run('').actors).toEqual([]);
  });
});

describe.skipIf(!sharedAvailable('data/gmb/ner_dataset.csv.zip'))('name tagger', () => {
  it('the fast template-keyed tagger agrees with the string-feature tagger used in training', () => {
    const dev = readGmb()!.filter((x) => inRange(x, DEV_RANGE)).slice(0, 1500);
    let diff = 0, named = 0;
    for (const x of dev) {
      const a = tag(lex.ner!, x.words), b = tagSlow(lex.ner!, x.words);
      for (let i = 0; i < a.length; i++) { if (a[i] !== b[i]) diff++; if (a[i] !== 'O') named++; }
    }
    expect(named).toBeGreaterThan(1000);
    expect(diff).toBe(0);
  });
});
