// Stage 1 — segment: text → tokens (wink-nlp), headlines, section headings, paragraphs, sentences.
// wink-nlp gives tokens, sentences and POS but keeps only each token's preceding spaces; we restore
// character offsets so every later stage works on spans of the one original text.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type WinkNLP from 'wink-nlp';
import type { Paragraph, Section, Sentence, Span, Structure, Token } from './types.js';
import { columnOf, compileMachine, FormIndex, recognize, SKIP_COLUMN, type Machine } from './segment-wink.js';

/** A heading or headline line has at most this many words. */
export const MAX_HEADING_WORDS = 16;
/** A line longer than this many characters is body text, never a heading. */
export const MAX_HEADING_CHARS = 140;

const requireCjs = createRequire(import.meta.url);
type WinkInstance = ReturnType<typeof WinkNLP>;
/**
 * wink-nlp and its public model, loaded on first use only: segment() reads through its own reader
 * (below), which loads the model's parts itself, so a worker never pays for the public model (whose
 * package parses its 3 MB core JSON as soon as it is required).
 */
function publicWink(): { winkNLP: typeof WinkNLP; model: unknown } {
  return { winkNLP: requireCjs('wink-nlp') as typeof WinkNLP, model: requireCjs('wink-eng-lite-web-model') };
}

// Loading the model is the costly part (~150 ms); do it once per process.
let nlpInstance: WinkInstance | null = null;
/** wink-nlp with its default pipe (all annotations): the reference `npm run bench` compares against. */
export function nlp(): WinkInstance {
  if (!nlpInstance) {
    const { winkNLP, model } = publicWink();
    nlpInstance = winkNLP(model as Parameters<typeof WinkNLP>[0]);
  }
  return nlpInstance;
}

/**
 * The annotations segment() reads: sentence boundaries and POS (with lemmas). wink's negation,
 * sentiment and entity passes are never read, and leaving them out makes readDoc ~40% cheaper
 * with the same tokens, POS, lemmas and sentences (checked over all 924 PolNeAR articles).
 */
export const SEGMENT_PIPE = ['sbd', 'pos'];
let segmentInstance: WinkInstance | null = null;
/**
 * A public wink-nlp instance with SEGMENT_PIPE, for callers that tokenise a lone sentence (the
 * event coder's CLI and evaluation). segment() does not use it: it reads through segmentReader.
 */
export function segmenter(): WinkInstance {
  if (!segmentInstance) {
    const { winkNLP, model } = publicWink();
    segmentInstance = winkNLP(model as Parameters<typeof WinkNLP>[0], SEGMENT_PIPE);
  }
  return segmentInstance;
}

// ---------------------------------------------------------------------------------------------
// segment()'s own reader over wink-nlp's modules. It runs exactly the steps of wink's readDoc for
// the pipe SEGMENT_PIPE (tokenize → sbd automata → pos automata, with the model's transformers
// and setters), and differs in ways that make it cheaper with the same output:
//  1. It hands back wink's raw token array, which toTokens() reads in one pass, instead of a Doc
//     object read column by column through its.* calls.
//  2. What it learns is kept between texts without making a text's tokens depend on what was read
//     before it (see the cache wrapper below).
//  3. Two of wink's structures are replaced by typed-array ones (segment-wink.ts): the lexeme
//     table's form → id lookup (FormIndex) and the sbd/pos automata; the token mappers and the
//     transformers read per-id facts worked out once per reader (LexemeFacts).
// test/segment-reader.test.ts checks it against wink's public readDoc, and test/segment-wink.test.ts
// the two structures against wink's own, so a wink upgrade that changes these modules fails a test
// rather than the analysis.
/* eslint-disable @typescript-eslint/no-explicit-any */
type Fn = (...args: any[]) => any;
const WinkCache = requireCjs('wink-nlp/src/cache.js') as Fn;
const DocDataWrapper = requireCjs('wink-nlp/src/dd-wrapper.js') as Fn;
const winkTokenizer = requireCjs('wink-nlp/src/tokenizer.js') as Fn;
const compileTRex = requireCjs('wink-nlp/src/compile-trex.js') as Fn;
const winkIts = requireCjs('wink-nlp/src/its.js') as Record<string, Fn>;
/* eslint-enable @typescript-eslint/no-explicit-any */

/** wink's packed token layout: 4 numbers per token (constants.js). */
const TK = 4;
const PS_MASK = 0xffff;
const POS_MASK = 0x3f00000;
const BITS_LEMMA = 20;

/** One of the model tables wink builds and grows as it reads (lexemes, affixes, shapes…). */
interface FeatureTable {
  hash: Record<string, number>;
  list: string[];
  index: number;
  maxIndex?: number;
}
interface CoreModel {
  features: Record<string, FeatureTable>;
  /** The model's packed lexicon: `packing.size` numbers per model form. */
  lexicon: Uint32Array;
  /** Where each property sits in a packed entry: [word offset, mask, shift, …]. */
  packing: { size: number; layout: Record<string, number[]> };
  trex: unknown;
  tcat: { hash: Record<string, number> };
  preserve: unknown;
}
interface Machines {
  machines: string[];
  transformers: unknown[];
  setter: Fn;
  updater?: Fn;
}
interface WinkModel {
  core: () => CoreModel;
  sbd: () => Machines;
  pos: () => Machines;
  featureFn: Fn;
  addons: Record<string, unknown>;
}
/** wink's token cache (cache.js): the methods the reader uses or wraps. */
interface WinkCacheMethods {
  lookup: (text: string) => number[] | null;
  add: (text: string, category: number) => number;
  value: (index: number) => string;
  property: (index: number, prop: string) => unknown;
  intrinsicSize: () => number;
}
/** wink's raw document data (the `rdd` its readDoc builds). */
interface RawDoc {
  tokens: number[];
  sentences: Array<[number, number, number, number]>;
  nonBreakingSpaces: Record<number, string>;
  numOfTokens: number;
  cache: WinkCacheMethods;
}

