// Stage: quotes — attributions (direct, indirect, mixed) with content, cue, source and speaker.
// A trained BIO tagger marks SOURCE / CUE / CONTENT tokens per paragraph; deterministic assembly
// then ties each content to its cue and each cue to its source, and resolves the source to an actor.
// Our own code because no Node library extracts attributions (CoreNLP's Java quote annotator only
// finds quoted strings: 0.14 source F1 on PolNeAR).
import { sha256Hex } from '../hash.js';
import type { Doc } from '../segment.js';
import type { Actor, Quote, QuoteKind, Span } from '../types.js';
import type { QuoteLexicon } from './lexicon.js';
import { featurize, featurizeInto, stackFeatures, stackFeaturesInto, mayHoldAttribution, paragraphSeqs, N_TEMPLATES, N_STACK, Q_OUT, Q_IN, Q_OPEN, Q_CLOSE, type BaseSeq } from './features.js';
import { emissions, viterbi, jointEmissions, stackEmissions, viterbiFast, tokenConfidence, L, B_SRC, B_CUE, B_CON, MAX_JOINT_FEATURES, type JointTagger } from './tagger.js';

/** Name of the model in each quote's `rule`. */
export const MODEL_RULE = 'quotes.perceptron-bio';

/** A cue more than this many sentences away from a content span is not its cue. */
export const MAX_CUE_SENTENCE_GAP = 1;

/** A participle cue (", stating …") inside a content span starts a new attribution when its lemma is a cue at least this often. */
export const SPLIT_CUE_RATE = 0.3;

/** A quoted term ("what he termed a “…”") is at most this many tokens long. */
export const MAX_TERM_TOKENS = 8;

/** A tagged run of tokens inside one paragraph sequence. */
interface Piece {
  type: number; // B_SRC, B_CUE or B_CON
  /** First and one-past-last index in the sequence. */
  i: number;
  j: number;
  /** Sentence (doc index) of the first and last token. */
  s0: number;
  s1: number;
  conf: number;
  /** Assembly rule that made or reshaped the piece, or null. */
  rule: string | null;
}

/**
 * Every piece is made here, so all share one object shape (the same fields in the same order,
 * `rule` always set): code reading pieces then sees one map, and is not deoptimised when a rule
 * adds a piece of another shape.
 */
function piece(type: number, i: number, j: number, s0: number, s1: number, conf: number, rule: string | null): Piece {
  return { type, i, j, s0, s1, conf, rule };
}

function piecesOf(seq: BaseSeq, tags: Uint8Array, em: Float32Array): Piece[] {
  const out: Piece[] = [];
  for (let i = 0; i < tags.length; i++) {
    const t = tags[i]!;
    if (t !== B_SRC && t !== B_CUE && t !== B_CON) continue;
    let j = i + 1;
    while (j < tags.length && tags[j] === t + 1) j++;
    let conf = 0;
    for (let k = i; k < j; k++) conf += tokenConfidence(em, k, tags[k]!);
    out.push(piece(t, i, j, seq.sent[i]!, seq.sent[j - 1]!, conf / (j - i), null));
  }
  return out;
}

/** Token gap between two pieces (0 when adjacent). */
function gap(a: Piece, b: Piece): number {
  return a.j <= b.i ? b.i - a.j : a.i >= b.j ? a.i - b.j : 0;
}

/** Sentence distance between two pieces (0 when they share a sentence). */
function sentGap(a: Piece, b: Piece): number {
  if (a.s1 < b.s0) return b.s0 - a.s1;
  if (b.s1 < a.s0) return a.s0 - b.s1;
  return 0;
}

/** The nearest piece of `pool` to `p`: same sentence first, then fewest tokens between. */
function nearest(p: Piece, pool: Piece[], maxSent: number): Piece | null {
  let best: Piece | null = null;
  let bestKey = Infinity;
  for (const c of pool) {
    const sg = sentGap(p, c);
    if (sg > maxSent) continue;
    const key = sg * 1e6 + gap(p, c);
    if (key < bestKey) {
      bestKey = key;
      best = c;
    }
  }
  return best;
}

function spanOf(doc: Doc, seq: BaseSeq, p: Piece): Span {
  return { start: doc.tokens[seq.toks[p.i]!]!.start, end: doc.tokens[seq.toks[p.j - 1]!]!.end };
}

