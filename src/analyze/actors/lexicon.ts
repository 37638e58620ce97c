// Actor word lists and the name tagger's weights, loaded from data/actors/ (and the world-countries
// package) into lookup structures once, then passed into findActors. See data/actors/README.md.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import type { ActorKind, MentionType } from '../types.js';
import { modelFromJson, type Gazetteer, type NerModel, type StoredNerModel } from './ner.js';
import { compileStateCues, type StateCues } from './states.js';

/** What a lexicon phrase names. */
export interface LexEntry {
  kind: ActorKind;
  /** Canonical name of the actor ("Ukraine", "United Nations", "Anchorage", "Europe"). */
  name: string;
  /** ISO alpha-3 of the country (the country itself for kind country). */
  country?: string;
  type: MentionType;
  rule: string;
  /** An organisation's short form, kept as a variant. */
  abbr?: string;
}

/**
 * The entry in its one shape (every field present, `undefined` where the data has none): the
 * scanner reads entries of every origin at the same places, and one shape keeps those reads fast.
 */
export function lexEntry(e: LexEntry): LexEntry {
  return { kind: e.kind, name: e.name, country: e.country, type: e.type, rule: e.rule, abbr: e.abbr };
}

/** Title facts in their one shape (see `lexEntry`). */
function titleInfo(t: TitleInfo): TitleInfo {
  return { leader: t.leader, gender: t.gender };
}

export interface Phrase {
  tokens: string[];
  entry: LexEntry;
}

export interface TitleInfo {
  leader?: boolean;
  gender?: 'm' | 'f';
}

export interface KnownPerson {
  name: string;
  variants: string[];
  country?: string;
  title?: string;
  gender?: 'm' | 'f';
}

export interface ActorLexicon {
  /** First token (as written) → phrases starting with it, longest first. */
  phrases: Map<string, Phrase[]>;
  /** Title heads, lower-cased, possibly several words ("prime minister"). */
  titleHeads: Map<string, TitleInfo>;
  /** Longest title head in tokens, to bound the look-ahead. */
  maxTitleTokens: number;
  /** Words that may stand before a title head ("foreign", "press", "deputy"). */
  titleModifiers: Set<string>;
  /** Mr./Mrs./Dr. → gender ('' when none). */
  honorifics: Map<string, string>;
  /** Plural role noun → singular ("officials" → "official"). */
  plurals: Map<string, string>;
  /** Role nouns that, after "the"/"a", make a descriptor mention of a person. */
  personRoles: Set<string>;
  /** Role nouns that name a collective (allies, forces, government). */
  groupRoles: Set<string>;
  /** Nouns that, after "the", refer back to an organisation ("the company", "the campaign"). */
  orgNouns: Set<string>;
  /** Lemmas of speech verbs: a capitalised word right before one is a name ("Pate said"). */
  speechVerbs: Set<string>;
  /** Lower-case particles inside names ("bin", "von"), from grammar.json. */
  nameParticles: Set<string>;
  /** Prepositions after which a capital is the city, not its government ("talks in Moscow"). */
  locatives: Set<string>;
  /** Nouns that after a leader's name stand for the country ("Trump administration"). */
  leaderGovernment: Set<string>;
  /** Verbs after which "it" is usually pleonastic ("it seems"). */
  pleonasticItVerbs: Set<string>;
  /** "leader": matches any person whose title is a leader title. */
  leaderWords: Set<string>;
  /** "<country> government", "<leader> administration": the country itself. */
  governmentWords: Set<string>;
  /** Given name → 'm' | 'f'. */
  givenNames: Map<string, 'm' | 'f'>;
  /** Capitalised words that never name a person (days, months, institutions). */
  notNames: Set<string>;
  /** Known people by surname key (see names.ts). */
  people: KnownPerson[];
  /** ISO alpha-3 → common name and demonym. */
  countries: Map<string, { name: string; demonym?: string }>;
  ner: NerModel | null;
  /** Cue words by which a text shows a name is a state (data/actors/states.json); absent = no discovery. */
  states?: StateCues;
}

/** Environment variable naming a user actor file (same shape as aliases.json, plus `states`), merged at load time. */
export const USER_ACTORS_ENV = 'PARLEY_ACTORS';