/** GatedCache.lowerIsModelForm's mark. */
const YES = 1;

/**
 * Texts are read with a fresh view of what wink has learned, yet what it learned is kept:
 *
 * wink remembers every new word form it reads (the lexeme table, and the features of the form in
 * its cache), and its tokenizer looks a whole chunk up in that memory before splitting it:
 * "Rubio’s" is split into "Rubio" + "’s" by a fresh instance but kept whole once an earlier text
 * taught it "Rubio’s" (as a chunk of "Rubio’s," say). That lookup — whether a form is *known* —
 * is the one thing that depended on reading order: lexeme ids of learned forms differ with
 * history but are only ever compared with the model's own ids (which they never equal) or turned
 * back into their strings, and a form's cached features depend only on the form and the token
 * category it was first added with.
 *
 * So a learned form counts as known only to the text that learned it (`seenIn`): the tokenizer's
 * lookups see the model's forms plus the forms learned in the current text, as a fresh instance
 * would. When a later text adds the form again, its cached features are reused if they were
 * computed with the same category, which is what a fresh instance would compute; otherwise the
 * form is unlisted and learned afresh. Reusing saves re-deriving shape, affixes and POS guesses
 * of every out-of-vocabulary word in every text (~25% of segment's CPU).
 */
class GatedCache {
  readonly intrinsic: number;
  private readonly hash: Record<string, number>;
  /** `hash`, as a FormIndex: the gate's lookups go through it. */
  private readonly ids: FormIndex;
  /** Per learned form (id − intrinsic): the text that last learned or reused it. */
  private readonly seenIn: number[] = [];
  /** Per learned form: the token category its features were computed with. */
  private readonly category: number[] = [];
  private text = 0;
  private inAdd = false;
  /**
   * The last form looked up and its id: wink's tokenizer asks about the same chunk up to four
   * times in a row (isLexeme twice, then lookup, then add), and a probe of the 88k-entry lexeme
   * table is the costliest step of tokenising.
   */
  private lastForm: string | null = null;
  /** The id of lastForm, -1 when it is not in the table (a number either way, so the field keeps one representation). */
  private lastId = -1;
  /** lookup()'s answer for a single id. Its callers (dd-wrapper, tokenizer, feature.js) read it at once and never keep it. */
  private readonly one = [0];

  /**
   * Per model form: YES once its lowercase is known to be a model form too (itself, or another),
   * when add() has nothing to do but return its id — without lowercasing it and looking that up.
   */
  private readonly lowerIsModelForm: Uint8Array;

  /** The model's packed lexicon and where isContraction sits in it (see isContraction()). */
  private readonly lexicon: Uint32Array;
  private readonly packSize: number;
  private readonly contractionAt: number;
  private readonly contractionMask: number;
  private readonly contractionShift: number;

  constructor(cache: WinkCacheMethods, core: CoreModel) {
    this.intrinsic = cache.intrinsicSize();
    this.lowerIsModelForm = new Uint8Array(this.intrinsic);
    this.hash = core.features.lexeme!.hash;
    const list = core.features.lexeme!.list;
    this.ids = new FormIndex(list, list.length);
    this.lexicon = core.lexicon;
    this.packSize = core.packing.size;
    const layout = core.packing.layout.isContraction!;
    this.contractionAt = layout[0]!;
    this.contractionMask = layout[1]!;
    this.contractionShift = layout[2]!;
    const lookup = cache.lookup;
    const add = cache.add;
    cache.lookup = (s) => this.lookup(lookup, s);
    cache.add = (s, cat) => this.add(add, s, cat);
  }

  /** Start a new text: forms learned so far become unknown to it. */
  nextText(): void {
    this.text++;
  }

  /** The id of form `s` in the lexeme table, -1 when it has none. */
  private idOf(s: string): number {
    if (s !== this.lastForm) {
      this.lastForm = s;
      this.lastId = this.ids.get(s);
    }
    return this.lastId;
  }

  /** wink's cache.lookup(), seeing learned forms only in the text that learned them. */
  private lookup(orig: WinkCacheMethods['lookup'], s: string): number[] | null {
    // Inside add() the model's feature functions look up the form being added: never hide it.
    if (this.inAdd) return orig(s);
    const id = this.idOf(s);
    if (id < 0) return null;
    if (id >= this.intrinsic) {
      if (this.seenIn[id - this.intrinsic] !== this.text) return null;
    } else if (this.isContraction(id)) return orig(s); // its expansions
    this.one[0] = id;
    return this.one;
  }

  /**
   * cache.property(id, 'isContraction') === 1 for a model form, read from the packed lexicon as
   * wink's own lookup() does: asked once per token, the generic property() (a layout lookup by
   * name per call) cost more than the probe it guards.
   */
  private isContraction(id: number): boolean {
    return (this.lexicon[this.contractionAt + id * this.packSize]! & this.contractionMask) >>> this.contractionShift === 1;
  }