/** direct: every word inside quote marks; indirect: none; mixed: some. */
function kindOf(doc: Doc, seq: BaseSeq, parts: Piece[], skip: Set<number>): QuoteKind {
  let inside = 0;
  let outside = 0;
  for (const p of parts) {
    for (let k = p.i; k < p.j; k++) {
      // A quoted term that is its own attribution ("what he termed “…”") does not make the outer content mixed.
      if (doc.tokens[seq.toks[k]!]!.pos === 'PUNCT' || skip.has(k)) continue;
      if (seq.quote[k] === Q_IN) inside++;
      else if (seq.quote[k] === Q_OUT) outside++;
    }
  }
  if (inside === 0) return 'indirect';
  return outside === 0 ? 'direct' : 'mixed';
}

interface MentionRef extends Span {
  actor: string;
}

/**
 * The actor whose mention overlaps `source` most; on a tie, the mention ending nearest the
 * source's end (its head in English noun phrases).
 */
export function resolveSpeaker(source: Span | null, mentions: MentionRef[]): string | null {
  if (!source) return null;
  let best: MentionRef | null = null;
  let bestOv = 0;
  let bestDist = Infinity;
  for (const m of mentions) {
    const ov = Math.min(m.end, source.end) - Math.max(m.start, source.start);
    if (ov <= 0) continue;
    const dist = Math.abs(source.end - m.end);
    if (ov > bestOv || (ov === bestOv && dist < bestDist)) {
      best = m;
      bestOv = ov;
      bestDist = dist;
    }
  }
  return best ? best.actor : null;
}

function quoteId(doc: Doc, content: Span): string {
  return sha256Hex(`${content.start}:${content.end}:${doc.text.slice(content.start, content.end)}`).slice(0, 16);
}

/**
 * The stacked pass only revises what the first pass found: a paragraph it tagged all O and with no
 * quote marks is left as it is (output identical on PolNeAR dev and 150 train articles; it skips
 * the second pass for ~9% of dev tokens).
 */
function needsSecondPass(seq: BaseSeq, tags: Uint8Array): boolean {
  for (let i = 0; i < tags.length; i++) if (tags[i] !== 0 || seq.quote[i] !== Q_OUT) return true;
  return false;
}

/** Labels and the emission scores they were decoded from, for one paragraph. */
interface Tagging {
  tags: Uint8Array;
  em: Float32Array;
}

/** All-O labels, for a paragraph the gate leaves untagged. */
function untagged(n: number): Tagging {
  return { tags: new Uint8Array(n), em: new Float32Array(n * L) };
}

/** The two passes with the layers as trained (used when they cannot share a joint table). */
function tagLayers(doc: Doc, lex: QuoteLexicon, base: BaseSeq): Tagging {
  let seq = featurize(doc, lex, base);
  let em = emissions(lex.model!, seq);
  let tags = viterbi(lex.model!, em, seq.toks.length);
  if (lex.stack && needsSecondPass(seq, tags)) {
    seq = stackFeatures(doc, seq, tags);
    em = emissions(lex.stack, seq);
    tags = viterbi(lex.stack, em, seq.toks.length);
  }
  return { tags, em };
}

// The joint table's packed sums are exact only up to MAX_JOINT_FEATURES features per token.
if (N_TEMPLATES + N_STACK > MAX_JOINT_FEATURES) throw new Error('quotes: too many features per token for the packed joint table');

/** Scratch buffers of `tagJoint`, grown to the longest paragraph seen and reused (less GC). */
const scratch = {
  feats: new Uint32Array(0),
  stack: new Uint32Array(0),
  em1: new Float32Array(0),
  em2: new Float32Array(0),
  acc: new Float64Array(0),
  tags1: new Uint8Array(0),
  tags2: new Uint8Array(0),
};

function grow(n: number): void {
  if (scratch.em1.length >= n * L) return;
  const m = Math.max(n, 2 * (scratch.em1.length / L));
  scratch.feats = new Uint32Array(m * N_TEMPLATES);
  scratch.stack = new Uint32Array(m * N_STACK);
  scratch.em1 = new Float32Array(m * L);
  scratch.em2 = new Float32Array(m * L);
  scratch.acc = new Float64Array(m * L);
  scratch.tags1 = new Uint8Array(m);
  scratch.tags2 = new Uint8Array(m);
}

/**
 * The same two passes over the joint table: one sweep over the base features scores the first pass
 * and the base part of the second; the second pass then adds only its stacked features. Labels and
 * scores equal `tagLayers`'s. The returned labels and scores live in scratch buffers, valid until the next call.
 */