/** A state declared in a user actor file. */
export interface UserState {
  name: string;
  /** The user's code for it (used as the actors' `country`), e.g. "VLD". */
  code: string;
  demonyms?: string[];
  /** Other names: "Republic of Veldra", seats of government. */
  aliases?: string[];
  capital?: string;
}

interface AliasesFile {
  countries?: Record<string, string>;
  demonyms?: Record<string, string>;
  people?: KnownPerson[];
  groups?: Record<string, string>;
  orgs?: Record<string, { name: string; country?: string }>;
  states?: UserState[];
}

/** Read and check a user actor file; a bad file is a one-line error naming it. */
export function readUserActors(file: string): AliasesFile {
  let j: unknown;
  try {
    j = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    throw new Error(`${USER_ACTORS_ENV} file ${file}: ${(e as Error).message}`);
  }
  if (!j || typeof j !== 'object' || Array.isArray(j)) throw new Error(`${USER_ACTORS_ENV} file ${file}: expected a JSON object`);
  const f = j as AliasesFile;
  for (const st of f.states ?? []) {
    if (!st || typeof st.name !== 'string' || typeof st.code !== 'string' || !st.name.trim() || !st.code.trim()) throw new Error(`${USER_ACTORS_ENV} file ${file}: every state needs a "name" and a "code"`);
  }
  for (const k of ['countries', 'demonyms', 'groups', 'orgs'] as const) {
    if (f[k] !== undefined && (typeof f[k] !== 'object' || Array.isArray(f[k]))) throw new Error(`${USER_ACTORS_ENV} file ${file}: "${k}" must be an object`);
  }
  if (f.people !== undefined && !Array.isArray(f.people)) throw new Error(`${USER_ACTORS_ENV} file ${file}: "people" must be a list`);
  return f;
}

const require = createRequire(import.meta.url);

/** Lexicon phrases are split like wink splits text: on spaces, hyphens and a possessive 's. */
export function phraseTokens(s: string): string[] {
  return s
    .split(/\s+/)
    .flatMap((w) => w.split(/(-)/))
    .filter(Boolean);
}

function readJson<T>(file: string): T | null {
  return fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as T) : null;
}

interface WorldCountry {
  name: { common: string; official: string };
  cca2: string;
  cca3: string;
  capital?: string[];
  altSpellings?: string[];
  demonyms?: { eng?: { m: string; f: string } };
  independent?: boolean;
}

interface TitlesFile {
  heads: Record<string, TitleInfo>;
  modifiers: string[];
  honorifics: Record<string, string>;
  plurals: Record<string, string>;
  leaderWords: string[];
  governmentWords: string[];
  personRoleNouns: string[];
  groupNouns: string[];
  orgNouns?: string[];
  speechVerbs?: string[];
}

/** The word classes the name tagger uses as features (see ner.ts `Gazetteer`). */
export function gazetteerOf(phrases: Map<string, Phrase[]>, heads: Map<string, TitleInfo>, honorifics: Map<string, string>, given: Map<string, string>): Gazetteer {
  return {
    given: new Set(given.keys()),
    title: new Set([...[...heads.keys()].map((h) => h.split(/[\s-]/)[0]!), ...honorifics.keys()]),
    lex: new Set(phrases.keys()),
  };
}