  private add(orig: WinkCacheMethods['add'], s: string, cat: number): number {
    // Most adds are of model forms (punctuation split off a word, say): wink's add() then only
    // returns the form's id, as its lowercase is a model form too. Answer those with one lookup.
    // The ids of the form and of its lowercase are looked up once here and passed on: a probe of
    // the lexeme table is the costliest step of tokenising.
    const id0 = this.idOf(s);
    if (id0 >= 0 && id0 < this.intrinsic && this.lowerIsModelForm[id0] === YES) return id0;
    const norm = s.toLowerCase();
    const same = norm === s;
    const n0 = same ? id0 : this.ids.get(norm);
    if (id0 >= 0 && id0 < this.intrinsic && n0 >= 0 && n0 < this.intrinsic) {
      // Model forms are never unlisted: the answer holds for the reader's life.
      this.lowerIsModelForm[id0] = YES;
      return id0;
    }
    // A learned form (or its lowercase) met again in a new text: reuse it if a fresh instance
    // would compute the same features, else unlist both so wink learns them afresh.
    const a = this.reusable(id0, cat);
    const b = same ? a : this.reusable(n0, cat);
    if (a === false || b === false) {
      this.unlist(s, id0);
      if (!same) this.unlist(norm, n0);
    } else {
      if (a !== null) this.seenIn[a] = this.text;
      if (b !== null) this.seenIn[b] = this.text;
      // Both forms are in the table (and now this text's): wink's add() would only look both up
      // again and return the form's id, and claim() would have nothing left to mark.
      if (id0 >= 0 && n0 >= 0) return id0;
    }
    this.inAdd = true;
    this.lastForm = null; // the table changes
    let id: number;
    try {
      id = orig(s, cat);
    } finally {
      this.inAdd = false;
    }
    // wink's add() returns the form's id in the table as it now is, and has listed the form's
    // lowercase too: the index follows.
    this.ids.set(s, id);
    this.claim(id, cat);
    if (!same) {
      const n = this.hash[norm] ?? -1;
      if (n >= 0) this.ids.set(norm, n);
      this.claim(n, cat);
    }
    return id;
  }

  /** Slot of a form learned in an earlier text (its id `i`, -1 for none): the slot if reusable with `cat`, false if not, null if not such a form. */
  private reusable(i: number, cat: number): number | false | null {
    if (i < this.intrinsic) return null;
    const k = i - this.intrinsic;
    if (this.seenIn[k] === this.text) return null;
    return this.category[k] === cat ? k : false;
  }

  /** Drop form `s` (id `i`) from the table when it was learned in an earlier text. */
  private unlist(s: string, i: number): void {
    if (i >= this.intrinsic && this.seenIn[i - this.intrinsic] !== this.text) {
      delete this.hash[s];
      this.ids.delete(s);
    }
  }

  /** Mark a form wink has just learned (id `i`) as this text's, with the category it was learned with. */
  private claim(i: number, cat: number): void {
    if (i < this.intrinsic) return;
    const k = i - this.intrinsic;
    if (this.seenIn[k] !== this.text) {
      this.seenIn[k] = this.text;
      this.category[k] = cat;
    }
  }
}

/**
 * Rebuild the reader (dropping all learned forms) once this many forms have been learned: keeps
 * memory bounded over a long stream, and keeps lexeme ids far below wink's limit (2^20).
 */
export const SEGMENTER_MAX_LEARNED = 100_000;
/** Affix and shape tables are rebuilt before they fill the bits wink packs their ids into. */
const TABLE_FILL_LIMIT = 0.75;

/** The model package's own files the reader uses (all but its core loader: see readCore()). */
const MODEL_DIR = 'wink-eng-lite-web-model/dist/';

/**
 * The model's core, as the package's loader (read-core-model.js + load-core-model.js) builds it, but
 * parsed once from the file: the package's loader requires the JSON and then deep-copies it
 * (JSON.stringify + JSON.parse of 3 MB), and decodes its base64 tables a character at a time —
 * ~60 ms of every worker's start. test/segment-reader.test.ts holds the reader against wink's own.
 */
function readCore(): CoreModel {
  /* eslint-disable @typescript-eslint/no-explicit-any */
  const model = JSON.parse(readFileSync(requireCjs.resolve(`${MODEL_DIR}languages/cur/models/eng-core-web-model.json`), 'utf8')) as any;
  const packing = model.packing;
  const features = model.features;
  model.lexicon = uint32FromBase64(model.lexicon);
  model.xpansions = uint32FromBase64(model.xpansions);
  for (const f in packing.layout) if (packing.layout[f][3] === 0) features[f].hash = hashOf(features[f].list);
  features.lexeme.hash = hashOf(features.lexeme.list);
  const clusters = features.posClusters.list;
  for (let k = 0; k < clusters.length; k++) clusters[k] = new Set((clusters[k] as string).split('_').map((e) => model.pos.hash[e] || 0));
  // load-core-model.js: sizes of the loaded tables, and the features extracted for new forms.
  packing.efList = [];
  for (const f in packing.layout) {
    const l = packing.layout[f];
    if (l[3] === 0) {
      features[f].intrinsicSize = features[f].list.length;
      features[f].index = features[f].list.length;
      features[f].maxIndex = l[1] >>> l[2];
    }
    if (l[4] === 1) packing.efList.push(f);
  }
  features.lexeme.intrinsicSize = features.lexeme.list.length;
  features.lexeme.index = features.lexeme.list.length;
  return model as CoreModel;
  /* eslint-enable @typescript-eslint/no-explicit-any */
}