function tagJoint(doc: Doc, lex: QuoteLexicon, J: JointTagger, base: BaseSeq): Tagging {
  const n = base.toks.length;
  grow(n);
  const lemmaHash = featurizeInto(doc, lex, base, scratch.feats);
  jointEmissions(J, scratch.feats, n, N_TEMPLATES, scratch.em1, scratch.acc);
  const tags = scratch.tags1.subarray(0, n);
  viterbiFast(J.first, scratch.em1, n, tags);
  if (!needsSecondPass(base, tags)) return { tags, em: scratch.em1 };
  stackFeaturesInto(doc, base, lemmaHash, tags, scratch.stack, N_STACK, 0);
  stackEmissions(J, scratch.stack, n, N_STACK, scratch.acc, scratch.em2);
  const tags2 = scratch.tags2.subarray(0, n);
  viterbiFast(J.stack, scratch.em2, n, tags2);
  return { tags: tags2, em: scratch.em2 };
}

/**
 * The stage is a small driver over per-paragraph helpers: V8 then optimises each helper as its own
 * unit, and a deoptimisation in one (a shape it had not seen) recompiles that helper, not one graph
 * holding the whole stage.
 */
export function findQuotes(doc: Doc, actors: Actor[], lex: QuoteLexicon): Quote[] {
  if (!lex.model) return [];
  const mentions = mentionRefs(actors);
  const quotes: Quote[] = [];
  let prev: Quote | null = null; // the last attribution, for content that continues it
  let prevParagraph = -2;
  const seen = new Set<string>();
  for (const base of paragraphSeqs(doc)) {
    if (!base.toks.length) continue;
    // Content with no cue nearby continues the previous paragraph's attribution.
    const cont = prev && prevParagraph >= base.paragraph - 1 ? prev : null;
    const made = paragraphQuotes(doc, lex, base, mentions, cont);
    for (const m of made) {
      if (seen.has(m.q.id)) continue; // one attribution per content span, so ids stay unique
      seen.add(m.q.id);
      quotes.push(m.q);
      prev = m.q;
      prevParagraph = base.paragraph;
    }
  }
  return quotes;
}

function mentionRefs(actors: Actor[]): MentionRef[] {
  const mentions: MentionRef[] = [];
  for (const a of actors) for (const m of a.mentions) mentions.push({ start: m.start, end: m.end, actor: a.id });
  return mentions;
}

/** A quote made in a paragraph, with the sequence index it starts at (quotes are emitted in that order). */
interface Made {
  at: number;
  q: Quote;
}

/** Labels of one paragraph: untagged by the gate, the joint table, or the two layers apart. */
function tagParagraph(doc: Doc, lex: QuoteLexicon, base: BaseSeq): Tagging {
  if (lex.tagOnlyCuedParagraphs && !mayHoldAttribution(doc, lex, base)) return untagged(base.toks.length);
  return lex.joint ? tagJoint(doc, lex, lex.joint, base) : tagLayers(doc, lex, base);
}

/** The pieces of `pieces` of one type, in order. */
function ofType(pieces: Piece[], type: number): Piece[] {
  const out: Piece[] = [];
  for (const p of pieces) if (p.type === type) out.push(p);
  return out;
}

/**
 * The quotes of one paragraph: tag it, apply the assembly rules, tie contents to cues and cues to
 * sources. `cont` is the attribution an orphan content continues (from the paragraph before), or null.
 */
function paragraphQuotes(doc: Doc, lex: QuoteLexicon, seq: BaseSeq, mentions: MentionRef[], cont: Quote | null): Made[] {
  const { tags, em } = tagParagraph(doc, lex, seq);
  const pieces = piecesOf(seq, tags, em);
  const cues = ofType(pieces, B_CUE);
  const sources = ofType(pieces, B_SRC);
  const contents = ofType(pieces, B_CON);
  accordingTo(doc, seq, pieces, cues, sources);
  transcriptSpeaker(doc, seq, pieces, cues, sources, contents);
  splitParticiples(doc, seq, lex, pieces, cues, contents);
  splitAtTrailingCue(doc, seq, cues, sources, contents);
  trailingAttributions(doc, seq, cues, sources, contents);
  const orphans: Piece[] = [];
  const byCue = linkContents(doc, seq, cues, sources, contents, orphans);
  const made: Made[] = [];
  const terms = quotedTerms(doc, seq, lex, cues);
  const inTerm = new Set<number>();
  for (const t of terms) for (let k = t.open; k <= t.close; k++) inTerm.add(k);
  // One entry per cue, in text order; participle continuations then merge into their parent.
  const entries: Entry[] = [];
  for (const [cue, parts] of byCue) entries.push({ cue, parts: parts.sort(byStart), src: nearest(cue, sources, 0) });
  entries.sort(byCueStart);
  for (const e of entries) {
    dropStrayParts(doc, seq, e, inTerm);
    applyConventions(doc, seq, lex, e.cue, e.parts);
  }
  for (const e of mergeParticiples(doc, seq, entries, inTerm)) made.push({ at: e.parts[0]!.i, q: entryQuote(doc, seq, e, inTerm, mentions) });
  for (const o of orphans) made.push({ at: o.i, q: orphanQuote(doc, seq, o, inTerm, mentions, cont) });
  for (const t of terms) made.push({ at: t.open, q: { ...t.q, speaker: resolveSpeaker(t.q.source, mentions) } });
  made.sort(byAt);
  return made;
}