/** Load the actor lexicon from `<dataDir>/actors/`; missing files give empty lists (tests use fixtures). */
export function loadActorLexicon(dataDir: string, opts: { countries?: boolean; userFile?: string } = {}): ActorLexicon {
  const dir = path.join(dataDir, 'actors');
  const userFile = 'userFile' in opts ? opts.userFile : process.env[USER_ACTORS_ENV] || undefined;
  const user = userFile ? readUserActors(userFile) : null;
  const phrases = new Map<string, Phrase[]>();
  /** Phrases added so far, their tokens joined by spaces. */
  const added = new Set<string>();
  const add = (text: string, entry: LexEntry): void => {
    const tokens = phraseTokens(text);
    if (tokens.length === 0) return;
    // The first entry added for a phrase wins (countries before cities, names before aliases).
    const joined = tokens.join(' ');
    if (added.has(joined)) return;
    added.add(joined);
    const list = phrases.get(tokens[0]!);
    if (list) list.push({ tokens, entry: lexEntry(entry) });
    else phrases.set(tokens[0]!, [{ tokens, entry: lexEntry(entry) }]);
  };
  const countries = new Map<string, { name: string; demonym?: string }>();

  // The user's own states first: their names and codes win over anything else.
  for (const st of user?.states ?? []) {
    const base = { kind: 'country' as const, name: st.name, country: st.code };
    countries.set(st.code, { name: st.name, ...(st.demonyms?.[0] ? { demonym: st.demonyms[0] } : {}) });
    add(st.name, { ...base, type: 'name', rule: 'lexicon:user:state' });
    for (const a of st.aliases ?? []) add(a, { ...base, type: 'alias', rule: 'lexicon:user:state-alias' });
    if (st.capital) add(st.capital, { ...base, type: 'alias', rule: 'lexicon:user:capital' });
    for (const d of st.demonyms ?? []) add(d, { ...base, type: 'demonym', rule: 'lexicon:user:demonym' });
  }

  if (opts.countries !== false) {
    // Sovereign states first, so a shared demonym or name ("French") goes to France, not a territory.
    const wc = [...(require('world-countries') as WorldCountry[])].sort((x, y) => Number(y.independent === true) - Number(x.independent === true));
    // Official and common names first, so a city or alias never shadows a country.
    for (const c of wc) {
      const base = { kind: 'country' as const, name: c.name.common, country: c.cca3 };
      countries.set(c.cca3, { name: c.name.common, ...(c.demonyms?.eng ? { demonym: c.demonyms.eng.m } : {}) });
      add(c.name.common, { ...base, type: 'name', rule: 'lexicon:world-countries:name' });
      add(c.name.official, { ...base, type: 'name', rule: 'lexicon:world-countries:name' });
    }
    for (const c of wc) {
      const base = { kind: 'country' as const, name: c.name.common, country: c.cca3 };
      // Two-letter codes in altSpellings ("IN", "AT") collide with words; the aliases file adds US, UK.
      for (const a of c.altSpellings ?? []) if (a.length > 3 && /^\p{Lu}/u.test(a)) add(a, { ...base, type: 'alias', rule: 'lexicon:world-countries:alt-spelling' });
      for (const cap of c.capital ?? []) add(cap, { ...base, type: 'alias', rule: 'lexicon:world-countries:capital' });
      const d = c.demonyms?.eng;
      if (d) for (const dn of new Set([d.m, d.f])) if (dn) add(dn, { ...base, type: 'demonym', rule: 'lexicon:world-countries:demonym' });
    }
  }
  const shipped = readJson<AliasesFile>(path.join(dir, 'aliases.json'));
  // A user entry replaces a shipped one of the same name.
  const aliases: AliasesFile = {
    countries: { ...shipped?.countries, ...user?.countries },
    demonyms: { ...shipped?.demonyms, ...user?.demonyms },
    groups: { ...shipped?.groups, ...user?.groups },
    orgs: { ...shipped?.orgs, ...user?.orgs },
    people: [...(user?.people ?? []), ...(shipped?.people ?? [])],
  };
  for (const [alias, cc] of Object.entries(aliases?.countries ?? {})) {
    const name = countries.get(cc)?.name ?? cc;
    add(alias, { kind: 'country', name, country: cc, type: 'alias', rule: 'lexicon:aliases' });
  }
  for (const [dn, cc] of Object.entries(aliases?.demonyms ?? {})) {
    add(dn, { kind: 'country', name: countries.get(cc)?.name ?? cc, country: cc, type: 'demonym', rule: 'lexicon:aliases:demonym' });
  }
  for (const [g, cc] of Object.entries(aliases?.groups ?? {})) {
    add(g, { kind: 'group', name: g, ...(cc ? { country: cc } : {}), type: 'name', rule: 'lexicon:aliases:group' });
  }
  for (const [o, e] of Object.entries(aliases?.orgs ?? {})) {
    add(o, { kind: 'organization', name: e.name, ...(e.country ? { country: e.country } : {}), ...(o !== e.name ? { abbr: o } : {}), type: o === e.name ? 'name' : 'alias', rule: 'lexicon:aliases:org' });
  }
  const regions = readJson<{ regions: Array<{ name: string; demonyms: string[] }>; subdivisions: Record<string, string[]> }>(path.join(dir, 'regions.json'));
  for (const r of regions?.regions ?? []) {
    const name = r.name.replace(/^the /, '');
    add(name, { kind: 'group', name: r.name, type: 'name', rule: 'lexicon:regions' });
    for (const d of r.demonyms) add(d, { kind: 'group', name: r.name, type: 'demonym', rule: 'lexicon:regions:demonym' });
  }
  const orgs = readJson<{ orgs: Array<{ name: string; abbr?: string; variants: string[] }> }>(path.join(dir, 'orgs.json'));
  for (const o of orgs?.orgs ?? []) {
    const e = { kind: 'organization' as const, name: o.name, ...(o.abbr ? { abbr: o.abbr } : {}) };
    add(o.name, { ...e, type: 'name', rule: 'lexicon:orgs' });
    for (const v of o.variants) add(v, { ...e, type: 'name', rule: 'lexicon:orgs' });
    if (o.abbr && /^[A-Z][A-Za-z.-]{1,9}$/.test(o.abbr) && /[A-Z].*[A-Z]/.test(o.abbr)) add(o.abbr, { ...e, type: 'alias', rule: 'lexicon:orgs:abbreviation' });
  }
  for (const [cc, names] of Object.entries(regions?.subdivisions ?? {})) {
    for (const n of names) add(n, { kind: 'place', name: n, country: cc, type: 'name', rule: 'lexicon:regions:subdivision' });
  }
  const places = readJson<{ places: Record<string, [string, number]> }>(path.join(dir, 'places.json'));
  for (const [n, [cc]] of Object.entries(places?.places ?? {})) add(n, { kind: 'place', name: n, country: cc, type: 'name', rule: 'lexicon:places' });
  for (const list of phrases.values()) list.sort((a, b) => b.tokens.length - a.tokens.length);

  const titles = readJson<TitlesFile>(path.join(dir, 'titles.json'));
  const titleHeads = new Map<string, TitleInfo>();
  for (const [h, t] of Object.entries(titles?.heads ?? {})) titleHeads.set(h, titleInfo(t));
  let maxTitleTokens = 1;
  for (const h of titleHeads.keys()) maxTitleTokens = Math.max(maxTitleTokens, phraseTokens(h).length);
  const given = readJson<{ male: string[]; female: string[]; notNames?: string[] }>(path.join(dir, 'given-names.json'));
  const givenNames = new Map<string, 'm' | 'f'>();
  for (const n of given?.male ?? []) givenNames.set(n, 'm');
  for (const n of given?.female ?? []) givenNames.set(n, 'f');
  const grammar = readJson<{ nameParticles: string[]; locativePrepositions: string[]; leaderGovernment: string[]; pleonasticItVerbs: string[] }>(path.join(dir, 'grammar.json'));
  const stored = readJson<StoredNerModel>(path.join(dir, 'ner-model.json'));
  const ner = stored ? modelFromJson(stored) : null;
  const honorifics = new Map(Object.entries(titles?.honorifics ?? {}));
  const statesFile = readJson<Parameters<typeof compileStateCues>[0]>(path.join(dir, 'states.json'));
  if (ner) ner.gaz = gazetteerOf(phrases, titleHeads, honorifics, givenNames);
  return {
    phrases,
    titleHeads,
    maxTitleTokens,
    titleModifiers: new Set(titles?.modifiers ?? []),
    honorifics,
    plurals: new Map(Object.entries(titles?.plurals ?? {})),
    personRoles: new Set(titles?.personRoleNouns ?? []),
    groupRoles: new Set(titles?.groupNouns ?? []),
    leaderWords: new Set(titles?.leaderWords ?? []),
    nameParticles: new Set(grammar?.nameParticles ?? []),
    locatives: new Set(grammar?.locativePrepositions ?? []),
    leaderGovernment: new Set(grammar?.leaderGovernment ?? []),
    pleonasticItVerbs: new Set(grammar?.pleonasticItVerbs ?? []),
    orgNouns: new Set(titles?.orgNouns ?? []),
    speechVerbs: new Set(titles?.speechVerbs ?? []),
    governmentWords: new Set(titles?.governmentWords ?? []),
    givenNames,
    notNames: new Set(given?.notNames ?? []),
    people: aliases.people ?? [],
    countries,
    ner,
    ...(statesFile ? { states: compileStateCues(statesFile) } : {}),
  };
}
