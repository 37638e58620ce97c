// Extractive story briefs: one headline with its alternatives, 3–5 themed sections and key quotes,
// where every sentence is a verbatim slice of a source article (articleId + span), never generated.
// Own logic rather than a summarisation library: those rewrite text, and a brief may not claim
// anything its sources do not say.
import type { Analysis, Article, Span, Token } from '../analyze/types.js';
import { segment } from '../analyze/segment.js';
import { dataDir } from '../analyze/lexicons.js';
import { loadStoryLexicon, type StoryLexicon } from './features.js';

/** Fewest themed sections a brief aims for (fewer only when the story has too few sentences). */
export const MIN_SECTIONS = 3;
/** Most themed sections. */
export const MAX_SECTIONS = 5;
/** Sentences per section. */
export const SENTENCES_PER_SECTION = 3;
/** Key quotes listed. */
export const MAX_KEY_QUOTES = 5;
/** Sentences shorter or longer than this (in words) are poor brief material. */
const MIN_SENTENCE_WORDS = 6;
const MAX_SENTENCE_WORDS = 60;
/** Two sentences sharing this share of their words are the same sentence (a wire copy, a re-edit). */
const DUPLICATE_JACCARD = 0.7;
/** A theme word found in more than this share of sentences names the whole story, not one theme. */
const MAX_THEME_SHARE = 0.35;
/** A theme needs at least this many sentences. */
const MIN_THEME_SENTENCES = 2;
/** Score factor for a sentence that leans on an earlier one ("She said", "One called…"): out of
 * its article it reads as a dangling reference, so it comes after sentences that stand alone. */
const DANGLING_FACTOR = 0.5;
/** Starts with a pronoun, or quotes a pronoun as its speaker (`…," she said.`). */
const DANGLING_RE = /^(?:["“'‘]?)(?:he|she|they|it|this|these|those|one|another|his|her|their)\b|[,!?]["”’]\s+(?:he|she|they)\s+\w+\.?$/i;
/** Weight of a sentence's place in its article (leads carry the news) against its centrality. */
const POSITION_WEIGHT = 0.3;

/** A sentence copied from a source: `text === analysis.text.slice(span.start, span.end)`. */
export interface BriefSentence {
  text: string;
  articleId: string;
  /** Offsets into that article's analysed text. */
  span: Span;
  rule: string;
}

export interface BriefQuote extends BriefSentence {
  kind: string;
  /** Actor id in the article's analysis, and the actor's name and title as extracted. */
  speaker: string;
  speakerName: string;
  speakerTitle?: string;
}

export interface BriefSection {
  /** A label built from key terms or issue ids (a topic name, not a claim). */
  heading: string;
  headingRule: string;
  sentences: BriefSentence[];
}

export interface BriefSource {
  articleId: string;
  title?: string;
  outlet?: string;
  url?: string;
  published?: string;
}

export interface Brief {
  headline: string;
  /** Every other headline the story's articles ran, de-duplicated. */
  alternatives: string[];
  /** The opening sentence of the most central article. */
  lead: BriefSentence | null;
  sections: BriefSection[];
  quotes: BriefQuote[];
  sources: BriefSource[];
}

export interface BriefOptions {
  lexicon?: StoryLexicon;
  /** Labels for issue ids (from data/issues/issues.json); ids are humanised when absent. */
  issueLabels?: Record<string, string>;
}

interface Candidate {
  item: number;
  order: number;
  span: Span;
  text: string;
  words: Set<string>;
  /** Position of the sentence in its article, 0 = first. */
  index: number;
  score: number;
  issues: Set<string>;
  /** Common-noun lemmas (wink POS NOUN): theme material. */
  nouns: Set<string>;
  /** Each noun lemma as written here (lower-cased). */
  surfaces: Map<string, string>;
  /** Noun phrases as written, lower-cased (adjectives/nouns ending in a noun): heading material. */
  phrases: string[];
}

const WORD_RE = /[\p{L}][\p{L}\p{M}'’-]*[\p{L}]|[\p{L}]/gu;

function fold(raw: string): string {
  const w = raw.toLowerCase().replace(/[’']s$/, '');
  return w.length > 4 && w.endsWith('s') && !w.endsWith('ss') ? w.slice(0, -1) : w;
}

function contentWords(text: string, lex: StoryLexicon): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(WORD_RE)) {
    const w = fold(m[0]);
    if (w.length < 3 || lex.stopwords.has(w) || lex.stopwords.has(m[0].toLowerCase())) continue;
    out.push(w);
  }
  return out;
}

/** Common nouns and the noun phrases ending in them ("framework accord", "remaining prisoners"). */
function nounsOf(
  toks: Token[],
  text: string,
  lex: StoryLexicon,
): { nouns: Set<string>; surfaces: Map<string, string>; phrases: string[] } {
  const nouns = new Set<string>();
  const surfaces = new Map<string, string>();
  const phrases: string[] = [];
  let run: Token[] = [];
  const flush = (): void => {
    while (run.length && run[run.length - 1]!.pos !== 'NOUN') run.pop();
    if (run.length >= 2) phrases.push(text.slice(run[0]!.start, run[run.length - 1]!.end).toLowerCase());
    run = [];
  };
  for (const t of toks) {
    const ok = (t.pos === 'NOUN' || t.pos === 'ADJ') && t.norm.length >= 3 && !lex.stopwords.has(t.norm) && /^\p{L}+$/u.test(t.norm);
    const lemma = t.lemma.toLowerCase();
    if (t.pos === 'NOUN' && ok && !lex.notThemes.has(lemma)) {
      nouns.add(lemma);
      surfaces.set(lemma, text.slice(t.start, t.end).toLowerCase());
    }
    if (ok && (run.length === 0 || /^ $/.test(text.slice(run[run.length - 1]!.end, t.start)))) run.push(t);
    else {
      flush();
      if (ok) run.push(t);
    }
  }
  flush();
  return { nouns, surfaces, phrases };
}

function jaccard(a: Set<string>, b: Set<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let inter = 0;
  for (const x of a) if (b.has(x)) inter += 1;
  return inter / (a.size + b.size - inter);
}

function titleOf(item: { article: Article; analysis: Analysis }): string | undefined {
  return item.article.title?.trim() || item.analysis.headlines[0]?.trim() || undefined;
}

function humanise(id: string): string {
  const s = id.replace(/[-_]+/g, ' ').trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function capitalise(w: string): string {
  return w.charAt(0).toUpperCase() + w.slice(1);
}

/** The form a noun is most often written in among the sentences ("talks", not the lemma "talk"). */
function surfaceOf(noun: string, members: Candidate[]): string {
  const counts = new Map<string, number>();
  for (const c of members) {
    const s = c.surfaces.get(noun);
    if (s) counts.set(s, (counts.get(s) ?? 0) + 1);
  }
  return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0]?.[0] ?? noun;
}

/** A noun phrase must recur this often among a theme's sentences to become its heading. */
const MIN_HEADING_PHRASE_COUNT = 2;

/** The most frequent noun phrase holding the theme noun ("framework accord"), if it recurs. */
function headingPhrase(noun: string, members: Candidate[]): string | null {
  const counts = new Map<string, number>();
  for (const c of members) {
    for (const p of new Set(c.phrases)) {
      if (p.split(/\s+/).some((w) => w === noun || fold(w) === noun)) counts.set(p, (counts.get(p) ?? 0) + 1);
    }
  }
  const best = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].length - b[0].length || a[0].localeCompare(b[0]))[0];
  return best && best[1] >= MIN_HEADING_PHRASE_COUNT ? best[0] : null;
}