function byStart(a: Piece, b: Piece): number {
  return a.i - b.i;
}

function byCueStart(a: Entry, b: Entry): number {
  return a.cue.i - b.cue.i;
}

function byAt(a: Made, b: Made): number {
  return a.at - b.at;
}

/**
 * Each content's cue: the nearest within MAX_CUE_SENTENCE_GAP sentences (contents with none go to
 * `orphans`); a cue left without content takes its clause as content when the clause rule applies.
 */
function linkContents(doc: Doc, seq: BaseSeq, cues: Piece[], sources: Piece[], contents: Piece[], orphans: Piece[]): Map<Piece, Piece[]> {
  const byCue = new Map<Piece, Piece[]>();
  for (const c of contents) {
    const cue = nearest(c, cues, MAX_CUE_SENTENCE_GAP);
    if (!cue) orphans.push(c);
    else byCue.set(cue, [...(byCue.get(cue) ?? []), c]);
  }
  for (const cue of cues) {
    if (byCue.has(cue)) continue;
    const c = clauseContent(doc, seq, cue, nearest(cue, sources, 0), [...cues, ...sources, ...contents]);
    if (c) byCue.set(cue, [c]);
  }
  return byCue;
}

/** The quote of a cue with its content parts and source. */
function entryQuote(doc: Doc, seq: BaseSeq, e: Entry, inTerm: Set<number>, mentions: MentionRef[]): Quote {
  const { cue, parts, src } = e;
  const sourceSpan = src ? spanOf(doc, seq, src) : null;
  const content = spanOf(doc, seq, parts[0]!);
  let conf = cue.conf;
  for (const p of parts) conf += p.conf;
  conf /= parts.length + 1;
  return {
    id: quoteId(doc, content),
    kind: kindOf(doc, seq, parts, inTerm),
    content,
    ...(parts.length > 1 ? { contentParts: parts.slice(1).map((p) => spanOf(doc, seq, p)) } : {}),
    cue: spanOf(doc, seq, cue),
    source: sourceSpan,
    speaker: resolveSpeaker(sourceSpan, mentions),
    rule: ruleOf(cue, parts, src),
    score: Math.round(conf * 1000) / 1000,
  };
}

/** The model's name, then each distinct assembly rule of the cue, the parts and the source, in that order. */
function ruleOf(cue: Piece, parts: Piece[], src: Piece | null): string {
  const rules: string[] = [];
  const add = (p: Piece): void => {
    if (p.rule && !rules.includes(p.rule)) rules.push(p.rule);
  };
  add(cue);
  for (const p of parts) add(p);
  if (src) add(src);
  return rules.length ? `${MODEL_RULE}+${rules.join('+')}` : MODEL_RULE;
}

/**
 * A content with no cue nearby: a dash attribution ("“…” — Jane Doe") when one follows it; else it
 * continues the previous paragraph's attribution `cont` (a quote running over paragraphs), keeping
 * that speaker but with no cue or source of its own; else it stands alone.
 */
function orphanQuote(doc: Doc, seq: BaseSeq, o: Piece, inTerm: Set<number>, mentions: MentionRef[], cont: Quote | null): Quote {
  const content = spanOf(doc, seq, o);
  const dash = dashAttribution(doc, seq, o);
  if (dash) {
    const source = spanOf(doc, seq, dash.source);
    return {
      id: quoteId(doc, content),
      kind: kindOf(doc, seq, [o], inTerm),
      content,
      cue: spanOf(doc, seq, dash.cue),
      source,
      speaker: resolveSpeaker(source, mentions),
      rule: `${MODEL_RULE}+dash-attribution`,
      score: Math.round(o.conf * 1000) / 1000,
    };
  }
  return {
    id: quoteId(doc, content),
    kind: kindOf(doc, seq, [o], inTerm),
    content,
    cue: null,
    source: null,
    speaker: cont ? cont.speaker : null,
    rule: cont ? `${MODEL_RULE}+continuation` : MODEL_RULE,
    score: Math.round(o.conf * 1000) / 1000,
  };
}