/** value → index of a feature's list, as wink's loader builds it. */
function hashOf(list: string[]): Record<string, number> {
  const hash = Object.create(null) as Record<string, number>;
  for (let k = 0; k < list.length; k++) hash[list[k]!] = k;
  return hash;
}

/** The bytes of a base64 string as 32-bit words (platform order, as wink's loader reads them). */
function uint32FromBase64(b64: string): Uint32Array {
  const bytes = Buffer.from(b64, 'base64');
  const out = new Uint32Array(bytes.length >>> 2);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

/** The model parts the reader uses, each loaded once (the package's loaders are not meant to run twice). */
let readerModelParts: WinkModel | null = null;
function memoModel(): WinkModel {
  if (readerModelParts) return readerModelParts;
  const core = readCore();
  const sbd = (requireCjs(`${MODEL_DIR}load-sbd-model.js`) as () => Machines)();
  const pos = (requireCjs(`${MODEL_DIR}load-pos-model.js`) as () => Machines)();
  // The addons its.lemma (and its.stem) call, as model.js sets them.
  const addons = Object.create(null) as Record<string, unknown>;
  addons.stem = requireCjs(`${MODEL_DIR}porter-stemmer.js`);
  addons.lemmatize = requireCjs(`${MODEL_DIR}lemmatize.js`);
  return (readerModelParts = { core: () => core, sbd: () => sbd, pos: () => pos, featureFn: requireCjs(`${MODEL_DIR}feature.js`) as Fn, addons });
}

/**
 * wink's normal form and lemma of a token, by lexeme id: both are functions of the id alone (the
 * lemma of the id and the token's POS), so each is worked out once per reader rather than once per
 * token. Only ids up to the reader's learning limit are kept; a contraction's expansions (whose
 * normal and lemma sit in the token itself) are never looked up here. An id's three entries sit
 * side by side (MEMO_STRIDE per id), so a token's lookup touches one place in memory.
 */
interface TokenMemo {
  /** Per id: [normal, lemma, POS index + 1 the lemma was worked out for (0: none yet)]. */
  slots: Array<string | number | undefined>;
  /** Ids the memo holds (0…size-1). */
  size: number;
}
const MEMO_STRIDE = 3;
/** Learned ids past the limit a reader may still see (a text's own forms, learned before the reader is rebuilt). */
const MEMO_SLACK = 50_000;

function tokenMemo(size: number): TokenMemo {
  const slots = new Array<string | number | undefined>(size * MEMO_STRIDE);
  for (let k = 0; k < slots.length; k += MEMO_STRIDE) {
    slots[k] = undefined;
    slots[k + 1] = undefined;
    slots[k + 2] = 0;
  }
  return { slots, size };
}

interface Reader {
  read(text: string): RawDoc;
  memo: TokenMemo;
  /** Forms learned and not yet dropped. */
  learned(): number;
  full(): boolean;
  core: CoreModel;
  addons: Record<string, unknown>;
}

/** Size of each feature table as loaded: entries past it were learned from texts read since. */
const loadedSizes = new Map<string, number>();

function featureTables(c: CoreModel): Array<[string, FeatureTable]> {
  return Object.entries(c.features).filter(([, f]) => f && typeof f.hash === 'object' && Array.isArray(f.list)) as Array<[string, FeatureTable]>;
}

/** Drop what the tables learned since loading. */
function truncateTables(core: CoreModel): void {
  for (const [k, f] of featureTables(core)) {
    const size = loadedSizes.get(k);
    if (size === undefined) {
      loadedSizes.set(k, f.list.length);
      continue;
    }
    for (let i = size; i < f.list.length; i++) if (f.hash[f.list[i]!] === i) delete f.hash[f.list[i]!];
    f.list.length = size;
    f.index = size;
  }
}

/** wink's hint offset: the model's transformers map a hinted token to hint + HINT_DELTA. */
const HINT_DELTA = 1080000;
/** sbdHint values the sbd transformer treats specially (sbd-transformers.js). */
const SBD_AMB_QT = 4;
const SBD_RIGHT_SPC_AMB_QT = 6;
const SBD_LIKELY_EOS = 7;
const SBD_NON_EOS = 8;

/**
 * LexemeFacts packs an id's facts in two 32-bit words, so that those of many ids share a cache
 * line: [normal id + 1 (0: not worked out yet), posHint | default POS << 8 | sbdHint << 16 |
 * abbreviation class << 24]. Each of the four fits 8 bits (checked against the model's layout).
 */
const F_STRIDE = 2;
const F_BYTE = 0xff;
/** wink's default POS of a form with none (tokens-mappers.js: NOUN). */
const POS_NOUN = 8;

/**
 * Per lexeme id, the numbers the reader's passes after tokenising read (wink's tokens-mappers.js
 * and the model's transformers): each a function of the id alone for the reader's life (a model
 * form's packed entry, or a learned form's entry, which wink never rewrites), so each is worked
 * out once per reader, not once per token — and the ones a token needs sit side by side.
 */
class LexemeFacts {
  private facts: Int32Array;
  private readonly lexicon: Uint32Array;
  private readonly size: number;
  private readonly intrinsic: number;
  private readonly posHintOf: (id: number) => number;
  private readonly sbdHintOf: (id: number) => number;
  private readonly isAbbrevOf: (id: number) => number;

  constructor(
    private readonly core: CoreModel,
    private readonly cache: WinkCacheMethods & WinkCacheExtras,
  ) {
    this.lexicon = core.lexicon;
    this.size = core.packing.size;
    this.intrinsic = cache.intrinsicSize();
    // Room for the model's forms and as many learned ones; grown if a reader learns more.
    this.facts = new Int32Array((this.intrinsic + SEGMENTER_MAX_LEARNED) * F_STRIDE);
    this.posHintOf = this.field('posHint');
    this.sbdHintOf = this.field('sbdHint');
    this.isAbbrevOf = this.field('isAbbrev');
    const pos = core.packing.layout.pos!;
    if (pos[1]! >>> pos[2]! > F_BYTE) throw new Error('segment: POS tags do not fit a byte');
  }

  /** The packed facts (read after at(), which may grow them). */
  get words(): Int32Array {
    return this.facts;
  }

  /** Where id's facts start in `words`, worked out first if need be: [normal id + 1, packed word]. */
  at(id: number): number {
    const b = id * F_STRIDE;
    if (b >= this.facts.length) this.grow(id);
    if (this.facts[b] === 0) this.fill(id, b);
    return b;
  }

  /** Of a packed word: cache.property(id, 'posHint'). */
  static posHint(w: number): number {
    return w & F_BYTE;
  }
  /** Of a packed word: the POS wink's mapRawTokens2UIdOfDefaultPOS gives a token without one. */
  static defaultPos(w: number): number {
    return (w >>> 8) & F_BYTE;
  }
  /** Of a packed word: cache.property(id, 'sbdHint'). */
  static sbdHint(w: number): number {
    return (w >>> 16) & F_BYTE;
  }
  /** Of a packed word: the sbd transformer's class of an abbreviation (likely or not a sentence end), 0 for other forms. */
  static abbrevClass(w: number): number {
    return w >>> 24;
  }

  private grow(id: number): void {
    const grown = new Int32Array(Math.max(id + 1, Math.ceil((this.facts.length / F_STRIDE) * 1.5)) * F_STRIDE);
    grown.set(this.facts);
    this.facts = grown;
  }

  private fill(id: number, b: number): void {
    const cache = this.cache;
    const abbrev = this.isAbbrevOf(id) ? (cache.value(id).length === 2 ? SBD_NON_EOS : SBD_LIKELY_EOS) : 0;
    const pos = cache.posOf(cache.mappedSpelling(id)) || POS_NOUN;
    this.facts[b + 1] = this.posHintOf(id) | (pos << 8) | (this.sbdHintOf(id) << 16) | (abbrev << 24);
    this.facts[b] = cache.normal(id) + 1;
  }

  /** cache.property(id, name) for a numeric property: a model form's from the packed lexicon, a learned form's through wink. */
  private field(name: string): (id: number) => number {
    const l = this.core.packing.layout[name]!;
    // A property stored as a list index (l[3] === 0) or mapped through a list (l[5] === 1) is not a plain number.
    if (l[3] !== 1 || l[5] === 1 || l[1]! >>> l[2]! > F_BYTE) throw new Error(`segment: lexeme property ${name} is not a numeric byte`);
    const at = l[0]!;
    const mask = l[1]!;
    const shift = l[2]!;
    return (id) => (id < this.intrinsic ? (this.lexicon[at + id * this.size]! & mask) >>> shift : (this.cache.property(id, name) as number));
  }
}

/** The cache methods LexemeFacts and the token mappers call besides WinkCacheMethods. */
interface WinkCacheExtras {
  normal: (index: number) => number;
  nox: (binaryWord: number) => number;
  posOf: (index: number) => number;
  mappedSpelling: (index: number) => number;
}

/** What the automata read of a text's tokens, worked out in one pass (buffers reused across texts). */
interface AutomataInput {
  /** wink's mapRawTokens2UIdOfNormal: each token's normal id. */
  normals: Int32Array;
  /** wink's mapRawTokens2UIdOfDefaultPOS; a plain array, as the pos updater writes pattern names (strings) into it. */
  posTags: Array<number | string>;
  /** Per token: its lexeme's posHint + HINT_DELTA, 0 if it has none (what the pos transformer puts first). */
  posHints: Int32Array;
  /** The sbd automaton's column of each token. */
  sbdCols: Int32Array;
}

function automataInput(size: number): AutomataInput {
  return { normals: new Int32Array(size), posTags: [], posHints: new Int32Array(size), sbdCols: new Int32Array(size) };
}

/**
 * One pass over a text's tokens for wink's two token mappers and the model's sbd transformer, so
 * each token's facts are read once while in cache:
 * - normal: a contraction's expansion keeps a pointer to its normal in its preceding-spaces word;
 * - POS so far (set for a contraction's expansions), else the form's default;
 * - sbd (sbd-transformers.js) of the normal `t`: `sbdHint(t) || sbdHint(lexeme)`, an ambiguous
 *   quote told apart by the spaces before it, else an abbreviation's class, else `t` itself;
 *   tokens equal to `sbdSkip` are skipped by the automaton.
 */
function readAutomataInput(facts: LexemeFacts, cache: WinkCacheExtras, tokens: number[], n: number, sbd: Machine, sbdSkip: number, out: AutomataInput): void {
  const { normals, posHints, sbdCols } = out;
  const posTags = new Array<number | string>(n);
  for (let j = 0; j < n; j++) {
    const id = tokens[j * TK]!;
    const ps = tokens[j * TK + 1]!;
    const w = tokens[j * TK + 2]!;
    const b = facts.at(id);
    const words = facts.words;
    const packed = words[b + 1]!;
    const t = ps > PS_MASK ? cache.nox(ps) : words[b]! - 1;
    normals[j] = t;
    posTags[j] = w === 0 ? LexemeFacts.defaultPos(packed) : (w & POS_MASK) >>> BITS_LEMMA;
    const hint = LexemeFacts.posHint(packed);
    posHints[j] = hint ? hint + HINT_DELTA : 0;
    if (t === sbdSkip) {
      sbdCols[j] = SKIP_COLUMN;
      continue;
    }
    const packedT = t === id ? packed : facts.words[facts.at(t) + 1]!;
    sbdCols[j] = columnOf(sbd, sbdToken(t, packedT, packed, ps));
  }
  out.posTags = posTags;
}

/** The sbd transformer's token for normal `t` (packed facts `packedT`) of a lexeme (packed facts `packed`) with preceding-spaces word `ps`. */
function sbdToken(t: number, packedT: number, packed: number, ps: number): number {
  let mapped = LexemeFacts.sbdHint(packedT) || LexemeFacts.sbdHint(packed);
  if (mapped === SBD_AMB_QT) mapped = (ps & PS_MASK) !== 0 ? SBD_RIGHT_SPC_AMB_QT : SBD_AMB_QT;
  if (mapped) return mapped + HINT_DELTA;
  const abbrev = LexemeFacts.abbrevClass(packedT);
  return abbrev ? HINT_DELTA + abbrev : t;
}

/**
 * A pos automaton's columns: wink's pos transformer (pos-transformers.js), the lexeme's posHint if
 * it has one, else the token's current POS tag (a number, or the string name of the pattern an
 * earlier automaton set it with).
 */
function posColumns(m: Machine, input: AutomataInput, skip: number, cols: Int32Array, n: number): void {
  const { posTags, posHints } = input;
  for (let j = 0; j < n; j++) {
    const p = posTags[j]!;
    if (p === skip) {
      cols[j] = SKIP_COLUMN;
      continue;
    }
    const hint = posHints[j]!;
    cols[j] = columnOf(m, hint !== 0 ? hint : p);
  }
}

function buildReader(): Reader {
  const m = memoModel();
  const core = m.core();
  truncateTables(core);
  const cache = WinkCache(core, m.featureFn) as WinkCacheMethods;
  const gate = new GatedCache(cache, core);
  const tokenize = winkTokenizer(compileTRex(core.trex), core.tcat.hash, core.preserve) as Fn;
  const sbd = m.sbd();
  const pos = m.pos();
  // wink's sentence automaton passes the patterns of one machine to the next as swaps; with a
  // single machine there are none, which segment-wink's recognize() relies on.
  if (sbd.machines.length !== 1) throw new Error('segment: the sbd model has more than one automaton');
  const sbdMachine = compileMachine(sbd.machines[0]!, HINT_DELTA);
  const posMachines = pos.machines.map((json) => compileMachine(json, HINT_DELTA));
  const extras = cache as WinkCacheMethods & WinkCacheExtras;
  const facts = new LexemeFacts(core, extras);
  // The tokens each automaton skips, as wink's automaton.js finds them: a line feed for sbd, the
  // form at lexeme 0 (the unknown-word symbol) for pos.
  const sbdSkip = cache.lookup('\n')![0]!;
  const posSkip = cache.lookup(cache.value(0))![0]!;
  /** The automata's input for the current text, and the columns of a pos automaton (grown as needed). */
  let input = automataInput(4096);
  let cols = new Int32Array(4096);
  const currPipe = Object.create(null) as Record<string, boolean>;
  for (const p of SEGMENT_PIPE) currPipe[p] = true;
  const lexeme = core.features.lexeme!;
  const bounded = featureTables(core).filter(([, f]) => typeof f.maxIndex === 'number' && f !== lexeme);
  return {
    core,
    addons: m.addons,
    memo: tokenMemo(gate.intrinsic + SEGMENTER_MAX_LEARNED + MEMO_SLACK),
    learned: () => lexeme.list.length - gate.intrinsic,
    full: () => lexeme.list.length - gate.intrinsic > SEGMENTER_MAX_LEARNED || bounded.some(([, f]) => f.list.length > f.maxIndex! * TABLE_FILL_LIMIT),
    read(text: string): RawDoc {
      gate.nextText();
      // As wink-nlp.js readDoc() does for the pipe ['sbd', 'pos']. wink builds the raw document
      // with Object.create(null), which V8 keeps in dictionary mode; a literal with every field set
      // up front has one fixed shape, and wink's steps only read and write these named fields.
      const rdd = {
        cache,
        wordVectors: null,
        tokens: [] as number[],
        sentences: [] as Array<[number, number, number, number]>,
        markings: [] as unknown[],
        currPipe,
        nonBreakingSpaces: Object.create(null) as Record<number, string>,
        numOfTokens: 0,
        document: null as number[] | null,
        numOfSentences: 0,
      };
      const dd = DocDataWrapper(rdd);
      tokenize(dd, text);
      rdd.numOfTokens = rdd.tokens.length / TK;
      rdd.document = [0, rdd.numOfTokens - 1, 0, 0];
      const n = rdd.numOfTokens;
      if (input.normals.length < n) {
        input = automataInput(n * 2);
        cols = new Int32Array(n * 2);
      }
      // wink's sbd and pos automata, each token transformed (by the model's transformers) once.
      readAutomataInput(facts, extras, rdd.tokens, n, sbdMachine, sbdSkip, input);
      sbd.setter(recognize(sbdMachine, input.sbdCols, n), rdd);
      rdd.numOfSentences = rdd.sentences.length;
      const posTags = input.posTags;
      for (let i = 0; i < posMachines.length; i++) {
        posColumns(posMachines[i]!, input, posSkip, cols, n);
        pos.updater!(recognize(posMachines[i]!, cols, n), cache, posTags, input.normals);
      }
      pos.setter(rdd, posTags, TK, BITS_LEMMA);
      dd.clean();
      return rdd;
    },
  };
}

let reader: Reader | null = null;
function segmentReader(): Reader {
  if (!reader || reader.full()) reader = buildReader();
  return reader;
}

/** Drop everything segment()'s reader has learned (and the public segmenter() instance). */
export function resetSegmenter(): void {
  reader = buildReader();
  segmentInstance = null;
}
/** The segmented document: what every later stage reads. */
export interface Doc {
  text: string;
  tokens: Token[];
  structure: Structure;
}

interface Block extends Span {
  lines: Span[];
}

/** Split on blank lines into blocks of non-empty lines, keeping offsets. */
function blocks(text: string): Block[] {
  const out: Block[] = [];
  let cur: Block | null = null;
  const re = /[^\n]*(\n|$)/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    if (m[0] === '' && m.index >= text.length) break;
    const raw = m[0].replace(/\r?\n$/, '');
    let s = m.index;
    let e = m.index + raw.length;
    while (s < e && /\s/.test(text[s]!)) s++;
    while (e > s && /\s/.test(text[e - 1]!)) e--;
    if (e <= s) {
      cur = null;
    } else {
      if (!cur) {
        cur = { start: s, end: e, lines: [] };
        out.push(cur);
      }
      cur.lines.push({ start: s, end: e });
      cur.end = e;
    }
    if (m[0] === '') re.lastIndex++;
  }
  return out;
}