/** Build the brief of one story from its articles and their analyses. */
export function buildBrief(items: Array<{ article: Article; analysis: Analysis }>, options: BriefOptions = {}): Brief {
  const lex = options.lexicon ?? loadStoryLexicon(dataDir());
  // Oldest first, so the first telling of a sentence is the one linked (ties by id: deterministic).
  const ordered = items
    .map((it, i) => ({ ...it, i }))
    .sort((a, b) => (a.article.published ?? '').localeCompare(b.article.published ?? '') || a.article.id.localeCompare(b.article.id));

  // Headlines: the most central one leads; the rest are alternatives.
  const heads: Array<{ text: string; words: Set<string> }> = [];
  for (const it of ordered) {
    const cand = [titleOf(it), ...it.analysis.headlines].filter((h): h is string => !!h && h.trim().length > 0);
    for (const h of cand) {
      const text = h.trim();
      if (!heads.some((x) => x.text.toLowerCase() === text.toLowerCase())) {
        heads.push({ text, words: new Set(contentWords(text, lex)) });
      }
    }
  }
  let headIdx = 0;
  let headBest = -1;
  heads.forEach((h, i) => {
    const c = heads.reduce((acc, o, j) => (j === i ? acc : acc + jaccard(h.words, o.words)), 0);
    if (c > headBest) {
      headBest = c;
      headIdx = i;
    }
  });

  // Candidate sentences, near-duplicates folded onto their first telling.
  const cands: Candidate[] = [];
  ordered.forEach((it, order) => {
    const tokens = segment(it.analysis.text).tokens;
    let t0 = 0;
    const issuesAt = it.analysis.positions.map((p) => ({ issue: p.issue, span: p.evidence }));
    it.analysis.structure.sentences.forEach((s, index) => {
      const text = it.analysis.text.slice(s.start, s.end);
      const nWords = text.split(/\s+/).filter(Boolean).length;
      if (nWords < MIN_SENTENCE_WORDS || nWords > MAX_SENTENCE_WORDS) return;
      const words = new Set(contentWords(text, lex));
      if (cands.some((c) => jaccard(c.words, words) >= DUPLICATE_JACCARD)) return;
      const issues = new Set(issuesAt.filter((p) => p.span.start < s.end && p.span.end > s.start).map((p) => p.issue));
      while (t0 < tokens.length && tokens[t0]!.start < s.start) t0++;
      const toks: Token[] = [];
      for (let t = t0; t < tokens.length && tokens[t]!.end <= s.end; t++) toks.push(tokens[t]!);
      const { nouns, surfaces, phrases } = nounsOf(toks, it.analysis.text, lex);
      cands.push({ item: it.i, order, span: { start: s.start, end: s.end }, text, words, index, score: 0, issues, nouns, surfaces, phrases });
    });
  });

  // Centrality: how many of the story's words a sentence shares (document frequency over sentences).
  const df = new Map<string, number>();
  for (const c of cands) for (const w of c.words) df.set(w, (df.get(w) ?? 0) + 1);
  for (const c of cands) {
    let s = 0;
    for (const w of c.words) s += Math.log(1 + (df.get(w) ?? 0));
    const centrality = c.words.size ? s / Math.sqrt(c.words.size) : 0;
    c.score = centrality * (1 - POSITION_WEIGHT) + (POSITION_WEIGHT * centrality) / (1 + c.index);
    if (DANGLING_RE.test(c.text.trim())) c.score *= DANGLING_FACTOR;
  }
  const byScore = [...cands].sort((a, b) => b.score - a.score || a.order - b.order || a.span.start - b.span.start);

  const link = (c: Candidate, rule: string): BriefSentence => ({
    text: c.text,
    articleId: items[c.item]!.article.id,
    span: c.span,
    rule,
  });

  // Lead: the first body sentence of the article whose sentences score highest on average.
  const leadCand = byScore.find((c) => c.index === 0) ?? byScore[0];
  const used = new Set<Candidate>();
  if (leadCand) used.add(leadCand);

  // Themes: issues the analysis found first, then key words, each taking the sentences it covers.
  const themes: Array<{ heading: string; rule: string; members: Candidate[] }> = [];
  const issueCounts = new Map<string, number>();
  for (const c of cands) for (const i of c.issues) issueCounts.set(i, (issueCounts.get(i) ?? 0) + 1);
  const issueOrder = [...issueCounts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const assigned = new Set<Candidate>(used);
  for (const [issue] of issueOrder) {
    if (themes.length >= MAX_SECTIONS) break;
    const members = byScore.filter((c) => !assigned.has(c) && c.issues.has(issue));
    if (members.length < MIN_THEME_SENTENCES) continue;
    members.slice(0, SENTENCES_PER_SECTION).forEach((c) => assigned.add(c));
    themes.push({ heading: options.issueLabels?.[issue] ?? humanise(issue), rule: `brief.issue:${issue}`, members });
  }
  const maxDf = Math.max(MIN_THEME_SENTENCES, Math.floor(cands.length * MAX_THEME_SHARE));
  const nounDf = new Map<string, number>();
  for (const c of cands) for (const n of c.nouns) nounDf.set(n, (nounDf.get(n) ?? 0) + 1);
  const headings = new Set(themes.map((t) => t.heading.toLowerCase()));
  const tried = new Set<string>();
  // Themes of two sentences or more first; single-sentence themes only to reach MIN_SECTIONS.
  for (const minMembers of [MIN_THEME_SENTENCES, 1]) {
    while (themes.length < (minMembers === 1 ? MIN_SECTIONS : MAX_SECTIONS)) {
      // The common noun covering the most weight of still-unassigned sentences, too common ones excluded.
      const weight = new Map<string, number>();
      for (const c of byScore) {
        if (assigned.has(c)) continue;
        for (const n of c.nouns) if (!tried.has(n) && (nounDf.get(n) ?? 0) <= maxDf) weight.set(n, (weight.get(n) ?? 0) + c.score);
      }
      const ranked = [...weight.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
      const pick = ranked.find(([n]) => byScore.filter((c) => !assigned.has(c) && c.nouns.has(n)).length >= minMembers);
      if (!pick) break;
      const term = pick[0];
      tried.add(term);
      const members = byScore.filter((c) => !assigned.has(c) && c.nouns.has(term));
      const heading = capitalise(headingPhrase(term, members) ?? surfaceOf(term, members));
      if (headings.has(heading.toLowerCase())) continue;
      headings.add(heading.toLowerCase());
      members.slice(0, SENTENCES_PER_SECTION).forEach((c) => assigned.add(c));
      themes.push({ heading, rule: `brief.key-noun:${term}`, members });
    }
  }

  const sections: BriefSection[] = themes.map((t) => ({
    heading: t.heading,
    headingRule: t.rule,
    // In story order (oldest article first, then text order) so each section reads as a narrative.
    sentences: t.members
      .slice(0, SENTENCES_PER_SECTION)
      .sort((a, b) => a.order - b.order || a.span.start - b.span.start)
      .map((c) => link(c, 'brief.extract-central-sentence')),
  }));

  // Key quotes: direct or mixed quotes with a named speaker, distinct speakers first, copies folded.
  const quotes: BriefQuote[] = [];
  const seenQuote: Array<Set<string>> = [];
  const speakersUsed = new Set<string>();
  const quoteCands: Array<BriefQuote & { order: number; words: Set<string> }> = [];
  ordered.forEach((it, order) => {
    const actors = new Map(it.analysis.actors.map((a) => [a.id, a]));
    for (const q of it.analysis.quotes) {
      if (q.kind === 'indirect' || !q.speaker) continue;
      const actor = actors.get(q.speaker);
      if (!actor) continue;
      const text = it.analysis.text.slice(q.content.start, q.content.end);
      quoteCands.push({
        text,
        articleId: it.article.id,
        span: { start: q.content.start, end: q.content.end },
        rule: `brief.key-quote(${q.rule})`,
        kind: q.kind,
        speaker: actor.id,
        speakerName: actor.name,
        ...(actor.title ? { speakerTitle: actor.title } : {}),
        order,
        words: new Set(contentWords(text, lex)),
      });
    }
  });
  for (const pass of [0, 1]) {
    for (const q of quoteCands) {
      if (quotes.length >= MAX_KEY_QUOTES) break;
      const key = q.speakerName.toLowerCase();
      if (pass === 0 && speakersUsed.has(key)) continue;
      if (seenQuote.some((w) => jaccard(w, q.words) >= DUPLICATE_JACCARD)) continue;
      seenQuote.push(q.words);
      speakersUsed.add(key);
      const { order: _o, words: _w, ...rest } = q;
      quotes.push(rest);
    }
  }

  const sources: BriefSource[] = ordered.map((it) => ({
    articleId: it.article.id,
    ...(titleOf(it) ? { title: titleOf(it) } : {}),
    ...(it.article.outlet ? { outlet: it.article.outlet } : {}),
    ...(it.article.url ? { url: it.article.url } : {}),
    ...(it.article.published ? { published: it.article.published } : {}),
  }));

  return {
    headline: heads[headIdx]?.text ?? '',
    alternatives: heads.filter((_, i) => i !== headIdx).map((h) => h.text),
    lead: leadCand ? link(leadCand, 'brief.lead-sentence') : null,
    sections,
    quotes,
    sources,
  };
}

/** Markdown: headline, alternatives, lead, sections, key quotes; every sentence cites its source [n]. */
export function renderBrief(brief: Brief): string {
  const num = new Map(brief.sources.map((s, i) => [s.articleId, i + 1]));
  const cite = (s: BriefSentence): string => `[${num.get(s.articleId) ?? '?'}]`;
  const out: string[] = [`# ${brief.headline}`, ''];
  if (brief.alternatives.length) out.push(`*Also headlined:* ${brief.alternatives.join(' · ')}`, '');
  if (brief.lead) out.push(`${brief.lead.text} ${cite(brief.lead)}`, '');
  for (const s of brief.sections) {
    out.push(`## ${s.heading}`, '', s.sentences.map((x) => `${x.text} ${cite(x)}`).join(' '), '');
  }
  if (brief.quotes.length) {
    out.push('## Key quotes', '');
    for (const q of brief.quotes) {
      const who = q.speakerTitle ? `${q.speakerName}, ${q.speakerTitle}` : q.speakerName;
      out.push(`> ${q.text}`, `> — ${who} ${cite(q)}`, '');
    }
  }
  out.push('## Sources', '');
  brief.sources.forEach((s, i) => {
    const parts = [s.outlet, s.title ? `"${s.title}"` : undefined, s.published?.slice(0, 10)].filter(Boolean).join(', ');
    out.push(`${i + 1}. ${parts || s.articleId}${s.url ? ` <${s.url}>` : ''} (${s.articleId})`);
  });
  return `${out.join('\n')}\n`;
}