/**
 * Span conventions. Parley follows PolNeAR's convention, which the tagger learned: a leading
 * complementiser "that" stays in the content, and a preposition or "to" that opens the reported
 * matter stays where PolNeAR puts it (usually the cue: "raised concerns about | …"). The one
 * reshaping kept: after a light verb the attitude noun belongs to the cue ("expressed | optimism
 * about …" → "expressed optimism about | …"), which PolNeAR annotates the same way.
 */
function applyConventions(doc: Doc, seq: BaseSeq, lex: QuoteLexicon, cue: Piece, parts: Piece[]): void {
  const tok = (k: number) => doc.tokens[seq.toks[k]!]!;
  const first = parts[0]!;
  if (first.i === cue.j && cue.j - cue.i === 1 && first.j - first.i > 2 && lex.attitudeVerbs.has(tok(cue.i).lemma) &&
      tok(first.i).pos === 'NOUN' && tok(first.i + 1).pos === 'ADP') {
    cue.j += 2;
    first.i += 2;
  }
}

interface Entry {
  cue: Piece;
  parts: Piece[];
  src: Piece | null;
}

/**
 * "During his address to the allies, X advocated for …": an unquoted part before the source, when
 * the cue already has content after it, is a scene-setting phrase, not a split quotation (split
 * quotations — "“…,” X said, “…”" — are quoted, and are kept).
 */
function dropStrayParts(doc: Doc, seq: BaseSeq, e: Entry, inTerm: Set<number>): void {
  if (!e.src || e.parts.length < 2 || !e.parts.some((p) => p.i >= e.cue.j)) return;
  const src = e.src;
  e.parts = e.parts.filter((p) => !(p.j <= src.i && p.j <= e.cue.i && kindOf(doc, seq, [p], inTerm) === 'indirect'));
}

/**
 * "X confirmed A, noting that B": a participle cue after a comma that adds reported (not directly
 * quoted) matter from the same source continues X's attribution, so B becomes a content part of it.
 * A participle introducing a direct quotation ("…, stating “…”") stays its own attribution.
 */
function mergeParticiples(doc: Doc, seq: BaseSeq, entries: Entry[], inTerm: Set<number>): Entry[] {
  const out: Entry[] = [];
  for (const e of entries) {
    const prev = out[out.length - 1];
    const tok = doc.tokens[seq.toks[e.cue.i]!]!;
    const participle = tok.pos === 'VERB' && tok.norm.endsWith('ing') && e.cue.i > 0 && doc.tokens[seq.toks[e.cue.i - 1]!]!.norm === ',';
    // (the content may start one token later, where a complementiser "that" was left out of it)
    if (prev && participle && prev.cue.s0 === e.cue.s0 && prev.src === e.src && e.parts[0]!.i - e.cue.j <= 1) {
      const lastPart = prev.parts[prev.parts.length - 1]!;
      const between = e.cue.i - 1 - lastPart.j;
      if (between <= 0 && kindOf(doc, seq, e.parts, inTerm) !== 'direct') {
        prev.parts.push(...e.parts);
        continue;
      }
    }
    out.push(e);
  }
  return out;
}

/** A transcript speaker label ("WALLACE:") is at most this many tokens. */
const MAX_SPEAKER_LABEL_TOKENS = 3;

/**
 * Transcripts: a paragraph opening with an upper-case speaker label and a colon ("PENCE: Well, …")
 * attributes the rest of the paragraph to that speaker, with the colon as the cue (as PolNeAR
 * annotates them). The tagger rarely sees these, so a rule supplies them.
 */