/** A line that reads like a headline or section heading: short, no sentence-final punctuation. */
export function isHeadingLine(line: string): boolean {
  if (line.length > MAX_HEADING_CHARS) return false;
  const words = line.split(/\s+/).filter(Boolean);
  if (words.length === 0 || words.length > MAX_HEADING_WORDS) return false;
  if (/[.!;,:]["'”’)]?$/.test(line) && !/\b(?:U\.S|U\.N|U\.K|Jr|Inc|Ltd)\.$/.test(line)) return false;
  if (/^["“‘']/.test(line) && /["”’']$/.test(line)) return false; // a quoted line is speech
  // Headlines capitalise their first word.
  return /^[\p{Lu}\p{N}'"“‘]/u.test(line);
}

/** A first line that is title-cased ("Stealth Over Health: Hillary Clinton Was Headed…") is a headline even with a final period. */
function isTitleCased(line: string): boolean {
  const words = line.split(/\s+/).filter((w) => /^[\p{L}]/u.test(w));
  if (words.length < 3 || words.length > MAX_HEADING_WORDS) return false;
  const caps = words.filter((w) => /^\p{Lu}/u.test(w)).length;
  return caps / words.length >= 0.6;
}

/**
 * Our tokens from wink's raw token array, in one pass: offsets restored from each token's
 * preceding spaces, POS, normal form and lemma (wink's its.normal / its.lemma, which read the
 * same packed numbers a Doc's column accessors would).
 */
function toTokens(text: string): { tokens: Token[]; sentences: Array<[number, number]> } {
  const r = segmentReader();
  const rdd = r.read(text);
  const tk = rdd.tokens;
  const values = r.core.features.lexeme!.list;
  const posList = r.core.features.pos!.list;
  const nbsp = rdd.nonBreakingSpaces;
  const itsNormal = winkIts.normal!;
  const itsLemma = winkIts.lemma!;
  const addons = r.addons;
  const memo = r.memo;
  const slots = memo.slots;
  const n = rdd.numOfTokens;
  const tokens: Token[] = [];
  let at = 0;
  for (let i = 0; i < n; i++) {
    const b = i * TK;
    // Preceding spaces: a count, or 0xFFFF when they include non-breaking spaces (kept as a string).
    const ps = tk[b + 1]! & PS_MASK;
    at += ps < PS_MASK ? ps : nbsp[i]!.length;
    const v = values[tk[b]!]!;
    let start = at;
    if (text.startsWith(v, at) === false) {
      // wink occasionally normalises a token's value; fall back to searching forward.
      const found = text.indexOf(v, at);
      start = found >= 0 && found - at < 8 ? found : at;
    }
    const end = Math.min(text.length, start + v.length);
    const posIdx = (tk[b + 2]! & POS_MASK) >>> BITS_LEMMA;
    const pos = posList[posIdx]!;
    const id = tk[b]!;
    let norm: string | undefined;
    let lemma: string | undefined;
    if (tk[b + 1]! > PS_MASK || id >= memo.size) {
      // A contraction's expansion (its normal and lemma sit in the token), or an id past the memo.
      norm = itsNormal(i, rdd) as string | undefined;
      lemma = itsLemma(i, rdd, addons) as string | undefined;
    } else {
      const k = id * MEMO_STRIDE;
      norm = slots[k] as string | undefined;
      if (norm === undefined) slots[k] = norm = itsNormal(i, rdd) as string | undefined;
      if (slots[k + 2] === posIdx + 1) lemma = slots[k + 1] as string | undefined;
      else {
        lemma = itsLemma(i, rdd, addons) as string | undefined;
        slots[k + 1] = lemma;
        slots[k + 2] = posIdx + 1;
      }
    }
    tokens.push({ start, end, pos, norm: norm ?? v.toLowerCase(), lemma: lemma ?? norm ?? v });
    at = end;
  }
  const sentences: Array<[number, number]> = rdd.sentences.map((s) => [s[0], s[1]]);
  return { tokens, sentences };
}

/** Headlines, section headings and paragraphs of a text: its layout, before any tokenising. */
interface Layout {
  headlines: Span[];
  sections: Section[];
  paragraphs: Paragraph[];
}

/**
 * Segment a text. Lines before the first body paragraph that look like headlines are headlines;
 * later short lines that stand alone between paragraphs are section headings.
 */
export function segment(text: string): Doc {
  const { headlines, sections, paragraphs } = layout(text);
  const { tokens, sentences: raw } = toTokens(text);
  const sentences = clipSentences(raw, tokens, paragraphs);
  return { text, tokens, structure: { headlines, sections, paragraphs, sentences } };
}

/** A paragraph object (one shape for all of them). */
function paragraph(start: number, end: number, section: number): Paragraph {
  return { start, end, section };
}

/** Are all lines of a block heading-like? */
function allHeadingLines(text: string, lines: Span[]): boolean {
  for (const l of lines) if (!isHeadingLine(text.slice(l.start, l.end))) return false;
  return true;
}

/** Do all lines of a block but the last end a sentence? */
function linesEndSentences(text: string, lines: Span[]): boolean {
  for (let i = 0; i < lines.length - 1; i++) if (!/[.!?"”’)]$/.test(text.slice(lines[i]!.start, lines[i]!.end))) return false;
  return true;
}

function layout(text: string): Layout {
  const bl = blocks(text);
  const headlines: Span[] = [];
  const sections: Section[] = [];
  const paragraphs: Paragraph[] = [];
  let bodyStarted = false;
  for (const b of bl) {
    const allHeadings = allHeadingLines(text, b.lines);
    if (!bodyStarted && (allHeadings || (headlines.length === 0 && b.lines.length === 1 && isTitleCased(text.slice(b.start, b.end))))) {
      for (const l of b.lines) headlines.push(l);
      continue;
    }
    if (bodyStarted && allHeadings && b.lines.length === 1) {
      const h = b.lines[0]!;
      if (sections.length) sections[sections.length - 1]!.body.end = b.start;
      sections.push({ heading: h, body: { start: h.end, end: text.length } });
      continue;
    }
    bodyStarted = true;
    // A block with several lines: each line is its own paragraph when lines end a sentence.
    if (b.lines.length > 1 && linesEndSentences(text, b.lines)) {
      for (const l of b.lines) paragraphs.push(paragraph(l.start, l.end, sections.length - 1));
    } else paragraphs.push(paragraph(b.start, b.end, sections.length - 1));
  }
  // A text of headings only (or one line) is still body: analyse it rather than drop it.
  if (paragraphs.length === 0 && headlines.length > 1) {
    const last = headlines.pop()!;
    paragraphs.push(paragraph(last.start, last.end, -1));
  } else if (paragraphs.length === 0 && headlines.length === 1 && sections.length === 0) {
    const only = headlines.pop()!;
    paragraphs.push(paragraph(only.start, only.end, -1));
  }
  return { headlines, sections, paragraphs };
}

/** Sentences come from wink; we clip them to paragraphs so none crosses a heading or a break. */
function clipSentences(raw: Array<[number, number]>, tokens: Token[], paragraphs: Paragraph[]): Sentence[] {
  const sentences: Sentence[] = [];
  const np = paragraphs.length;
  let p = 0;
  for (const [ts, te] of raw) {
    let i = ts;
    while (i <= te) {
      // skip whitespace tokens
      while (i <= te && tokens[i]!.pos === 'SPACE') i++;
      if (i > te) break;
      const t0 = tokens[i]!;
      while (p < np && paragraphs[p]!.end <= t0.start) p++;
      if (p >= np || t0.start < paragraphs[p]!.start) {
        // Token in a headline/heading: skip to the next line.
        i++;
        continue;
      }
      const para = paragraphs[p]!;
      let j = i;
      while (j + 1 <= te && tokens[j + 1]!.start < para.end) j++;
      let k = j;
      while (k > i && tokens[k]!.pos === 'SPACE') k--;
      sentences.push({ start: t0.start, end: tokens[k]!.end, tokenStart: i, tokenEnd: k + 1, paragraph: p });
      i = j + 1;
    }
  }
  return sentences;
}