function transcriptSpeaker(doc: Doc, seq: BaseSeq, pieces: Piece[], cues: Piece[], sources: Piece[], contents: Piece[]): void {
  const tok = (k: number) => doc.tokens[seq.toks[k]!]!;
  const n = seq.toks.length;
  let i = 0;
  while (i < n && (seq.quote[i] === Q_OPEN || tok(i).norm === '(')) i++;
  let k = i;
  while (k < n && k - i < MAX_SPEAKER_LABEL_TOKENS && /^\p{Lu}[\p{Lu}.'’-]+$/u.test(doc.text.slice(tok(k).start, tok(k).end))) k++;
  if (k === i || k + 1 >= n || tok(k).norm !== ':') return;
  if (pieces.some((p) => p.type !== B_CON && p.i <= k && i < p.j)) return;
  const s = seq.sent[k]!;
  const cue = piece(B_CUE, k, k + 1, s, s, 1, 'transcript-speaker');
  const src = piece(B_SRC, i, k, seq.sent[i]!, seq.sent[k - 1]!, 1, 'transcript-speaker');
  for (let c = contents.length - 1; c >= 0; c--) {
    if (contents[c]!.i < k + 1) contents.splice(c, 1); // a label tagged as content is the speaker's
  }
  if (!contents.length) {
    let j = n;
    while (j > k + 1 && isPunct(doc, seq, j - 1)) j--;
    if (j <= k + 1) return;
    const con = piece(B_CON, k + 1, j, seq.sent[k + 1]!, seq.sent[j - 1]!, 1, 'transcript-speaker');
    pieces.push(con);
    contents.push(con);
  }
  pieces.push(cue, src);
  cues.push(cue);
  sources.push(src);
}

/** A source after "according to" is at most this many tokens long. */
const MAX_ACCORDING_SOURCE_TOKENS = 15;

/** Tokens that end the noun phrase after "according to". */
const ACCORDING_STOP_POS = new Set(['PUNCT', 'VERB', 'AUX', 'SCONJ', 'CCONJ']);

/**
 * "…, according to a campaign aide." / "According to police, …": the tagger misses some of these
 * fixed attributions; a rule adds the cue and the noun phrase after it as the source (the content
 * then comes from the tagger or from the clause rule).
 */
function accordingTo(doc: Doc, seq: BaseSeq, pieces: Piece[], cues: Piece[], sources: Piece[]): void {
  const tok = (k: number) => doc.tokens[seq.toks[k]!]!;
  const n = seq.toks.length;
  for (let k = 0; k + 2 < n; k++) {
    if (tok(k).norm !== 'according' || tok(k + 1).norm !== 'to' || seq.sent[k + 2] !== seq.sent[k]) continue;
    let j = k + 2;
    const s = seq.sent[k]!;
    while (j < n && j - (k + 2) < MAX_ACCORDING_SOURCE_TOKENS && seq.sent[j] === s) {
      const t = tok(j);
      if (ACCORDING_STOP_POS.has(t.pos) && !(t.pos === 'PUNCT' && (t.norm === '(' || t.norm === ')' || t.norm === '-' || t.norm === '/'))) break;
      j++;
    }
    if (j === k + 2 || (j < n && seq.sent[j] === s && tok(j).pos !== 'PUNCT')) continue;
    if (pieces.some((p) => p.type !== B_CON && p.i < j && k < p.j)) continue;
    const cue = piece(B_CUE, k, k + 2, s, s, 1, 'according-to');
    const src = piece(B_SRC, k + 2, j, s, s, 1, 'according-to');
    for (const p of pieces) if (p.type === B_CON && p.i < j && k < p.j) {
      // the tagger's content may have swallowed the phrase: keep the part before or after it
      if (p.i < k) p.j = k;
      else p.i = j;
    }
    pieces.push(cue, src);
    cues.push(cue);
    sources.push(src);
  }
}

/** Dashes that attribute a quotation to the name after them ("“…” — Jane Doe"). */
const DASHES = new Set(['—', '–', '--', '―']);

/** A dash-attributed source is at most this many tokens long. */
const MAX_DASH_SOURCE_TOKENS = 10;

/**
 * "“…” — Jane Doe, envoy": a closing quote mark, a dash, then a name with no verb. The tagger
 * learns few of these from PolNeAR, so a rule supplies the cue (the dash) and the source.
 */
function dashAttribution(doc: Doc, seq: BaseSeq, content: Piece): { cue: Piece; source: Piece } | null {
  const tok = (k: number) => doc.tokens[seq.toks[k]!]!;
  const n = seq.toks.length;
  let k = content.j;
  while (k < n && k < content.j + 2 && (seq.quote[k] === Q_CLOSE || tok(k).norm === ',')) k++;
  if (k >= n || !DASHES.has(tok(k).norm) || seq.quote[k - 1] !== Q_CLOSE) return null;
  const d = k++;
  const s0 = k;
  let named = false;
  while (k < n && k - s0 < MAX_DASH_SOURCE_TOKENS && tok(k).pos !== 'PUNCT' && tok(k).pos !== 'VERB' && tok(k).pos !== 'AUX') {
    if (tok(k).pos === 'PROPN' || tok(k).pos === 'NOUN' || tok(k).pos === 'PRON') named = true;
    k++;
  }
  if (!named || k === s0) return null;
  const sent = seq.sent[d]!;
  return {
    cue: piece(B_CUE, d, d + 1, sent, sent, content.conf, null),
    source: piece(B_SRC, s0, k, seq.sent[s0]!, seq.sent[k - 1]!, content.conf, null),
  };
}

/** Token index range [a, b) of sentence `s` within the sequence. */
function sentenceRange(seq: BaseSeq, s: number): [number, number] {
  let a = seq.sent.indexOf(s);
  let b = a;
  while (b < seq.sent.length && seq.sent[b] === s) b++;
  if (a < 0) a = b = 0;
  return [a, b];
}

function isPunct(doc: Doc, seq: BaseSeq, k: number): boolean {
  return doc.tokens[seq.toks[k]!]!.pos === 'PUNCT';
}

/**
 * "…, sources said." / "…," said the minister: a source and cue that close the sentence after a
 * comma make everything before them the content. The tagger sometimes also marks a cue and source
 * inside that content ("X called for …, sources said"); PolNeAR attributions never nest, so those
 * inner pieces are folded into the content and the trailing cue keeps it.
 */
function trailingAttributions(doc: Doc, seq: BaseSeq, cues: Piece[], sources: Piece[], contents: Piece[]): void {
  for (const c of contents) {
    if (c.s0 !== c.s1) continue;
    const [a, b] = sentenceRange(seq, c.s0);
    const after = (p: Piece): boolean => p.s0 === c.s0 && p.i >= c.j;
    const cue = cues.find(after);
    const src = sources.find(after);
    if (!cue || !src) continue;
    const first = Math.min(cue.i, src.i);
    let k = c.j;
    while (k < first && isPunct(doc, seq, k)) k++;
    if (k !== first || first === c.j) continue;
    let tail = Math.max(cue.j, src.j);
    while (tail < b && isPunct(doc, seq, tail)) tail++;
    if (tail !== b) continue;
    const before = (p: Piece): boolean => p.s0 === c.s0 && p.j <= c.i;
    const inner = [...cues.filter(before), ...sources.filter(before), ...contents.filter(before)];
    if (!inner.length || contents.some((p) => p !== c && p.s1 === c.s0 && p.s0 < c.s0)) continue;
    for (const p of inner) {
      for (const list of [cues, sources, contents]) {
        const at = list.indexOf(p);
        if (at >= 0) list.splice(at, 1);
      }
    }
    c.i = a;
    c.rule = 'trailing-cue';
  }
}

/**
 * A content run over a sentence boundary into a sentence that ends with its own cue and source
 * ("… “without delay.” Clinton plans to visit Sunday, according to an aide."): the last sentence
 * is that trailing cue's content, not more of the earlier one.
 */
function splitAtTrailingCue(doc: Doc, seq: BaseSeq, cues: Piece[], sources: Piece[], contents: Piece[]): void {
  for (let ci = 0; ci < contents.length; ci++) {
    const c = contents[ci]!;
    if (c.s0 === c.s1) continue;
    const cue = cues.find((p) => p.s0 === c.s1 && p.i >= c.j);
    if (!cue || !sources.some((p) => p.s0 === c.s1 && p.i >= c.j)) continue;
    let k = c.j;
    while (k < cue.i && isPunct(doc, seq, k)) k++;
    if (k !== cue.i && !sources.some((p) => p.i === k && p.s0 === c.s1)) continue;
    const [a] = sentenceRange(seq, c.s1);
    if (a <= c.i) continue;
    const rest = piece(B_CON, a, c.j, c.s1, c.s1, c.conf, 'split-at-trailing-cue');
    c.j = a;
    while (c.j > c.i && isPunct(doc, seq, c.j - 1) && seq.quote[c.j - 1] === Q_OUT) c.j--;
    c.s1 = seq.sent[c.j - 1]!;
    contents.splice(ci + 1, 0, rest);
  }
}

/** Cue words and content may be separated by at most this many tokens at a clause edge ("But", "And"). */
const MAX_CLAUSE_LEAD = 1;

/**
 * A cue and source at a sentence edge with no content tagged ("According to X, …", "…, X said"):
 * the rest of the sentence is the content, when no other tagged piece lies in it.
 */
function clauseContent(doc: Doc, seq: BaseSeq, cue: Piece, src: Piece | null, all: Piece[]): Piece | null {
  if (!src || src.s0 !== cue.s0) return null;
  const [a, b] = sentenceRange(seq, cue.s0);
  const lo = Math.min(cue.i, src.i);
  const hi = Math.max(cue.j, src.j);
  let i: number;
  let j: number;
  if (lo - a <= MAX_CLAUSE_LEAD) {
    i = hi;
    while (i < b && isPunct(doc, seq, i)) i++;
    j = b;
    while (j > i && isPunct(doc, seq, j - 1)) j--;
  } else {
    let t = hi;
    while (t < b && isPunct(doc, seq, t)) t++;
    if (t !== b) return null;
    i = a;
    j = lo;
    while (j > i && isPunct(doc, seq, j - 1)) j--;
  }
  if (j - i < MIN_CLAUSE_TOKENS) return null;
  if (all.some((p) => p !== cue && p !== src && p.i < j && i < p.j)) return null;
  return piece(B_CON, i, j, cue.s0, cue.s0, cue.conf, 'clause-content');
}

/** A clause taken as content has at least this many tokens. */
const MIN_CLAUSE_TOKENS = 3;

/** A token is a cue word: in the hand list, or a cue this often in training data. */
function isCueWord(doc: Doc, lex: QuoteLexicon, tokIdx: number, minRate: number): boolean {
  const t = doc.tokens[tokIdx]!;
  return lex.cueWords.has(t.lemma) || lex.cueWords.has(t.norm) || (lex.cueRate.get(t.lemma) ?? 0) >= minRate;
}

/**
 * Split a content span at a participle cue after a comma ("…, stating "…"", "…, adding that …"):
 * the tagger tends to run both attributions together; the second gets its own cue and content.
 */
function splitParticiples(doc: Doc, seq: BaseSeq, lex: QuoteLexicon, pieces: Piece[], cues: Piece[], contents: Piece[]): void {
  for (let ci = 0; ci < contents.length; ci++) {
    const c = contents[ci]!;
    for (let k = c.i + 2; k < c.j - 1; k++) {
      const tok = doc.tokens[seq.toks[k]!]!;
      if (tok.pos !== 'VERB' || !tok.norm.endsWith('ing') || seq.quote[k] === Q_IN) continue;
      if (doc.tokens[seq.toks[k - 1]!]!.norm !== ',') continue;
      if (!lex.cueWords.has(tok.norm) && (lex.cueRate.get(tok.lemma) ?? 0) < SPLIT_CUE_RATE) continue;
      const cue = piece(B_CUE, k, k + 1, seq.sent[k]!, seq.sent[k]!, c.conf, null);
      const rest = piece(B_CON, k + 1, c.j, seq.sent[k + 1]!, c.s1, c.conf, null);
      c.j = k - 1;
      c.s1 = seq.sent[k - 2]!;
      pieces.push(cue, rest);
      cues.push(cue);
      contents.splice(ci + 1, 0, rest);
      break;
    }
  }
}

/**
 * A quoted term with its own cue and source inside a sentence ("what he termed a “reassurance
 * force”", "which she called “absurd”"): a mixed quote — the speaker's words set into the narration.
 * Found by rule because PolNeAR annotates no nested attributions for the tagger to learn from.
 */
interface QuotedTerm {
  /** Sequence indexes of the opening and closing marks. */
  open: number;
  close: number;
  q: Omit<Quote, 'speaker'> & { speaker: null };
}

function quotedTerms(doc: Doc, seq: BaseSeq, lex: QuoteLexicon, cues: Piece[]): QuotedTerm[] {
  const out: QuotedTerm[] = [];
  const n = seq.toks.length;
  const tok = (k: number) => doc.tokens[seq.toks[k]!]!;
  for (let k = 2; k < n; k++) {
    if (seq.quote[k] !== Q_OPEN) continue;
    let close = k + 1;
    while (close < n && seq.quote[close] === Q_IN && close - k <= MAX_TERM_TOKENS) close++;
    if (close >= n || seq.quote[close] !== Q_CLOSE || close === k + 1 || seq.sent[close] !== seq.sent[k]) continue;
    let c = k - 1;
    if (tok(c).pos === 'DET') c--;
    if (c < 1 || tok(c).pos !== 'VERB' || !isCueWord(doc, lex, seq.toks[c]!, 1)) continue;
    if (cues.some((p) => p.i <= c && c < p.j)) continue; // the tagger already made it an attribution
    let s0 = c - 1;
    const sp = tok(s0).pos;
    if (sp !== 'PRON' && sp !== 'PROPN') continue;
    if (sp === 'PROPN') while (s0 > 0 && tok(s0 - 1).pos === 'PROPN' && seq.sent[s0 - 1] === seq.sent[c]) s0--;
    const content = { start: tok(k + 1).start, end: tok(close - 1).end };
    out.push({
      open: k,
      close,
      q: {
        id: quoteId(doc, content),
        kind: 'mixed',
        content,
        cue: { start: tok(c).start, end: tok(c).end },
        source: { start: tok(s0).start, end: tok(c - 1).end },
        speaker: null,
        rule: 'quotes.rule-quoted-term',
      },
    });
  }
  return out;
}
